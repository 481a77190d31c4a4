// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICampaign
/// @notice A time-boxed program that issues one brand's points through three channels:
/// 1. Direct: an issuer key (a point-of-sale terminal) sends points to a wallet.
/// 2. Signed voucher: a terminal signs an EIP-712 voucher offline naming a one-time claim key; whoever holds the
///    claim key signs the recipient, and anyone (a relayer) may submit the claim.
/// 3. Merkle batch: one root commits many printed codes (index, claim key, points); a code claims with its proof
///    and the claim-key signature.
/// The rules are fixed at creation and read from the clone's own code. Issuance records only what statistics
/// need (recipient address, channel, reference, amounts); nothing personal is ever asked for or stored.
/// A campaign issues only once activated (`activate`): the factory activates the campaigns it creates; a clone
/// deployed without the factory stays inert until the token's owner activates it.
interface ICampaign {
    /// @notice How points reached a wallet; bit `1 << channel` of the rules' channel mask opens it.
    enum Channel {
        Direct,
        Voucher,
        Batch
    }

    /// @notice A tier: reached with `threshold` points earned in the current plus the previous period; earning
    /// is multiplied by `multiplierBps` / 10 000. Thresholds go up to 42,949,672.95 points (see `accountOf`).
    struct Tier {
        uint128 threshold;
        uint16 multiplierBps;
    }

    /// @notice A stamp-card bonus: the wallet's `claimNumber`-th claim in this campaign also earns `bonus`. Claim
    /// numbers go up to 65,534 (see `accountOf`).
    struct Milestone {
        uint32 claimNumber;
        uint128 bonus;
    }

    /// @notice The rules set at creation.
    /// @dev Points per claim = `points + spend * earnPoints / earnSpend`, rounded down to the token's smallest unit,
    /// then multiplied by the tier multiplier (rounded down); a milestone bonus is added on top. `maxPerClaim` bounds
    /// the base (points plus converted spend), before multiplier and bonus. `issuers` are the issuer keys named at
    /// creation (at most 8; the factory allows any further ones through `setIssuer`); revoking one does not change
    /// the rules, see `isIssuer`. A `supplyCap` of `type(uint128).max` means no cap (the SDK's NO_SUPPLY_CAP): such a
    /// campaign does not count `issued` (claims cost less gas) and refuses only a single claim above
    /// `type(uint128).max` base units, with CampaignSupplyCapExceeded(0, amount, type(uint128).max).
    struct Rules {
        address token;
        uint64 startsAt;
        uint64 endsAt;
        uint128 supplyCap;
        uint128 maxPerClaim;
        uint128 earnPoints;
        uint128 earnSpend;
        uint8 channels;
        uint32 tierPeriod;
        Tier[] tiers;
        Milestone[] milestones;
        address[] issuers;
    }

    /// @notice An offline voucher signed by an issuer key with EIP-712 (domain "Perks Campaign", version "1").
    /// @param id Unique per campaign; each id claims once.
    /// @param points Points in base units.
    /// @param spend Spend in currency minor units, converted with the earn rate; added to `points`.
    /// @param expiresAt Last second at which the voucher can be claimed.
    /// @param claimKey Address of the one-time key printed with the voucher; it signs the recipient.
    struct Voucher {
        uint256 id;
        uint256 points;
        uint256 spend;
        uint64 expiresAt;
        address claimKey;
    }

    /// @notice A printed code of a Merkle batch; its leaf is `keccak256(keccak256(abi.encode(index, claimKey, points)))`.
    struct Code {
        uint256 batchId;
        uint256 index;
        uint256 points;
        address claimKey;
    }

