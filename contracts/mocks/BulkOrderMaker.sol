// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IPointsExchange} from "../interfaces/IPointsExchange.sol";

/// @title BulkOrderMaker
/// @notice Test-only maker that opens many identical orders in one transaction, to fill an exchange's book fast.
contract BulkOrderMaker {
    /// @notice Opens `count` orders selling `sellAmount` of `sellToken` (which this contract must hold) each.
    function createOrders(
        IPointsExchange exchange,
        address sellToken,
        address buyToken,
        uint112 sellAmount,
        uint112 buyAmount,
        uint32 expiresAt,
        uint256 count
    ) external {
        IERC20(sellToken).approve(address(exchange), type(uint256).max);
        for (uint256 i; i < count; ++i) {
            exchange.createOrder(sellToken, buyToken, sellAmount, buyAmount, expiresAt);
        }
    }
}
