// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMulticall3} from "../interfaces/IMulticall3.sol";

/// @title Multicall3
/// @notice Batch calls with the `aggregate3` interface of the canonical Multicall3, for chains without one (the
/// local demo chain).
contract Multicall3 is IMulticall3 {
    /// @inheritdoc IMulticall3
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results) {
        results = new Result[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = calls[i].target.call(calls[i].callData);
            if (!success && !calls[i].allowFailure) revert Multicall3CallFailed(i, returnData);
            results[i] = Result(success, returnData);
        }
    }

    /// @inheritdoc IMulticall3
    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }

    /// @inheritdoc IMulticall3
    function getCurrentBlockTimestamp() external view returns (uint256) {
        return block.timestamp;
    }

    /// @inheritdoc IMulticall3
    function getEthBalance(address account) external view returns (uint256) {
        return account.balance;
    }
}
