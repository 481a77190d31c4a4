import { formatUnits, parseUnits } from "viem";
import { formatDateTime } from "../../../lib/time";

/** Points have 18 decimals, like every Perks token. */
export const POINT_DECIMALS = 18;
/** Spend travels in currency minor units (cents): the campaign's earn rate converts it. */
export const MONEY_DECIMALS = 2;
/** Face value is stated in millionths of the reference currency per whole point. */
export const FACE_VALUE_DECIMALS = 6;

/** A parsed number field: its value in base units, or why the text is not one. */
export type Parsed = { value: bigint; error?: undefined } | { value?: undefined; error: string };

/**
 * A non-negative decimal typed by a person ("12.5", "1,000.25") in base units of `decimals`, refusing more
 * decimals than the unit has, so nothing typed is silently rounded.
 */
export function parseDecimal(text: string, decimals: number): Parsed {
  const cleaned = text.trim().replace(/[,\s_]/g, "");
  if (cleaned === "") return { error: "Enter a number." };
  if (!/^\d*\.?\d*$/.test(cleaned) || cleaned === ".") return { error: "Enter a number like 12.50." };
  const fraction = cleaned.split(".")[1] ?? "";
  if (fraction.length > decimals) {
    return { error: decimals === 0 ? "Enter a whole number." : `At most ${decimals} decimals.` };
  }
  return { value: parseUnits(cleaned.startsWith(".") ? `0${cleaned}` : cleaned, decimals) };
}

export const parsePoints = (text: string) => parseDecimal(text, POINT_DECIMALS);
export const parseMoney = (text: string) => parseDecimal(text, MONEY_DECIMALS);

/**
 * `amount` base units shown with at most `fractionDigits` decimals, cut rather than rounded: a preview never
 * promises a point more than the contract, which rounds down, will issue.
 */
export function formatDown(amount: bigint, decimals = POINT_DECIMALS, fractionDigits = 2): string {
  const step = 10n ** BigInt(Math.max(decimals - fractionDigits, 0));
  const cut = (amount / step) * step;
  const [whole, fraction = ""] = formatUnits(cut, decimals).split(".");
  const grouped = BigInt(whole).toLocaleString("en-US");
  const shown = fraction.replace(/0+$/, "");
  return shown ? `${grouped}.${shown}` : grouped;
}

/** Currency minor units as "12.34". */
export function formatMoneyUnits(minorUnits: bigint): string {
  const sign = minorUnits < 0n ? "-" : "";
  const abs = minorUnits < 0n ? -minorUnits : minorUnits;
  return `${sign}${(abs / 100n).toLocaleString("en-US")}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** Metadata as a data: URI, so a campaign or reward needs no server to have a name. */
export function metadataURI(document: Record<string, unknown>): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(document))}`;
}

/** The `name` (and `description`) of a data: URI metadata document, if it has one. */
export function readMetadata(uri: string): { name?: string; description?: string; tierNames?: string[] } {
  const prefix = "data:application/json,";
  if (!uri.startsWith(prefix)) return {};
  try {
    const document = JSON.parse(decodeURIComponent(uri.slice(prefix.length))) as Record<string, unknown>;
    return {
      name: typeof document.name === "string" ? document.name : undefined,
      description: typeof document.description === "string" ? document.description : undefined,
      tierNames: Array.isArray(document.tierNames) ? document.tierNames.map(String) : undefined,
    };
  } catch {
    return {};
  }
}

/** A unix time as the value of an `<input type="datetime-local">`, in the browser's time zone. */
export function toDateTimeLocal(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The unix time of an `<input type="datetime-local">` value, or undefined when it is empty or invalid. */
export function fromDateTimeLocal(value: string): number | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

export function formatDate(seconds: bigint | number): string {
  return formatDateTime(Number(seconds));
}

/** Millionths of the reference currency (a face value's unit) as money, to the cent. */
export function formatMillionths(amount: bigint): string {
  return Number(formatUnits(amount, FACE_VALUE_DECIMALS)).toLocaleString("en-US", { style: "currency", currency: "USD" });
}
