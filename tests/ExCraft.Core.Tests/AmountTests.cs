namespace ExCraft.Core.Tests;

public class AmountTests
{
    private static UInt128 U(string decimalDigits) => UInt128.Parse(decimalDigits, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0.000000000000000001", 18, "1")]
    [InlineData("1.5", 18, "1500000000000000000")]
    [InlineData("1", 18, "1000000000000000000")]
    [InlineData("0.00001", 18, "10000000000000")]
    [InlineData("1000000", 18, "1000000000000000000000000")]
    [InlineData("12", 0, "12")]
    [InlineData("12.", 0, "12")]
    [InlineData("12.5", 1, "125")]
    [InlineData(".5", 1, "5")]
    [InlineData("0", 18, "0")]
    [InlineData("0.0", 18, "0")]
    [InlineData("007.10", 2, "710")]
    [InlineData(" 2.25 ", 2, "225")]
    [InlineData("340282366920938463463.374607431768211455", 18, "340282366920938463463374607431768211455")] // UInt128.MaxValue
    [InlineData("340282366920938463463374607431768211455", 0, "340282366920938463463374607431768211455")]
    public void Parse_IsExact(string text, int decimals, string baseUnits)
    {
        Assert.Equal(U(baseUnits), Amount.Parse(text, decimals));
        Assert.True(Amount.TryParse(text, decimals, out var value, out var error));
        Assert.Equal("", error);
        Assert.Equal(U(baseUnits), value);
    }

    [Fact]
    public void Parse_DefaultsTo18Decimals()
    {
        Assert.Equal(18, Amount.ExtDecimals);
        Assert.Equal(U("1500000000000000000"), Amount.Parse("1.5"));
    }

    [Theory]
    [InlineData("0.0000000000000000001", 18, "has 19 decimal places; this asset has 18")]
    [InlineData("1.5", 0, "has 1 decimal places; this asset has 0")]
    [InlineData("1.234", 2, "has 3 decimal places; this asset has 2")]
    [InlineData("1,5", 18, "not a decimal amount (unexpected ',')")]
    [InlineData("-1", 18, "unexpected '-'")]
    [InlineData("+1", 18, "unexpected '+'")]
    [InlineData("1e18", 18, "unexpected 'e'")]
    [InlineData("1.2.3", 18, "unexpected '.'")]
    [InlineData("1 000", 18, "unexpected ' '")]
    [InlineData("١", 18, "unexpected '١'")] // Arabic-Indic digit one: only ASCII digits are digits
    [InlineData("0x10", 18, "unexpected 'x'")]
    [InlineData(".", 18, "is not an amount")]
    [InlineData("", 18, "amount is empty")]
    [InlineData("   ", 18, "amount is empty")]
    [InlineData("340282366920938463463.374607431768211456", 18, "is too large")] // UInt128.MaxValue + 1
    [InlineData("340282366920938463464", 18, "is too large")]
    [InlineData("99999999999999999999999999999999999999999999999999", 0, "is too large")]
    public void Parse_Errors(string text, int decimals, string message)
    {
        Assert.False(Amount.TryParse(text, decimals, out var value, out var error));
        Assert.Equal(UInt128.Zero, value);
        Assert.Contains(message, error);
        var e = Assert.Throws<FormatException>(() => Amount.Parse(text, decimals));
        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void TryParse_Null_IsEmpty()
    {
        Assert.False(Amount.TryParse(null, 18, out _, out var error));
        Assert.Equal("amount is empty", error);
    }

    [Theory]
    [InlineData("1", 18, "0.000000000000000001")]
    [InlineData("1500000000000000000", 18, "1.5")]
    [InlineData("1000000000000000000", 18, "1")]
    [InlineData("10000000000000", 18, "0.00001")]
    [InlineData("0", 18, "0")]
    [InlineData("0", 0, "0")]
    [InlineData("12", 0, "12")]
    [InlineData("120", 1, "12")]
    [InlineData("125", 1, "12.5")]
    [InlineData("1000000000000000000000000", 18, "1000000")]
    [InlineData("340282366920938463463374607431768211455", 18, "340282366920938463463.374607431768211455")]
    public void Format_IsExact_AndTrimsZeros(string baseUnits, int decimals, string text)
    {
        Assert.Equal(text, Amount.Format(U(baseUnits), decimals));
        Assert.Equal(U(baseUnits), Amount.Parse(text, decimals));
    }

    [Fact]
    public void Format_DefaultsTo18Decimals()
    {
        Assert.Equal("2.000000000000000001", Amount.Format(U("2000000000000000001")));
    }

    [Fact]
    public void Add_IsChecked()
    {
        Assert.Equal(U("3"), Amount.Add(1, 2));
        Assert.Equal(UInt128.MaxValue, Amount.Add(UInt128.MaxValue - 1, 1));
        Assert.Throws<OverflowException>(() => Amount.Add(UInt128.MaxValue, 1));
        Assert.Throws<OverflowException>(() => Amount.Add(UInt128.MaxValue, UInt128.MaxValue));
    }

    [Fact]
    public void Subtract_IsChecked()
    {
        Assert.Equal(U("1"), Amount.Subtract(3, 2));
        Assert.Equal(UInt128.Zero, Amount.Subtract(5, 5));
        var e = Assert.Throws<OverflowException>(() => Amount.Subtract(1, 2));
        Assert.Contains("underflow", e.Message);
        Assert.Throws<OverflowException>(() => Amount.Subtract(UInt128.Zero, UInt128.MaxValue));
    }

    [Fact]
    public void Multiply_Pow10_FromWhole()
    {
        Assert.Equal(U("1000000000000000000"), Amount.Pow10(18));
        Assert.Equal(UInt128.One, Amount.Pow10(0));
        Assert.Equal(U("1000000000000000000000000000000"), Amount.Pow10(Amount.MaxDecimals));
        Assert.Throws<ArgumentOutOfRangeException>(() => Amount.Pow10(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Amount.Pow10(Amount.MaxDecimals + 1));
        Assert.Equal(U("5000000000000000000"), Amount.FromWhole(5));
        Assert.Equal(U("1000000000000000000000000"), Amount.FromWhole(1_000_000));
        Assert.Equal(U("7"), Amount.FromWhole(7, 0));
        Assert.Throws<OverflowException>(() => Amount.Multiply(UInt128.MaxValue, 2));
        Assert.Throws<OverflowException>(() => Amount.FromWhole(ulong.MaxValue, Amount.MaxDecimals));
    }
}
