import { describe, expect, it } from "vitest";
import { type Address, parseUnits, zeroAddress } from "viem";
import {
  type PerksNotification,
  type TierWatch,
  markRead,
  mergeNotifications,
  newBids,
  pointsReceived,
  rewardsAffordable,
  tierWarningWindow,
  tiersAtRisk,
} from "./notifications";

const me: Address = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const friend: Address = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const bean: Address = "0x4ADB4FF078Aa7c46baBD228a5aaF42F2a13C8f18";
const stranger: Address = "0x1111111111111111111111111111111111111111";
const tokens = new Map([[bean, { symbol: "BEAN", decimals: 18, name: "Alpha Coffee Beans" }]]);

const transfer = (id: string, from: Address, to: Address, value: bigint, address = bean) => ({
  id,
  address,
  eventName: "Transfer",
  args: { from, to, amount: value },
  timestamp: 1_000,
});

describe("pointsReceived", () => {
  it("announces Perks points minted or sent to the wallet, and nothing it sent or other tokens", () => {
    const notes = pointsReceived(
      [
        transfer("a", zeroAddress, me, parseUnits("12.5", 18)),
        transfer("b", friend, me, parseUnits("3", 18)),
        transfer("c", me, friend, parseUnits("1", 18)),
        transfer("d", friend, me, parseUnits("1", 18), stranger),
        transfer("e", friend, me, 0n),
        { ...transfer("g", friend, me, 0n), args: { from: friend, to: me, value: parseUnits("2", 18) } },
        { id: "f", address: bean, eventName: "Approval", args: { owner: friend, spender: me, value: 1n } },
      ],
      me,
      tokens,
    );
    expect(notes.map((note) => [note.id, note.title])).toEqual([
      ["received:a", "+12.5 BEAN received"],
      ["received:b", "+3 BEAN received"],
      ["received:g", "+2 BEAN received"],
    ]);
    expect(notes[0].body).toBe("New points from Alpha Coffee Beans.");
    expect(notes[1].body).toContain("0x976E");
    expect(notes[0].at).toBe(1_000);
  });
});

describe("tiersAtRisk", () => {
  const day = 86_400;
  const watch = (overrides: Partial<TierWatch>): TierWatch => ({
    campaign: stranger,
    brand: "Alpha Coffee",
    symbol: "BEAN",
    decimals: 18,
    tier: 2,
    tierName: "Tier 2",
    toKeep: parseUnits("40", 18),
    periodEndsAt: 10 * day,
    tierPeriod: 30 * day,
    ...overrides,
  });

  it("warns within a week of a monthly period's end while points are missing", () => {
    expect(tiersAtRisk([watch({})], 3 * day + 1)).toHaveLength(1);
    expect(tiersAtRisk([watch({})], 3 * day - 1)).toHaveLength(0);
    expect(tiersAtRisk([watch({})], 3 * day + 1)[0].body).toBe("Earn 40 more BEAN before then to keep it.");
  });

  it("stays silent when the tier is safe, absent, or the period is over", () => {
    expect(tiersAtRisk([watch({ toKeep: 0n })], 9 * day)).toHaveLength(0);
    expect(tiersAtRisk([watch({ tier: 0, toKeep: undefined })], 9 * day)).toHaveLength(0);
    expect(tiersAtRisk([watch({})], 10 * day)).toHaveLength(0);
  });

  it("gives a new id each period, so each period's risk is news", () => {
    const [first] = tiersAtRisk([watch({})], 9 * day);
    const [next] = tiersAtRisk([watch({ periodEndsAt: 40 * day })], 39 * day);
    expect(first.id).not.toBe(next.id);
  });

  it("scales the window to short periods, from an hour to a week", () => {
    expect(tierWarningWindow(30 * day)).toBe(7 * day);
    expect(tierWarningWindow(8 * day)).toBe(2 * day);
    expect(tierWarningWindow(600)).toBe(3_600);
  });
});

describe("rewards and bids", () => {
  it("names each affordable reward once, and each bid by its id", () => {
    const [reward] = rewardsAffordable([{ catalog: stranger, rewardId: 3n, name: "10 % off", brand: "Alpha Coffee" }]);
    expect(reward).toMatchObject({ id: `affordable:${stranger}:3`, title: "You can redeem 10 % off", href: "/rewards" });
    const [bid] = newBids([{ bidId: 7n, token: bean, symbol: "BEAN", price: "0.01" }]);
    expect(bid).toMatchObject({ id: "bid:7", title: "New bid for BEAN", href: `/cash-out?token=${bean}` });
  });
});

describe("mergeNotifications", () => {
  const note = (id: string, at?: number): PerksNotification => ({ id, kind: "received", title: id, body: "", href: "/", at });

  it("takes everything present at a wallet's first visit as history: read and never announced", () => {
    const { items, fresh, memory } = mergeNotifications([note("a", 1), note("b", 2)], undefined);
    expect(items.every((item) => !item.unread)).toBe(true);
    expect(fresh).toEqual([]);
    expect(memory.read.sort()).toEqual(["a", "b"]);
  });

  it("marks what came later unread, announces it once, and keeps it unread until read", () => {
    const first = mergeNotifications([note("a", 1)], undefined).memory;
    const second = mergeNotifications([note("a", 1), note("b", 2)], first);
    expect(second.items.map((item) => [item.id, item.unread])).toEqual([
      ["b", true],
      ["a", false],
    ]);
    expect(second.fresh.map((item) => item.id)).toEqual(["b"]);
    const third = mergeNotifications([note("a", 1), note("b", 2)], second.memory);
    expect(third.fresh).toEqual([]);
    expect(third.items[0].unread).toBe(true);
    const read = mergeNotifications([note("a", 1), note("b", 2)], markRead(third.memory, ["b"]));
    expect(read.items.some((item) => item.unread)).toBe(false);
  });

  it("lists states that hold now before events, newest events first", () => {
    const first = mergeNotifications([], undefined).memory;
    const { items } = mergeNotifications([note("old", 1), note("state"), note("new", 5)], first);
    expect(items.map((item) => item.id)).toEqual(["state", "new", "old"]);
  });
});
