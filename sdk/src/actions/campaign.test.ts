import { encodePacked } from "viem";
import { describe, expect, it } from "vitest";
import { Channel, channelMask, decodePackedRules, isChannelOpen } from "./campaign";

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** Rules packed as `CampaignRules.encode` packs them. */
const ISSUER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

function pack(tiers: [bigint, number][], milestones: [number, bigint][], issuers: `0x${string}`[] = []) {
  return encodePacked(
    ["address", "uint64", "uint64", "uint128", "uint128", "uint128", "uint128", "uint8", "uint32", "uint8", "uint8", "uint8"],
    [
      TOKEN,
      1_700_000_000n,
      1_800_000_000n,
      10n ** 24n,
      0n,
      10n ** 18n,
      500n,
      0b011,
      604_800,
      tiers.length,
      milestones.length,
      issuers.length,
    ],
  ).concat(
    tiers.map(([threshold, bps]) => encodePacked(["uint128", "uint16"], [threshold, bps]).slice(2)).join(""),
    milestones.map(([claim, bonus]) => encodePacked(["uint32", "uint128"], [claim, bonus]).slice(2)).join(""),
    issuers.map((issuer) => issuer.slice(2)).join(""),
  ) as `0x${string}`;
}

describe("decodePackedRules", () => {
  it("unpacks the header, the tiers, the milestones and the issuer keys", () => {
    expect(
      decodePackedRules(
        pack(
          [
            [100n, 12_500],
            [500n, 15_000],
          ],
          [[3, 7n]],
          [ISSUER],
        ),
      ),
    ).toEqual({
      token: TOKEN,
      startsAt: 1_700_000_000n,
      endsAt: 1_800_000_000n,
      supplyCap: 10n ** 24n,
      maxPerClaim: 0n,
      earnPoints: 10n ** 18n,
      earnSpend: 500n,
      channels: 0b011,
      tierPeriod: 604_800,
      tiers: [
        { threshold: 100n, multiplierBps: 12_500 },
        { threshold: 500n, multiplierBps: 15_000 },
      ],
      milestones: [{ claimNumber: 3, bonus: 7n }],
      issuers: [ISSUER],
    });
  });

  it("refuses bytes cut short or followed by more", () => {
    const packed = pack([[100n, 12_500]], []);
    expect(() => decodePackedRules(packed.slice(0, -2) as `0x${string}`)).toThrow(RangeError);
    expect(() => decodePackedRules(`${packed}00`)).toThrow(RangeError);
  });
});

describe("channels", () => {
  it("builds and reads the channel mask", () => {
    const channels = channelMask(Channel.Direct, Channel.Batch);
    expect(channels).toBe(0b101);
    expect([Channel.Direct, Channel.Voucher, Channel.Batch].map((c) => isChannelOpen({ channels }, c))).toEqual([
      true,
      false,
      true,
    ]);
  });
});
