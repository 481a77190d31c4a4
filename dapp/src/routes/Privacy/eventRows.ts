import { type Address, hexToString, isAddress, isAddressEqual, toHex } from "viem";
import type { TokenLabel } from "../../hooks/useTokenLabels";
import type { WalletEvent } from "../../hooks/useWalletEvents";
import { formatAmount } from "../../lib/amount";
import { shortAddress } from "../../lib/format";
import { CHANNEL_LABELS } from "../../lib/perks";

/** What the privacy table needs to name contracts and amounts. */
export interface Naming {
  account: Address;
  /** Token → symbol and decimals. */
  labels: ReadonlyMap<Address, TokenLabel>;
  /** Campaign → its token. */
  campaignToken: ReadonlyMap<Address, Address>;
}

/** One decoded event as the privacy table shows it: every field, nothing hidden. */
export interface EventRow {
  id: string;
  contract: string;
  eventName: string;
  fields: { name: string; value: string }[];
}

/** Arguments that are token amounts, and where their token is: the emitting token, the campaign's, or an argument. */
const AMOUNTS: Readonly<Record<string, { fields: readonly string[]; token: "emitter" | "campaign" | string }>> = {
  Transfer: { fields: ["amount", "value"], token: "emitter" },
  Approval: { fields: ["amount", "value"], token: "emitter" },
  PointsIssued: { fields: ["amount", "bonus"], token: "campaign" },
  RewardRedeemed: { fields: ["cost"], token: "payToken" },
};

/** "BEAN token", "BEAN campaign", or the contract's short address. */
export function contractName(address: Address, naming: Naming): string {
  const label = naming.labels.get(address);
  if (label) return `${label.symbol} token`;
  const token = naming.campaignToken.get(address);
  if (token) return `${naming.labels.get(token)?.symbol ?? "Perks"} campaign`;
  return shortAddress(address);
}

function formatValue(value: unknown, naming: Naming): string {
  if (typeof value === "string" && isAddress(value)) {
    return isAddressEqual(value, naming.account) ? "you" : shortAddress(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map((item) => formatValue(item, naming)).join(", ");
  if (typeof value === "object" && value !== null) {
    return Object.entries(value)
      .map(([key, item]) => `${key} ${formatValue(item, naming)}`)
      .join(", ");
  }
  return String(value);
}

/**
 * An issuance reference as the merchant wrote it: a till's receipt number is text in 32 bytes ("ALPHA-1001"), which
 * anyone can read, so it is shown as text; any other reference (a voucher id) as hex.
 */
export function reference(ref: bigint): string {
  const hex = toHex(ref, { size: 32 });
  const text = hexToString(hex, { size: 32 }).replace(/\0+$/, "");
  return text.length > 0 && /^[\x20-\x7e]+$/.test(text) ? `"${text}" (${hex})` : hex;
}

/** A decoded event's fields in words: the wallet as "you", amounts in their token, the issuance channel by name. */
export function eventRow(event: WalletEvent, naming: Naming): EventRow {
  const amounts = AMOUNTS[event.eventName];
  const amountToken =
    amounts?.token === "emitter"
      ? event.address
      : amounts?.token === "campaign"
        ? naming.campaignToken.get(event.address)
        : amounts
          ? (event.args[amounts.token] as Address | undefined)
          : undefined;
  const label = amountToken ? naming.labels.get(amountToken) : undefined;
  const fields = Object.entries(event.args).map(([name, value]) => {
    if (amounts?.fields.includes(name) && typeof value === "bigint" && label) {
      return { name, value: `${formatAmount(value, label.decimals, 6)} ${label.symbol}` };
    }
    if (event.eventName === "PointsIssued" && name === "channel") {
      return { name, value: CHANNEL_LABELS[Number(value)] ?? formatValue(value, naming) };
    }
    if (event.eventName === "PointsIssued" && name === "ref" && typeof value === "bigint") return { name, value: reference(value) };
    return { name, value: formatValue(value, naming) };
  });
  return { id: event.id, contract: contractName(event.address, naming), eventName: event.eventName, fields };
}

/** The events as JSON a person can keep: plain strings for numbers, every field as decoded. */
export function eventsJson(events: readonly WalletEvent[]): string {
  return JSON.stringify(events, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2);
}