    /// @notice Called on the implementation instead of a clone: it has no rules of its own.
    error CampaignNotAClone();
    /// @notice Only the token's owner (the merchant) may do this.
    error CampaignUnauthorizedMerchant(address caller);
    /// @notice The campaign was not activated, by the factory at creation or by the token's owner: it issues nothing.
    error CampaignNotActive();
    /// @notice Only the factory numbers campaigns (see `activate`): the token's owner activates with serial 0.
    error CampaignSerialReserved(uint32 serial);
    /// @notice The campaign issues until `endsAt`: it retires only once it has ended (see `retire`).
    error CampaignStillRunning(uint64 endsAt);
    /// @notice The campaign has serial 0 (its token's owner activated it): it keeps no records in the token to free.
    error CampaignNotNumbered();
    /// @notice `caller` is not one of the campaign's issuer keys.
    error CampaignUnauthorizedIssuer(address caller);
    /// @notice Issuance opens at `startsAt`.
    error CampaignNotStarted(uint64 startsAt);
    /// @notice Issuance closed at `endedAt`.
    error CampaignEnded(uint64 endedAt);
    /// @notice The merchant paused issuance.
    error CampaignPaused();
    /// @notice Channel `channel` is not open in this campaign.
    error CampaignChannelClosed(Channel channel);
    /// @notice The claim would issue no points.
    error CampaignZeroAmount();
    /// @notice `amount` is above the campaign's per-claim maximum.
    error CampaignAboveMaximumPerClaim(uint256 amount, uint256 maximum);
    /// @notice Issuing `amount` more would exceed the supply cap (`issued` so far; 0 for a campaign without a cap,
    /// whose `supplyCap` is `type(uint128).max`).
    error CampaignSupplyCapExceeded(uint256 issued, uint256 amount, uint256 supplyCap);
    /// @notice The campaign has no earn rate, so a spend amount cannot be converted.
    error CampaignSpendNotAccepted(uint256 spend);
    /// @notice Points cannot be sent to the zero address.
    error CampaignInvalidRecipient(address recipient);
    /// @notice The voucher expired at `expiresAt`.
    error CampaignVoucherExpired(uint64 expiresAt);
    /// @notice Voucher `id` was already claimed.
    error CampaignVoucherAlreadyClaimed(uint256 id);
    /// @notice The claim-key signature names another key: `recovered` signed, `claimKey` was expected.
    error CampaignInvalidClaimSignature(address claimKey, address recovered);
    /// @notice No batch has id `batchId`.
    error CampaignUnknownBatch(uint256 batchId);
    /// @notice The proof does not place code `index` with these values in batch `batchId`.
    error CampaignInvalidProof(uint256 batchId, uint256 index);
    /// @notice Code `index` of batch `batchId` was already claimed.
    error CampaignCodeAlreadyClaimed(uint256 batchId, uint256 index);
    /// @notice A batch needs a non-zero root and at least one code.
    error CampaignInvalidBatch(bytes32 root, uint256 codeCount);

    /// @notice `amount` points (after the tier multiplier) plus a milestone `bonus` went to `recipient`.
    /// @param ref Direct: the terminal's reference; Voucher: the voucher id; Batch: `batchId << 128 | index` (unique
    /// for code indexes below 2^128, as every tree the SDK builds has).
    event PointsIssued(address indexed recipient, Channel indexed channel, uint256 ref, uint256 amount, uint256 bonus);
    /// @notice A batch of `codeCount` printed codes committed by `root` was published.
    event BatchPublished(uint256 indexed batchId, bytes32 root, uint256 codeCount);
    /// @notice `issuer` was allowed (`allowed` true) or revoked as an issuer key.
    event IssuerSet(address indexed issuer, bool allowed);
    /// @notice Issuance was paused (`paused` true) or resumed.
    event PausedSet(bool paused);
    /// @notice The merchant ended the campaign early at `endedAt`; issued points stay fully usable.
    event CampaignEndedEarly(uint64 endedAt);

    /// @notice The factory that creates campaigns from this implementation.
    function factory() external view returns (address);

    /// @notice The rules fixed at creation.
    function rules() external view returns (Rules memory);

    /// @notice The token this campaign issues.
    function token() external view returns (address);

    /// @notice Points issued so far, counted against the supply cap: only for a campaign with a cap. A campaign
    /// without one (`rules().supplyCap == type(uint128).max`) does not count and reads 0; statistics count what any
    /// campaign issued from its PointsIssued events (amount + bonus).
    function issued() external view returns (uint256);

    /// @notice Whether issuance is paused.
    function paused() external view returns (bool);

    /// @notice Whether the campaign was activated (see `activate`); every campaign the factory created is.
    function isActive() external view returns (bool);

    /// @notice The campaign's number in the factory's registry (its position in `campaigns` plus one), given at
    /// activation; 0 for a campaign the token's owner activated. It names the campaign's wallet records kept in the
    /// token (LoyaltyToken.recordOf); a campaign numbered 0 keeps all its records in its own storage.
    function serial() external view returns (uint32);

    /// @notice When issuance ends: the rules' end, or earlier if the merchant ended the campaign.
    function endsAt() external view returns (uint64);

    /// @notice Whether `account` is an issuer key.
    function isIssuer(address account) external view returns (bool);

    /// @notice Whether voucher `id` was claimed.
    function isVoucherClaimed(uint256 id) external view returns (bool);

    /// @notice Root of batch `batchId` (zero if none).
    function batchRoot(uint256 batchId) external view returns (bytes32);

    /// @notice Number of batches published; ids run from 0.
    function batchCount() external view returns (uint256);

