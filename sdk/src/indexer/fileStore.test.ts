import { appendFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileStore, fromJson, toJson } from "./fileStore";
import { type SampleEvent, sampleEvent, sampleState, shouldBehaveLikeAnIndexerStore } from "./storeBehaviour";

describe("fileStore", () => {
  let directory: string;
  beforeEach(async () => {
    directory = path.join(await mkdtemp(path.join(tmpdir(), "perks-store-")), "nested", "store");
  });
  afterEach(async () => {
    await rm(path.dirname(path.dirname(directory)), { recursive: true, force: true });
  });

  shouldBehaveLikeAnIndexerStore(
    () => fileStore<SampleEvent>(directory),
    () => fileStore<SampleEvent>(directory),
  );

  it("round-trips bigints, including inside arrays, and leaves strings alone", () => {
    const value = { a: 1n, b: [2n, "3n", { $note: "x" }], c: -(2n ** 255n) };
    expect(fromJson(toJson(value))).toEqual(value);
  });

  it("cuts off events written after the last committed state (a crash between the two writes)", async () => {
    const store = fileStore<SampleEvent>(directory);
    await store.append([sampleEvent(1)], sampleState(1, 1));
    const committedBytes = (await stat(path.join(directory, "events.jsonl"))).size;
    await appendFile(path.join(directory, "events.jsonl"), toJson(sampleEvent(2)) + "\n" + '{"half');

    const restarted = fileStore<SampleEvent>(directory);
    const events: SampleEvent[] = [];
    for await (const event of restarted.read()) events.push(event);
    expect(events).toEqual([sampleEvent(1)]);
    expect(await restarted.load()).toEqual(sampleState(1, 1));
    expect((await stat(path.join(directory, "events.jsonl"))).size).toBe(committedBytes);
    await restarted.append([sampleEvent(3)], sampleState(3, 2));
    const lines = (await readFile(path.join(directory, "events.jsonl"), "utf8")).trim().split("\n");
    expect(lines.map((line) => fromJson<SampleEvent>(line))).toEqual([sampleEvent(1), sampleEvent(3)]);
  });

  it("rolls back to a count it kept no offset for by counting lines", async () => {
    const store = fileStore<SampleEvent>(directory);
    await store.append([sampleEvent(1), sampleEvent(2), sampleEvent(3)], sampleState(3, 3, [3]));
    await store.truncate(1, sampleState(1, 1, [1]));
    const events: SampleEvent[] = [];
    for await (const event of fileStore<SampleEvent>(directory).read()) events.push(event);
    expect(events).toEqual([sampleEvent(1)]);
  });
});
