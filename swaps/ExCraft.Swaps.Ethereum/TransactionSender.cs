using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Model;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// Signs and sends EIP-1559 transactions (type 2, with the chain's EIP-155 id inside the signed
/// payload) for one key, taking nonces from that address's single <see cref="NonceManager"/>.
/// Gas is estimated first, so a call the contract would refuse raises
/// <see cref="ContractRevertException"/> and is never sent; a stuck transaction can be
/// replaced with higher fees.
/// </summary>
public sealed class TransactionSender
{
    private static readonly BigInteger DefaultTip = 1_000_000_000; // 1 gwei when the node has no suggestion
    private readonly EthECKey key;
    private readonly NonceManager nonces;
    private readonly RevertDecoder revertDecoder;

    private TransactionSender(IWeb3 web3, EthECKey key, BigInteger chainId, NonceManager nonces, RevertDecoder revertDecoder)
    {
        Web3 = web3;
        this.key = key;
        ChainId = chainId;
        this.nonces = nonces;
        this.revertDecoder = revertDecoder;
        Address = key.GetPublicAddress();
    }

    public IWeb3 Web3 { get; }
    public string Address { get; }
    public BigInteger ChainId { get; }

    /// <summary>Reads the chain id from the node and attaches the address's nonce manager.</summary>
    public static async Task<TransactionSender> CreateAsync(
        IWeb3 web3, EthECKey key, NonceManagers nonceManagers, RevertDecoder revertDecoder, CancellationToken ct = default)
    {
        var chainId = (await web3.Eth.ChainId.SendRequestAsync()).Value;
        var address = key.GetPublicAddress();
        var manager = nonceManagers.For(address, async _ =>
            (await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreatePending())).Value);
        return new TransactionSender(web3, key, chainId, manager, revertDecoder);
    }

    /// <summary>Fee caps for the next block: twice the latest base fee plus the node's suggested tip.</summary>
    public async Task<Eip1559Fees> SuggestFeesAsync()
    {
        var block = await Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        var baseFee = block.BaseFeePerGas?.Value ?? 0;
        BigInteger tip;
        try
        {
            tip = (await Web3.Client.SendRequestAsync<HexBigInteger>("eth_maxPriorityFeePerGas")).Value;
        }
        catch (RpcResponseException)
        {
            tip = DefaultTip; // a node without the method
        }
        if (tip <= 0) tip = DefaultTip;
        return Eip1559Fees.ForBaseFee(baseFee, tip);
    }

    /// <summary>
    /// Estimates gas (refusing calls that revert), signs with the next nonce and sends. With
    /// <paramref name="gasLimit"/> given the estimate is skipped and the transaction is sent even
    /// if it will fail on chain.
    /// </summary>
    public async Task<SentTransaction> SendAsync(
        string? to, BigInteger value, byte[] data, BigInteger? gasLimit = null, Eip1559Fees? fees = null, CancellationToken ct = default)
    {
        var gas = gasLimit ?? await EstimateGasAsync(to, value, data);
        var caps = fees ?? await SuggestFeesAsync();
        return await nonces.SendWithNextNonceAsync(nonce => SignAndSendAsync(to, value, data, gas, caps, nonce), ct);
    }

    /// <summary>
    /// Sends the same call again with the same nonce and both fee caps raised by
    /// <paramref name="bumpPercent"/>: once mined, it takes the stuck one's place.
    /// </summary>
    public Task<SentTransaction> ReplaceAsync(SentTransaction stuck, int bumpPercent = 25)
    {
        if (!string.Equals(stuck.From, Address, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("only the sender of a transaction can replace it");
        return SignAndSendAsync(stuck.To, stuck.Value, stuck.Data, stuck.GasLimit, stuck.Fees.Bumped(bumpPercent), stuck.Nonce);
    }

    /// <summary>
    /// Sends the same call again with the same nonce at <paramref name="fees"/>, which must raise
    /// both caps by at least <see cref="Eip1559Fees.MinimumBumpPercent"/> (the replacement minimum
    /// of geth and anvil): the engine's replacement at the current base fee, within its cap.
    /// </summary>
    public Task<SentTransaction> ReplaceAsync(SentTransaction stuck, Eip1559Fees fees)
    {
        if (!string.Equals(stuck.From, Address, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("only the sender of a transaction can replace it");
        var minimum = stuck.Fees.Bumped(Eip1559Fees.MinimumBumpPercent);
        if (fees.MaxFeePerGas < minimum.MaxFeePerGas || fees.MaxPriorityFeePerGas < minimum.MaxPriorityFeePerGas)
            throw new ArgumentException($"a replacement must raise both fee caps by at least {Eip1559Fees.MinimumBumpPercent}%", nameof(fees));
        return SignAndSendAsync(stuck.To, stuck.Value, stuck.Data, stuck.GasLimit, fees, stuck.Nonce);
    }

    /// <summary>
    /// Estimates gas (refusing calls that revert) and signs with the next nonce, without sending:
    /// the caller logs the result first and then calls <see cref="BroadcastAsync"/>, so that a
    /// crash in between is resumed by sending this very transaction, never a second one with the
    /// following nonce. The nonce counts as used from here on.
    /// </summary>
    public async Task<SentTransaction> SignAsync(
        string? to, BigInteger value, byte[] data, BigInteger? gasLimit = null, Eip1559Fees? fees = null, CancellationToken ct = default)
    {
        var gas = gasLimit ?? await EstimateGasAsync(to, value, data);
        var caps = fees ?? await SuggestFeesAsync();
        return await nonces.SendWithNextNonceAsync(nonce => Task.FromResult(Sign(to, value, data, gas, caps, nonce)), ct);
    }

    /// <summary>
    /// <see cref="ReplaceAsync(SentTransaction, Eip1559Fees)"/> without sending: the same call and
    /// nonce at <paramref name="fees"/>, signed, for the caller to log and then broadcast.
    /// </summary>
    public SentTransaction SignReplacement(SentTransaction stuck, Eip1559Fees fees)
    {
        if (!string.Equals(stuck.From, Address, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("only the sender of a transaction can replace it");
        var minimum = stuck.Fees.Bumped(Eip1559Fees.MinimumBumpPercent);
        if (fees.MaxFeePerGas < minimum.MaxFeePerGas || fees.MaxPriorityFeePerGas < minimum.MaxPriorityFeePerGas)
            throw new ArgumentException($"a replacement must raise both fee caps by at least {Eip1559Fees.MinimumBumpPercent}%", nameof(fees));
        return Sign(stuck.To, stuck.Value, stuck.Data, stuck.GasLimit, fees, stuck.Nonce);
    }

    /// <summary>
    /// Hands a signed transaction to the node. Returns the node's reason when it refuses it, which
    /// after a crash or a replacement is the normal case (already known, nonce already used by the
    /// mined one, or underpriced next to a later replacement), null when it took it; the caller
    /// reads the chain to know which one counts.
    /// </summary>
    public async Task<string?> BroadcastAsync(SentTransaction signed)
    {
        try
        {
            await Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(signed.Raw ?? throw new ArgumentException("the transaction was logged without its signed form"));
            return null;
        }
        catch (RpcResponseException e)
        {
            return e.RpcError?.Message ?? e.Message;
        }
    }

    /// <summary>Polls for the receipt; a failed transaction raises <see cref="TransactionFailedException"/>.</summary>
    public async Task<TransactionReceipt> WaitForReceiptAsync(string hash, TimeSpan timeout, CancellationToken ct = default)
    {
        var receipt = await TryWaitForReceiptAsync(Web3, hash, timeout, ct)
            ?? throw new TimeoutException($"transaction {hash} was not mined within {timeout.TotalSeconds:0} s");
        if (receipt.Status?.Value != 1) throw new TransactionFailedException(hash, receipt);
        return receipt;
    }

    public static async Task<TransactionReceipt?> TryWaitForReceiptAsync(IWeb3 web3, string hash, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash);
            if (receipt != null) return receipt;
            if (DateTime.UtcNow >= deadline) return null;
            await Task.Delay(50, ct);
        }
    }

    /// <summary>Runs the call against the latest state; raises the contract's error if it reverts.</summary>
    public async Task<BigInteger> EstimateGasAsync(string? to, BigInteger value, byte[] data)
    {
        var input = new CallInput { From = Address, To = to, Value = new HexBigInteger(value), Data = data.ToHex(true) };
        try
        {
            return (await Web3.Eth.Transactions.EstimateGas.SendRequestAsync(input)).Value;
        }
        catch (RpcResponseException e)
        {
            var name = revertDecoder.Decode(e);
            if (name == null) throw;
            throw new ContractRevertException(name, e.Message);
        }
    }

    private async Task<SentTransaction> SignAndSendAsync(
        string? to, BigInteger value, byte[] data, BigInteger gas, Eip1559Fees fees, BigInteger nonce)
    {
        var signed = Sign(to, value, data, gas, fees, nonce);
        var hash = await Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(signed.Raw!);
        return signed with { Hash = hash };
    }

    private SentTransaction Sign(string? to, BigInteger value, byte[] data, BigInteger gas, Eip1559Fees fees, BigInteger nonce)
    {
        var transaction = new Transaction1559(
            ChainId, nonce, fees.MaxPriorityFeePerGas, fees.MaxFeePerGas, gas, to, value, data.ToHex(true), null);
        var raw = new Transaction1559Signer().SignTransaction(key, transaction).EnsureHexPrefix();
        var hash = Nethereum.Util.Sha3Keccack.Current.CalculateHashFromHex(raw).EnsureHexPrefix();
        return new SentTransaction(hash, Address, to, nonce, value, data, gas, fees, raw);
    }
}
