import { describe, expect, it } from "vitest";
import type { StatsEvent } from "@perks/sdk";
import { activitySeries, claimedByPeriod, percent, retentionShares } from "./statsSeries";

const ONE = 10n ** 18n;
const DAY = 86_400;
const CAMPAIGN = "0x00000000000000000000000000000000000000c1";
const OTHER = "0x00000000000000000000000000000000000000c2";
const period = { periodSeconds: DAY, periodOrigin: 0 };

function issued(address: string, day: number, channel: number, amount: bigint, bonus = 0n): StatsEvent {
  return {
    address,
    eventName: "PointsIssued",
    timestamp: day * DAY + 60,
    args: { recipient: "0x0000000000000000000000000000000000000a11", channel, ref: 0n, amount, bonus },
  } as StatsEvent;
}

describe("statistics series", () => {
  it("counts vouchers and codes as claimed per period, not direct issues or other campaigns", () => {
    const events = [
      issued(CAMPAIGN, 1, 0, 5n * ONE),
      issued(CAMPAIGN, 1, 1, 2n * ONE, ONE),
      issued(CAMPAIGN, 3, 2, 4n * ONE),
      issued(OTHER, 3, 2, 9n * ONE),
    ];
    expect([...claimedByPeriod(events, [CAMPAIGN], period)]).toEqual([
      [1, 3n * ONE],
      [3, 4n * ONE],
    ]);
  });

  it("fills empty periods between the first and the last", () => {
    const brand = {
      periods: [
        { period: 1, start: DAY, activeWallets: 1, newWallets: 1, issued: 7n * ONE, redeemed: 0n },
        { period: 3, start: 3 * DAY, activeWallets: 1, newWallets: 0, issued: 4n * ONE, redeemed: 2n * ONE },
      ],
    };
    const rows = activitySeries(brand, new Map([[1, 3n * ONE]]), period);
    expect(rows.map(({ start, issued, claimed, redeemed }) => [start / DAY, issued, claimed, redeemed])).toEqual([
      [1, 7, 3, 0],
      [2, 0, 0, 0],
      [3, 4, 0, 2],
    ]);
  });

  it("turns cohorts into shares and rates into percentages", () => {
    expect(retentionShares({ period: 0, start: 0, size: 4, retained: [4, 2, 1] })).toEqual([1, 0.5, 0.25]);
    expect(percent(0.4567)).toBe("45.7 %");
    expect(percent(undefined)).toBe("—");
  });
});

describe("claim rate and money", () => {
  it("only counts channels whose issued count is known", async () => {
    const { combinedClaimRate } = await import("./statsSeries");
    expect(combinedClaimRate({ claimed: 2 }, { claimed: 1, issued: 8 })).toBe(0.125);
    expect(combinedClaimRate({ claimed: 2, issued: 4 }, { claimed: 1, issued: 8 })).toBe(0.25);
    expect(combinedClaimRate({ claimed: 2 }, { claimed: 0, issued: 0 })).toBeUndefined();
  });

  it("shows liability to the cent", async () => {
    const { formatMillionths } = await import("./units");
    expect(formatMillionths(199_360n)).toBe("$0.20");
    expect(formatMillionths(1_234_567_890n)).toBe("$1,234.57");
  });
});
