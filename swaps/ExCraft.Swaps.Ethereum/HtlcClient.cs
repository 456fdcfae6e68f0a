using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// Drives one deployed ExCraftHtlc: lock ETH or tokens, claim, refund, and read whether a swap is
/// open. Every write goes through a <see cref="TransactionSender"/> (EIP-1559, nonce manager,
/// gas estimate that refuses reverting calls) and waits for its receipt.
/// </summary>
public sealed class HtlcClient
{
    public static readonly TimeSpan DefaultReceiptTimeout = TimeSpan.FromSeconds(30);

    public HtlcClient(IWeb3 web3, string contractAddress)
    {
        Web3 = web3;
        ContractAddress = contractAddress;
    }

    public IWeb3 Web3 { get; }
    public string ContractAddress { get; }

    /// <summary>Refusals of this contract by name (SwapNotFound, TimeoutPassed, ...).</summary>
    public static RevertDecoder Errors { get; } = new(ContractArtifact.Htlc.AbiJson);

    /// <summary>Deploys the embedded, compiled contract.</summary>
    public static async Task<HtlcClient> DeployAsync(TransactionSender deployer, CancellationToken ct = default)
    {
        var sent = await deployer.SendAsync(null, 0, ContractArtifact.Htlc.Bytecode, ct: ct);
        var receipt = await deployer.WaitForReceiptAsync(sent.Hash, DefaultReceiptTimeout, ct);
        return new HtlcClient(deployer.Web3, receipt.ContractAddress);
    }

    /// <summary>Locks <c>terms.Amount</c> wei; terms.Token must be <see cref="SwapTerms.Eth"/>.</summary>
    public async Task<LockResult> LockEthAsync(TransactionSender from, SwapTerms terms, CancellationToken ct = default)
    {
        terms.Validate();
        if (!terms.IsEth) throw new ArgumentException("LockEthAsync locks ETH: use LockTokenAsync for a token");
        var call = new LockFunction
        {
            HashLock = terms.HashLock, ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
        };
        var receipt = await SendAndWaitAsync(from, call.GetCallData(), terms.Amount, null, ct);
        return ReadLock(receipt);
    }

    /// <summary>
    /// Approves the contract for <c>terms.Amount</c> and locks the tokens. The returned terms carry
    /// the amount the contract actually received, which claim and refund must present.
    /// </summary>
    public async Task<LockResult> LockTokenAsync(TransactionSender from, SwapTerms terms, CancellationToken ct = default)
    {
        terms.Validate();
        if (terms.IsEth) throw new ArgumentException("LockTokenAsync locks a token: use LockEthAsync for ETH");
        await new Erc20Client(Web3, terms.Token).ApproveAsync(from, ContractAddress, terms.Amount, ct);
        var call = new LockTokenFunction
        {
            HashLock = terms.HashLock, Token = terms.Token, Amount = terms.Amount,
            ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
        };
        var receipt = await SendAndWaitAsync(from, call.GetCallData(), 0, null, ct);
        return ReadLock(receipt);
    }

    /// <summary>Pays the swap to its claim address with the secret (32 bytes) before the timeout.</summary>
    public async Task<TransactionReceipt> ClaimAsync(
        TransactionSender from, SwapTerms terms, byte[] preimage, BigInteger? gasLimit = null, CancellationToken ct = default) =>
        await SendAndWaitAsync(from, ClaimCallData(terms, preimage), 0, gasLimit, ct);

    /// <summary>Pays the swap back to its refund address once the timeout is reached.</summary>
    public async Task<TransactionReceipt> RefundAsync(
        TransactionSender from, SwapTerms terms, BigInteger? gasLimit = null, CancellationToken ct = default) =>
        await SendAndWaitAsync(from, RefundCallData(terms), 0, gasLimit, ct);

    /// <summary>
    /// The ETH lock call signed with the sender's next nonce but not sent (the swap engine logs it
    /// first, then broadcasts it, and replaces it with higher fees if it sits unmined).
    /// </summary>
    public Task<SentTransaction> SignLockEthAsync(TransactionSender from, SwapTerms terms, CancellationToken ct = default)
    {
        terms.Validate();
        if (!terms.IsEth) throw new ArgumentException("SignLockEthAsync locks ETH: a token is locked with LockTokenAsync");
        var call = new LockFunction
        {
            HashLock = terms.HashLock, ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
        };
        return from.SignAsync(ContractAddress, terms.Amount, call.GetCallData(), ct: ct);
    }

