// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICampaign} from "../interfaces/ICampaign.sol";

/// @title CampaignRules
/// @notice Packs a campaign's rules into the immutable arguments of its clone, and reads them back from the
/// running clone's own code.
/// @dev Packed, not ABI-encoded: every byte of a clone's code costs 200 gas at creation, and ABI encoding would
/// more than double the size. Reading is an EXTCODECOPY of the clone's own (warm) code: cheaper than a cold
/// storage read per field. Layout (byte offsets into the arguments): token 0, startsAt 20, endsAt 28,
/// supplyCap 36, maxPerClaim 52, earnPoints 68, earnSpend 84, channels 100, tierPeriod 101, tier count 105,
/// milestone count 106, issuer count 107, then the tiers (threshold 16 + multiplierBps 2 bytes each), the
/// milestones (claimNumber 4 + bonus 16 bytes each) and the issuer keys named at creation (20 bytes each).
library CampaignRules {
    /// @notice The fixed-size part of the rules; tiers, milestones and issuers are read one at a time.
    struct Header {
        address token;
        uint64 startsAt;
        uint64 endsAt;
        uint128 supplyCap;
        uint128 maxPerClaim;
        uint128 earnPoints;
        uint128 earnSpend;
        uint8 channels;
        uint32 tierPeriod;
        uint256 tierCount;
        uint256 milestoneCount;
        uint256 issuerCount;
    }

    /// @notice Most issuer keys the arguments hold: each has a revocation bit in the campaign's status slot.
    uint256 internal constant MAX_ISSUERS = 8;

    /// @notice Base units of the hundredth of a point that a wallet's record counts earnings in (18 decimals).
    uint256 internal constant RECORD_UNIT = 1e16;
    /// @notice Most hundredths of a point a wallet's record counts per period (32 bits; see ICampaign.accountOf).
    uint256 internal constant MAX_EARNED = 0xffffffff;
    /// @notice The highest tier threshold: every count the record reaches compares as it would exactly.
    uint256 internal constant MAX_THRESHOLD = MAX_EARNED * RECORD_UNIT;
    /// @notice Where a wallet's claim count stops (16 bits).
    uint256 internal constant MAX_CLAIMS = 0xffff;
    /// @notice The highest milestone claim number: below the count's limit, which every later claim would repeat.
    uint256 internal constant MAX_CLAIM_NUMBER = MAX_CLAIMS - 1;

    /// Where the arguments start in an EIP-1167 clone's code: after the 45-byte proxy.
    uint256 private constant _ARGS = 45;
    uint256 private constant _HEADER_SIZE = 108;
    uint256 private constant _TIER_SIZE = 18;
    uint256 private constant _MILESTONE_SIZE = 20;
    uint256 private constant _ISSUER_SIZE = 20;

    /// @notice Packs `rules`. Counts above 255 (issuers above `MAX_ISSUERS`) must be rejected by the caller.
    function encode(ICampaign.Rules memory rules) internal pure returns (bytes memory packed) {
        uint256 size = _HEADER_SIZE + rules.tiers.length * _TIER_SIZE + rules.milestones.length * _MILESTONE_SIZE
            + rules.issuers.length * _ISSUER_SIZE;
        // One allocation with a word of slack: each field is stored as a full word, the next field overwrites the
        // excess, and the last one's excess lands in the slack.
        packed = new bytes(size + 32);
        uint256 offset = _put(packed, 0, uint160(rules.token), 20);
        offset = _put(packed, offset, rules.startsAt, 8);
        offset = _put(packed, offset, rules.endsAt, 8);
        offset = _put(packed, offset, rules.supplyCap, 16);
        offset = _put(packed, offset, rules.maxPerClaim, 16);
        offset = _put(packed, offset, rules.earnPoints, 16);
        offset = _put(packed, offset, rules.earnSpend, 16);
        offset = _put(packed, offset, rules.channels, 1);
        offset = _put(packed, offset, rules.tierPeriod, 4);
        offset = _put(packed, offset, rules.tiers.length, 1);
        offset = _put(packed, offset, rules.milestones.length, 1);
        offset = _put(packed, offset, rules.issuers.length, 1);
        for (uint256 i; i < rules.tiers.length; ++i) {
            offset = _put(packed, offset, rules.tiers[i].threshold, 16);
            offset = _put(packed, offset, rules.tiers[i].multiplierBps, 2);
        }
        for (uint256 i; i < rules.milestones.length; ++i) {
            offset = _put(packed, offset, rules.milestones[i].claimNumber, 4);
            offset = _put(packed, offset, rules.milestones[i].bonus, 16);
        }
        for (uint256 i; i < rules.issuers.length; ++i) {
            offset = _put(packed, offset, uint160(rules.issuers[i]), 20);
        }
        assembly ("memory-safe") {
            mstore(packed, size)
        }
    }

    /// @notice The header of the running clone's rules. Only meaningful inside a clone.
    function loadHeader() internal view returns (Header memory header) {
        assembly ("memory-safe") {
            // Scratch space past the free memory pointer; nothing is allocated while it is in use.
            let ptr := mload(0x40)
            extcodecopy(address(), ptr, _ARGS, _HEADER_SIZE)
            mstore(header, shr(96, mload(ptr)))
            mstore(add(header, 0x20), shr(192, mload(add(ptr, 20))))
            mstore(add(header, 0x40), shr(192, mload(add(ptr, 28))))
            mstore(add(header, 0x60), shr(128, mload(add(ptr, 36))))
            mstore(add(header, 0x80), shr(128, mload(add(ptr, 52))))
            mstore(add(header, 0xa0), shr(128, mload(add(ptr, 68))))
            mstore(add(header, 0xc0), shr(128, mload(add(ptr, 84))))
            mstore(add(header, 0xe0), shr(248, mload(add(ptr, 100))))
            mstore(add(header, 0x100), shr(224, mload(add(ptr, 101))))
            mstore(add(header, 0x120), shr(248, mload(add(ptr, 105))))
            mstore(add(header, 0x140), shr(248, mload(add(ptr, 106))))
            mstore(add(header, 0x160), shr(248, mload(add(ptr, 107))))
        }
    }

    /// @notice Tier `index` (below `header.tierCount`) of the running clone.
    function loadTier(uint256 index) internal view returns (ICampaign.Tier memory tier) {
        uint256 word = _loadWord(_HEADER_SIZE + index * _TIER_SIZE);
        tier.threshold = uint128(word >> 128);
        tier.multiplierBps = uint16(word >> 112);
    }

    /// @notice Milestone `index` (below `header.milestoneCount`) of the running clone.
    function loadMilestone(Header memory header, uint256 index) internal view returns (ICampaign.Milestone memory) {
        uint256 word = _loadWord(_HEADER_SIZE + header.tierCount * _TIER_SIZE + index * _MILESTONE_SIZE);
        return ICampaign.Milestone(uint32(word >> 224), uint128(word >> 96));
    }

    /// @notice Issuer key `index` (below `header.issuerCount`) named at the running clone's creation.
    function loadIssuer(Header memory header, uint256 index) internal view returns (address) {
        uint256 offset = _HEADER_SIZE + header.tierCount * _TIER_SIZE + header.milestoneCount * _MILESTONE_SIZE;
        return address(uint160(_loadWord(offset + index * _ISSUER_SIZE) >> 96));
    }

    /// @notice Position of `account` among the issuer keys named at creation, or `MAX_ISSUERS` when it is not one.
    function issuerIndex(Header memory header, address account) internal view returns (uint256) {
        for (uint256 i; i < header.issuerCount; ++i) {
            if (loadIssuer(header, i) == account) return i;
        }
        return MAX_ISSUERS;
    }

    /// @notice All the rules of the running clone.
    function load() internal view returns (ICampaign.Rules memory rules) {
        Header memory header = loadHeader();
        rules.token = header.token;
        rules.startsAt = header.startsAt;
        rules.endsAt = header.endsAt;
        rules.supplyCap = header.supplyCap;
        rules.maxPerClaim = header.maxPerClaim;
        rules.earnPoints = header.earnPoints;
        rules.earnSpend = header.earnSpend;
        rules.channels = header.channels;
        rules.tierPeriod = header.tierPeriod;
        rules.tiers = new ICampaign.Tier[](header.tierCount);
        for (uint256 i; i < header.tierCount; ++i) {
            rules.tiers[i] = loadTier(i);
        }
        rules.milestones = new ICampaign.Milestone[](header.milestoneCount);
        for (uint256 i; i < header.milestoneCount; ++i) {
            rules.milestones[i] = loadMilestone(header, i);
        }
        rules.issuers = new address[](header.issuerCount);
        for (uint256 i; i < header.issuerCount; ++i) {
            rules.issuers[i] = loadIssuer(header, i);
        }
    }

    /// Writes the low `size` bytes of `value` big-endian at `offset` of `packed`; returns the next offset.
    function _put(bytes memory packed, uint256 offset, uint256 value, uint256 size) private pure returns (uint256) {
        assembly ("memory-safe") {
            mstore(add(add(packed, 0x20), offset), shl(sub(256, mul(size, 8)), value))
        }
        return offset + size;
    }

    /// The 32 bytes of the running clone's code starting at argument byte `offset` (zero-padded past the end).
    function _loadWord(uint256 offset) private view returns (uint256 word) {
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, add(_ARGS, offset), 0x20)
            word := mload(0x00)
        }
    }
}
