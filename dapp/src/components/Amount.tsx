import { exactAmount, formatAmount } from "../lib/amount";

/** A token amount, rounded down for reading, with the exact figure for hover and screen readers' `title`. */
export function Amount({
  value,
  decimals = 18,
  symbol,
  fractionDigits = 2,
  sign = false,
  className,
}: {
  value: bigint;
  decimals?: number;
  symbol?: string;
  fractionDigits?: number;
  /** Show "+" for a positive amount (activity: received). */
  sign?: boolean;
  className?: string;
}) {
  const text = formatAmount(value, decimals, fractionDigits);
  const exact = exactAmount(value, decimals);
  return (
    <data value={exact} className={["amount", className].filter(Boolean).join(" ")} title={`${exact}${symbol ? ` ${symbol}` : ""}`}>
      {sign && value > 0n ? "+" : ""}
      {text}
      {symbol && <span className="amount-symbol"> {symbol}</span>}
    </data>
  );
}
