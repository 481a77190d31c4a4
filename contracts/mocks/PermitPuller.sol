// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title PermitPuller
/// @notice Test-only stand-in for any third-party contract that takes EIP-2612 permits (a DEX router, a vault): it
/// knows only the standard interfaces, nothing of Perks.
contract PermitPuller {
    using SafeERC20 for IERC20;

    /// @notice Spends `owner`'s signed permit and pulls `amount` to the caller in the same transaction.
    function pull(IERC20 token, address owner, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        IERC20Permit(address(token)).permit(owner, address(this), amount, deadline, v, r, s);
        token.safeTransferFrom(owner, msg.sender, amount);
    }
}
