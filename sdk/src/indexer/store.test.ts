import { describe, expect, it } from "vitest";
import { IndexerStoreCountError, memoryStore } from "./store";
import { type SampleEvent, sampleEvent, sampleState, shouldBehaveLikeAnIndexerStore } from "./storeBehaviour";

describe("memoryStore", () => {
  shouldBehaveLikeAnIndexerStore(() => memoryStore<SampleEvent>());

  it("refuses a state that does not count the events it would hold", async () => {
    const store = memoryStore<SampleEvent>();
    await expect(store.append([sampleEvent(1)], sampleState(1, 2))).rejects.toBeInstanceOf(IndexerStoreCountError);
  });
});
