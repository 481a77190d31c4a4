// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ICampaign} from "../interfaces/ICampaign.sol";
import {ICampaignFactory} from "../interfaces/ICampaignFactory.sol";
import {ILoyaltyToken} from "../interfaces/ILoyaltyToken.sol";
import {CampaignRules} from "../libraries/CampaignRules.sol";

/// @title Campaign
/// @notice Implementation behind every campaign clone (EIP-1167 with immutable arguments: campaigns are created
/// often, so a 45-byte proxy plus the packed rules beats deploying the code each time).
/// @dev The implementation itself has no rules and refuses to issue. There is no initializer to call twice: the
/// rules are part of each clone's code. Anyone can deploy a clone whose rules name any token and any issuer keys, so
/// a clone issues nothing until it is activated (`activate`), which only the factory (right after creating it) or the
/// token's owner can do: the token recognises its campaigns by their code, and activation is what makes one real.
contract Campaign is ICampaign, EIP712 {



    /// keccak256("Voucher(uint256 id,uint256 points,uint256 spend,uint64 expiresAt,address claimKey)")
    bytes32 private constant _VOUCHER_TYPEHASH = 0x175c1fbcecb61badc774cae1302777c6e0a0ffd1c1d899396980cf8e06a8e08a;
    /// keccak256("Claim(address recipient)")
    bytes32 private constant _CLAIM_TYPEHASH = 0xd9201341253ad4606d3bccc1f38a7f51ee6630012c87dee48b85ecb4d31ef860;
    uint256 private constant _BPS = 10_000;

    /// The EIP-712 domain, named once for OpenZeppelin's EIP712 (eip712Domain) and for the fast path's digests.
    string private constant _NAME = "Perks Campaign";
    string private constant _VERSION = "1";
    /// keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    bytes32 private constant _DOMAIN_TYPEHASH = 0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f;
    /// keccak256("Perks Campaign")
    bytes32 private constant _NAME_HASH = 0x1fb4a0f4e359025a3a46691a185e07dd92f76ca738a12772b7e7927578b80b34;
    /// keccak256("1")
    bytes32 private constant _VERSION_HASH = 0xc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc6;
    /// PointsIssued's topic: keccak256("PointsIssued(address,uint8,uint256,uint256,uint256)")
    bytes32 private constant _POINTS_ISSUED = 0xf4783a83351fb3bff2f82e437c7c70be246d58fddddad4f87f6d44cb979a6b60;
    /// secp256k1's order / 2: OpenZeppelin's ECDSA refuses a larger s (the malleable twin of a valid signature).
    uint256 private constant _HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    /// The supply cap of a campaign without one (the SDK's NO_SUPPLY_CAP). Such a campaign does not count `issued`,
    /// which stays 0, so a claim does not write the status slot (it still reads it): about 2,900 gas less. Its cap
    /// check is unchanged and compares the claim alone with the cap: only a claim of more than 2^128 - 1 base units
    /// is refused, with CampaignSupplyCapExceeded(0, amount, 2^128 - 1), as a capped campaign's first claim would be.
    uint128 private constant _NO_SUPPLY_CAP = 0xffffffffffffffffffffffffffffffff; // type(uint128).max

    /// Packed into one slot: every claim reads it, and writes it back to count `issued` unless the campaign has no
    /// supply cap (see `_NO_SUPPLY_CAP`).
    /// `revokedIssuers` has bit i set when the i-th issuer key named at creation was revoked. `active` is set by
    /// `activate` (bits 208..215 of the slot) and never cleared; nothing is issued without it. `serial` (bits
    /// 216..247) is the campaign's number, given with `active`.
    struct Status {
        uint128 issued;
        uint64 endedAt;
        bool paused;
        uint8 revokedIssuers;
        bool active;
        uint32 serial;
    }

    // A wallet's record, kept only when tiers or milestones are on and written once per claim: 112 bits, the tier
    // period of its last earning (bits 0..31), hundredths of a point earned in that period (32..63) and in the one
    // before (64..95), and its claim count (96..111); see ICampaign.accountOf. It lives in the wallet's balance slot
    // in the token (LoyaltyToken.recordOf) when that slot's record is free, this campaign's or a retired campaign's
    // (`retire`: it ended; the factory keeps count), in `_records` otherwise (another live campaign of the token got there
    // first, or this campaign has serial 0). A slot's record never becomes free again, so a free one means that
    // `_records` holds nothing for the wallet either; taking over a retired campaign's slot starts from what
    // `_records` holds (then no longer read: the slot names this campaign from the next claim on).
    uint256 private constant _RECORD_BITS = 112;
    uint256 private constant _RECORD_MASK = 0xffffffffffffffffffffffffffff; // 2^112 - 1
    uint256 private constant _RECORD_UNIT = 1e16; // CampaignRules.RECORD_UNIT, for assembly

    /// @inheritdoc ICampaign
    address public immutable factory;
    address private immutable _implementation;

    Status private _status;
    uint256 private _batchCount;
    mapping(address account => bool) private _issuers;
    mapping(uint256 word => uint256 bits) private _claimedVouchers;
    mapping(uint256 batchId => bytes32) private _batchRoots;
    mapping(uint256 batchId => mapping(uint256 word => uint256 bits)) private _claimedCodes;
    mapping(address account => uint256 record) private _records;

    modifier onlyClone() {
        if (address(this) == _implementation) revert CampaignNotAClone();
        _;
    }

    modifier onlyMerchant() {
        if (msg.sender != _merchant()) revert CampaignUnauthorizedMerchant(msg.sender);
        _;
    }

    constructor(address factory_) EIP712(_NAME, _VERSION) {
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
    function isActive() external view returns (bool) {
        return _status.active;
    }

    /// @inheritdoc ICampaign
    function serial() external view returns (uint32) {
        return _status.serial;
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
        (uint256 record,) = _loadRecord(h, _status, account);
        (uint256 current, uint256 previous) = _earnedNow(h, record);
        return _tier(h, (current + previous) * CampaignRules.RECORD_UNIT);
    }

    /// @inheritdoc ICampaign
    function accountOf(address account)
        external
        view
        onlyClone
        returns (uint256 current, uint256 previous, uint256 claims)
    {
        CampaignRules.Header memory h = CampaignRules.loadHeader();
        if (h.tierPeriod == 0 && h.milestoneCount == 0) return (0, 0, 0);
        (uint256 record,) = _loadRecord(h, _status, account);
        if (h.tierPeriod != 0) (current, previous) = _earnedNow(h, record);
        (current, previous) = (current * CampaignRules.RECORD_UNIT, previous * CampaignRules.RECORD_UNIT);
        claims = (record >> 96) & CampaignRules.MAX_CLAIMS;
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
        (amount, bonus,) = _earn(h, _status, account, points + _pointsForSpend(h, spend));
    }

    // ---------------------------------------------------------------- issuance

    /// @inheritdoc ICampaign
    function issue(address recipient, uint256 points, uint256 spend, bytes32 ref) external onlyClone {
        if (_fast(Channel.Direct)) return;
        _requireActive();
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
        if (_fast(Channel.Voucher)) return;
        _requireActive();
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
        if (_fast(Channel.Batch)) return;
        _requireActive();
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
    //
    // The merchant's settings work on a clone not yet activated too, so that a merchant deploying a campaign without
    // the factory can publish batches and add issuer keys before opening it.

    /// @inheritdoc ICampaign
    function activate(uint32 serial_) external onlyClone {
        if (msg.sender != factory) {
            if (msg.sender != _merchant()) revert CampaignUnauthorizedMerchant(msg.sender);
            if (serial_ != 0) revert CampaignSerialReserved(serial_);
        }
        if (_status.active) return;
        (_status.active, _status.serial) = (true, serial_);
    }

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
        // Frees the wallet records it kept in the token for the token's later campaigns.
        if (status.serial != 0) ICampaignFactory(factory).retire(status.serial);
    }

    /// @inheritdoc ICampaign
    function retire() external onlyClone {
        Status memory status = _status;
        if (status.serial == 0) revert CampaignNotNumbered();
        uint64 endsAt_ = _endsAt(CampaignRules.loadHeader(), status);
        if (block.timestamp < endsAt_) revert CampaignStillRunning(endsAt_);
        ICampaignFactory(factory).retire(status.serial);
    }

    // ---------------------------------------------------------------- fast paths
    //
    // issue, claimVoucher and claimCode first run a hand-written path for the common case, without Solidity's memory
    // structs, ABI encoding, checked arithmetic and internal calls (they were more than half a claim's execution
    // gas). It makes the checks the reference path after it makes (the Solidity code above) and writes what that
    // path writes, but it decides nothing on its own: at the first condition the reference path would revert on, or
    // in a rare case it does not handle (a base of 2^128 or more, more than 8 issuer keys in the rules, a token
    // whose recordOf answers oddly), it returns false having written nothing, and the reference path then runs from the start and
    // reverts with its precise error (or handles the rare case). So every revert is the reference path's, and the
    // fast path accepts only what the reference path accepts, with the same effects. The tests hold both paths to
    // the same outcomes and check, by gas, that common claims take the fast one.
    //
    // It reads the arguments at their fixed ABI offsets (every argument but claimCode's proof is static; the proof's
    // offset and length were validated by the ABI decoder before) and works in memory past the free memory pointer,
    // at `m`: 0x000-0x0c0 scratch, 0x0c0 the claim's ref, 0x0e0 the claimed-bitmap slot to write (0: none), 0x100
    // its new word, 0x120 the wallet record's slot to write (0: none), 0x140 its new value, 0x160 the factory's address
    // (an immutable, which assembly cannot read), 0x180 the packed rules.

    /// Runs the fast path of `issue` (Direct), `claimVoucher` (Voucher) or `claimCode` (Batch); false, having
    /// written nothing, when the reference path must decide.
    // One assembly block, long, so that the three channels share its Yul functions (they cannot cross blocks).
    // solhint-disable-next-line function-max-lines
    function _fast(Channel kind) private returns (bool handled) {
        address factory_ = factory; // an immutable: assembly cannot read it
        assembly ("memory-safe") {
            // ------------------------------------------------ rules and status

            // Copies the packed rules (see CampaignRules) to `rules`: one EXTCODECOPY when they fit 192 bytes (no
            // tiers or milestones and up to 4 issuer keys, or 3 tiers and 1 key), two otherwise.
            function loadRules(rules) {
                extcodecopy(address(), rules, 45, 192)
                let size := add(
                    add(108, mul(byte(0, mload(add(rules, 105))), 18)),
                    mul(add(byte(0, mload(add(rules, 106))), byte(0, mload(add(rules, 107)))), 20)
                )
                if gt(size, 192) { extcodecopy(address(), add(rules, 192), add(45, 192), sub(size, 192)) }
            }

            // `_isIssuer`; false also when the rules name more than 8 keys (the reference path decides).
            function isIssuer(rules, status, account) -> allowed {
                let count := byte(0, mload(add(rules, 107)))
                let p := add(
                    add(rules, 108),
                    add(mul(byte(0, mload(add(rules, 105))), 18), mul(byte(0, mload(add(rules, 106))), 20))
                )
                let index := 8
                for { let i := 0 } lt(i, count) { i := add(i, 1) } {
                    if eq(shr(96, mload(add(p, mul(i, 20)))), account) {
                        index := i
                        break
                    }
                }
                switch lt(index, 8)
                // A key named at creation: allowed unless its revocation bit (status bits 200..207) is set.
                case 1 { allowed := iszero(and(shr(add(200, index), status), 1)) }
                default {
                    mstore(0x00, account)
                    mstore(0x20, _issuers.slot)
                    allowed := iszero(iszero(and(sload(keccak256(0x00, 0x40)), 0xff)))
                }
                if gt(count, 8) { allowed := 0 }
            }

            // `points + _pointsForSpend(h, spend)`; not ok where that reverts, and for a spend of 2^128 or more
            // (OpenZeppelin's 512-bit mulDiv).
            function baseOf(rules, points, spend) -> base, ok {
                base := points
                ok := 1
                if spend {
                    let earnSpend := shr(128, mload(add(rules, 84)))
                    // No overflow: spend < 2^128 (else not ok) times a 128-bit earnPoints. EVM division by 0 is 0.
                    base := add(points, div(mul(spend, shr(128, mload(add(rules, 68)))), earnSpend))
                    ok := and(and(iszero(iszero(earnSpend)), iszero(shr(128, spend))), iszero(lt(base, points)))
                }
            }

            // ------------------------------------------------ signatures

            function domainSeparator(m) -> separator {
                mstore(m, _DOMAIN_TYPEHASH)
                mstore(add(m, 0x20), _NAME_HASH)
                mstore(add(m, 0x40), _VERSION_HASH)
                mstore(add(m, 0x60), chainid())
                mstore(add(m, 0x80), address())
                separator := keccak256(m, 0xa0)
            }

            // keccak256("\x19\x01" || separator || structHash)
            function typedDataHash(m, separator, structHash) -> digest {
                mstore(m, hex"1901")
                mstore(add(m, 0x02), separator)
                mstore(add(m, 0x22), structHash)
                digest := keccak256(m, 0x42)
            }

            // OpenZeppelin's ECDSA.recover(digest, r, vs) for an EIP-2098 compact signature, with zero where it
            // reverts (s above n / 2, or no address recovered).
            function recover(m, digest, r, vs) -> signer {
                let s := shr(1, shl(1, vs))
                if iszero(gt(s, _HALF_N)) {
                    mstore(m, digest)
                    mstore(add(m, 0x20), add(shr(255, vs), 27))
                    mstore(add(m, 0x40), r)
                    mstore(add(m, 0x60), s)
                    mstore(0x00, 0)
                    // The precompile returns nothing for a signature it cannot recover: the zero above stays.
                    if staticcall(gas(), 1, m, 0x80, 0x00, 0x20) { signer := mload(0x00) }
                }
            }

            // Whether the key `claimKey` (an address word) signed Claim(recipient), with the compact signature at
            // calldata offset `at`; never for the zero address.
            function claimSigned(m, separator, claimKey, recipient, at) -> signed {
                mstore(0x00, _CLAIM_TYPEHASH)
                mstore(0x20, recipient)
                let signer := recover(
                    m, typedDataHash(m, separator, keccak256(0x00, 0x40)), calldataload(at), calldataload(add(at, 0x20))
                )
                signed := and(iszero(iszero(signer)), eq(signer, claimKey))
            }

            // ------------------------------------------------ claimed bitmaps

            // Records bit `index` of the bitmap (a mapping at `bitmap`) as the one to set; false if already set.
            function markUnclaimed(m, bitmap, index) -> unclaimed {
                mstore(0x00, shr(8, index))
                mstore(0x20, bitmap)
                let slot := keccak256(0x00, 0x40)
                let bits := sload(slot)
                let mask := shl(and(index, 0xff), 1)
                unclaimed := iszero(and(bits, mask))
                mstore(add(m, 0xe0), slot)
                mstore(add(m, 0x100), or(bits, mask))
            }

            // ------------------------------------------------ earning

            // The milestone bonus on exactly claim number `claims`, if any (claim numbers strictly increase).
            function milestoneBonus(rules, claims) -> bonus {
                let p := add(add(rules, 108), mul(byte(0, mload(add(rules, 105))), 18))
                for { let end := add(p, mul(byte(0, mload(add(rules, 106))), 20)) } lt(p, end) { p := add(p, 20) } {
                    let word := mload(p)
                    if eq(shr(224, word), claims) { bonus := and(shr(96, word), 0xffffffffffffffffffffffffffffffff) }
                }
            }

            // The multiplier of the highest tier `qualifying` reaches (thresholds increase) plus 2^16; 0 for none.
            function multiplierFor(rules, qualifying) -> multiplier {
                let p := add(rules, 108)
                for { let end := add(p, mul(byte(0, mload(add(rules, 105))), 18)) } lt(p, end) { p := add(p, 18) } {
                    let word := mload(p)
                    if lt(qualifying, shr(128, word)) { break }
                    multiplier := or(0x10000, and(shr(112, word), 0xffff))
                }
            }

            // The amount after the tier multiplier, and the record's fields below the claim count (bits 0..95), after
            // a claim worth `base` plus `bonus` in a tiered campaign.
            function tiered(rules, tierPeriod, record, base, bonus) -> amount, fields {
                let period := 0
                {
                    let startsAt := shr(192, mload(add(rules, 20)))
                    // `_period`: 32 bits, like the record's.
                    if gt(timestamp(), startsAt) {
                        period := and(div(sub(timestamp(), startsAt), tierPeriod), 0xffffffff)
                    }
                }
                let last := and(record, 0xffffffff)
                // Hundredths of a point the wallet earned in this period and the one before, seen from now.
                let current := and(shr(32, record), 0xffffffff)
                let previous := and(shr(64, record), 0xffffffff)
                if iszero(eq(last, period)) {
                    previous := mul(current, eq(add(last, 1), period))
                    current := 0
                }
                amount := base
                let multiplier := multiplierFor(rules, mul(add(current, previous), _RECORD_UNIT))
                // No overflow: base < 2^128 (else not earned) times a 16-bit multiplier.
                if multiplier { amount := div(mul(base, and(multiplier, 0xffff)), 10000) }
                // No overflow: amount < 2^131, bonus < 2^128. The count stops at MAX_EARNED.
                current := add(current, div(add(amount, bonus), _RECORD_UNIT))
                if gt(current, 0xffffffff) { current := 0xffffffff }
                fields := or(shl(64, previous), or(shl(32, current), period))
            }

            // `_earn`: the amount after the tier multiplier and the milestone bonus, and the wallet's new record at
            // m + 0x140, to be written where m + 0x120 says: 0 nowhere (no tiers or milestones), all ones in the
            // token with the points (mintWithRecord), any other value that storage slot of `_records`. Not earned
            // for a base of 2^128 or more, or when the token's answer is not one word.
            function earn(m, status, recipient, base) -> earned, amount, bonus {
                earned := iszero(shr(128, base))
                amount := base
                mstore(add(m, 0x120), 0)
                let tierPeriod := shr(224, mload(add(m, add(0x180, 101))))
                if or(tierPeriod, byte(0, mload(add(m, add(0x180, 106))))) {
                    let record := 0
                    let serial := and(shr(216, status), 0xffffffff)
                    if serial {
                        // `_loadRecord`: recordOf(recipient) on the rules' token.
                        mstore(m, shl(224, 0xc06ac6a3))
                        mstore(add(m, 0x04), recipient)
                        let held := 0
                        // The call first: Yul evaluates arguments right to left, and returndatasize() is the call's.
                        let called := staticcall(gas(), shr(96, mload(add(m, 0x180))), m, 0x24, m, 0x20)
                        switch and(called, eq(returndatasize(), 0x20))
                        case 0 { earned := 0 }
                        default { held := mload(m) }
                        let holder := shr(_RECORD_BITS, held)
                        switch or(iszero(holder), eq(holder, serial))
                        case 1 {
                            record := and(held, _RECORD_MASK)
                            mstore(add(m, 0x120), not(0))
                        }
                        default {
                            // Another campaign's: taken over if it retired (the factory says), from what `_records`
                            // holds.
                            mstore(m, shl(224, 0xcf6ebee7)) // isRetired(uint256)
                            mstore(add(m, 0x04), holder)
                            called := staticcall(gas(), mload(add(m, 0x160)), m, 0x24, m, 0x20)
                            switch and(called, eq(returndatasize(), 0x20))
                            case 0 { earned := 0 }
                            default {
                                // Not a bool: the reference path's (its ABI decoder reverts).
                                if gt(mload(m), 1) { earned := 0 }
                                if eq(mload(m), 1) {
                                    mstore(0x00, recipient)
                                    mstore(0x20, _records.slot)
                                    record := sload(keccak256(0x00, 0x40))
                                    mstore(add(m, 0x120), not(0))
                                }
                            }
                        }
                    }
                    if iszero(mload(add(m, 0x120))) {
                        mstore(0x00, recipient)
                        mstore(0x20, _records.slot)
                        mstore(add(m, 0x120), keccak256(0x00, 0x40))
                        record := sload(mload(add(m, 0x120)))
                    }
                    // The claim count (bits 96..111) stops at MAX_CLAIMS.
                    let claims := and(shr(96, record), 0xffff)
                    claims := add(claims, lt(claims, 0xffff))
                    bonus := milestoneBonus(add(m, 0x180), claims)
                    let fields := and(record, 0xffffffffffffffffffffffff)
                    if tierPeriod { amount, fields := tiered(add(m, 0x180), tierPeriod, record, base, bonus) }
                    mstore(add(m, 0x140), or(shl(96, claims), fields))
                }
            }

            // ------------------------------------------------ issuing

            // `_issue`'s checks and effects, once the channel's own checks passed (the ref and the bitmap to write
            // are at m + 0x0c0 .. 0x120, the rules at m + 0x180).
            function issue(m, status, recipient, base, channel) -> ok {
                let rules := add(m, 0x180)
                let amount, bonus
                ok, amount, bonus := earn(m, status, recipient, base)
                {
                    let endsAt := shr(192, mload(add(rules, 28)))
                    let endedAt := and(shr(128, status), 0xffffffffffffffff)
                    if and(iszero(iszero(endedAt)), lt(endedAt, endsAt)) { endsAt := endedAt }
                    // Activated (status bit 208: `active` is written as 1), started, not ended, not paused (status
                    // bits 192..199), the channel open.
                    ok := and(and(ok, and(shr(208, status), 1)), iszero(lt(timestamp(), shr(192, mload(add(rules, 20))))))
                    ok := and(
                        ok,
                        and(
                            and(lt(timestamp(), endsAt), iszero(and(shr(192, status), 0xff))),
                            and(shr(channel, byte(0, mload(add(rules, 100)))), 1)
                        )
                    )
                }
                {
                    let maxPerClaim := shr(128, mload(add(rules, 52)))
                    // A recipient, and a base of at least 1 within the maximum per claim (0: none).
                    ok := and(
                        and(ok, iszero(iszero(recipient))),
                        and(iszero(iszero(base)), or(iszero(maxPerClaim), iszero(gt(base, maxPerClaim))))
                    )
                }
                // Within the supply cap. No overflow: issued < 2^128, amount < 2^131 (base < 2^128, else not
                // earned), bonus < 2^128. Without a cap, issued is 0 and the claim alone is compared with it.
                let supplyCap := shr(128, mload(add(rules, 36)))
                let issued := add(and(status, 0xffffffffffffffffffffffffffffffff), add(amount, bonus))
                ok := and(ok, iszero(gt(issued, supplyCap)))
                if iszero(ok) { leave }

                let slot := mload(add(m, 0xe0))
                if slot { sstore(slot, mload(add(m, 0x100))) }
                // Cannot truncate: issued <= supplyCap, a uint128. A campaign without a cap (_NO_SUPPLY_CAP) does
                // not count: the status slot is not written.
                if xor(supplyCap, _NO_SUPPLY_CAP) {
                    sstore(_status.slot, or(and(status, not(0xffffffffffffffffffffffffffffffff)), issued))
                }
                // mint(recipient, amount + bonus), or mintWithRecord(recipient, amount + bonus, record) with the
                // campaign's serial above the record, on the rules' token, a contract (the factory made both): no
                // extcodesize check. A revert is passed on as is.
                let selector := 0x40c10f19
                let size := 0x44
                slot := mload(add(m, 0x120))
                switch not(slot)
                case 0 {
                    selector := 0x7d560f5a
                    mstore(add(m, 0x44), or(shl(_RECORD_BITS, and(shr(216, status), 0xffffffff)), mload(add(m, 0x140))))
                    size := 0x64
                }
                default { if slot { sstore(slot, mload(add(m, 0x140))) } }
                // The selector first: its word's zeros would clear the recipient's upper bytes.
                mstore(m, shl(224, selector))
                mstore(add(m, 0x04), recipient)
                mstore(add(m, 0x24), add(amount, bonus))
                if iszero(call(gas(), shr(96, mload(rules)), 0, m, size, 0, 0)) {
                    returndatacopy(m, 0, returndatasize())
                    revert(m, returndatasize())
                }
                // PointsIssued(recipient, channel, ref, amount, bonus)
                mstore(m, mload(add(m, 0xc0)))
                mstore(add(m, 0x20), amount)
                mstore(add(m, 0x40), bonus)
                log3(m, 0x60, _POINTS_ISSUED, recipient, channel)
            }

            // ------------------------------------------------ the three channels

            // issue(address recipient, uint256 points, uint256 spend, bytes32 ref)
            function direct(m) -> ok {
                let rules := add(m, 0x180)
                loadRules(rules)
                let status := sload(_status.slot)
                if iszero(isIssuer(rules, status, caller())) { leave }
                let base, baseOk := baseOf(rules, calldataload(0x24), calldataload(0x44))
                if iszero(baseOk) { leave }
                mstore(add(m, 0xc0), calldataload(0x64))
                mstore(add(m, 0xe0), 0)
                ok := issue(m, status, calldataload(0x04), base, 0)
            }

            // claimVoucher(Voucher voucher (0x04: id, points, spend, expiresAt, claimKey), bytes32 issuerR (0xa4),
            // bytes32 issuerVS (0xc4), address recipient (0xe4), bytes32 claimR (0x104), bytes32 claimVS (0x124))
            function voucher(m) -> ok {
                {
                    let expiresAt := calldataload(0x64)
                    // Out-of-range fields (the ABI decoder's revert) and an expired voucher are the reference path's.
                    if or(or(shr(64, expiresAt), shr(160, calldataload(0x84))), gt(timestamp(), expiresAt)) { leave }
                }
                let separator := domainSeparator(m)
                let status := sload(_status.slot)
                {
                    mstore(m, _VOUCHER_TYPEHASH)
                    calldatacopy(add(m, 0x20), 0x04, 0xa0)
                    let issuer := recover(
                        m, typedDataHash(m, separator, keccak256(m, 0xc0)), calldataload(0xa4), calldataload(0xc4)
                    )
                    if iszero(issuer) { leave }
                    loadRules(add(m, 0x180))
                    if iszero(isIssuer(add(m, 0x180), status, issuer)) { leave }
                }
                if iszero(claimSigned(m, separator, calldataload(0x84), calldataload(0xe4), 0x104)) { leave }
                if iszero(markUnclaimed(m, _claimedVouchers.slot, calldataload(0x04))) { leave }
                let base, baseOk := baseOf(add(m, 0x180), calldataload(0x24), calldataload(0x44))
                if iszero(baseOk) { leave }
                mstore(add(m, 0xc0), calldataload(0x04))
                ok := issue(m, status, calldataload(0xe4), base, 1)
            }

            // claimCode(Code code (0x04: batchId, index, points, claimKey), bytes32[] proof (offset at 0x84),
            // address recipient (0xa4), bytes32 claimR (0xc4), bytes32 claimVS (0xe4))
            function code(m) -> ok {
                // A dirty claimKey word is the ABI decoder's revert.
                if shr(160, calldataload(0x64)) { leave }
                mstore(0x00, calldataload(0x04))
                mstore(0x20, _batchRoots.slot)
                let node := sload(keccak256(0x00, 0x40))
                // An unknown batch (zero root) is the reference path's.
                if iszero(node) { leave }
                mstore(add(m, 0xc0), node) // the root, while the leaf climbs
                // The leaf of OpenZeppelin's StandardMerkleTree: keccak256(keccak256(abi.encode(index, claimKey,
                // points))), so no 64-byte internal node can pass for a leaf; then OpenZeppelin's
                // processProofCalldata: each pair hashed in sorted order (the smaller word first).
                mstore(m, calldataload(0x24))
                mstore(add(m, 0x20), calldataload(0x64))
                mstore(add(m, 0x40), calldataload(0x44))
                mstore(0x00, keccak256(m, 0x60))
                node := keccak256(0x00, 0x20)
                {
                    let p := add(calldataload(0x84), 0x24)
                    let end := add(p, shl(5, calldataload(sub(p, 0x20))))
                    if lt(p, end) {
                        for {} 1 {} {
                            let first := shl(5, lt(calldataload(p), node))
                            mstore(first, node)
                            mstore(xor(first, 0x20), calldataload(p))
                            node := keccak256(0x00, 0x40)
                            p := add(p, 0x20)
                            if iszero(lt(p, end)) { break }
                        }
                    }
                }
                if iszero(eq(node, mload(add(m, 0xc0)))) { leave }
                if iszero(claimSigned(m, domainSeparator(m), calldataload(0x64), calldataload(0xa4), 0xc4)) { leave }
                mstore(0x00, calldataload(0x04))
                mstore(0x20, _claimedCodes.slot)
                if iszero(markUnclaimed(m, keccak256(0x00, 0x40), calldataload(0x24))) { leave }
                // The ref packs both numbers, as the reference path's (see PointsIssued).
                mstore(add(m, 0xc0), or(shl(128, calldataload(0x04)), calldataload(0x24)))
                loadRules(add(m, 0x180))
                ok := issue(m, sload(_status.slot), calldataload(0xa4), calldataload(0x44), 2)
            }

            let m := mload(0x40)
            mstore(add(m, 0x160), factory_)
            switch kind
            case 0 { handled := direct(m) }
            case 1 { handled := voucher(m) }
            default { handled := code(m) }
        }
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

    /// Reverts unless the campaign was activated (see `activate`).
    function _requireActive() private view {
        if (!_status.active) revert CampaignNotActive();
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

        (uint256 amount, uint256 bonus, uint256 record) = _earn(r, status, recipient, base);
        uint256 total = amount + bonus;
        // Without a cap `issued` is always 0: the check refuses only a claim above 2^128 - 1 (see _NO_SUPPLY_CAP).
        if (status.issued + total > r.supplyCap) revert CampaignSupplyCapExceeded(status.issued, total, r.supplyCap);
        // Cannot truncate: issued + total <= supplyCap, a uint128.
        if (r.supplyCap != _NO_SUPPLY_CAP) _status.issued = uint128(status.issued + total);

        if (record >> _RECORD_BITS != 0) {
            ILoyaltyToken(r.token).mintWithRecord(recipient, total, record);
        } else {
            if (record != 0) _records[recipient] = record;
            ILoyaltyToken(r.token).mint(recipient, total);
        }
        emit PointsIssued(recipient, channel, ref, amount, bonus);
    }

    /// Points after the tier multiplier, the milestone bonus, and the wallet's record updated with both: 0 when the
    /// campaign keeps none, the record for `_records` (below 2^112, never 0 as it counts the claim), or, when it goes
    /// to the token with the points (see `_loadRecord`), the token's word: the campaign's serial above the record.
    function _earn(CampaignRules.Header memory r, Status memory status, address recipient, uint256 base)
        private
        view
        returns (uint256 amount, uint256 bonus, uint256 record)
    {
        amount = base;
        if (r.tierPeriod == 0 && r.milestoneCount == 0) return (amount, 0, 0);
        bool inToken;
        (record, inToken) = _loadRecord(r, status, recipient);
        uint256 claims = (record >> 96) & CampaignRules.MAX_CLAIMS;
        if (claims < CampaignRules.MAX_CLAIMS) ++claims;
        for (uint256 i; i < r.milestoneCount; ++i) {
            Milestone memory milestone = CampaignRules.loadMilestone(r, i);
            if (milestone.claimNumber == claims) bonus = milestone.bonus;
        }
        uint256 fields = record & ((1 << 96) - 1);
        if (r.tierPeriod != 0) {
            (uint256 current, uint256 previous) = _earnedNow(r, record);
            uint256 tier = _tier(r, (current + previous) * CampaignRules.RECORD_UNIT);
            if (tier != 0) amount = _mulDiv(base, CampaignRules.loadTier(tier - 1).multiplierBps, _BPS);
            // Each claim counts its points rounded down to a hundredth; the count stops at MAX_EARNED.
            current = Math.min(current + (amount + bonus) / CampaignRules.RECORD_UNIT, CampaignRules.MAX_EARNED);
            fields = (previous << 64) | (current << 32) | _period(r);
        }
        record = (claims << 96) | fields;
        if (inToken) record |= uint256(status.serial) << _RECORD_BITS;
    }

    /// The wallet's record, and whether it lives in the token (see `_RECORD_BITS`).
    function _loadRecord(CampaignRules.Header memory r, Status memory status, address account)
        private
        view
        returns (uint256 record, bool inToken)
    {
        if (status.serial != 0) {
            uint256 held = ILoyaltyToken(r.token).recordOf(account);
            uint256 holder = held >> _RECORD_BITS;
            if (holder == 0 || holder == status.serial) return (held & _RECORD_MASK, true);
            if (ICampaignFactory(factory).isRetired(holder)) return (_records[account], true);
        }
        return (_records[account], false);
    }

    /// Hundredths of a point earned in the current and the previous period, seen from now.
    function _earnedNow(CampaignRules.Header memory r, uint256 record) private view returns (uint256, uint256) {
        (uint256 last, uint256 current) = (record & 0xffffffff, (record >> 32) & 0xffffffff);
        uint256 period = _period(r);
        if (last == period) return (current, (record >> 64) & 0xffffffff);
        if (last + 1 == period) return (0, current);
        return (0, 0);
    }

    /// The tier period now, counted from the start, in 32 bits (it wraps after 2^32 periods).
    function _period(CampaignRules.Header memory r) private view returns (uint256) {
        if (block.timestamp <= r.startsAt) return 0;
        return ((block.timestamp - r.startsAt) / r.tierPeriod) & 0xffffffff;
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
