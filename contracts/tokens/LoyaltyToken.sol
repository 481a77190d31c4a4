// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "solady/src/tokens/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ICampaign} from "../interfaces/ICampaign.sol";
import {ILoyaltyToken} from "../interfaces/ILoyaltyToken.sol";

/// @title LoyaltyToken
/// @notice One brand's points. Deployed as a full contract, not a proxy: a token is created once and
/// transferred forever, and a proxy would add a delegatecall to every transfer. Solady's ERC-20 is the base
/// because it measured cheapest for both transfers and deployment (see the gas benchmark); its behaviour is
/// the plain ERC-20 + EIP-2612 one, with Solady's automatic Permit2 allowance switched off.
/// Balances and the total supply are this contract's own (Solady's allowances, nonces and permit are used as they
/// are): each balance takes the low 112 bits of its storage slot and a campaign record the upper 144 (see
/// `recordOf`), so a wallet's first claim in a campaign with tiers writes one new slot instead of two.
contract LoyaltyToken is ERC20, Ownable, ILoyaltyToken {
    /// Balance slot of `account`: keccak256 of the 20 address bytes, 8 zero bytes and this seed (Solady's scheme,
    /// with a seed of our own: `mstore(0x0c, seed)`, `mstore(0x00, account)`, `keccak256(0x0c, 0x20)`).
    uint256 private constant _BALANCE_SLOT_SEED = 0x9b3a1e07;
    /// The total supply's slot: far above the contract's sequential slots, and short, so that it is one PUSH9 (a
    /// 32-byte constant would be copied from the code); no mapping entry (a keccak256 output) will land on it.
    uint256 private constant _TOTAL_SUPPLY_SLOT = 0x7c1f0a3e9d4b28e6c5;
    /// The largest balance and total supply: the slot's upper 144 bits hold the campaign record.
    uint256 private constant _BALANCE_MASK = 0xffffffffffffffffffffffffffff; // 2^112 - 1
    /// keccak256("Transfer(address,address,uint256)")
    uint256 private constant _TRANSFER_EVENT = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef;

    /// @inheritdoc ILoyaltyToken
    address public immutable factory;

    /// Hash of the name, cached for EIP-712: the name never changes after deployment.
    bytes32 private immutable _nameHash;

    /// Campaign implementation whose clones may mint this token (see `_isOwnCampaign`).
    address private immutable _campaignImplementation;

    string private _name;
    string private _symbol;
    string private _metadataURI;
    uint256 private _faceValue;
    mapping(address account => bool) private _minters;

    /// @param name_ Token name, e.g. "Alpha Coffee Beans".
    /// @param symbol_ Ticker, e.g. "BEAN".
    /// @param owner_ The merchant; it may mint and chooses the token's minters.
    /// @param faceValue_ Millionths of the reference currency per whole point (0 for none).
    /// @param metadataURI_ URI of the logo and description document.
    /// @param campaignImplementation_ The factory's campaign implementation (zero for none).
    constructor(
        string memory name_,
        string memory symbol_,
        address owner_,
        uint256 faceValue_,
        string memory metadataURI_,
        address campaignImplementation_
    ) Ownable(owner_) {
        factory = msg.sender;
        _campaignImplementation = campaignImplementation_;
        _nameHash = keccak256(bytes(name_));
        _name = name_;
        _symbol = symbol_;
        _faceValue = faceValue_;
        _metadataURI = metadataURI_;
    }

    function name() public view override returns (string memory) {
        return _name;
    }

    function symbol() public view override returns (string memory) {
        return _symbol;
    }

    /// @inheritdoc ILoyaltyToken
    function isMinter(address account) external view returns (bool) {
        // A clone of our campaign that nobody activated cannot mint (it refuses to issue), so it is not reported as a
        // minter; asking it is safe, as its code is our own implementation's.
        if (_isOwnCampaign(account)) return ICampaign(account).isActive();
        return account == owner() || _minters[account];
    }

    /// @inheritdoc ILoyaltyToken
    function faceValue() external view returns (uint256) {
        return _faceValue;
    }

    /// @inheritdoc ILoyaltyToken
    function metadataURI() external view returns (string memory) {
        return _metadataURI;
    }

    /// @inheritdoc ILoyaltyToken
    function mint(address to, uint256 amount) external {
        // Campaigns first: they mint on every claim, and recognising them costs no storage read.
        if (!_isOwnCampaign(msg.sender) && msg.sender != owner() && !_minters[msg.sender]) {
            revert LoyaltyTokenUnauthorizedMinter(msg.sender);
        }
        if (to == address(0)) revert LoyaltyTokenInvalidReceiver(to);
        _mint(to, amount);
    }

    /// @inheritdoc ILoyaltyToken
    function mintWithRecord(address to, uint256 amount, uint256 record) external {
        if (!_isOwnCampaign(msg.sender)) revert LoyaltyTokenUnauthorizedMinter(msg.sender);
        if (to == address(0)) revert LoyaltyTokenInvalidReceiver(to);
        uint256 holder = record >> 112;
        if (holder == 0 || holder >> 32 != 0) revert LoyaltyTokenInvalidRecord(record);
        _mint(to, amount);
        // Then the record, in the slot the mint just wrote (warm): the record-free mint stays as cheap as it can be.
        bytes32 slot = _balanceSlot(to);
        assembly ("memory-safe") {
            sstore(slot, or(shl(112, record), and(sload(slot), _BALANCE_MASK)))
        }
    }

    /// @inheritdoc ILoyaltyToken
    function recordOf(address account) external view returns (uint256 record) {
        bytes32 slot = _balanceSlot(account);
        assembly ("memory-safe") {
            record := shr(112, sload(slot))
        }
    }

    function totalSupply() public view override returns (uint256 result) {
        assembly ("memory-safe") {
            result := sload(_TOTAL_SUPPLY_SLOT)
        }
    }

    function balanceOf(address account) public view override returns (uint256 result) {
        assembly ("memory-safe") {
            mstore(0x0c, _BALANCE_SLOT_SEED)
            mstore(0x00, account)
            result := and(sload(keccak256(0x0c, 0x20)), _BALANCE_MASK)
        }
    }

    /// Points sent to the zero address would be lost yet still counted in the supply (and in a merchant's
    /// liability): refused, as OpenZeppelin's ERC-20 does. `burn` is the way to destroy points.
    function transfer(address to, uint256 amount) public override returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        _spendAllowance(from, msg.sender, amount);
        _transfer(from, to, amount);
        return true;
    }

    /// @inheritdoc ILoyaltyToken
    function burn(uint256 amount) external {
        _burn(msg.sender, amount);
    }

    /// @inheritdoc ILoyaltyToken
    function burnFrom(address account, uint256 amount) external {
        _spendAllowance(account, msg.sender, amount);
        _burn(account, amount);
    }

    /// @inheritdoc ILoyaltyToken
    function setMinter(address minter, bool allowed) external {
        if (msg.sender != owner() && msg.sender != factory) revert LoyaltyTokenUnauthorizedAccount(msg.sender);
        if (minter == address(0)) revert LoyaltyTokenInvalidMinter(minter);
        // A "stopped" event for a campaign would be a lie: it keeps minting, because it is recognised by its code.
        if (_isOwnCampaign(minter)) revert LoyaltyTokenCampaignMinter(minter);
        _minters[minter] = allowed;
        emit MinterSet(minter, allowed);
    }

    /// @inheritdoc ILoyaltyToken
    function setFaceValue(uint256 newFaceValue) external onlyOwner {
        _faceValue = newFaceValue;
        emit FaceValueSet(newFaceValue);
    }

    /// @inheritdoc ILoyaltyToken
    function setMetadataURI(string calldata newMetadataURI) external onlyOwner {
        _metadataURI = newMetadataURI;
        emit MetadataURISet(newMetadataURI);
    }

    /// Whether `account` is a clone of the campaign implementation whose rules name this token. Anyone can deploy
    /// such a clone, with any rules and issuer keys, but it mints only once activated, and only the factory (when it
    /// creates the campaign for this token's owner) or this token's owner can activate it (Campaign.activate; every
    /// issuance path refuses an inactive clone with CampaignNotActive). So a clone can mint only after the factory
    /// or the token's owner activated it, which makes recognising it by its code as safe as a minter list, and saves
    /// a cold storage read on every claim (the campaign's activation flag shares the status slot its claims read
    /// anyway). `isMinter` adds the activation check, so it names only the clones that can really mint.
    /// The code of an EIP-1167 clone with immutable arguments is 45 bytes of proxy naming the implementation,
    /// followed by the arguments, which start with the token address (see CampaignRules).
    function _isOwnCampaign(address account) private view returns (bool result) {
        address implementation = _campaignImplementation;
        if (implementation == address(0)) return false;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            extcodecopy(account, ptr, 0, 65)
            result := and(
                and(
                    eq(shr(176, mload(ptr)), 0x363d3d373d3d3d363d73),
                    eq(shr(96, mload(add(ptr, 10))), implementation)
                ),
                and(
                    eq(shr(136, mload(add(ptr, 30))), 0x5af43d82803e903d91602b57fd5bf3),
                    eq(shr(96, mload(add(ptr, 45))), address())
                )
            )
        }
    }

    // ---------------------------------------------------------------- balances
    //
    // Solady's balance and supply functions are all replaced: they would read the campaign record as balance.

    function _mint(address to, uint256 amount) internal override {
        assembly ("memory-safe") {
            let supply := add(sload(_TOTAL_SUPPLY_SLOT), amount)
            // Above 2^112 - 1 (the sum, or the amount when the sum wrapped around).
            if shr(112, or(supply, amount)) {
                mstore(0x00, 0xe5cfe957) // TotalSupplyOverflow()
                revert(0x1c, 0x04)
            }
            sstore(_TOTAL_SUPPLY_SLOT, supply)
            mstore(0x0c, _BALANCE_SLOT_SEED)
            mstore(0x00, to)
            let slot := keccak256(0x0c, 0x20)
            sstore(slot, add(sload(slot), amount))
            mstore(0x00, amount)
            log3(0x00, 0x20, _TRANSFER_EVENT, 0, to)
        }
    }

    function _burn(address from, uint256 amount) internal override {
        assembly ("memory-safe") {
            mstore(0x0c, _BALANCE_SLOT_SEED)
            mstore(0x00, from)
            let slot := keccak256(0x0c, 0x20)
            let word := sload(slot)
            if gt(amount, and(word, _BALANCE_MASK)) {
                mstore(0x00, 0xf4d678b8) // InsufficientBalance()
                revert(0x1c, 0x04)
            }
            sstore(slot, sub(word, amount))
            // No underflow: the supply is the sum of the balances.
            sstore(_TOTAL_SUPPLY_SLOT, sub(sload(_TOTAL_SUPPLY_SLOT), amount))
            mstore(0x00, amount)
            log3(0x00, 0x20, _TRANSFER_EVENT, from, 0)
        }
    }

    /// Moves `amount` from `from` to `to`, leaving both campaign records as they are. Points sent to the zero address
    /// would be lost yet still counted in the supply (and in a merchant's liability): refused, as OpenZeppelin's
    /// ERC-20 does. `burn` is the way to destroy points.
    function _transfer(address from, address to, uint256 amount) internal override {
        assembly ("memory-safe") {
            if iszero(to) {
                mstore(0x00, 0xa8c7cfc5) // LoyaltyTokenInvalidReceiver(address)
                mstore(0x20, 0)
                revert(0x1c, 0x24)
            }
            mstore(0x0c, _BALANCE_SLOT_SEED)
            mstore(0x00, from)
            let fromSlot := keccak256(0x0c, 0x20)
            let fromWord := sload(fromSlot)
            if gt(amount, and(fromWord, _BALANCE_MASK)) {
                mstore(0x00, 0xf4d678b8) // InsufficientBalance()
                revert(0x1c, 0x04)
            }
            sstore(fromSlot, sub(fromWord, amount))
            mstore(0x00, to)
            let toSlot := keccak256(0x0c, 0x20)
            // No overflow into the record: the balance is at most the total supply, at most 2^112 - 1.
            sstore(toSlot, add(sload(toSlot), amount))
            mstore(0x20, amount)
            log3(0x20, 0x20, _TRANSFER_EVENT, from, to)
        }
    }

    function _balanceSlot(address account) private pure returns (bytes32 slot) {
        assembly ("memory-safe") {
            mstore(0x0c, _BALANCE_SLOT_SEED)
            mstore(0x00, account)
            slot := keccak256(0x0c, 0x20)
        }
    }

    function _constantNameHash() internal view override returns (bytes32) {
        return _nameHash;
    }

    /// Permit2 gets no allowance it was not given: an exchange-ready token has no special spender.
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }
}
