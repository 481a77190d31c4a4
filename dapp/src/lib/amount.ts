import { formatUnits, parseUnits } from "viem";

export type AmountCheck = { ok: true; value: bigint } | { ok: false; error: string };

const DECIMAL = /^(\d+)(?:[.,](\d*))?$|^[.,](\d+)$/;

/**
 * Reads what a person typed as an amount of a token: digits with one decimal separator (a dot, or a comma as
 * phone keyboards in many locales offer), at most the token's decimals, above zero and within `max` when given.
 */
export function checkAmount(
  input: string,
  { decimals, symbol, max }: { decimals: number; symbol: string; max?: bigint },
): AmountCheck {
  const text = input.trim().replace(/[\s_]/g, "");
  if (text === "") return { ok: false, error: "Enter an amount." };
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, error: "Enter a number, like 12.5." };
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? match[3] ?? "";
  if (fraction.length > decimals) {
    return { ok: false, error: `${symbol} has at most ${decimals} decimal places.` };
  }
  const value = parseUnits(fraction ? `${whole}.${fraction}` : whole, decimals);
  if (value === 0n) return { ok: false, error: "Enter an amount above zero." };
  if (max !== undefined && value > max) {
    return { ok: false, error: `You have ${formatUnits(max, decimals)} ${symbol}; enter at most that.` };
  }
  return { ok: true, value };
}

/**
 * A token amount for people, exact (no floating point): grouped thousands and at most `fractionDigits`
 * decimals, rounded down so a balance never shows more than there is; a non-zero amount too small to show
 * reads "<0.01".
 */
export function formatAmount(value: bigint, decimals: number, fractionDigits = 2): string {
  if (value < 0n) return `-${formatAmount(-value, decimals, fractionDigits)}`;
  const scale = 10n ** BigInt(decimals);
  const whole = value / scale;
  const shown = Math.min(fractionDigits, decimals);
  const fraction = ((value % scale) * 10n ** BigInt(shown)) / scale;
  if (whole === 0n && fraction === 0n && value > 0n) return shown === 0 ? "<1" : `<0.${"0".repeat(shown - 1)}1`;
  const digits = shown === 0 ? "" : fraction.toString().padStart(shown, "0").replace(/0+$/, "");
  return `${whole.toLocaleString("en-US")}${digits ? `.${digits}` : ""}`;
}

/** The exact amount as a plain decimal string, for a title or an input ("12.5", "0.000000000000000001"). */
export function exactAmount(value: bigint, decimals: number): string {
  return formatUnits(value, decimals);
}

/**
 * A face value (millionths of the merchant's reference currency per whole point) times `points`, in the
 * reference currency: "$0.54". Perks states face values in US dollars' millionths, as stablecoin gateways do.
 */
export function formatFaceValue(faceValue: bigint, points: bigint = 10n ** 18n, decimals = 18): string {
  const micros = (faceValue * points) / 10n ** BigInt(decimals);
  const cents = micros / 10_000n;
  const dollars = Number(cents) / 100;
  if (micros > 0n && cents === 0n) {
    return `$${(Number(micros) / 1e6).toLocaleString("en-US", { maximumSignificantDigits: 2 })}`;
  }
  return dollars.toLocaleString("en-US", { style: "currency", currency: "USD" });
}
