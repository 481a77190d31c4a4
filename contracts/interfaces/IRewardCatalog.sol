// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice One redemption: `uint256(rewardId) << 32 | serial`, where `serial` counts the vouchers of that reward
/// redeemed before it. Unique per catalog and never reused; the fulfilment service answers it with `deliverCode`.
type RedemptionId is uint256;

/// @title IRewardCatalog
/// @notice A merchant's rewards (discount vouchers, free shipping, tickets, gift coupons, access codes), one catalog
/// per merchant, created by the factory for one of the merchant's tokens. The merchant is whoever owns that token.
///
/// Paying: a reward is priced in the merchant's own points, which redeeming burns with the customer's consent (an
/// allowance or an EIP-2612 permit to this catalog). If the reward accepts partner points (coalition), it can also
/// be paid with any partner token the merchant accepts, at the rate the merchant stated; those points move to the
/// merchant's treasury, because a merchant cannot burn another brand's points. A partner price is rounded up to the
/// token's smallest unit per voucher, so paying with a partner token never costs the merchant anything.
///
/// What the customer gets: one ERC-1155 voucher per unit in the catalog's `voucher` contract (id = reward id),
/// which can be given away and is used once at the till. Gift coupons and access codes are delivered privately:
/// the customer passes a fresh X25519 public key when redeeming, and the merchant's fulfilment service answers the
/// redemption with the code encrypted to that key (`CodeDelivered`). No contact data is ever asked for.
interface IRewardCatalog {
    /// @notice What a voucher is for.
    enum RewardKind {
        DiscountPercent,
        DiscountAmount,
        FreeShipping,
        Ticket,
        GiftCoupon,
        AccessCode,
        Other
    }

    /// @notice Where a reward stands. `None` for ids never listed; `Retired` is final.
    enum RewardStatus {
        None,
        Active,
        Paused,
        Retired
    }

    /// @notice What a merchant chooses for a reward.
    /// @param kind What the voucher is for; fixed once listed.
    /// @param value DiscountPercent: basis points off (1 to 10 000); DiscountAmount: currency minor units off (above
    /// zero); other kinds: anything the merchant's till understands (often 0). Fixed once listed: it is what the
    /// vouchers already redeemed promise.
    /// @param price Points of the merchant's own token (base units) per voucher; above zero.
    /// @param supply Most vouchers the reward may ever issue; above zero.
    /// @param perWallet Most vouchers one wallet may redeem; 0 for no limit.
    /// @param startsAt First second at which the reward can be redeemed.
    /// @param endsAt Redeeming stops at this second; later than `startsAt` and than now.
    /// @param tierCampaign Campaign (of any merchant of the factory) whose tier the reward requires; zero for none.
    /// @param minTier Least tier in `tierCampaign` (as its `tierOf` counts: 1 is the first tier); 0 for none.
    /// @param acceptsPartners Whether the reward can be paid with the partner tokens the catalog accepts.
    /// @param metadataURI ERC-1155 metadata document of the voucher: name, description and image.
    struct RewardParams {
        RewardKind kind;
        uint96 value;
        uint128 price;
        uint32 supply;
        uint32 perWallet;
        uint64 startsAt;
        uint64 endsAt;
        address tierCampaign;
        uint8 minTier;
        bool acceptsPartners;
        string metadataURI;
    }

    /// @notice A reward as `reward` shows it: its parameters, the vouchers redeemed so far and its status.
    struct Reward {
        RewardParams params;
        uint32 redeemed;
        RewardStatus status;
    }

    /// @notice `partnerAmount` base units of a partner token pay for `ownAmount` base units of the catalog's price.
    struct PartnerRate {
        uint128 partnerAmount;
        uint128 ownAmount;
    }

    /// @notice One way to pay for a reward: `price` base units of `token` per voucher.
    struct PaymentOption {
        address token;
        uint256 price;
    }