    /// <summary>The claim call signed but not sent: the caller logs it, then broadcasts it.</summary>
    public Task<SentTransaction> SignClaimAsync(TransactionSender from, SwapTerms terms, byte[] preimage, CancellationToken ct = default) =>
        from.SignAsync(ContractAddress, 0, ClaimCallData(terms, preimage), ct: ct);

    /// <summary>The refund call signed but not sent: the caller logs it, then broadcasts it.</summary>
    public Task<SentTransaction> SignRefundAsync(TransactionSender from, SwapTerms terms, CancellationToken ct = default) =>
        from.SignAsync(ContractAddress, 0, RefundCallData(terms), ct: ct);

    /// <summary>The claim call without waiting: a caller that sees it stuck can replace it.</summary>
    public Task<SentTransaction> SendClaimAsync(
        TransactionSender from, SwapTerms terms, byte[] preimage, BigInteger? gasLimit = null, Eip1559Fees? fees = null, CancellationToken ct = default) =>
        from.SendAsync(ContractAddress, 0, ClaimCallData(terms, preimage), gasLimit, fees, ct);

    /// <summary>The refund call without waiting: a caller that sees it stuck can replace it.</summary>
    public Task<SentTransaction> SendRefundAsync(
        TransactionSender from, SwapTerms terms, BigInteger? gasLimit = null, Eip1559Fees? fees = null, CancellationToken ct = default) =>
        from.SendAsync(ContractAddress, 0, RefundCallData(terms), gasLimit, fees, ct);

    public byte[] ClaimCallData(SwapTerms terms, byte[] preimage) => new ClaimFunction
    {
        // The length is not checked here: the contract's own PreimageLength check is what tests reach.
        Preimage = preimage, Amount = terms.Amount, Token = terms.Token,
        ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
    }.GetCallData();

    public byte[] RefundCallData(SwapTerms terms) => new RefundFunction
    {
        HashLock = terms.HashLock, Amount = terms.Amount, Token = terms.Token,
        ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
    }.GetCallData();

    /// <summary>Whether a swap with this id is locked and neither claimed nor refunded.</summary>
    public Task<bool> IsOpenAsync(byte[] swapId) =>
        Web3.Eth.GetContractQueryHandler<SwapsFunction>().QueryAsync<bool>(ContractAddress, new SwapsFunction { SwapId = swapId });

    /// <summary>The contract's own id computation, to check <see cref="SwapTerms.SwapId"/> against.</summary>
    public Task<byte[]> SwapIdOfAsync(SwapTerms terms) =>
        Web3.Eth.GetContractQueryHandler<SwapIdOfFunction>().QueryAsync<byte[]>(ContractAddress, new SwapIdOfFunction
        {
            HashLock = terms.HashLock, Amount = terms.Amount, Token = terms.Token,
            ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
        });

    private async Task<TransactionReceipt> SendAndWaitAsync(
        TransactionSender from, byte[] data, BigInteger value, BigInteger? gasLimit, CancellationToken ct)
    {
        var sent = await from.SendAsync(ContractAddress, value, data, gasLimit, ct: ct);
        return await from.WaitForReceiptAsync(sent.Hash, DefaultReceiptTimeout, ct);
    }

    private LockResult ReadLock(TransactionReceipt receipt)
    {
        var locked = receipt.DecodeAllEvents<LockedEventDto>()
            .Single(e => string.Equals(e.Log.Address, ContractAddress, StringComparison.OrdinalIgnoreCase)).Event;
        var terms = new SwapTerms(locked.HashLock, locked.Amount, locked.Token, locked.ClaimAddress, locked.RefundAddress, locked.Timeout);
        return new LockResult(locked.SwapId, terms, receipt);
    }
}

/// <summary>A confirmed lock: the id and terms read back from its Locked event.</summary>
public sealed record LockResult(byte[] SwapId, SwapTerms Terms, TransactionReceipt Receipt)
{
    public string SwapIdHex => SwapId.ToHex(true);
}
