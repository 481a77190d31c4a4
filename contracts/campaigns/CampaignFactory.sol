// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ICampaign} from "../interfaces/ICampaign.sol";
import {ICampaignFactory} from "../interfaces/ICampaignFactory.sol";
import {IRewardCatalog} from "../interfaces/IRewardCatalog.sol";
import {CampaignRules} from "../libraries/CampaignRules.sol";
import {LoyaltyToken} from "../tokens/LoyaltyToken.sol";

/// @title CampaignFactory
/// @notice Deploys brand tokens, campaign clones and reward catalog clones for merchants and lists them.
/// @dev Salts are hashed with the caller's address: a front-runner who copies a merchant's transaction deploys to
/// a different address and cannot squat the one the merchant's dApp showed. The catalog implementation is deployed
/// beforehand and passed in: deploying it here too would take the factory's init code past the EIP-3860 limit.
contract CampaignFactory is ICampaignFactory {
    uint256 private constant _CHANNEL_MASK = 0x07;
    uint16 private constant _BPS = 10_000;

    /// @inheritdoc ICampaignFactory
    address public immutable campaignImplementation;
    /// @inheritdoc ICampaignFactory
    address public immutable catalogImplementation;

    address[] private _tokens;
    address[] private _campaigns;
    mapping(address merchant => address[]) private _tokensOf;
    mapping(address merchant => address[]) private _campaignsOf;
    mapping(address token => bool) private _isToken;
    mapping(address campaign => bool) private _isCampaign;
    mapping(address merchant => address) private _catalogOf;
    mapping(address catalog => bool) private _isCatalog;
    /// Bit `serial & 255` of word `serial >> 8` is set once the campaign numbered `serial` retired.
    mapping(uint256 word => uint256 bits) private _retired;

    /// @param catalogImplementation_ A RewardCatalog implementation (which names its voucher implementation).
    /// @param catalogImplementation_ The RewardCatalog implementation catalogs are cloned from.
    /// @param campaignCreationCode The Campaign contract's creation code: the factory deploys the implementation
    /// itself (it must name this factory), from code compiled on its own. Embedding it would compile the Campaign
    /// with this file's optimizer settings, tuned for a small token creation code rather than cheap claims.
    constructor(address catalogImplementation_, bytes memory campaignCreationCode) {
        bytes memory initCode = bytes.concat(campaignCreationCode, abi.encode(address(this)));
        address implementation;
        assembly ("memory-safe") {
            implementation := create(0, add(initCode, 0x20), mload(initCode))
        }
        if (implementation.code.length == 0 || !_namesThisFactory(implementation)) {
            revert CampaignFactoryInvalidCampaignCode();
        }
        campaignImplementation = implementation;
        catalogImplementation = catalogImplementation_;
    }

    // ---------------------------------------------------------------- creation

    /// @inheritdoc ICampaignFactory
    function createToken(TokenParams calldata params, bytes32 salt) external returns (address) {
        return _createToken(params, salt);
    }

    /// @inheritdoc ICampaignFactory
    function createCampaign(CampaignParams calldata params, bytes32 salt) external returns (address) {
        if (!_isToken[params.token]) revert CampaignFactoryUnknownToken(params.token);
        if (Ownable(params.token).owner() != msg.sender) revert CampaignFactoryNotTokenOwner(params.token, msg.sender);
        return _createCampaign(params, params.token, salt);
    }

    /// @inheritdoc ICampaignFactory
    function createTokenAndCampaign(TokenParams calldata tokenParams, CampaignParams calldata campaignParams, bytes32 salt)
        external
        returns (address token, address campaign)
    {
        token = _createToken(tokenParams, salt);
        campaign = _createCampaign(campaignParams, token, salt);
    }

    /// @inheritdoc ICampaignFactory
    function createCatalog(address token, address treasury) external returns (address catalog) {
        if (!_isToken[token]) revert CampaignFactoryUnknownToken(token);
        if (Ownable(token).owner() != msg.sender) revert CampaignFactoryNotTokenOwner(token, msg.sender);
        address existing = _catalogOf[msg.sender];
        if (existing != address(0)) revert CampaignFactoryCatalogExists(msg.sender, existing);
        catalog = Clones.cloneDeterministicWithImmutableArgs(
            catalogImplementation, _catalogArgs(token), _salt(msg.sender, bytes32(0))
        );
        _catalogOf[msg.sender] = catalog;
        _isCatalog[catalog] = true;
        IRewardCatalog(catalog).initialize(treasury);
        emit CatalogCreated(msg.sender, token, catalog, IRewardCatalog(catalog).voucher(), treasury);
    }

    // ---------------------------------------------------------------- prediction

    /// @inheritdoc ICampaignFactory
    function predictTokenAddress(address merchant, TokenParams calldata params, bytes32 salt)
        external
        view
        returns (address)
    {
        bytes32 initCodeHash = keccak256(
            bytes.concat(
                type(LoyaltyToken).creationCode,
                abi.encode(
                    params.name, params.symbol, merchant, params.faceValue, params.metadataURI, campaignImplementation
                )
            )
        );
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), _salt(merchant, salt), initCodeHash))))
        );
    }

    /// @inheritdoc ICampaignFactory
    function predictCampaignAddress(address merchant, CampaignParams calldata params, bytes32 salt)
        external
        view
        returns (address)
    {
        return Clones.predictDeterministicAddressWithImmutableArgs(
            campaignImplementation, _packRules(params, params.token), _salt(merchant, salt)
        );
    }

    /// @inheritdoc ICampaignFactory
    function predictCatalogAddress(address merchant, address token) external view returns (address) {
        return Clones.predictDeterministicAddressWithImmutableArgs(
            catalogImplementation, _catalogArgs(token), _salt(merchant, bytes32(0))
        );
    }

    // ---------------------------------------------------------------- registry

    /// @inheritdoc ICampaignFactory
    function isToken(address token) external view returns (bool) {
        return _isToken[token];
    }

    /// @inheritdoc ICampaignFactory
    function isCampaign(address campaign) external view returns (bool) {
        return _isCampaign[campaign];
    }

    /// @inheritdoc ICampaignFactory
    function retire(uint32 serial) external {
        // The campaign's own code decides when (it has ended) and passes its own number (ICampaign.retire).
        if (!_isCampaign[msg.sender]) revert CampaignFactoryUnknownCampaign(msg.sender);
        if (isRetired(serial)) return;
        _retired[serial >> 8] |= 1 << (serial & 0xff);
        emit CampaignRetired(msg.sender, serial);
    }

    /// @inheritdoc ICampaignFactory
    function isRetired(uint256 serial) public view returns (bool) {
        return (_retired[serial >> 8] >> (serial & 0xff)) & 1 == 1;
    }

    /// @inheritdoc ICampaignFactory
    function isCatalog(address catalog) external view returns (bool) {
        return _isCatalog[catalog];
    }

    /// @inheritdoc ICampaignFactory
    function catalogOf(address merchant) external view returns (address) {
        return _catalogOf[merchant];
    }

    /// @inheritdoc ICampaignFactory
    function tokens(uint256 offset, uint256 limit) external view returns (address[] memory, uint256) {
        return _page(_tokens, offset, limit);
    }

    /// @inheritdoc ICampaignFactory
    function tokensOf(address merchant, uint256 offset, uint256 limit) external view returns (address[] memory, uint256) {
        return _page(_tokensOf[merchant], offset, limit);
    }

    /// @inheritdoc ICampaignFactory
    function campaigns(uint256 offset, uint256 limit) external view returns (address[] memory, uint256) {
        return _page(_campaigns, offset, limit);
    }

    /// @inheritdoc ICampaignFactory
    function campaignsOf(address merchant, uint256 offset, uint256 limit)
        external
        view
        returns (address[] memory, uint256)
    {
        return _page(_campaignsOf[merchant], offset, limit);
    }

    // ---------------------------------------------------------------- internals

    function _createToken(TokenParams calldata params, bytes32 salt) private returns (address token) {
        try new LoyaltyToken{salt: _salt(msg.sender, salt)}(
            params.name, params.symbol, msg.sender, params.faceValue, params.metadataURI, campaignImplementation
        ) returns (LoyaltyToken created) {
            token = address(created);
        } catch {
            revert CampaignFactoryTokenExists(msg.sender, salt);
        }
        _isToken[token] = true;
        _tokens.push(token);
        _tokensOf[msg.sender].push(token);
        emit TokenCreated(msg.sender, token, params.name, params.symbol, params.faceValue, params.metadataURI);
    }

    function _createCampaign(CampaignParams calldata params, address token, bytes32 salt)
        private
        returns (address campaign)
    {
        bytes memory packedRules = _packRules(params, token);
        campaign = Clones.cloneDeterministicWithImmutableArgs(campaignImplementation, packedRules, _salt(msg.sender, salt));
        // A clone issues nothing until activated (see ICampaign.activate): anyone can deploy one with any rules.
        // Numbered by its place in the registry: unique, so its records in the token are its own (ICampaign.serial).
        uint256 serial = _campaigns.length + 1;
        ICampaign(campaign).activate(serial <= type(uint32).max ? uint32(serial) : 0);
        _isCampaign[campaign] = true;
        _campaigns.push(campaign);
        _campaignsOf[msg.sender].push(campaign);
        // The first issuer keys are part of the rules (no storage write, no call); any beyond go in the mapping.
        for (uint256 i = CampaignRules.MAX_ISSUERS; i < params.issuers.length; ++i) {
            ICampaign(campaign).setIssuer(params.issuers[i], true);
        }
        emit CampaignCreated(msg.sender, token, campaign, packedRules, params.metadataURI, params.optionalDataFields);
    }

    /// Validates the campaign parameters and packs them as the clone's immutable arguments.
    function _packRules(CampaignParams calldata params, address token) private view returns (bytes memory) {
        if (params.endsAt <= params.startsAt || params.endsAt <= block.timestamp) {
            revert CampaignFactoryInvalidSchedule(params.startsAt, params.endsAt);
        }
        if (params.supplyCap == 0) revert CampaignFactoryZeroSupplyCap();
        if (params.channels == 0 || params.channels & ~_CHANNEL_MASK != 0) {
            revert CampaignFactoryInvalidChannels(params.channels);
        }
        if ((params.earnPoints == 0) != (params.earnSpend == 0)) {
            revert CampaignFactoryInvalidEarnRate(params.earnPoints, params.earnSpend);
        }
        _checkTiers(params);
        _checkMilestones(params.milestones);
        return CampaignRules.encode(
            ICampaign.Rules({
                token: token,
                startsAt: params.startsAt,
                endsAt: params.endsAt,
                supplyCap: params.supplyCap,
                maxPerClaim: params.maxPerClaim,
                earnPoints: params.earnPoints,
                earnSpend: params.earnSpend,
                channels: params.channels,
                tierPeriod: params.tierPeriod,
                tiers: params.tiers,
                milestones: params.milestones,
                issuers: _firstIssuers(params.issuers)
            })
        );
    }

    function _checkTiers(CampaignParams calldata params) private pure {
        ICampaign.Tier[] calldata tiers = params.tiers;
        if (tiers.length == 0) {
            if (params.tierPeriod != 0) revert CampaignFactoryTierPeriodWithoutTiers(params.tierPeriod);
            return;
        }
        if (params.tierPeriod == 0) revert CampaignFactoryTiersWithoutPeriod();
        if (tiers.length > type(uint8).max) revert CampaignFactoryInvalidTier(type(uint8).max);
        for (uint256 i; i < tiers.length; ++i) {
            bool valid = tiers[i].threshold != 0 && tiers[i].threshold <= CampaignRules.MAX_THRESHOLD
                && tiers[i].multiplierBps >= _BPS
                && (i == 0 || (tiers[i].threshold > tiers[i - 1].threshold && tiers[i].multiplierBps >= tiers[i - 1].multiplierBps));
            if (!valid) revert CampaignFactoryInvalidTier(i);
        }
    }

    function _checkMilestones(ICampaign.Milestone[] calldata milestones) private pure {
        if (milestones.length > type(uint8).max) revert CampaignFactoryInvalidMilestone(type(uint8).max);
        for (uint256 i; i < milestones.length; ++i) {
            bool valid = milestones[i].bonus != 0 && milestones[i].claimNumber != 0
                && milestones[i].claimNumber <= CampaignRules.MAX_CLAIM_NUMBER
                && (i == 0 || milestones[i].claimNumber > milestones[i - 1].claimNumber);
            if (!valid) revert CampaignFactoryInvalidMilestone(i);
        }
    }

    /// A catalog's immutable arguments: its token, then this factory (see RewardCatalog).
    function _catalogArgs(address token) private view returns (bytes memory) {
        return abi.encodePacked(token, address(this));
    }

    /// Whether `implementation` answers `factory()` with this factory (any other contract fails or answers else).
    function _namesThisFactory(address implementation) private view returns (bool) {
        try ICampaign(implementation).factory() returns (address named) {
            return named == address(this);
        } catch {
            return false;
        }
    }

    /// The issuer keys the rules hold: up to `CampaignRules.MAX_ISSUERS`.
    function _firstIssuers(address[] calldata issuers) private pure returns (address[] memory) {
        return issuers.length <= CampaignRules.MAX_ISSUERS ? issuers : issuers[:CampaignRules.MAX_ISSUERS];
    }

    function _salt(address merchant, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(merchant, salt));
    }

    function _page(address[] storage list, uint256 offset, uint256 limit)
        private
        view
        returns (address[] memory page, uint256 total)
    {
        total = list.length;
        if (offset >= total) return (new address[](0), total);
        // Cannot underflow: offset < total. Compared before adding, so a huge limit cannot overflow.
        uint256 size = limit < total - offset ? limit : total - offset;
        page = new address[](size);
        for (uint256 i; i < page.length; ++i) {
            page[i] = list[offset + i];
        }
    }
}
