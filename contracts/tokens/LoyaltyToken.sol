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
contract LoyaltyToken is ERC20, Ownable, ILoyaltyToken {
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

    /// Points sent to the zero address would be lost yet still counted in the supply (and in a merchant's
    /// liability): refused, as OpenZeppelin's ERC-20 does. `burn` is the way to destroy points.
    function transfer(address to, uint256 amount) public override returns (bool) {
        if (to == address(0)) revert LoyaltyTokenInvalidReceiver(to);
        return super.transfer(to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        if (to == address(0)) revert LoyaltyTokenInvalidReceiver(to);
        return super.transferFrom(from, to, amount);
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

    function _constantNameHash() internal view override returns (bytes32) {
        return _nameHash;
    }

    /// Permit2 gets no allowance it was not given: an exchange-ready token has no special spender.
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }
}
