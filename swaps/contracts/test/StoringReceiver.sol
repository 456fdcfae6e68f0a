// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A contract wallet whose receive() writes storage, which costs far more than the
/// 2,300 gas that Solidity's transfer() forwards: it can be paid only by a plain call.
contract StoringReceiver {
    uint256 public received;

    receive() external payable {
        received += msg.value;
    }
}
