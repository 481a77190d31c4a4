import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, stat, truncate as truncateFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { type IndexerState, IndexerStoreCountError, type IndexerStore } from "./store";

// Node only (the SDK's index leaves it out so browser bundles never see node:fs): import it from
// "@perks/sdk/src/indexer/fileStore".

const EVENTS = "events.jsonl";
const STATE = "state.json";

/** What state.json holds: the indexer's state and where each checkpoint's events end in events.jsonl. */
interface Saved {
  state: IndexerState;
  /** Bytes of events.jsonl that hold committed events; anything after them was never committed. */
  bytes: number;
  /** Byte length of events.jsonl after `count` events, for the counts a rollback can go back to. */
  offsets: Record<string, number>;
}

/** JSON with bigints, which events and states carry: `{"$bigint":"123"}` (ABI names never start with "$").
 * Converted in a pass of our own rather than through a replacer and a reviver, which JSON calls for every value and
 * which made reading a large store several times slower. */
export function toJson(value: unknown): string {
  return JSON.stringify(tagBigints(value));
}

export function fromJson<value>(json: string): value {
  return untagBigints(JSON.parse(json)) as value;
}

function tagBigints(value: unknown): unknown {
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(tagBigints);
  const tagged: Record<string, unknown> = {};
  for (const key in value) tagged[key] = tagBigints((value as Record<string, unknown>)[key]);
  return tagged;
}

function untagBigints(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = untagBigints(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.$bigint === "string") return BigInt(record.$bigint);
  for (const key in record) record[key] = untagBigints(record[key]);
  return record;
}

/**
 * An indexer store in a directory: events.jsonl (one event per line, appended) and state.json (replaced by a
 * rename). Events are written and flushed before the state that counts them, and state.json records how many
 * bytes of events.jsonl are committed, so a crash between the two leaves a tail that the next load cuts off. A
 * rollback saves the state first, then shortens the file. One process per directory.
 */
export function fileStore<event>(directory: string): IndexerStore<event> {
  const eventsPath = path.join(directory, EVENTS);
  const statePath = path.join(directory, STATE);
  let saved: Saved | undefined;

  async function save(next: Saved) {
    await mkdir(directory, { recursive: true });
    const temporary = `${statePath}.${process.pid}.tmp`;
    const file = await open(temporary, "w");
    try {
      await file.writeFile(toJson(next));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, statePath);
    await syncDirectory();
    saved = next;
  }

  /** Makes a rename durable: the directory entry is flushed too (a no-op where directories cannot be opened). */
  async function syncDirectory() {
    try {
      const handle = await open(directory, "r");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // Windows cannot open a directory; its rename is durable enough.
    }
  }

  /** Offsets for the counts the state can still roll back to (its checkpoints and zero). */
  function offsetsFor(state: IndexerState, offsets: Record<string, number>): Record<string, number> {
    const kept: Record<string, number> = { 0: 0 };
    for (const { count } of state.checkpoints) if (offsets[count] !== undefined) kept[count] = offsets[count];
    return kept;
  }

  async function fileSize(): Promise<number> {
    try {
      return (await stat(eventsPath)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
  }

  /** The byte offset after `count` events, from the offsets kept or by counting lines. */
  async function offsetOf(count: number, current: Saved): Promise<number> {
    const known = current.offsets[count];
    if (known !== undefined) return known;
    let offset = 0;
    let lines = 0;
    for await (const line of readLines(0, current.bytes)) {
      if (lines === count) break;
      offset += Buffer.byteLength(line) + 1;
      lines++;
    }
    return offset;
  }

  function readLines(start: number, end: number): AsyncIterable<string> {
    if (end <= start) return (async function* () {})();
    return createInterface({ input: createReadStream(eventsPath, { start, end: end - 1 }), crlfDelay: Infinity });
  }

  /** state.json as it is on disk, without repairing anything (another process may be writing). */
  async function readSaved(): Promise<Saved | undefined> {
    try {
      return fromJson<Saved>(await readFile(statePath, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  return {
    async load() {
      const loaded = await readSaved();
      if (loaded === undefined) return undefined;
      const size = await fileSize();
      if (size < loaded.bytes) {
        throw new Error(`${eventsPath} has ${size} bytes, fewer than the ${loaded.bytes} its state committed.`);
      }
      if (size > loaded.bytes) await truncateFile(eventsPath, loaded.bytes);
      saved = loaded;
      return loaded.state;
    },

    async append(events, state) {
      const current: Partial<Saved> & Pick<Saved, "bytes" | "offsets"> = saved ?? (await readSaved()) ?? { bytes: 0, offsets: {} };
      const stored = current.state?.count ?? 0;
      if (stored + events.length !== state.count) throw new IndexerStoreCountError(state.count, stored);
      await mkdir(directory, { recursive: true });
      const text = events.map((event) => toJson(event) + "\n").join("");
      let bytes = current.bytes;
      if (text.length > 0) {
        const file = await open(eventsPath, "a");
        try {
          await file.truncate(current.bytes);
          await file.write(text);
          await file.sync();
        } finally {
          await file.close();
        }
        bytes += Buffer.byteLength(text);
      }
      await save({ state, bytes, offsets: offsetsFor(state, { ...current.offsets, [state.count]: bytes }) });
    },

    async truncate(count, state) {
      const current: Saved = saved ?? (await readSaved()) ?? { state, bytes: 0, offsets: {} };
      const bytes = await offsetOf(count, current);
      await save({ state, bytes, offsets: offsetsFor(state, current.offsets) });
      if ((await fileSize()) > bytes) await truncateFile(eventsPath, bytes);
    },

    async *read(from = 0) {
      // Only committed events: a writer may be appending after them.
      const end = (saved ?? (await readSaved()))?.bytes ?? 0;
      let index = 0;
      for await (const line of readLines(0, end)) {
        if (index++ >= from && line.length > 0) yield fromJson<event>(line);
      }
    },
  };
}
