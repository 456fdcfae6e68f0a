using ExCraft.Chain.Modules;
using ExCraft.Core;
using Xunit;

namespace ExCraft.Chain.Tests;

/// <summary>
/// The key builder reuses one scratch buffer per thread: keys built one after another, a key built
/// while another is being built (one of its parts), and keys longer than the scratch buffer all
/// come out as their parts laid end to end, each key its own array.
/// </summary>
public class StateKeyTests
{
    private static readonly Address Alice = new(Enumerable.Range(1, Address.Length).Select(i => (byte)i).ToArray());

    [Fact]
    public void Keys_built_in_turn_nested_or_long_are_their_parts_end_to_end()
    {
        var first = StateKey.Of([0x03], (byte)'o').Address(Alice).UInt64(7).Build();
        var second = StateKey.Of([0x01], (byte)'b').Address(Alice).String("EXT").Build();
        Assert.Equal([0x03, (byte)'o', .. Alice.ToBytes(), 0, 0, 0, 0, 0, 0, 0, 7], first);
        Assert.Equal([0x01, (byte)'b', .. Alice.ToBytes(), 3, (byte)'E', (byte)'X', (byte)'T'], second);
        Assert.NotSame(first, second);

        string Inner() => Convert.ToHexString(StateKey.Of([0x02], (byte)'x').UInt64(1).Build());
        var outer = StateKey.Of([0x05], (byte)'n').UInt64(9).String(Inner()).UInt64(10).Build();
        var innerText = "0278" + "0000000000000001";
        Assert.Equal([0x05, (byte)'n', 0, 0, 0, 0, 0, 0, 0, 9, (byte)innerText.Length, .. System.Text.Encoding.ASCII.GetBytes(innerText), 0, 0, 0, 0, 0, 0, 0, 10], outer);

        var longText = new string('a', 200);
        var longKey = StateKey.Of([0x04], (byte)'l').String(longText).Address(Alice).Build();
        Assert.Equal([0x04, (byte)'l', 200, .. System.Text.Encoding.ASCII.GetBytes(longText), .. Alice.ToBytes()], longKey);
        Assert.Equal(first, StateKey.Of([0x03], (byte)'o').Address(Alice).UInt64(7).Build()); // the scratch grown by the long key still builds short ones
    }
}
