// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICampaign} from "../interfaces/ICampaign.sol";

/// @title CampaignRules
/// @notice Packs a campaign's rules into the immutable arguments of its clone and reads them back.
/// @dev Packed, not ABI-encoded: every byte of a clone's code costs 200 gas at creation, and ABI encoding
/// would more than double the size. Layout (byte offsets): token 0, startsAt 20, endsAt 28, supplyCap 36,
/// maxPerClaim 52, earnPoints 68, earnSpend 84, channels 100, tierPeriod 101, tier count 105,
/// milestone count 106, then the tiers (threshold 16 + multiplierBps 2 bytes each) and the milestones
/// (claimNumber 4 + bonus 16 bytes each).
library CampaignRules {
    uint256 private constant _HEADER = 107;
    uint256 private constant _TIER_SIZE = 18;
    uint256 private constant _MILESTONE_SIZE = 20;

    /// @notice Packs `rules`. Counts above 255 must be rejected by the caller.
    function encode(ICampaign.Rules memory rules) internal pure returns (bytes memory packed) {
        packed = abi.encodePacked(
            rules.token,
            rules.startsAt,
            rules.endsAt,
            rules.supplyCap,
            rules.maxPerClaim,
            rules.earnPoints,
            rules.earnSpend,
            rules.channels,
            rules.tierPeriod,
            uint8(rules.tiers.length),
            uint8(rules.milestones.length)
        );
        for (uint256 i; i < rules.tiers.length; ++i) {
            packed = bytes.concat(packed, abi.encodePacked(rules.tiers[i].threshold, rules.tiers[i].multiplierBps));
        }
        for (uint256 i; i < rules.milestones.length; ++i) {
            packed = bytes.concat(
                packed, abi.encodePacked(rules.milestones[i].claimNumber, rules.milestones[i].bonus)
            );
        }
    }

    /// @notice Unpacks rules written by `encode`.
    function decode(bytes memory packed) internal pure returns (ICampaign.Rules memory rules) {
        rules.token = address(uint160(_read(packed, 0, 160)));
        rules.startsAt = uint64(_read(packed, 20, 64));
        rules.endsAt = uint64(_read(packed, 28, 64));
        rules.supplyCap = uint128(_read(packed, 36, 128));
        rules.maxPerClaim = uint128(_read(packed, 52, 128));
        rules.earnPoints = uint128(_read(packed, 68, 128));
        rules.earnSpend = uint128(_read(packed, 84, 128));
        rules.channels = uint8(_read(packed, 100, 8));
        rules.tierPeriod = uint32(_read(packed, 101, 32));
        uint256 tierCount = _read(packed, 105, 8);
        uint256 milestoneCount = _read(packed, 106, 8);
        rules.tiers = new ICampaign.Tier[](tierCount);
        uint256 offset = _HEADER;
        for (uint256 i; i < tierCount; ++i) {
            rules.tiers[i] = ICampaign.Tier(uint128(_read(packed, offset, 128)), uint16(_read(packed, offset + 16, 16)));
            offset += _TIER_SIZE;
        }
        rules.milestones = new ICampaign.Milestone[](milestoneCount);
        for (uint256 i; i < milestoneCount; ++i) {
            rules.milestones[i] =
                ICampaign.Milestone(uint32(_read(packed, offset, 32)), uint128(_read(packed, offset + 4, 128)));
            offset += _MILESTONE_SIZE;
        }
    }

    /// Reads the `bits`-wide big-endian value at byte `offset` of `packed`.
    function _read(bytes memory packed, uint256 offset, uint256 bits) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(sub(256, bits), mload(add(add(packed, 0x20), offset)))
        }
    }
}
