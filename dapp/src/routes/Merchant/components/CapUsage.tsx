import { UNCAPPED } from "../lib/campaignForm";
import { formatDown } from "../lib/units";

/**
 * How much of a campaign's supply cap is issued, with a bar; for a campaign without a cap, says so (what it issued
 * is on the Statistics page, counted from its events).
 */
export function CapUsage({ issued, cap, symbol }: { issued: bigint; cap: bigint; symbol: string }) {
  if (cap >= UNCAPPED) return <>No supply cap · what it issued is in Statistics</>;
  const share = cap === 0n ? 0 : Number((issued * 100n) / cap);
  return (
    <>
      {formatDown(issued)} of {formatDown(cap)} {symbol} issued
      <progress max={100} value={share} aria-label="Share of the supply cap issued" />
    </>
  );
}
