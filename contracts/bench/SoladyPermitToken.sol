// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "solady/src/tokens/ERC20.sol";
import {Ownable} from "solady/src/auth/Ownable.sol";

/// @title SoladyPermitToken
/// @notice Gas-benchmark reference only (scripts/bench/gas.ts): a minimal Solady ERC-20 (EIP-2612 permit built
/// in) with an owner-only mint and the name hash cached, as Solady recommends. Never deployed for real.
contract SoladyPermitToken is ERC20, Ownable {
    bytes32 private immutable _nameHash;
    string private _name;
    string private _symbol;

    constructor(string memory name_, string memory symbol_, address owner_) {
        _initializeOwner(owner_);
        _nameHash = keccak256(bytes(name_));
        _name = name_;
        _symbol = symbol_;
    }

    function name() public view override returns (string memory) {
        return _name;
    }

    function symbol() public view override returns (string memory) {
        return _symbol;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    function _constantNameHash() internal view override returns (bytes32) {
        return _nameHash;
    }

    /// Like LoyaltyToken: no automatic Permit2 allowance, so both tokens do the same work.
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }
}
