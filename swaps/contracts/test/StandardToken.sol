// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestTokenBase} from "./TestTokenBase.sol";

/// @notice An ERC20 that returns true from transfer, transferFrom and approve.
contract StandardToken is TestTokenBase {
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount, 0);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _spendAllowance(from, amount);
        _move(from, to, amount, 0);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        _approve(spender, amount);
        return true;
    }
}
