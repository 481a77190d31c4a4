import { type Address, formatUnits } from "viem";
import { Channel, type BrandStats, type Cohort, type StatsEvent } from "@perks/sdk";

// Chart rows from the SDK's statistics (sdk/src/stats.ts): numbers for the axes, one row per period.

export interface SeriesRow {
  /** The period's first second. */
  start: number;
  label: string;
  issued: number;
  claimed: number;
  redeemed: number;
}

const points = (amount: bigint) => Number(formatUnits(amount, 18));

/** Points claimed with vouchers and printed codes per period, for `campaigns`: the SDK counts them in total only. */
export function claimedByPeriod(
  events: readonly StatsEvent[],
  campaigns: readonly Address[],
  { periodSeconds, periodOrigin }: { periodSeconds: number; periodOrigin: number },
): Map<number, bigint> {
  const followed = new Set(campaigns.map((campaign) => campaign.toLowerCase()));
  const claimed = new Map<number, bigint>();
  for (const event of events) {
    if (event.eventName !== "PointsIssued" || !followed.has(event.address.toLowerCase())) continue;
    if (event.args.channel === Channel.Direct) continue;
    const period = Math.floor((event.timestamp - periodOrigin) / periodSeconds);
    claimed.set(period, (claimed.get(period) ?? 0n) + event.args.amount + event.args.bonus);
  }
  return claimed;
}

/** Issued, claimed and redeemed points per period over the brand's life, empty periods included. */
export function activitySeries(
  brand: Pick<BrandStats, "periods">,
  claimed: ReadonlyMap<number, bigint>,
  { periodSeconds, periodOrigin }: { periodSeconds: number; periodOrigin: number },
): SeriesRow[] {
  if (brand.periods.length === 0) return [];
  const byPeriod = new Map(brand.periods.map((period) => [period.period, period]));
  const first = brand.periods[0].period;
  const last = brand.periods[brand.periods.length - 1].period;
  const rows: SeriesRow[] = [];
  for (let period = first; period <= last; period++) {
    const start = periodOrigin + period * periodSeconds;
    const stats = byPeriod.get(period);
    rows.push({
      start,
      label: periodLabel(start, periodSeconds),
      issued: points(stats?.issued ?? 0n),
      claimed: points(claimed.get(period) ?? 0n),
      redeemed: points(stats?.redeemed ?? 0n),
    });
  }
  return rows;
}

export function periodLabel(start: number, periodSeconds: number): string {
  const date = new Date(start * 1000);
  return periodSeconds < 86_400
    ? date.toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString("en-US", { month: "short", day: "numeric" });
}

/** A cohort's retention as shares of its size, `k` periods after the first (0: the first period itself). */
export function retentionShares(cohort: Cohort): number[] {
  return cohort.retained.map((count) => (cohort.size === 0 ? 0 : (count ?? 0) / cohort.size));
}

/** A rate as "42 %", or "—" when unknown. */
export function percent(rate: number | undefined): string {
  return rate === undefined || !Number.isFinite(rate) ? "—" : `${Math.round(rate * 1000) / 10} %`;
}

/** The claim rate over the channels whose issued count is known (codes published on chain, vouchers this
 * device printed): a channel with an unknown count would only inflate the rate. */
export function combinedClaimRate(...channels: { claimed: number; issued?: number }[]): number | undefined {
  const known = channels.filter((channel) => channel.issued !== undefined && channel.issued > 0);
  if (known.length === 0) return undefined;
  const issued = known.reduce((sum, channel) => sum + channel.issued!, 0);
  return known.reduce((sum, channel) => sum + channel.claimed, 0) / issued;
}
