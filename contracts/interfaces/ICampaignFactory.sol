// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICampaign} from "./ICampaign.sol";

/// @title ICampaignFactory
/// @notice Creates brand tokens (CREATE2, full contracts), campaigns (CREATE2 clones with the rules as immutable
/// arguments) and reward catalogs (CREATE2 clones, one per merchant) for merchants, and keeps the registry of all. Every address is predictable before the
/// transaction and derives from the caller's address, so nobody can take a merchant's address by front-running.
interface ICampaignFactory {
    /// @notice What a merchant chooses for a new brand token.
    struct TokenParams {
        string name;
        string symbol;
        uint256 faceValue;
        string metadataURI;
    }

    /// @notice What a merchant chooses for a new campaign. `token` is ignored by `createTokenAndCampaign`.
    /// @param supplyCap Most points the campaign may ever issue, bonuses included.
    /// @param maxPerClaim Most points (before multiplier and bonus) one claim may ask for; 0 for no limit.
    /// @param earnPoints With `earnSpend`: `earnPoints` base units of points per `earnSpend` units of spend.
    /// @param channels Bit mask of open channels: 1 direct, 2 voucher, 4 batch.
    /// @param tierPeriod Length of a tier period in seconds; 0 when there are no tiers.
    /// @param issuers Issuer keys (terminals) allowed from the start. The first 8 become part of the rules (they
    /// cost no storage, and the campaign emits no IssuerSet for them: they are in CampaignCreated's `rules`); any
    /// further ones are set with `setIssuer`.
    /// @param metadataURI Name, description and artwork of the campaign.
    /// @param optionalDataFields Data a customer may choose to share; nothing ever requires it.
    struct CampaignParams {
        address token;
        uint64 startsAt;
        uint64 endsAt;
        uint128 supplyCap;
        uint128 maxPerClaim;
        uint128 earnPoints;
        uint128 earnSpend;
        uint8 channels;
        uint32 tierPeriod;
        ICampaign.Tier[] tiers;
        ICampaign.Milestone[] milestones;
        address[] issuers;
        string metadataURI;
        string[] optionalDataFields;
    }

    /// @notice The campaign creation code given to the constructor did not deploy a campaign of this factory.
    error CampaignFactoryInvalidCampaignCode();
    /// @notice `merchant` already created a token with this salt and these parameters.
    error CampaignFactoryTokenExists(address merchant, bytes32 salt);
    /// @notice `token` was not created by this factory.
    error CampaignFactoryUnknownToken(address token);
    /// @notice `caller` is not a campaign this factory created.
    error CampaignFactoryUnknownCampaign(address caller);
    /// @notice `caller` does not own `token`.
    error CampaignFactoryNotTokenOwner(address token, address caller);
    /// @notice The campaign must end after it starts and after now.
    error CampaignFactoryInvalidSchedule(uint64 startsAt, uint64 endsAt);
    /// @notice The supply cap must be above zero.
    error CampaignFactoryZeroSupplyCap();
    /// @notice The channel mask must open at least one of the three channels and nothing else.
    error CampaignFactoryInvalidChannels(uint8 channels);
    /// @notice The earn rate needs both parts or neither.
    error CampaignFactoryInvalidEarnRate(uint128 earnPoints, uint128 earnSpend);
    /// @notice Tier `index` is invalid: thresholds must rise up to at most 42,949,672.95 points (4294967295 * 10^16
    /// base units), multipliers be at least 10 000 bps and not fall, and there may be at most 255 (index 255: one
    /// too many).
    error CampaignFactoryInvalidTier(uint256 index);
    /// @notice Milestone `index` is invalid: claim numbers must rise from 1 up to at most 65,534, bonuses be above
    /// zero, and there may be at most 255 (index 255: one too many).
    error CampaignFactoryInvalidMilestone(uint256 index);
    /// @notice Tiers were set without a tier period (the length of the periods earnings are counted in).
    error CampaignFactoryTiersWithoutPeriod();
    /// @notice A tier period was set without tiers.
    error CampaignFactoryTierPeriodWithoutTiers(uint32 tierPeriod);
    /// @notice `merchant` already has `catalog`: a merchant has one catalog.
    error CampaignFactoryCatalogExists(address merchant, address catalog);

