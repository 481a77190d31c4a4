import { describe, expect, it } from "vitest";
import { bonusPercent, nextMilestone, tierName, tierStanding } from "./standing";

const ONE = 10n ** 18n;
const DAY = 86_400;
const rules = {
  startsAt: 1_000_000n,
  tierPeriod: 30 * DAY,
  tiers: [
    { threshold: 40n * ONE, multiplierBps: 11_000 },
    { threshold: 200n * ONE, multiplierBps: 12_500 },
  ],
  milestones: [
    { claimNumber: 5, bonus: 10n * ONE },
    { claimNumber: 10, bonus: 25n * ONE },
  ],
};

describe("tierStanding", () => {
  it("shows the points missing for the next tier and the period's end", () => {
    const now = 1_000_000 + 45 * DAY;
    const standing = tierStanding(rules, { tier: 1, current: 30n * ONE, previous: 23n * ONE }, now);
    expect(standing).toEqual({
      tier: 1,
      multiplierBps: 11_000,
      qualifying: 53n * ONE,
      periodEndsAt: 1_000_000 + 60 * DAY,
      next: { tier: 2, threshold: 200n * ONE, missing: 147n * ONE, multiplierBps: 12_500 },
      toKeep: 10n * ONE,
    });
  });

  it("has no next tier at the top, and nothing to keep when this period's points already qualify", () => {
    const standing = tierStanding(rules, { tier: 2, current: 250n * ONE, previous: 0n }, 1_000_100);
    expect(standing.next).toBeUndefined();
    expect(standing.toKeep).toBe(0n);
  });

  it("is plain membership for a campaign without tiers", () => {
    expect(tierStanding({ ...rules, tiers: [], tierPeriod: 0 }, { tier: 0, current: 0n, previous: 0n }, 5)).toEqual({
      tier: 0,
      multiplierBps: 10_000,
      qualifying: 0n,
    });
  });
});

describe("nextMilestone", () => {
  it("finds the next stamp-card bonus and how many claims away it is", () => {
    expect(nextMilestone(rules, 0)).toEqual({ claimNumber: 5, claimsToGo: 5, bonus: 10n * ONE });
    expect(nextMilestone(rules, 6)).toEqual({ claimNumber: 10, claimsToGo: 4, bonus: 25n * ONE });
    expect(nextMilestone(rules, 10)).toBeUndefined();
  });
});

describe("names", () => {
  it("names tiers and their bonus", () => {
    expect(tierName(0)).toBe("Member");
    expect(tierName(2)).toBe("Tier 2");
    expect(tierName(2, ["Silver", "Gold"])).toBe("Gold");
    expect(bonusPercent(12_500)).toBe("+25 %");
    expect(bonusPercent(10_750)).toBe("+7.5 %");
  });
});
