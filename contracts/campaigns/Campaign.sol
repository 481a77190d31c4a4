// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICampaign} from "../interfaces/ICampaign.sol";
import {ILoyaltyToken} from "../interfaces/ILoyaltyToken.sol";
import {CampaignRules} from "../libraries/CampaignRules.sol";

/// @title Campaign
/// @notice Implementation behind every campaign clone (EIP-1167 with immutable arguments: campaigns are created
/// often, so a 45-byte proxy plus the packed rules beats deploying the code each time).
/// @dev The implementation itself has no rules and refuses to issue. There is no initializer to call twice: the
/// rules are part of each clone's code, and only the factory may set the first issuer keys.
contract Campaign is ICampaign, EIP712 {

    using SafeCast for uint256;


    bytes32 private constant _VOUCHER_TYPEHASH =
        keccak256("Voucher(uint256 id,uint256 points,uint256 spend,uint64 expiresAt,address claimKey)");
    bytes32 private constant _CLAIM_TYPEHASH = keccak256("Claim(address recipient)");
    uint256 private constant _BPS = 10_000;

    /// Packed into one slot: every claim reads and writes them together.
    /// `revokedIssuers` has bit i set when the i-th issuer key named at creation was revoked.
    struct Status {
        uint128 issued;
        uint64 endedAt;
        bool paused;
        uint8 revokedIssuers;
    }

    /// Per wallet, packed into one slot written once per claim, and only when tiers or milestones are on.
    struct Account {
        uint32 period;
        uint96 current;
        uint96 previous;
        uint32 claims;
    }

    /// @inheritdoc ICampaign
    address public immutable factory;
    address private immutable _implementation;

    Status private _status;
    uint256 private _batchCount;
    mapping(address account => bool) private _issuers;
    mapping(uint256 word => uint256 bits) private _claimedVouchers;
    mapping(uint256 batchId => bytes32) private _batchRoots;
    mapping(uint256 batchId => mapping(uint256 word => uint256 bits)) private _claimedCodes;
    mapping(address account => Account) private _accounts;

    modifier onlyClone() {
        if (address(this) == _implementation) revert CampaignNotAClone();
        _;
    }

    modifier onlyMerchant() {
        if (msg.sender != _merchant()) revert CampaignUnauthorizedMerchant(msg.sender);
        _;
    }

    constructor(address factory_) EIP712("Perks Campaign", "1") {
        factory = factory_;
        _implementation = address(this);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICampaign
    function rules() external view onlyClone returns (Rules memory) {
        return CampaignRules.load();
    }

    /// @inheritdoc ICampaign
    function token() external view onlyClone returns (address) {
        return CampaignRules.loadHeader().token;
    }

    /// @inheritdoc ICampaign
    function issued() external view returns (uint256) {
        return _status.issued;
    }

    /// @inheritdoc ICampaign
    function paused() external view returns (bool) {
        return _status.paused;
    }

    /// @inheritdoc ICampaign
    function endsAt() external view onlyClone returns (uint64) {
        return _endsAt(CampaignRules.loadHeader(), _status);
    }

    /// @inheritdoc ICampaign
    function isIssuer(address account) external view onlyClone returns (bool) {
        return _isIssuer(CampaignRules.loadHeader(), _status, account);
    }

    /// @inheritdoc ICampaign
    function isVoucherClaimed(uint256 id) external view returns (bool) {
        return _isSet(_claimedVouchers, id);
    }

    /// @inheritdoc ICampaign
    function batchRoot(uint256 batchId) external view returns (bytes32) {
        return _batchRoots[batchId];
    }

    /// @inheritdoc ICampaign
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /// @inheritdoc ICampaign
    function isCodeClaimed(uint256 batchId, uint256 index) external view returns (bool) {
        return _isSet(_claimedCodes[batchId], index);
    }

    /// @inheritdoc ICampaign
    function tierOf(address account) external view onlyClone returns (uint256) {
        CampaignRules.Header memory h = CampaignRules.loadHeader();
        if (h.tierCount == 0) return 0;
        (uint256 current, uint256 previous) = _earnedNow(h, _accounts[account]);
        return _tier(h, current + previous);
    }

    /// @inheritdoc ICampaign
    function accountOf(address account)
        external
        view
        onlyClone
        returns (uint256 current, uint256 previous, uint256 claims)
    {
        CampaignRules.Header memory h = CampaignRules.loadHeader();
        Account memory a = _accounts[account];
        (current, previous) = h.tierPeriod == 0 ? (0, 0) : _earnedNow(h, a);
        claims = a.claims;
    }

    /// @inheritdoc ICampaign
    function pointsForSpend(uint256 spend) external view onlyClone returns (uint256) {
        return _pointsForSpend(CampaignRules.loadHeader(), spend);
    }

    /// @inheritdoc ICampaign
    function quote(address account, uint256 points, uint256 spend)
        external
        view
        onlyClone
        returns (uint256 amount, uint256 bonus)
    {
        CampaignRules.Header memory h = CampaignRules.loadHeader();
        (amount, bonus,) = _earn(h, account, points + _pointsForSpend(h, spend));
    }

    // ---------------------------------------------------------------- issuance

    /// @inheritdoc ICampaign
    function issue(address recipient, uint256 points, uint256 spend, bytes32 ref) external onlyClone {
        CampaignRules.Header memory h = CampaignRules.loadHeader();
        Status memory status = _status;
        if (!_isIssuer(h, status, msg.sender)) revert CampaignUnauthorizedIssuer(msg.sender);
        _issue(h, status, recipient, points + _pointsForSpend(h, spend), Channel.Direct, uint256(ref));
    }

    /// @inheritdoc ICampaign
    function claimVoucher(
        Voucher calldata voucher,
        bytes32 issuerR,
        bytes32 issuerVS,
        address recipient,
        bytes32 claimR,
        bytes32 claimVS
    ) external onlyClone {
        if (block.timestamp > voucher.expiresAt) revert CampaignVoucherExpired(voucher.expiresAt);
        // Built once for both signatures: a clone cannot use the implementation's cached domain separator.
        bytes32 domainSeparator = _domainSeparatorV4();
        CampaignRules.Header memory h = _checkIssuerSignature(domainSeparator, voucher, issuerR, issuerVS);
        _checkClaimKey(domainSeparator, voucher.claimKey, recipient, claimR, claimVS);
        if (!_setOnce(_claimedVouchers, voucher.id)) revert CampaignVoucherAlreadyClaimed(voucher.id);
        _issue(h, _status, recipient, voucher.points + _pointsForSpend(h, voucher.spend), Channel.Voucher, voucher.id);
    }

    /// @inheritdoc ICampaign
    function claimCode(Code calldata code, bytes32[] calldata proof, address recipient, bytes32 claimR, bytes32 claimVS)
        external
        onlyClone
    {
        (uint256 batchId, uint256 index) = (code.batchId, code.index);
        bytes32 root = _batchRoots[batchId];
        if (root == bytes32(0)) revert CampaignUnknownBatch(batchId);
        // Leaf encoding of OpenZeppelin's StandardMerkleTree: hashed twice, so no 64-byte internal node can pass
        // for a leaf.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, code.claimKey, code.points))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert CampaignInvalidProof(batchId, index);
        _checkClaimKey(_domainSeparatorV4(), code.claimKey, recipient, claimR, claimVS);
        if (!_setOnce(_claimedCodes[batchId], index)) revert CampaignCodeAlreadyClaimed(batchId, index);
        // The event's reference packs both numbers; it is unique while indexes stay below 2^128 (see PointsIssued).
        // The claimed bitmaps are per batch, so larger indexes are still claimed exactly once.
        _issue(CampaignRules.loadHeader(), _status, recipient, code.points, Channel.Batch, (batchId << 128) | index);
    }

    // ---------------------------------------------------------------- merchant

    /// @inheritdoc ICampaign
    function publishBatch(bytes32 root, uint256 codeCount) external onlyClone onlyMerchant returns (uint256 batchId) {
        if (root == bytes32(0) || codeCount == 0) revert CampaignInvalidBatch(root, codeCount);
        batchId = _batchCount;
        _batchCount = batchId + 1;
        _batchRoots[batchId] = root;
        emit BatchPublished(batchId, root, codeCount);
    }

    /// @inheritdoc ICampaign
    function setIssuer(address issuer, bool allowed) external onlyClone {
        if (msg.sender != factory && msg.sender != _merchant()) revert CampaignUnauthorizedMerchant(msg.sender);
        uint256 index = CampaignRules.issuerIndex(CampaignRules.loadHeader(), issuer);
        if (index == CampaignRules.MAX_ISSUERS) {
            _issuers[issuer] = allowed;
        } else {
            uint8 bit = uint8(1 << index);
            uint8 revoked = _status.revokedIssuers;
            _status.revokedIssuers = allowed ? revoked & ~bit : revoked | bit;
        }
        emit IssuerSet(issuer, allowed);
    }

    /// @inheritdoc ICampaign
    function setPaused(bool paused_) external onlyClone onlyMerchant {
        _status.paused = paused_;
        emit PausedSet(paused_);
    }

    /// @inheritdoc ICampaign
    function end() external onlyClone onlyMerchant {
        Status memory status = _status;
        uint64 endedAt = _endsAt(CampaignRules.loadHeader(), status);
        if (block.timestamp >= endedAt) revert CampaignEnded(endedAt);
        _status.endedAt = uint64(block.timestamp);
        emit CampaignEndedEarly(uint64(block.timestamp));
    }

    // ---------------------------------------------------------------- internals

    /// Issuer keys named at creation live in the clone's code, with a revocation bit in the status slot every claim
    /// reads anyway; keys added later live in a mapping.
    function _isIssuer(CampaignRules.Header memory h, Status memory status, address account)
        private
        view
        returns (bool)
    {
        uint256 index = CampaignRules.issuerIndex(h, account);
        if (index == CampaignRules.MAX_ISSUERS) return _issuers[account];
        return (status.revokedIssuers >> index) & 1 == 0;
    }

    function _merchant() private view returns (address) {
        return Ownable(CampaignRules.loadHeader().token).owner();
    }

    function _issue(
        CampaignRules.Header memory r,
        Status memory status,
        address recipient,
        uint256 base,
        Channel channel,
        uint256 ref
    ) private {
        if (block.timestamp < r.startsAt) revert CampaignNotStarted(r.startsAt);
        uint64 endedAt = _endsAt(r, status);
        if (block.timestamp >= endedAt) revert CampaignEnded(endedAt);
        if (status.paused) revert CampaignPaused();
        if ((r.channels >> uint8(channel)) & 1 == 0) revert CampaignChannelClosed(channel);
        if (recipient == address(0)) revert CampaignInvalidRecipient(recipient);
        if (base == 0) revert CampaignZeroAmount();
        if (r.maxPerClaim != 0 && base > r.maxPerClaim) revert CampaignAboveMaximumPerClaim(base, r.maxPerClaim);

        (uint256 amount, uint256 bonus, Account memory account) = _earn(r, recipient, base);
        uint256 total = amount + bonus;
        if (status.issued + total > r.supplyCap) revert CampaignSupplyCapExceeded(status.issued, total, r.supplyCap);
        // Cannot truncate: issued + total <= supplyCap, a uint128.
        _status.issued = uint128(status.issued + total);
        if (r.tierPeriod != 0 || r.milestoneCount != 0) _accounts[recipient] = account;

        ILoyaltyToken(r.token).mint(recipient, total);
        emit PointsIssued(recipient, channel, ref, amount, bonus);
    }

    /// Points after the tier multiplier, the milestone bonus, and the wallet's record updated with both.
    function _earn(CampaignRules.Header memory r, address recipient, uint256 base)
        private
        view
        returns (uint256 amount, uint256 bonus, Account memory account)
    {
        amount = base;
        if (r.tierPeriod == 0 && r.milestoneCount == 0) return (amount, 0, account);
        account = _accounts[recipient];
        if (r.tierPeriod != 0) {
            (uint256 current, uint256 previous) = _earnedNow(r, account);
            uint256 tier = _tier(r, current + previous);
            if (tier != 0) amount = _mulDiv(base, CampaignRules.loadTier(tier - 1).multiplierBps, _BPS);
        }
        ++account.claims;
        for (uint256 i; i < r.milestoneCount; ++i) {
            Milestone memory milestone = CampaignRules.loadMilestone(r, i);
            if (milestone.claimNumber == account.claims) bonus = milestone.bonus;
        }
        if (r.tierPeriod != 0) {
            uint32 period = _period(r);
            if (account.period != period) {
                account.previous = account.period + 1 == period ? account.current : 0;
                account.current = 0;
                account.period = period;
            }
            account.current = (account.current + amount + bonus).toUint96();
        }
    }

    /// Points earned in the current and the previous period, seen from now.
    function _earnedNow(CampaignRules.Header memory r, Account memory account) private view returns (uint256, uint256) {
        uint32 period = _period(r);
        if (account.period == period) return (account.current, account.previous);
        if (account.period + 1 == period) return (0, account.current);
        return (0, 0);
    }

    function _period(CampaignRules.Header memory r) private view returns (uint32) {
        if (block.timestamp <= r.startsAt) return 0;
        return uint32((block.timestamp - r.startsAt) / r.tierPeriod);
    }

    function _tier(CampaignRules.Header memory r, uint256 qualifying) private view returns (uint256 tier) {
        for (uint256 i; i < r.tierCount; ++i) {
            if (qualifying < CampaignRules.loadTier(i).threshold) break;
            tier = i + 1;
        }
    }

    function _pointsForSpend(CampaignRules.Header memory r, uint256 spend) private pure returns (uint256) {
        if (spend == 0) return 0;
        if (r.earnSpend == 0) revert CampaignSpendNotAccepted(spend);
        return _mulDiv(spend, r.earnPoints, r.earnSpend);
    }

    /// `value * factor / divisor` rounded down, for a 128-bit `factor`: plain arithmetic when `value` fits 128 bits
    /// (the product then fits 256), OpenZeppelin's 512-bit mulDiv otherwise.
    function _mulDiv(uint256 value, uint256 factor, uint256 divisor) private pure returns (uint256) {
        if (value > type(uint128).max) return Math.mulDiv(value, factor, divisor);
        // Cannot overflow: both operands are below 2^128. The divisor is never zero (checked by the callers).
        unchecked {
            return (value * factor) / divisor;
        }
    }

    function _endsAt(CampaignRules.Header memory r, Status memory status) private pure returns (uint64) {
        return status.endedAt != 0 && status.endedAt < r.endsAt ? status.endedAt : r.endsAt;
    }

    /// Reverts unless an issuer key signed `voucher`; returns the rules' header it read to know.
    function _checkIssuerSignature(bytes32 domainSeparator, Voucher calldata voucher, bytes32 r, bytes32 vs)
        private
        view
        returns (CampaignRules.Header memory h)
    {
        bytes32 voucherHash = MessageHashUtils.toTypedDataHash(
            domainSeparator,
            keccak256(
                abi.encode(
                    _VOUCHER_TYPEHASH, voucher.id, voucher.points, voucher.spend, voucher.expiresAt, voucher.claimKey
                )
            )
        );
        address issuer = ECDSA.recover(voucherHash, r, vs);
        h = CampaignRules.loadHeader();
        if (!_isIssuer(h, _status, issuer)) revert CampaignUnauthorizedIssuer(issuer);
    }

    function _checkClaimKey(
        bytes32 domainSeparator,
        address claimKey,
        address recipient,
        bytes32 claimR,
        bytes32 claimVS
    ) private pure {
        bytes32 digest =
            MessageHashUtils.toTypedDataHash(domainSeparator, keccak256(abi.encode(_CLAIM_TYPEHASH, recipient)));
        address recovered = ECDSA.recover(digest, claimR, claimVS);
        if (recovered != claimKey) revert CampaignInvalidClaimSignature(claimKey, recovered);
    }

    function _isSet(mapping(uint256 => uint256) storage bitmap, uint256 index) private view returns (bool) {
        return bitmap[index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// Sets bit `index`; false if it was already set.
    function _setOnce(mapping(uint256 => uint256) storage bitmap, uint256 index) private returns (bool) {
        uint256 word = bitmap[index >> 8];
        uint256 mask = 1 << (index & 0xff);
        if (word & mask != 0) return false;
        bitmap[index >> 8] = word | mask;
        return true;
    }
}
