import { describe, expect, it } from "vitest";
import {
  MAX_CLAIMS,
  MAX_CLAIM_NUMBER,
  MAX_EARNED_PER_PERIOD,
  MAX_TIER_THRESHOLD,
  RECORD_UNIT,
  type TierRules,
  earnedAt,
  newTierAccount,
  nextMilestone,
  recordClaim,
  recordedPoints,
  tierAt,
  tierPeriodAt,
  tierProgress,
} from "./tiers";

const START = 1_000_000;
const WEEK = 604_800;
/** One point in base units (18 decimals). */
const P = 10n ** 18n;
const RULES: TierRules = {
  startsAt: BigInt(START),
  tierPeriod: WEEK,
  tiers: [
    { threshold: 100n * P, multiplierBps: 12_500 },
    { threshold: 300n * P, multiplierBps: 15_000 },
  ],
  milestones: [
    { claimNumber: 5, bonus: 10n * P },
    { claimNumber: 2, bonus: 3n * P },
    { claimNumber: 5, bonus: 12n * P },
  ],
};

describe("tiers", () => {
  it("counts periods from the start, with everything up to the start in period 0", () => {
    expect([START - 50, START, START + 1, START + WEEK - 1, START + WEEK].map((t) => tierPeriodAt(RULES, t))).toEqual([
      0, 0, 0, 0, 1,
    ]);
  });

  it("keeps the current and previous period's earnings, and forgets a skipped period", () => {
    const account = newTierAccount();
    recordClaim(RULES, account, START + 10, 60n * P);
    recordClaim(RULES, account, START + WEEK + 10, 50n * P);
    expect(account).toEqual({ period: 1, current: 50n * P, previous: 60n * P, claims: 2 });
    expect(tierAt(RULES, account, START + WEEK + 20)).toBe(1);
    // Seen from the next period, only period 1's 50 count; two periods on, nothing.
    expect(earnedAt(RULES, account, START + 2 * WEEK)).toEqual({ current: 0n, previous: 50n * P });
    expect(tierAt(RULES, account, START + 3 * WEEK)).toBe(0);
    recordClaim(RULES, account, START + 3 * WEEK, 400n * P);
    expect(account).toMatchObject({ period: 3, current: 400n * P, previous: 0n });
    expect(tierAt(RULES, account, START + 3 * WEEK)).toBe(2);
  });

  it("says what the next tier needs and what keeps the current one into the next period", () => {
    const account = newTierAccount();
    recordClaim(RULES, account, START + 10, 80n * P);
    recordClaim(RULES, account, START + WEEK + 10, 40n * P);
    expect(tierProgress(RULES, account, START + WEEK + 20)).toEqual({
      tier: 1,
      qualifying: 120n * P,
      periodEndsAt: START + 2 * WEEK,
      next: { tier: 2, threshold: 300n * P, missing: 180n * P, multiplierBps: 15_000 },
      toKeep: 60n * P,
    });
    expect(tierProgress({ ...RULES, tierPeriod: 0 }, account, START)).toEqual({ tier: 0, qualifying: 0n });
  });

  it("finds the next milestone, the later of two on the same claim as the contract pays", () => {
    expect(nextMilestone(RULES, 0)).toEqual({ claimNumber: 2, claimsToGo: 2, bonus: 3n * P });
    expect(nextMilestone(RULES, 2)).toEqual({ claimNumber: 5, claimsToGo: 3, bonus: 12n * P });
    expect(nextMilestone(RULES, 5)).toBeUndefined();
  });
});

