// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IMulticall3
/// @notice The `aggregate3` batch read that viem and wagmi use when a chain declares a `multicall3` contract. On
/// public chains the canonical Multicall3 is already deployed; the local chain gets this one, so a page that reads
/// fifty balances does it in one JSON-RPC request there too.
interface IMulticall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Call `index` failed and did not allow failure; `returnData` is its revert data.
    error Multicall3CallFailed(uint256 index, bytes returnData);

    /// @notice Calls every target in order and returns each outcome.
    /// @param calls Target, whether its failure is tolerated, and calldata of each call.
    /// @return results Success and return (or revert) data of each call.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results);

    /// @notice The current block number, for callers that batch it with their reads.
    function getBlockNumber() external view returns (uint256);

    /// @notice The current block's timestamp.
    function getCurrentBlockTimestamp() external view returns (uint256);

    /// @notice The ETH balance of `account` (viem's getBalance asks this when a chain declares a Multicall3).
    function getEthBalance(address account) external view returns (uint256);
}
