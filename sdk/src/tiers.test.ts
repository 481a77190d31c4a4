import { describe, expect, it } from "vitest";
import {
  type TierRules,
  earnedAt,
  newTierAccount,
  nextMilestone,
  recordClaim,
  tierAt,
  tierPeriodAt,
  tierProgress,
} from "./tiers";

const START = 1_000_000;
const WEEK = 604_800;
const RULES: TierRules = {
  startsAt: BigInt(START),
  tierPeriod: WEEK,
  tiers: [
    { threshold: 100n, multiplierBps: 12_500 },
    { threshold: 300n, multiplierBps: 15_000 },
  ],
  milestones: [
    { claimNumber: 5, bonus: 10n },
    { claimNumber: 2, bonus: 3n },
    { claimNumber: 5, bonus: 12n },
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
    recordClaim(RULES, account, START + 10, 60n);
    recordClaim(RULES, account, START + WEEK + 10, 50n);
    expect(account).toEqual({ period: 1, current: 50n, previous: 60n, claims: 2 });
    expect(tierAt(RULES, account, START + WEEK + 20)).toBe(1);
    // Seen from the next period, only period 1's 50 count; two periods on, nothing.
    expect(earnedAt(RULES, account, START + 2 * WEEK)).toEqual({ current: 0n, previous: 50n });
    expect(tierAt(RULES, account, START + 3 * WEEK)).toBe(0);
    recordClaim(RULES, account, START + 3 * WEEK, 400n);
    expect(account).toMatchObject({ period: 3, current: 400n, previous: 0n });
    expect(tierAt(RULES, account, START + 3 * WEEK)).toBe(2);
  });

  it("says what the next tier needs and what keeps the current one into the next period", () => {
    const account = newTierAccount();
    recordClaim(RULES, account, START + 10, 80n);
    recordClaim(RULES, account, START + WEEK + 10, 40n);
    expect(tierProgress(RULES, account, START + WEEK + 20)).toEqual({
      tier: 1,
      qualifying: 120n,
      periodEndsAt: START + 2 * WEEK,
      next: { tier: 2, threshold: 300n, missing: 180n, multiplierBps: 15_000 },
      toKeep: 60n,
    });
    expect(tierProgress({ ...RULES, tierPeriod: 0 }, account, START)).toEqual({ tier: 0, qualifying: 0n });
  });

  it("finds the next milestone, the later of two on the same claim as the contract pays", () => {
    expect(nextMilestone(RULES, 0)).toEqual({ claimNumber: 2, claimsToGo: 2, bonus: 3n });
    expect(nextMilestone(RULES, 2)).toEqual({ claimNumber: 5, claimsToGo: 3, bonus: 12n });
    expect(nextMilestone(RULES, 5)).toBeUndefined();
  });
});
