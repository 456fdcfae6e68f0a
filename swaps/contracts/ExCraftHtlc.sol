// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title ExCraft hash-time-locked contract for ETH and ERC20 tokens (SPEC section 9).
/// @notice A swap is not stored as a struct: only the keccak256 of its parameters (hash lock,
/// amount, token, claim address, refund address, timeout) is kept, so each swap costs one
/// storage slot. Claim and refund take the parameters again and recompute the id.
/// The timeout is a block timestamp (unix seconds): claim works while block.timestamp < timeout,
/// refund once block.timestamp >= timeout, so exactly one of them is possible at any block.
/// token == address(0) means ETH.
contract ExCraftHtlc {
    /// @notice swap id => true while the swap is locked and neither claimed nor refunded.
    mapping(bytes32 => bool) public swaps;

    /// @dev Guards lockToken: a token that re-entered it during transferFrom would otherwise
    /// have its inner deposit counted twice by the outer balance difference.
    bool transient private entered;

    event Locked(
        bytes32 indexed swapId,
        bytes32 indexed hashLock,
        address indexed claimAddress,
        address token,
        uint256 amount,
        address refundAddress,
        uint256 timeout
    );
    event Claimed(bytes32 indexed swapId, bytes32 indexed hashLock, bytes32 preimage);
    event Refunded(bytes32 indexed swapId, bytes32 indexed hashLock);

    error ZeroAmount();
    error ZeroAddress();
    error TimeoutInPast();
    error SwapExists();
    error SwapNotFound();
    error PreimageLength();
    error TimeoutPassed();
    error TimeoutNotReached();
    error NotAToken();
    error TransferFailed();
    error Reentered();

    /// @notice Locks msg.value ETH.
    function lock(bytes32 hashLock, address claimAddress, address refundAddress, uint256 timeout)
        external
        payable
        returns (bytes32 swapId)
    {
        swapId = _open(hashLock, msg.value, address(0), claimAddress, refundAddress, timeout);
    }

    /// @notice Locks ERC20 tokens taken with transferFrom (approve this contract first). The amount
    /// recorded is what the contract's balance actually grew by (fee-on-transfer tokens).
    function lockToken(
        bytes32 hashLock,
        address token,
        uint256 amount,
        address claimAddress,
        address refundAddress,
        uint256 timeout
    ) external returns (bytes32 swapId) {
        if (entered) revert Reentered();
        entered = true;
        if (token.code.length == 0) revert NotAToken();
        uint256 before = _balanceOf(token);
        _callToken(token, abi.encodeWithSelector(0x23b872dd, msg.sender, address(this), amount));
        uint256 received = _balanceOf(token) - before;
        swapId = _open(hashLock, received, token, claimAddress, refundAddress, timeout);
        entered = false;
    }

    /// @notice Pays the swap to its claim address. Anyone may submit it; the preimage must be
    /// exactly 32 bytes (as on Bitcoin and ExCraft) and its sha256 the hash lock.
    function claim(
        bytes calldata preimage,
        uint256 amount,
        address token,
        address claimAddress,
        address refundAddress,
        uint256 timeout
    ) external {
        if (preimage.length != 32) revert PreimageLength();
        if (block.timestamp >= timeout) revert TimeoutPassed();
        bytes32 hashLock = sha256(preimage);
        bytes32 swapId = _close(hashLock, amount, token, claimAddress, refundAddress, timeout);
        emit Claimed(swapId, hashLock, bytes32(preimage));
        _pay(token, claimAddress, amount);
    }

    /// @notice Pays the swap back to its refund address once the timeout is reached. Anyone may
    /// submit it.
    function refund(
        bytes32 hashLock,
        uint256 amount,
        address token,
        address claimAddress,
        address refundAddress,
        uint256 timeout
    ) external {
        if (block.timestamp < timeout) revert TimeoutNotReached();
        bytes32 swapId = _close(hashLock, amount, token, claimAddress, refundAddress, timeout);
        emit Refunded(swapId, hashLock);
        _pay(token, refundAddress, amount);
    }

    /// @notice The id under which a swap with these parameters is stored.
    function swapIdOf(
        bytes32 hashLock,
        uint256 amount,
        address token,
        address claimAddress,
        address refundAddress,
        uint256 timeout
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(hashLock, amount, token, claimAddress, refundAddress, timeout));
    }

    function _open(
        bytes32 hashLock,
        uint256 amount,
        address token,
        address claimAddress,
        address refundAddress,
        uint256 timeout
    ) private returns (bytes32 swapId) {
        if (amount == 0) revert ZeroAmount();
        if (claimAddress == address(0) || refundAddress == address(0)) revert ZeroAddress();
        if (timeout <= block.timestamp) revert TimeoutInPast();
        swapId = swapIdOf(hashLock, amount, token, claimAddress, refundAddress, timeout);
        if (swaps[swapId]) revert SwapExists();
        swaps[swapId] = true;
        emit Locked(swapId, hashLock, claimAddress, token, amount, refundAddress, timeout);
    }

    /// @dev Deletes the swap before any transfer, so a re-entering recipient finds nothing.
    function _close(
        bytes32 hashLock,
        uint256 amount,
        address token,
        address claimAddress,
        address refundAddress,
        uint256 timeout
    ) private returns (bytes32 swapId) {
        swapId = swapIdOf(hashLock, amount, token, claimAddress, refundAddress, timeout);
        if (!swaps[swapId]) revert SwapNotFound();
        delete swaps[swapId];
    }

    function _pay(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            // A plain call forwards all gas: contract wallets need more than transfer's 2,300.
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert TransferFailed();
        } else {
            _callToken(token, abi.encodeWithSelector(0xa9059cbb, to, amount));
        }
    }

    /// @dev Calls a token and accepts either no return data (older tokens such as USDT) or an
    /// ABI-encoded true.
    function _callToken(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length != 0 && (ret.length != 32 || abi.decode(ret, (uint256)) != 1))) {
            revert TransferFailed();
        }
    }

    function _balanceOf(address token) private view returns (uint256) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSelector(0x70a08231, address(this)));
        if (!ok || ret.length != 32) revert NotAToken();
        return abi.decode(ret, (uint256));
    }
}
