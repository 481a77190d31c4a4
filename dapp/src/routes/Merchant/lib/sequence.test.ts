import { describe, expect, it } from "vitest";
import { voucherIdFor } from "@perks/sdk";
import { initialSequence, peekSequence, sequenceKey, takeSequence } from "./sequence";

const TERMINAL = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const OTHER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), map };
}

describe("POS voucher sequence", () => {
  it("starts a new device from the clock and counts up by one", () => {
    const storage = memoryStorage();
    const start = initialSequence(1_750_000_000_000);
    expect(takeSequence(storage, 31337, TERMINAL, 1_750_000_000_000)).toBe(start);
    // Later clocks do not matter once the device has a sequence.
    expect(takeSequence(storage, 31337, TERMINAL, 1_760_000_000_000)).toBe(start + 1n);
    expect(peekSequence(storage, 31337, TERMINAL)).toBe(start + 2n);
    expect(start < 1n << 64n).toBe(true);
  });

  it("keeps one sequence per terminal and chain", () => {
    const storage = memoryStorage();
    takeSequence(storage, 31337, TERMINAL, 1000);
    takeSequence(storage, 31337, TERMINAL, 1000);
    expect(takeSequence(storage, 31337, OTHER, 5000)).toBe(initialSequence(5000));
    expect(takeSequence(storage, 8453, TERMINAL, 7000)).toBe(initialSequence(7000));
    expect(storage.map.get(sequenceKey(31337, TERMINAL))).toBe((initialSequence(1000) + 2n).toString());
  });

  it("gives distinct, consecutive voucher ids", () => {
    const storage = memoryStorage();
    const ids = Array.from({ length: 3 }, () => voucherIdFor(TERMINAL, takeSequence(storage, 31337, TERMINAL, 1000)));
    expect(new Set(ids).size).toBe(3);
    expect(ids[1] - ids[0]).toBe(1n);
  });

  it("ignores a damaged stored value", () => {
    const storage = memoryStorage();
    storage.setItem(sequenceKey(31337, TERMINAL), "not a number");
    expect(takeSequence(storage, 31337, TERMINAL, 1000)).toBe(initialSequence(1000));
  });
});

describe("printed voucher counts", () => {
  it("counts per campaign and chain", async () => {
    const { countPrinted, printedCounts } = await import("./sequence");
    const storage = memoryStorage();
    const campaign = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    countPrinted(storage, 31337, campaign);
    countPrinted(storage, 31337, campaign.toLowerCase() as typeof campaign);
    countPrinted(storage, 8453, campaign);
    expect(printedCounts(storage, 31337, [campaign, OTHER])).toEqual({ [campaign]: 2 });
  });
});
