// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title CloneArgs
/// @notice Reads the immutable arguments of the calling EIP-1167 clone (OpenZeppelin `Clones` with immutable
/// arguments: 45 bytes of proxy code followed by the arguments) straight from its code, without copying them all
/// into memory the way `Clones.fetchCloneArgs` does: the hot paths read one address.
library CloneArgs {
    /// @notice The address packed at byte `offset` of the calling clone's arguments.
    function addressAt(uint256 offset) internal view returns (address value) {
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, add(45, offset), 20)
            value := shr(96, mload(0x00))
        }
    }
}
