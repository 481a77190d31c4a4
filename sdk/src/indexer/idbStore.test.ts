import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { idbStore } from "./idbStore";
import { type SampleEvent, all, sampleEvent, sampleState, shouldBehaveLikeAnIndexerStore } from "./storeBehaviour";

describe("idbStore", () => {
  // A fresh in-memory IndexedDB per test: what one browser profile holds across page loads.
  let factory: IDBFactory;
  beforeEach(() => {
    factory = new IDBFactory();
  });
  const open = (name = "perks-indexer") => idbStore<SampleEvent>(name, { indexedDB: factory, IDBKeyRange });

  shouldBehaveLikeAnIndexerStore(open, open);

  describe("without a factory given", () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it("uses the browser's indexedDB and IDBKeyRange", async () => {
      vi.stubGlobal("indexedDB", factory);
      vi.stubGlobal("IDBKeyRange", IDBKeyRange);
      const store = idbStore<SampleEvent>("perks-indexer");
      await store.append([sampleEvent(1), sampleEvent(2)], sampleState(2, 2));
      await store.truncate(1, sampleState(1, 1));
      expect(await all(open().read())).toEqual([sampleEvent(1)]);
      expect(await open().load()).toEqual(sampleState(1, 1));
    });
  });

  it("keeps stores of different names apart", async () => {
    await open("a").append([sampleEvent(1)], sampleState(1, 1));
    await open("b").append([sampleEvent(2), sampleEvent(3)], sampleState(3, 2));
    expect(await all(open("a").read())).toEqual([sampleEvent(1)]);
    expect(await open("b").load()).toEqual(sampleState(3, 2));
    expect(await open("c").load()).toBeUndefined();
  });

  it("reads a store larger than one read batch in order, from any position", async () => {
    const events = Array.from({ length: 2_345 }, (_, i) => sampleEvent(i));
    const store = open();
    await store.append(events.slice(0, 1_000), sampleState(999, 1_000));
    await store.append(events.slice(1_000), sampleState(2_344, events.length));
    const restarted = open();
    expect(await all(restarted.read())).toEqual(events);
    for (const from of [999, 1_000, 1_001, 2_000, 2_344, 2_345]) {
      expect(await all(restarted.read(from))).toEqual(events.slice(from));
    }
  });

  it("rolls back across read batches and keeps only what the state counts", async () => {
    const events = Array.from({ length: 1_500 }, (_, i) => sampleEvent(i));
    const store = open();
    await store.append(events, sampleState(1_499, 1_500, [400, 1_500]));
    await store.truncate(400, sampleState(399, 400, [400]));
    const restarted = open();
    expect(await all(restarted.read())).toEqual(events.slice(0, 400));
    expect(await restarted.load()).toEqual(sampleState(399, 400, [400]));
  });

  it("writes nothing of an append that fails, neither its events nor its state", async () => {
    const store = open();
    await store.append([sampleEvent(1)], sampleState(1, 1));
    // A value IndexedDB cannot clone, after one it can: the first put must not be committed alone.
    const unclonable = { ...sampleEvent(3), args: { ...sampleEvent(3).args, note: (() => "x") as unknown as string } };
    await expect(store.append([sampleEvent(2), unclonable], sampleState(3, 3))).rejects.toMatchObject({
      name: "DataCloneError",
    });
    for (const view of [store, open()]) {
      expect(await all(view.read())).toEqual([sampleEvent(1)]);
      expect(await view.load()).toEqual(sampleState(1, 1));
    }
    await store.append([sampleEvent(2)], sampleState(2, 2));
    expect(await all(open().read())).toEqual([sampleEvent(1), sampleEvent(2)]);
  });

  it("writes nothing of a failed state, neither the state nor the events with it", async () => {
    const store = open();
    await store.append([sampleEvent(1)], sampleState(1, 1));
    const unclonable = { ...sampleState(2, 2), key: Symbol("not cloneable") as unknown as string };
    await expect(store.append([sampleEvent(2)], unclonable)).rejects.toMatchObject({ name: "DataCloneError" });
    await expect(store.truncate(0, unclonable)).rejects.toMatchObject({ name: "DataCloneError" });
    expect(await all(open().read())).toEqual([sampleEvent(1)]);
    expect(await open().load()).toEqual(sampleState(1, 1));
  });
});
