import { formatUnits } from "viem";

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Points (18 decimals) for people: at most `fractionDigits` decimals, grouped thousands. */
export function formatPoints(amount: bigint, decimals = 18, fractionDigits = 2): string {
  const value = Number(formatUnits(amount, decimals));
  return value.toLocaleString("en-US", { maximumFractionDigits: fractionDigits });
}

/** A stablecoin amount in its own decimals, as money. */
export function formatMoney(amount: bigint, decimals: number, currency = "USD"): string {
  const value = Number(formatUnits(amount, decimals));
  return value.toLocaleString("en-US", { style: "currency", currency, maximumFractionDigits: Math.min(decimals, 6) });
}