    /// @notice Only the merchant (the owner of the catalog's token) may do this.
    error RewardCatalogUnauthorizedMerchant(address caller);
    /// @notice Only the merchant or one of its fulfillers may deliver codes.
    error RewardCatalogUnauthorizedFulfiller(address caller);
    /// @notice Only the factory initializes a catalog.
    error RewardCatalogUnauthorizedInitializer(address caller);
    /// @notice The treasury cannot be the zero address.
    error RewardCatalogInvalidTreasury(address treasury);
    /// @notice `token` cannot be a partner token: it is the catalog's own token or was not created by the factory.
    error RewardCatalogInvalidPartner(address token);
    /// @notice A rate needs both amounts above zero (both zero removes the partner).
    error RewardCatalogInvalidRate(uint128 partnerAmount, uint128 ownAmount);
    /// @notice No reward has id `rewardId`.
    error RewardCatalogUnknownReward(uint256 rewardId);
    /// @notice The reward must end after it starts and after now.
    error RewardCatalogInvalidSchedule(uint64 startsAt, uint64 endsAt);
    /// @notice Price and supply must be above zero.
    error RewardCatalogInvalidPriceOrSupply(uint128 price, uint32 supply);
    /// @notice `value` is not a valid value for `kind` (a percentage is 1 to 10 000 bps, an amount above zero).
    error RewardCatalogInvalidValue(RewardKind kind, uint96 value);
    /// @notice A tier requirement needs a campaign created by the factory and a tier above zero, or neither.
    error RewardCatalogInvalidTierRequirement(address tierCampaign, uint8 minTier);
    /// @notice The supply cannot go below the `redeemed` vouchers already issued.
    error RewardCatalogSupplyBelowRedeemed(uint32 supply, uint32 redeemed);
    /// @notice A listed reward's kind and value are what its vouchers promise: list a new reward instead.
    error RewardCatalogTermsFixed(uint256 rewardId);
    /// @notice The reward was retired; it can no longer be redeemed or changed.
    error RewardCatalogRewardRetired(uint256 rewardId);
    /// @notice The merchant paused the reward.
    error RewardCatalogRewardPaused(uint256 rewardId);
    /// @notice The reward opens at `startsAt`.
    error RewardCatalogRewardNotStarted(uint256 rewardId, uint64 startsAt);
    /// @notice The reward closed at `endsAt`.
    error RewardCatalogRewardEnded(uint256 rewardId, uint64 endsAt);
    /// @notice A redemption must ask for at least one voucher.
    error RewardCatalogZeroQuantity();
    /// @notice `quantity` more vouchers would exceed the supply (`redeemed` so far).
    error RewardCatalogSupplyExceeded(uint256 rewardId, uint256 redeemed, uint256 quantity, uint32 supply);
    /// @notice The wallet's tier `tier` in the reward's tier campaign is below the `minTier` it requires.
    error RewardCatalogTierTooLow(uint256 rewardId, uint256 tier, uint8 minTier);
    /// @notice The reward cannot be paid with `token`.
    error RewardCatalogPaymentNotAccepted(uint256 rewardId, address token);
    /// @notice The redemption would cost `cost`, more than the customer's `maxCost`.
    error RewardCatalogCostAboveMaximum(uint256 cost, uint256 maxCost);
    /// @notice Gift coupons and access codes need the customer's public encryption key to deliver the code.
    error RewardCatalogMissingEncryptionKey(uint256 rewardId);
    /// @notice No redemption has id `redemptionId`.
    error RewardCatalogUnknownRedemption(RedemptionId redemptionId);

    /// @notice The merchant listed reward `rewardId`.
    event RewardAdded(uint256 indexed rewardId, RewardParams params);
    /// @notice The merchant changed reward `rewardId`; `params` are its new parameters.
    event RewardEdited(uint256 indexed rewardId, RewardParams params);
    /// @notice The merchant paused (`paused` true) or resumed reward `rewardId`.
    event RewardPausedSet(uint256 indexed rewardId, bool paused);
    /// @notice The merchant retired reward `rewardId` for good; its vouchers stay valid.
    event RewardRetired(uint256 indexed rewardId);
    /// @notice The catalog accepts `token` at `partnerAmount` per `ownAmount`, or no longer accepts it (both zero).
    event PartnerRateSet(address indexed token, uint128 partnerAmount, uint128 ownAmount);
    /// @notice Partner points paid for rewards now go to `treasury`.
    event TreasurySet(address indexed treasury);
    /// @notice `fulfiller` may (`allowed` true) or may no longer deliver codes.
    event FulfillerSet(address indexed fulfiller, bool allowed);
    /// @notice `terminal` may (`allowed` true) or may no longer submit signed voucher uses.
    event TerminalSet(address indexed terminal, bool allowed);
    /// @notice `account` redeemed `quantity` vouchers of reward `rewardId` for `cost` base units of `payToken`.
    /// @param encryptionKey The customer's fresh X25519 public key for the code delivery (zero if none).
    event RewardRedeemed(
        uint256 indexed rewardId,
        address indexed account,
        RedemptionId indexed redemptionId,
        uint256 quantity,
        address payToken,
        uint256 cost,
        bytes32 encryptionKey
    );
    /// @notice The fulfilment service answered `redemptionId` with codes encrypted to its `encryptionKey`.
    event CodeDelivered(RedemptionId indexed redemptionId, bytes ciphertext);

    /// @notice Sets the treasury and deploys the catalog's voucher contract. Only the factory, once.
    function initialize(address treasury_) external;

    /// @notice The implementation behind every catalog's voucher contract.
    function voucherImplementation() external view returns (address);

