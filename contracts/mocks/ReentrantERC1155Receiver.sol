// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";

/// @title ReentrantERC1155Receiver
/// @notice Test-only wallet contract that accepts ERC-1155 tokens and, once armed, calls `target` with `data` from
/// inside its next `onERC1155Received`, as a malicious customer contract would re-enter a catalog while its voucher
/// is being minted. Reverts are bubbled up, so a test can assert the exact error the re-entered contract gave.
contract ReentrantERC1155Receiver is IERC1155Receiver {
    address private _target;
    bytes private _data;

    /// @notice Arms the callback for the next ERC-1155 receipt.
    function arm(address target, bytes calldata data) external {
        _target = target;
        _data = data;
    }

    /// @notice Calls `target` with `data` as this wallet (to approve a catalog or redeem), bubbling any revert.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        return _call(target, data);
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        address target = _target;
        if (target != address(0)) {
            _target = address(0);
            _call(target, _data);
        }
        return IERC1155Receiver.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        pure
        returns (bytes4)
    {
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    function _call(address target, bytes memory data) private returns (bytes memory result) {
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
