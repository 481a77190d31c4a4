import { formatDown, formatMoneyUnits } from "./units";

// What a merchant sees before deploying: the earn rate applied to an example purchase, per tier, computed the way
// the campaign does (spend × earnPoints / earnSpend rounded down, then the tier multiplier rounded down).

const BPS = 10_000n;

/** Base units of points a spend (currency minor units) earns before any tier. */
export function pointsForSpend(spend: bigint, earnPoints: bigint, earnSpend: bigint): bigint {
  return earnSpend === 0n ? 0n : (spend * earnPoints) / earnSpend;
}

export function withMultiplier(points: bigint, multiplierBps: number | bigint): bigint {
  return (points * BigInt(multiplierBps)) / BPS;
}

/** "a 12.34 purchase earns 2.46 points", or undefined without an earn rate. */
export function earnSentence(spend: bigint, earnPoints: bigint, earnSpend: bigint, symbol = "points"): string | undefined {
  if (earnPoints === 0n || earnSpend === 0n) return undefined;
  return `a ${formatMoneyUnits(spend)} purchase earns ${formatDown(pointsForSpend(spend, earnPoints, earnSpend))} ${symbol}`;
}

/** "1 point per 5.00 spent" */
export function earnRateText(earnPoints: bigint, earnSpend: bigint, symbol = "points"): string {
  if (earnPoints === 0n || earnSpend === 0n) return "No earn rate: every issue names its points.";
  return `${formatDown(earnPoints, 18, 6)} ${symbol} per ${formatMoneyUnits(earnSpend)} spent`;
}

export interface TierPreviewRow {
  name: string;
  threshold: string;
  multiplier: string;
  /** Points the example purchase earns at this tier; undefined without an earn rate. */
  example?: string;
}

/** The tiers table: no tier first, then each tier with what the example purchase earns there. */
export function tierPreview(
  tiers: readonly { name: string; threshold: bigint; multiplierBps: number }[],
  spend: bigint,
  earnPoints: bigint,
  earnSpend: bigint,
): TierPreviewRow[] {
  const base = earnPoints === 0n || earnSpend === 0n ? undefined : pointsForSpend(spend, earnPoints, earnSpend);
  const row = (name: string, threshold: string, multiplierBps: number): TierPreviewRow => ({
    name,
    threshold,
    multiplier: `×${multiplierBps / 10_000}`,
    example: base === undefined ? undefined : formatDown(withMultiplier(base, multiplierBps)),
  });
  return [
    row("No tier", "—", 10_000),
    ...tiers.map((tier) => row(tier.name, `${formatDown(tier.threshold)} points`, tier.multiplierBps)),
  ];
}
