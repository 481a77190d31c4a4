import { type Address, getAddress } from "viem";

// A terminal's voucher ids are `voucherIdFor(terminal, sequence)`: each id claims once per campaign, so a till
// must never reuse a sequence number. This device keeps its next one in localStorage, per chain and terminal key.

/** The slice of `Storage` the sequence needs, so tests can pass a map. */
export type SequenceStorage = Pick<Storage, "getItem" | "setItem">;

const UINT64_LIMIT = 1n << 64n;
/**
 * Where a device with no stored sequence starts: the current time in milliseconds shifted left 16 bits (about
 * 2^57 today, far from 2^64). Another device, a reinstalled browser or a script using the same terminal key
 * started at another moment, so their ranges do not meet unless one of them issues 65,536 vouchers per
 * millisecond between the two starts; ids stay consecutive per device, so they still share bitmap words on chain.
 */
export function initialSequence(nowMs: number): bigint {
  return BigInt(Math.floor(nowMs)) << 16n;
}

export function sequenceKey(chainId: number, terminal: Address): string {
  return `perks.pos.sequence.${chainId}.${getAddress(terminal)}`;
}

/** The terminal's next sequence number on this device, without taking it. */
export function peekSequence(storage: SequenceStorage, chainId: number, terminal: Address, nowMs = Date.now()): bigint {
  const stored = storage.getItem(sequenceKey(chainId, terminal));
  if (stored !== null && /^\d+$/.test(stored)) {
    const value = BigInt(stored);
    if (value < UINT64_LIMIT) return value;
  }
  return initialSequence(nowMs);
}

/** Takes the terminal's next sequence number: returns it and stores the one after, before any voucher is signed. */
export function takeSequence(storage: SequenceStorage, chainId: number, terminal: Address, nowMs = Date.now()): bigint {
  const sequence = peekSequence(storage, chainId, terminal, nowMs);
  if (sequence + 1n >= UINT64_LIMIT) throw new RangeError("This terminal used every voucher number: use a new terminal key.");
  storage.setItem(sequenceKey(chainId, terminal), (sequence + 1n).toString());
  return sequence;
}

// Vouchers printed per campaign on this device: the chain only sees the claimed ones, so the claim rate of
// receipt vouchers needs the till's own count (the statistics page passes it to the SDK as `vouchersPrinted`).

function printedKey(chainId: number, campaign: Address): string {
  return `perks.pos.printed.${chainId}.${getAddress(campaign)}`;
}

export function countPrinted(storage: SequenceStorage, chainId: number, campaign: Address): void {
  const key = printedKey(chainId, campaign);
  const stored = Number(storage.getItem(key) ?? 0);
  storage.setItem(key, String((Number.isSafeInteger(stored) ? stored : 0) + 1));
}

/** The vouchers this device printed for each of `campaigns` (only those it printed any for). */
export function printedCounts(storage: SequenceStorage, chainId: number, campaigns: readonly Address[]): Record<Address, number> {
  const counts: Record<Address, number> = {};
  for (const campaign of campaigns) {
    const count = Number(storage.getItem(printedKey(chainId, campaign)) ?? 0);
    if (Number.isSafeInteger(count) && count > 0) counts[getAddress(campaign)] = count;
  }
  return counts;
}