describe("the record's hundredths and limits", () => {
  it("counts each claim rounded down to a hundredth of a point", () => {
    const account = newTierAccount();
    // 1.176470588235294117 points (20/17, rounded down to base units) counts 1.17.
    recordClaim(RULES, account, START + 10, 1_176_470_588_235_294_117n);
    expect(account.current).toBe(117n * RECORD_UNIT);
    // Rounded per claim, not on the sum: two claims of 0.005 points count nothing.
    recordClaim(RULES, account, START + 20, 5n * 10n ** 15n);
    recordClaim(RULES, account, START + 30, 5n * 10n ** 15n);
    expect(account).toEqual({ period: 0, current: 117n * RECORD_UNIT, previous: 0n, claims: 3 });
    expect(recordedPoints(P + RECORD_UNIT - 1n)).toBe(P);
  });

  it("misses a tier that the exact points would reach", () => {
    const account = newTierAccount();
    // Three claims of 33.339 points: 100.017 points issued, 99.99 counted, below the 100-point tier.
    for (const t of [10, 20, 30]) recordClaim(RULES, account, START + t, 33_339n * 10n ** 15n);
    expect(account.current).toBe(9_999n * RECORD_UNIT);
    expect(tierAt(RULES, account, START + 40)).toBe(0);
    expect(tierProgress(RULES, account, START + 40).next?.missing).toBe(RECORD_UNIT);
  });

  it("rounds what a tier still needs up to a hundredth, so a claim of that much reaches it", () => {
    const rules: TierRules = { ...RULES, tiers: [{ threshold: 100n * P + 5n * 10n ** 15n, multiplierBps: 12_500 }] };
    const account = newTierAccount();
    recordClaim(rules, account, START + 10, 60n * P);
    const missing = tierProgress(rules, account, START + 20).next!.missing;
    // 40.005 points short; the record counts 40.01.
    expect(missing).toBe(40n * P + RECORD_UNIT);
    recordClaim(rules, account, START + 20, missing - 1n);
    expect(tierAt(rules, account, START + 30)).toBe(0);
    const exact = recordClaim(rules, newTierAccount(), START + 10, 60n * P);
    recordClaim(rules, exact, START + 20, missing);
    expect(tierAt(rules, exact, START + 30)).toBe(1);
    // What keeps the tier is rounded up the same way.
    expect(tierProgress(rules, exact, START + 30).toKeep).toBe(0n);
    expect(tierProgress(rules, exact, START + WEEK).toKeep).toBe(100n * P + RECORD_UNIT);
  });

  it("stops a period's count at 42,949,672.95 points, and carries it into the next period", () => {
    expect(MAX_EARNED_PER_PERIOD).toBe(4_294_967_295n * 10n ** 16n);
    expect(MAX_TIER_THRESHOLD).toBe(MAX_EARNED_PER_PERIOD);
    const rules: TierRules = { ...RULES, tiers: [{ threshold: MAX_TIER_THRESHOLD, multiplierBps: 12_500 }] };
    const account = newTierAccount();
    recordClaim(rules, account, START + 10, 42_949_672n * P);
    expect(tierAt(rules, account, START + 10)).toBe(0);
    recordClaim(rules, account, START + 20, 5n * P);
    expect(account.current).toBe(MAX_EARNED_PER_PERIOD);
    expect(tierAt(rules, account, START + 20)).toBe(1);
    // A huge claim neither reverts nor moves the count.
    recordClaim(rules, account, START + 30, 2n ** 120n);
    expect(account).toEqual({ period: 0, current: MAX_EARNED_PER_PERIOD, previous: 0n, claims: 3 });
    recordClaim(rules, account, START + WEEK, 1n * P);
    expect(account).toEqual({ period: 1, current: 1n * P, previous: MAX_EARNED_PER_PERIOD, claims: 4 });
  });

  it("stops the claim count at 65,535, so a milestone on claim 65,534 pays once", () => {
    expect([MAX_CLAIMS, MAX_CLAIM_NUMBER]).toEqual([65_535, 65_534]);
    const rules: TierRules = { ...RULES, milestones: [{ claimNumber: MAX_CLAIM_NUMBER, bonus: 7n * P }] };
    const account = newTierAccount();
    const paidOn: number[] = [];
    for (let claim = 1; claim <= 70_000; claim++) {
      const next = nextMilestone(rules, account.claims);
      recordClaim(rules, account, START + 10, P);
      // The contract pays a milestone when the claim count after the claim equals its number.
      if (rules.milestones.some((milestone) => milestone.claimNumber === account.claims)) paidOn.push(claim);
      if (claim === MAX_CLAIM_NUMBER) expect(next).toEqual({ claimNumber: MAX_CLAIM_NUMBER, claimsToGo: 1, bonus: 7n * P });
    }
    expect(paidOn).toEqual([MAX_CLAIM_NUMBER]);
    expect(account.claims).toBe(MAX_CLAIMS);
    expect(nextMilestone(rules, account.claims)).toBeUndefined();
  });

  it("keeps no record for a campaign without tiers or milestones, and counts claims alone with milestones only", () => {
    const plain: TierRules = { ...RULES, tierPeriod: 0, tiers: [], milestones: [] };
    expect(recordClaim(plain, newTierAccount(), START + 10, 5n * P)).toEqual(newTierAccount());
    const stamps: TierRules = { ...plain, milestones: RULES.milestones };
    expect(recordClaim(stamps, newTierAccount(), START + 10, 5n * P)).toEqual({ ...newTierAccount(), claims: 1 });
  });

  it("numbers periods in 32 bits: the period after 2^32 - 1 is 0, which does not follow it", () => {
    const rules: TierRules = { ...RULES, startsAt: 0n, tierPeriod: 1 };
    expect(tierPeriodAt(rules, 2 ** 32 + 5)).toBe(5);
    const account = newTierAccount();
    recordClaim(rules, account, 2 ** 32 - 1, 50n * P);
    expect(account).toMatchObject({ period: 2 ** 32 - 1, current: 50n * P });
    // Period 0 again: the contract compares 2^32 - 1 + 1 with 0 without wrapping, so period 2^32 - 1 is forgotten.
    expect(earnedAt(rules, account, 2 ** 32)).toEqual({ current: 0n, previous: 0n });
    recordClaim(rules, account, 2 ** 32, 1n * P);
    expect(account).toMatchObject({ period: 0, current: 1n * P, previous: 0n });
    // The period still ends a period after the timestamp's own, unwrapped.
    expect(tierProgress(rules, account, 2 ** 32).periodEndsAt).toBe(2 ** 32 + 1);
  });
});
