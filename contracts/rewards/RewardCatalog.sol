// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ICampaign} from "../interfaces/ICampaign.sol";
import {ICampaignFactory} from "../interfaces/ICampaignFactory.sol";
import {ILoyaltyToken} from "../interfaces/ILoyaltyToken.sol";
import {IRewardCatalog, RedemptionId} from "../interfaces/IRewardCatalog.sol";
import {IRewardVoucher} from "../interfaces/IRewardVoucher.sol";
import {CloneArgs} from "../libraries/CloneArgs.sol";

/// @title RewardCatalog
/// @notice Implementation behind every merchant's catalog: an EIP-1167 clone whose immutable arguments are the
/// merchant's token and the factory (20 bytes each), initialized by the factory in the transaction that creates
/// it. Each catalog deploys its own voucher contract (a clone of `voucherImplementation`) at an address derived
/// from the catalog's, so no storage read is needed to find it.
/// @dev Every redemption is `nonReentrant` (transient storage): minting a voucher calls the recipient's ERC-1155
/// hook, and paying with a partner token calls that token.
contract RewardCatalog is IRewardCatalog, Initializable, ReentrancyGuardTransient {
    using EnumerableSet for EnumerableSet.AddressSet;
    using SafeERC20 for IERC20;

    uint256 private constant _BPS = 10_000;

    /// A reward as stored: two slots, which a redemption reads once each and writes one of (`redeemed`). The tier
    /// campaign and the metadata URI live apart: only rewards with a tier requirement read the first, and no
    /// transaction reads the second.
    // The linter counts each enum as a full slot; this struct is two slots, as tight as it gets.
    // solhint-disable-next-line gas-struct-packing
    struct Listing {
        uint128 price;
        uint64 startsAt;
        uint64 endsAt;
        uint32 supply;
        uint32 redeemed;
        uint32 perWallet;
        uint96 value;
        RewardKind kind;
        RewardStatus status;
        uint8 minTier;
        bool acceptsPartners;
    }

    /// @inheritdoc IRewardCatalog
    address public immutable voucherImplementation;

    address private _treasury;
    uint256 private _rewardCount;
    mapping(uint256 rewardId => Listing) private _rewards;
    mapping(uint256 rewardId => address) private _tierCampaigns;
    mapping(uint256 rewardId => string) private _metadataURIs;
    mapping(address partnerToken => PartnerRate) private _partnerRates;
    EnumerableSet.AddressSet private _partners;
    mapping(address account => bool) private _fulfillers;
    mapping(address account => bool) private _terminals;

    modifier onlyMerchant() {
        if (msg.sender != merchant()) revert RewardCatalogUnauthorizedMerchant(msg.sender);
        _;
    }

    /// @param voucherImplementation_ The RewardVoucher implementation each catalog clones for its vouchers.
    constructor(address voucherImplementation_) {
        voucherImplementation = voucherImplementation_;
        _disableInitializers();
    }

    /// @inheritdoc IRewardCatalog
    function initialize(address treasury_) external initializer {
        if (msg.sender != factory()) revert RewardCatalogUnauthorizedInitializer(msg.sender);
        _setTreasury(treasury_);
        Clones.cloneDeterministicWithImmutableArgs(voucherImplementation, abi.encodePacked(address(this)), bytes32(0));
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRewardCatalog
    function factory() public view returns (address) {
        return CloneArgs.addressAt(20);
    }

    /// @inheritdoc IRewardCatalog
    function token() public view returns (address) {
        return CloneArgs.addressAt(0);
    }

    /// @inheritdoc IRewardCatalog
    function merchant() public view returns (address) {
        return Ownable(token()).owner();
    }

    /// @inheritdoc IRewardCatalog
    function voucher() public view returns (address) {
        return Clones.predictDeterministicAddressWithImmutableArgs(
            voucherImplementation, abi.encodePacked(address(this)), bytes32(0)
        );
    }

    /// @inheritdoc IRewardCatalog
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IRewardCatalog
    function rewardCount() external view returns (uint256) {
        return _rewardCount;
    }

    /// @inheritdoc IRewardCatalog
    function reward(uint256 rewardId) external view returns (Reward memory) {
        Listing memory listing = _rewards[rewardId];
        return Reward({
            params: RewardParams({
                kind: listing.kind,
                value: listing.value,
                price: listing.price,
                supply: listing.supply,
                perWallet: listing.perWallet,
                startsAt: listing.startsAt,
                endsAt: listing.endsAt,
                tierCampaign: _tierCampaigns[rewardId],
                minTier: listing.minTier,
                acceptsPartners: listing.acceptsPartners,
                metadataURI: _metadataURIs[rewardId]
            }),
            redeemed: listing.redeemed,
            status: listing.status
        });
    }

    /// @inheritdoc IRewardCatalog
    function metadataURI(uint256 rewardId) external view returns (string memory) {
        return _metadataURIs[rewardId];
    }

    /// @inheritdoc IRewardCatalog
    function paymentOptions(uint256 rewardId) external view returns (PaymentOption[] memory options) {
        Listing storage listing = _listed(rewardId);
        uint256 partnerCount = listing.acceptsPartners ? _partners.length() : 0;
        options = new PaymentOption[](1 + partnerCount);
        options[0] = PaymentOption({token: token(), price: listing.price});
        for (uint256 i; i < partnerCount; ++i) {
            address partnerToken = _partners.at(i);
            options[1 + i] = PaymentOption({token: partnerToken, price: _partnerPrice(listing.price, partnerToken)});
        }
    }

    /// @inheritdoc IRewardCatalog
    function priceIn(uint256 rewardId, address payToken) external view returns (uint256) {
        return _unitPrice(_listed(rewardId), rewardId, payToken, token());
    }

    /// @inheritdoc IRewardCatalog
    function partners() external view returns (address[] memory) {
        return _partners.values();
    }

    /// @inheritdoc IRewardCatalog
    function partnerRate(address partnerToken) external view returns (PartnerRate memory) {
        return _partnerRates[partnerToken];
    }

    /// @inheritdoc IRewardCatalog
    function isFulfiller(address account) public view returns (bool) {
        return _fulfillers[account] || account == merchant();
    }

    /// @inheritdoc IRewardCatalog
    function isTerminal(address account) external view returns (bool) {
        return _terminals[account] || account == merchant();
    }

    // ---------------------------------------------------------------- merchant

    /// @inheritdoc IRewardCatalog
    function addReward(RewardParams calldata params) external onlyMerchant returns (uint256 rewardId) {
        _checkParams(params);
        rewardId = ++_rewardCount;
        _store(rewardId, params, 0, RewardStatus.Active);
        emit RewardAdded(rewardId, params);
    }

    /// @inheritdoc IRewardCatalog
    function editReward(uint256 rewardId, RewardParams calldata params) external onlyMerchant {
        Listing storage listing = _listedNotRetired(rewardId);
        if (params.kind != listing.kind || params.value != listing.value) revert RewardCatalogTermsFixed(rewardId);
        uint32 redeemed = listing.redeemed;
        if (params.supply < redeemed) revert RewardCatalogSupplyBelowRedeemed(params.supply, redeemed);
        _checkParams(params);
        _store(rewardId, params, redeemed, listing.status);
        emit RewardEdited(rewardId, params);
    }

    /// @inheritdoc IRewardCatalog
    function setRewardPaused(uint256 rewardId, bool paused) external onlyMerchant {
        _listedNotRetired(rewardId).status = paused ? RewardStatus.Paused : RewardStatus.Active;
        emit RewardPausedSet(rewardId, paused);
    }

    /// @inheritdoc IRewardCatalog
    function retireReward(uint256 rewardId) external onlyMerchant {
        _listedNotRetired(rewardId).status = RewardStatus.Retired;
        emit RewardRetired(rewardId);
    }

    /// @inheritdoc IRewardCatalog
    function setPartnerRate(address partnerToken, uint128 partnerAmount, uint128 ownAmount) external onlyMerchant {
        if (partnerToken == token() || !ICampaignFactory(factory()).isToken(partnerToken)) {
            revert RewardCatalogInvalidPartner(partnerToken);
        }
        if ((partnerAmount == 0) != (ownAmount == 0)) revert RewardCatalogInvalidRate(partnerAmount, ownAmount);
        if (ownAmount == 0) {
            delete _partnerRates[partnerToken];
            _partners.remove(partnerToken);
        } else {
            _partnerRates[partnerToken] = PartnerRate({partnerAmount: partnerAmount, ownAmount: ownAmount});
            _partners.add(partnerToken);
        }
        emit PartnerRateSet(partnerToken, partnerAmount, ownAmount);
    }

    /// @inheritdoc IRewardCatalog
    function setTreasury(address treasury_) external onlyMerchant {
        _setTreasury(treasury_);
    }

    /// @inheritdoc IRewardCatalog
    function setFulfiller(address fulfiller, bool allowed) external onlyMerchant {
        _fulfillers[fulfiller] = allowed;
        emit FulfillerSet(fulfiller, allowed);
    }

    /// @inheritdoc IRewardCatalog
    function setTerminal(address terminal, bool allowed) external onlyMerchant {
        _terminals[terminal] = allowed;
        emit TerminalSet(terminal, allowed);
    }

    // ---------------------------------------------------------------- customers

    /// @inheritdoc IRewardCatalog
    function redeem(uint256 rewardId, uint256 quantity, address payToken, uint256 maxCost, bytes32 encryptionKey)
        external
        nonReentrant
        returns (RedemptionId)
    {
        return _redeem(rewardId, quantity, payToken, maxCost, encryptionKey);
    }

    /// @inheritdoc IRewardCatalog
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
    ) external nonReentrant returns (RedemptionId) {
        // Only tokens the catalog accepts are ever called: its own, and partner tokens created by the factory.
        if (payToken != token() && _partnerRates[payToken].ownAmount == 0) {
            revert RewardCatalogPaymentNotAccepted(rewardId, payToken);
        }
        // A permit that fails was most likely submitted by someone else first, which gave the same allowance; if
        // the allowance is short, the payment itself reverts.
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(payToken).permit(msg.sender, address(this), maxCost, deadline, v, r, s) {} catch {}
        return _redeem(rewardId, quantity, payToken, maxCost, encryptionKey);
    }

    // ---------------------------------------------------------------- fulfilment

    /// @inheritdoc IRewardCatalog
    function deliverCode(RedemptionId redemptionId, bytes calldata ciphertext) external {
        if (!isFulfiller(msg.sender)) revert RewardCatalogUnauthorizedFulfiller(msg.sender);
        uint256 id = RedemptionId.unwrap(redemptionId);
        if (uint32(id) >= _rewards[id >> 32].redeemed) revert RewardCatalogUnknownRedemption(redemptionId);
        emit CodeDelivered(redemptionId, ciphertext);
    }

    // ---------------------------------------------------------------- internals

    function _redeem(uint256 rewardId, uint256 quantity, address payToken, uint256 maxCost, bytes32 encryptionKey)
        private
        returns (RedemptionId redemptionId)
    {
        Listing storage listing = _rewards[rewardId];
        RewardStatus status = listing.status;
        if (status != RewardStatus.Active) _revertInactive(rewardId, status);
        if (block.timestamp < listing.startsAt) revert RewardCatalogRewardNotStarted(rewardId, listing.startsAt);
        if (block.timestamp >= listing.endsAt) revert RewardCatalogRewardEnded(rewardId, listing.endsAt);
        if (quantity == 0) revert RewardCatalogZeroQuantity();
        uint256 redeemed = listing.redeemed;
        // Compared as what is left, so no quantity can overflow the check: redeemed <= supply always holds.
        if (quantity > listing.supply - redeemed) {
            revert RewardCatalogSupplyExceeded(rewardId, redeemed, quantity, listing.supply);
        }
        if (listing.minTier != 0) _checkTier(rewardId, listing.minTier);
        RewardKind kind = listing.kind;
        if (encryptionKey == bytes32(0) && (kind == RewardKind.GiftCoupon || kind == RewardKind.AccessCode)) {
            revert RewardCatalogMissingEncryptionKey(rewardId);
        }
        address ownToken = token();
        uint256 cost = _unitPrice(listing, rewardId, payToken, ownToken) * quantity;
        if (cost > maxCost) revert RewardCatalogCostAboveMaximum(cost, maxCost);

        // Cannot truncate: redeemed + quantity <= supply, a uint32.
        listing.redeemed = uint32(redeemed + quantity);
        // Cannot collide: reward ids count up from 1 and stay far below 2^224, and `redeemed` only grows.
        redemptionId = RedemptionId.wrap(rewardId << 32 | redeemed);

        if (payToken == ownToken) {
            ILoyaltyToken(payToken).burnFrom(msg.sender, cost);
        } else {
            IERC20(payToken).safeTransferFrom(msg.sender, _treasury, cost);
        }
        IRewardVoucher(voucher()).mint(msg.sender, rewardId, quantity, listing.perWallet);
        emit RewardRedeemed(rewardId, msg.sender, redemptionId, quantity, payToken, cost, encryptionKey);
    }

    function _checkTier(uint256 rewardId, uint8 minTier) private view {
        uint256 tier = ICampaign(_tierCampaigns[rewardId]).tierOf(msg.sender);
        if (tier < minTier) revert RewardCatalogTierTooLow(rewardId, tier, minTier);
    }

    /// The price of one voucher in `payToken`, or a revert if the reward cannot be paid with it.
    function _unitPrice(Listing storage listing, uint256 rewardId, address payToken, address ownToken)
        private
        view
        returns (uint256)
    {
        if (payToken == ownToken) return listing.price;
        if (!listing.acceptsPartners || _partnerRates[payToken].ownAmount == 0) {
            revert RewardCatalogPaymentNotAccepted(rewardId, payToken);
        }
        return _partnerPrice(listing.price, payToken);
    }

    /// `price` converted at the partner's rate, rounded up: a partner payment never falls short of the price.
    function _partnerPrice(uint128 price, address partnerToken) private view returns (uint256) {
        PartnerRate memory rate = _partnerRates[partnerToken];
        return Math.mulDiv(price, rate.partnerAmount, rate.ownAmount, Math.Rounding.Ceil);
    }

    function _checkParams(RewardParams calldata params) private view {
        if (params.endsAt <= params.startsAt || params.endsAt <= block.timestamp) {
            revert RewardCatalogInvalidSchedule(params.startsAt, params.endsAt);
        }
        if (params.price == 0 || params.supply == 0) revert RewardCatalogInvalidPriceOrSupply(params.price, params.supply);
        if (
            (params.kind == RewardKind.DiscountPercent && (params.value == 0 || params.value > _BPS))
                || (params.kind == RewardKind.DiscountAmount && params.value == 0)
        ) revert RewardCatalogInvalidValue(params.kind, params.value);
        bool validTier = params.tierCampaign == address(0)
            ? params.minTier == 0
            : params.minTier != 0 && ICampaignFactory(factory()).isCampaign(params.tierCampaign);
        if (!validTier) revert RewardCatalogInvalidTierRequirement(params.tierCampaign, params.minTier);
    }

    function _store(uint256 rewardId, RewardParams calldata params, uint32 redeemed, RewardStatus status) private {
        _rewards[rewardId] = Listing({
            price: params.price,
            startsAt: params.startsAt,
            endsAt: params.endsAt,
            supply: params.supply,
            redeemed: redeemed,
            perWallet: params.perWallet,
            value: params.value,
            kind: params.kind,
            status: status,
            minTier: params.minTier,
            acceptsPartners: params.acceptsPartners
        });
        _tierCampaigns[rewardId] = params.tierCampaign;
        _metadataURIs[rewardId] = params.metadataURI;
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert RewardCatalogInvalidTreasury(treasury_);
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    function _listed(uint256 rewardId) private view returns (Listing storage listing) {
        listing = _rewards[rewardId];
        if (listing.status == RewardStatus.None) revert RewardCatalogUnknownReward(rewardId);
    }

    function _listedNotRetired(uint256 rewardId) private view returns (Listing storage listing) {
        listing = _listed(rewardId);
        if (listing.status == RewardStatus.Retired) revert RewardCatalogRewardRetired(rewardId);
    }

    function _revertInactive(uint256 rewardId, RewardStatus status) private pure {
        if (status == RewardStatus.Paused) revert RewardCatalogRewardPaused(rewardId);
        if (status == RewardStatus.Retired) revert RewardCatalogRewardRetired(rewardId);
        revert RewardCatalogUnknownReward(rewardId);
    }
}
