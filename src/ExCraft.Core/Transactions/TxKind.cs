namespace ExCraft.Core.Transactions;

/// <summary>The numeric kind that selects a transaction's payload layout (docs/spec/transactions.md).</summary>
public enum TxKind : byte
{
    Transfer = 1,
    IssueAsset = 2,
    Register = 3,
    CreateValidator = 10,
    EditValidator = 11,
    Delegate = 12,
    Undelegate = 13,
    Redelegate = 14,
    Unjail = 15,
    SubmitEvidence = 16,
    PlaceOrder = 20,
    CancelOrder = 21,
    CancelAll = 22,
    AmendOrder = 23,
    SetCancelDeadline = 24,
    BatchOrders = 25,
    AuthorizeAgent = 26,
    RevokeAgent = 27,
    AgentAction = 28,
    ListMarket = 30,
    UpdateMarket = 31,
    HaltMarket = 32,
    HtlcLock = 80,
    HtlcClaim = 81,
    HtlcRefund = 82,
}
