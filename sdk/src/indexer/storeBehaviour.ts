import { expect, it } from "vitest";
import { type IndexerState, type IndexerStore, IndexerStoreCountError } from "./store";

// Test support: what every IndexerStore does, run against each implementation.

export interface SampleEvent {
  blockNumber: bigint;
  eventName: string;
  args: { amount: bigint; note: string; nested: { values: bigint[] } };
}

export function sampleEvent(blockNumber: number, note = `event in ${blockNumber}`): SampleEvent {
  return {
    blockNumber: BigInt(blockNumber),
    eventName: "Sample",
    args: { amount: 10n ** 30n + BigInt(blockNumber), note, nested: { values: [1n, 2n ** 200n] } },
  };
}

export function sampleState(cursor: number, count: number, checkpointCounts: number[] = [count]): IndexerState {
  return {
    version: 1,
    chainId: 31337,
    key: "0xkey",
    cursor: BigInt(cursor),
    count,
    checkpoints: checkpointCounts.map((c, i) => ({
      block: BigInt(cursor - checkpointCounts.length + 1 + i),
      hash: `0x${"ab".repeat(32)}`,
      count: c,
    })),
    discovered: [{ address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", block: 3n }],
  };
}

/** Every event an iterable yields, in order. */
export async function all<event>(events: AsyncIterable<event>): Promise<event[]> {
  const out: event[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** `open` gives a store over fresh storage; `reopen`, when given, another store over the same storage (a restart). */
export function shouldBehaveLikeAnIndexerStore(
  open: () => IndexerStore<SampleEvent>,
  reopen?: () => IndexerStore<SampleEvent>,
) {
  it("starts empty", async () => {
    const store = open();
    expect(await store.load()).toBeUndefined();
    expect(await all(store.read())).toEqual([]);
  });

  it("refuses an append whose state does not count the events stored, and writes nothing of it", async () => {
    const store = open();
    await store.append([sampleEvent(1)], sampleState(1, 1));
    // Two new events counted as one more: the state and the events would disagree.
    await expect(store.append([sampleEvent(2), sampleEvent(3)], sampleState(3, 2))).rejects.toBeInstanceOf(IndexerStoreCountError);
    // Counted from nothing, as if the store were empty.
    await expect(store.append([sampleEvent(2)], sampleState(2, 1))).rejects.toBeInstanceOf(IndexerStoreCountError);
    expect(await all(store.read())).toEqual([sampleEvent(1)]);
    expect((await store.load())?.count).toBe(1);
    await store.append([sampleEvent(2)], sampleState(2, 2, [1, 2]));
    expect(await all(store.read())).toEqual([sampleEvent(1), sampleEvent(2)]);
  });

  it("keeps appended events in order with their bigints, and the state", async () => {
    const store = open();
    const first = [sampleEvent(1), sampleEvent(2, 'quotes " and \n newlines')];
    await store.append(first, sampleState(2, 2));
    await store.append([sampleEvent(3)], sampleState(3, 3, [2, 3]));
    expect(await all(store.read())).toEqual([...first, sampleEvent(3)]);
    expect(await all(store.read(2))).toEqual([sampleEvent(3)]);
    expect(await store.load()).toEqual(sampleState(3, 3, [2, 3]));
  });

  it("drops the events after a rollback point and goes on appending after it", async () => {
    const store = open();
    await store.append([sampleEvent(1), sampleEvent(2)], sampleState(2, 2, [0, 2]));
    await store.append([sampleEvent(3), sampleEvent(3)], sampleState(3, 4, [0, 2, 4]));
    await store.truncate(2, sampleState(2, 2, [0, 2]));
    expect(await all(store.read())).toEqual([sampleEvent(1), sampleEvent(2)]);
    await store.append([sampleEvent(3, "replaced")], sampleState(3, 3, [0, 2, 3]));
    expect(await all(store.read())).toEqual([sampleEvent(1), sampleEvent(2), sampleEvent(3, "replaced")]);
    await store.truncate(0, sampleState(0, 0, []));
    expect(await all(store.read())).toEqual([]);
  });

  if (reopen) {
    it("keeps everything across a restart", async () => {
      const store = open();
      await store.append([sampleEvent(1), sampleEvent(2)], sampleState(2, 2, [0, 2]));
      await store.append([sampleEvent(3)], sampleState(3, 3, [0, 2, 3]));
      await store.truncate(2, sampleState(2, 2, [0, 2]));
      const restarted = reopen();
      expect(await restarted.load()).toEqual(sampleState(2, 2, [0, 2]));
      expect(await all(restarted.read())).toEqual([sampleEvent(1), sampleEvent(2)]);
      await restarted.append([sampleEvent(4)], sampleState(4, 3, [0, 2, 3]));
      expect(await all(reopen().read())).toEqual([sampleEvent(1), sampleEvent(2), sampleEvent(4)]);
    });
  }
}
