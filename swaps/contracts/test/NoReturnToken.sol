// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestTokenBase} from "./TestTokenBase.sol";

/// @notice An ERC20 whose transfer, transferFrom and approve return nothing, as USDT's do.
contract NoReturnToken is TestTokenBase {
    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount, 0);
    }

    function transferFrom(address from, address to, uint256 amount) external {
        _spendAllowance(from, amount);
        _move(from, to, amount, 0);
    }

    function approve(address spender, uint256 amount) external {
        _approve(spender, amount);
    }
}