    /// @notice Whether code `index` of batch `batchId` was claimed.
    function isCodeClaimed(uint256 batchId, uint256 index) external view returns (bool);

    /// @notice The wallet's tier now: 0 for none, `i + 1` for `rules().tiers[i]`.
    function tierOf(address account) external view returns (uint256);

    /// @notice Points `account` earned in the current and the previous tier period, and its claim count. Both are
    /// kept only when the campaign has tiers (earnings) or milestones (claim count); otherwise they read 0.
    /// @dev The record packs into 112 bits, so that it can share the wallet's balance slot in the token (see
    /// LoyaltyToken.recordOf): earnings count hundredths of a point (each claim adds its points rounded down to
    /// 0.01) and stop growing at 42,949,672.95 points a period (2^32 - 1 hundredths), the highest threshold the
    /// factory accepts, so the tier is the same as with exact counts; the claim count stops at 65,535, past the
    /// highest milestone the factory accepts (65,534). Neither limit ever makes a claim fail.
    /// Once this campaign has ended and was retired (`retire`), a later campaign of the token may
    /// take over the wallet's slot in the token; this campaign, which issues nothing any more, then reads what it had
    /// kept in its own storage before its record moved to the token (0 for most wallets), not its last record.
    function accountOf(address account) external view returns (uint256 current, uint256 previous, uint256 claims);

    /// @notice Points a spend converts to with the earn rate, rounded down.
    function pointsForSpend(uint256 spend) external view returns (uint256);

    /// @notice What a claim of `points` plus `spend` by `account` would issue now: points after the tier
    /// multiplier, and the milestone bonus.
    function quote(address account, uint256 points, uint256 spend) external view returns (uint256 amount, uint256 bonus);

    /// @notice Issues points straight to `recipient`. Only issuer keys.
    /// @param ref The terminal's own reference for the sale (never personal data).
    function issue(address recipient, uint256 points, uint256 spend, bytes32 ref) external;

    /// @notice Claims a signed voucher into `recipient`. Anyone may submit it.
    /// @param issuerR Issuer signature over the voucher, compact (EIP-2098) `r`.
    /// @param issuerVS Issuer signature, compact `vs`.
    /// @param claimR Claim-key signature of `Claim(address recipient)`, compact `r`.
    /// @param claimVS Claim-key signature, compact `vs`.
    function claimVoucher(
        Voucher calldata voucher,
        bytes32 issuerR,
        bytes32 issuerVS,
        address recipient,
        bytes32 claimR,
        bytes32 claimVS
    ) external;

    /// @notice Claims a printed code into `recipient`. Anyone may submit it.
    /// @param proof Merkle proof of the code's leaf in its batch.
    function claimCode(
        Code calldata code,
        bytes32[] calldata proof,
        address recipient,
        bytes32 claimR,
        bytes32 claimVS
    ) external;

    /// @notice Publishes a batch of `codeCount` printed codes committed by `root`. Only the merchant.
    /// @return batchId The new batch's id.
    function publishBatch(bytes32 root, uint256 codeCount) external returns (uint256 batchId);

    /// @notice Lets the campaign issue. Only the factory (which calls it when it creates the campaign) or the
    /// token's owner: a clone of the implementation deployed by hand, whose rules anyone may write, issues nothing
    /// until the token's owner activates it. Idempotent (calling it again changes nothing, the serial included),
    /// and there is no way back: `setPaused` and `end` stop issuance.
    /// @param serial_ The campaign's number (see `serial`): the factory's, or 0 from the token's owner (anything
    /// else from the owner reverts with CampaignSerialReserved: numbers must be unique among a token's campaigns).
    function activate(uint32 serial_) external;

    /// @notice Allows or revokes an issuer key. Only the merchant (or the factory at creation).
    function setIssuer(address issuer, bool allowed) external;

    /// @notice Pauses or resumes issuance. Only the merchant. Issued points are never affected.
    function setPaused(bool paused_) external;

    /// @notice Ends issuance now, for good. Only the merchant. Issued points stay fully usable. A campaign numbered by
    /// the factory also retires itself (see `retire`).
    function end() external;

    /// @notice Frees the wallet records the campaign keeps in its token (LoyaltyToken.recordOf) for the token's later
    /// campaigns with tiers or milestones, which then take a wallet's slot over at its next claim instead of writing
    /// a storage slot of their own (about 19,000 gas less for the wallet's first claim there). Anyone may call it once
    /// the campaign has ended; `end` does it at once. Calling it again changes nothing. The factory keeps count
    /// (ICampaignFactory.isRetired, CampaignRetired).
    function retire() external;
}