    /// @notice `merchant` created `token`.
    event TokenCreated(
        address indexed merchant, address indexed token, string name, string symbol, uint256 faceValue, string metadataURI
    );
    /// @notice `merchant` created `campaign` issuing `token` under `rules` (packed as in `CampaignRules`).
    event CampaignCreated(
        address indexed merchant,
        address indexed token,
        address indexed campaign,
        bytes rules,
        string metadataURI,
        string[] optionalDataFields
    );
    /// @notice `merchant` created `catalog` pricing rewards in `token`; its vouchers are the ERC-1155 `voucher`
    /// and partner points paid for rewards go to `treasury`.
    /// @notice `campaign`, number `serial`, ended and retired: the wallet records it kept beside balances in its token
    /// are free for the token's later campaigns to take over (ICampaign.retire).
    event CampaignRetired(address indexed campaign, uint32 serial);
    event CatalogCreated(
        address indexed merchant, address indexed token, address indexed catalog, address voucher, address treasury
    );

    /// @notice The implementation every campaign clone delegates to.
    function campaignImplementation() external view returns (address);

    /// @notice The implementation every reward catalog clone delegates to.
    function catalogImplementation() external view returns (address);

    /// @notice Creates a brand token owned by the caller.
    /// @param salt Any value; with the caller's address and `params` it fixes the token's address.
    function createToken(TokenParams calldata params, bytes32 salt) external returns (address token);

    /// @notice Creates a campaign for a token the caller owns, activated (ICampaign.activate), so a minter of that
    /// token at once.
    /// @param salt Any value; with the caller's address and `params` it fixes the campaign's address.
    function createCampaign(CampaignParams calldata params, bytes32 salt) external returns (address campaign);

    /// @notice Creates a token and its first campaign in one transaction.
    function createTokenAndCampaign(TokenParams calldata tokenParams, CampaignParams calldata campaignParams, bytes32 salt)
        external
        returns (address token, address campaign);

    /// @notice Creates the caller's reward catalog, pricing rewards in `token` (a token the caller owns), and its
    /// voucher contract.
    /// @param treasury Where partner points paid for rewards go.
    function createCatalog(address token, address treasury) external returns (address catalog);

    /// @notice The address `createToken(params, salt)` called by `merchant` deploys to.
    function predictTokenAddress(address merchant, TokenParams calldata params, bytes32 salt)
        external
        view
        returns (address);

    /// @notice The address `createCampaign(params, salt)` called by `merchant` deploys to.
    function predictCampaignAddress(address merchant, CampaignParams calldata params, bytes32 salt)
        external
        view
        returns (address);

    /// @notice The address `createCatalog(token, ...)` called by `merchant` deploys to.
    function predictCatalogAddress(address merchant, address token) external view returns (address);

    /// @notice Whether `token` was created by this factory.
    function isToken(address token) external view returns (bool);

    /// @notice Whether `campaign` was created by this factory.
    function isCampaign(address campaign) external view returns (bool);

    /// @notice Records that the calling campaign, number `serial`, retired (see ICampaign.retire, which decides when:
    /// once it has ended). Only this factory's campaigns; calling it again changes nothing.
    function retire(uint32 serial) external;

    /// @notice Whether the campaign numbered `serial` (ICampaign.serial) retired.
    function isRetired(uint256 serial) external view returns (bool);

    /// @notice Whether `catalog` was created by this factory.
    function isCatalog(address catalog) external view returns (bool);

    /// @notice `merchant`'s reward catalog (zero if it has none).
    function catalogOf(address merchant) external view returns (address);

    /// @notice Up to `limit` tokens from position `offset`, oldest first, and how many there are.
    function tokens(uint256 offset, uint256 limit) external view returns (address[] memory page, uint256 total);

    /// @notice Up to `limit` of `merchant`'s tokens from position `offset`, and how many there are.
    function tokensOf(address merchant, uint256 offset, uint256 limit)
        external
        view
        returns (address[] memory page, uint256 total);

    /// @notice Up to `limit` campaigns from position `offset`, oldest first, and how many there are.
    function campaigns(uint256 offset, uint256 limit) external view returns (address[] memory page, uint256 total);

    /// @notice Up to `limit` of `merchant`'s campaigns from position `offset`, and how many there are.
    function campaignsOf(address merchant, uint256 offset, uint256 limit)
        external
        view
        returns (address[] memory page, uint256 total);
}
