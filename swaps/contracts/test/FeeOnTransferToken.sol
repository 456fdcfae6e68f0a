// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestTokenBase} from "./TestTokenBase.sol";

/// @notice An ERC20 that burns 1% of every transfer, so the receiver gets less than was sent.
contract FeeOnTransferToken is TestTokenBase {
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount, amount / 100);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _spendAllowance(from, amount);
        _move(from, to, amount, amount / 100);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        _approve(spender, amount);
        return true;
    }
}