    /// @notice The factory that created this catalog.
    function factory() external view returns (address);

    /// @notice The merchant's own token: prices are in it, and redeeming burns it.
    function token() external view returns (address);

    /// @notice The merchant: the owner of `token`.
    function merchant() external view returns (address);

    /// @notice The ERC-1155 contract of this catalog's vouchers.
    function voucher() external view returns (address);

    /// @notice Where partner points paid for rewards go.
    function treasury() external view returns (address);

    /// @notice Number of rewards listed; ids run from 1.
    function rewardCount() external view returns (uint256);

    /// @notice Reward `rewardId` (all zero with status `None` if it was never listed).
    function reward(uint256 rewardId) external view returns (Reward memory);

    /// @notice The metadata URI of reward `rewardId`.
    function metadataURI(uint256 rewardId) external view returns (string memory);

    /// @notice Every way to pay for one voucher of `rewardId`: the own token first, then each accepted partner token
    /// if the reward accepts partners.
    function paymentOptions(uint256 rewardId) external view returns (PaymentOption[] memory);

    /// @notice The price of one voucher of `rewardId` in `payToken`; reverts if it is not accepted.
    function priceIn(uint256 rewardId, address payToken) external view returns (uint256);

    /// @notice The partner tokens the catalog accepts, in no particular order.
    function partners() external view returns (address[] memory);

    /// @notice The rate at which the catalog accepts `partnerToken` (zero if it does not).
    function partnerRate(address partnerToken) external view returns (PartnerRate memory);

    /// @notice Whether `account` may deliver codes: the merchant or a fulfiller.
    function isFulfiller(address account) external view returns (bool);

    /// @notice Whether `account` may submit signed voucher uses: the merchant or a terminal.
    function isTerminal(address account) external view returns (bool);

    /// @notice Lists a reward. Only the merchant.
    /// @return rewardId The new reward's id (also its vouchers' ERC-1155 id).
    function addReward(RewardParams calldata params) external returns (uint256 rewardId);

    /// @notice Changes a reward's price, supply, limits, schedule, tier requirement, partner acceptance or
    /// metadata. `kind` and `value` must stay as listed. Only the merchant; not for retired rewards.
    function editReward(uint256 rewardId, RewardParams calldata params) external;

    /// @notice Pauses or resumes redeeming a reward. Only the merchant; not for retired rewards.
    function setRewardPaused(uint256 rewardId, bool paused) external;

    /// @notice Stops a reward for good; vouchers already redeemed stay valid. Only the merchant.
    function retireReward(uint256 rewardId) external;

    /// @notice Accepts a partner token at a rate, changes the rate, or stops accepting it (both amounts zero).
    /// Only the merchant.
    /// @param partnerToken Another merchant's token created by the factory.
    /// @param partnerAmount With `ownAmount`: `partnerAmount` partner base units pay `ownAmount` of the price.
    function setPartnerRate(address partnerToken, uint128 partnerAmount, uint128 ownAmount) external;

    /// @notice Sets where partner points go. Only the merchant.
    function setTreasury(address treasury_) external;

    /// @notice Allows or stops a fulfilment service key. Only the merchant.
    function setFulfiller(address fulfiller, bool allowed) external;

    /// @notice Allows or stops a till terminal key (it submits vouchers' signed uses). Only the merchant.
    function setTerminal(address terminal, bool allowed) external;

    /// @notice Redeems `quantity` vouchers of `rewardId` into the caller's wallet, paying with `payToken`: the
    /// catalog's own token is burned from the caller (allowance to this catalog), an accepted partner token moves
    /// from the caller to the treasury (allowance to this catalog).
    /// @param maxCost Most base units of `payToken` the caller agrees to pay, in case the price changes.
    /// @param encryptionKey A fresh X25519 public key for gift coupons and access codes; zero for other kinds.
    /// @return redemptionId The redemption's id, answered by `CodeDelivered` for gift coupons and access codes.
    function redeem(uint256 rewardId, uint256 quantity, address payToken, uint256 maxCost, bytes32 encryptionKey)
        external
        returns (RedemptionId redemptionId);

    /// @notice `redeem` with an EIP-2612 permit of `payToken` signed by the caller for this catalog, with value
    /// `maxCost`. A permit already used (someone submitted it first) is skipped: the allowance it gave is enough.
    function redeemWithPermit(
        uint256 rewardId,
        uint256 quantity,
        address payToken,
        uint256 maxCost,
        bytes32 encryptionKey,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (RedemptionId redemptionId);

    /// @notice Posts the code(s) of a gift coupon or access code redemption, encrypted to the redemption's
    /// `encryptionKey`. Only the merchant or a fulfiller.
    function deliverCode(RedemptionId redemptionId, bytes calldata ciphertext) external;
}
