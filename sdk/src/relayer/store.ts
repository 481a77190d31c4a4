import fs from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";

/**
 * A claim the relayer signed. It is recorded, with its signed transaction, before the transaction is broadcast:
 * if the relayer stops in between, it broadcasts the same transaction again on restart (same nonce, same hash)
 * rather than a second one, and a resubmission of the claim gets this hash back.
 */
export interface RelayedClaimRecord {
  /** `<campaign>:voucher:<id>` or `<campaign>:batch:<batchId>:<index>`, campaign in lower case. */
  key: string;
  campaign: Address;
  recipient: Address;
  hash: Hex;
  nonce: number;
  /** The signed transaction. */
  raw: Hex;
  /** "signed": recorded, maybe not broadcast yet; "sent": a node accepted it. */
  status: "signed" | "sent";
  /** Unix time in milliseconds when it was signed. */
  signedAt: number;
}

/** Where the relayer remembers the claims it sent. `put` and `delete` resolve once the change is durable. */
export interface RelayerStore {
  get(key: string): RelayedClaimRecord | undefined;
  put(record: RelayedClaimRecord): Promise<void>;
  delete(key: string): Promise<void>;
  records(): RelayedClaimRecord[];
  /** Lets go of the file, once the last change is written. */
  close(): Promise<void>;
}

/** A store in memory only: for tests, or a relayer that may forget across restarts. */
export function memoryStore(): RelayerStore {
  const records = new Map<string, RelayedClaimRecord>();
  return {
    get: (key) => records.get(key),
    put: async (record) => void records.set(record.key, record),
    delete: async (key) => void records.delete(key),
    records: () => [...records.values()],
    close: async () => {},
  };
}

type Line = RelayedClaimRecord | { key: string; deleted: true };

/**
 * A store in a JSON Lines file: one JSON object per change, appended and synced to disk before `put` or `delete`
 * resolves, replayed in order on start (the last line of a key wins). Appending keeps each write small however
 * many claims the file holds, and a line cut short by a crash is ignored on the next start.
 */
export function fileStore(file: string): RelayerStore {
  const records = new Map<string, RelayedClaimRecord>();
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  for (const text of existing.split("\n")) {
    if (text.trim() === "") continue;
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      continue; // the torn tail of a write interrupted by a crash: that change never completed
    }
    if ("deleted" in line) records.delete(line.key);
    else records.set(line.key, line);
  }
  const fd = fs.openSync(file, "a");
  // A torn tail would glue itself to the next line: start appending on a fresh line.
  if (existing !== "" && !existing.endsWith("\n")) fs.writeSync(fd, "\n");

  // Appends one after another, so lines never interleave.
  let writes: Promise<void> = Promise.resolve();
  const append = (line: Line) => {
    const write = writes.then(
      () =>
        new Promise<void>((resolve, reject) => {
          fs.write(fd, `${JSON.stringify(line)}\n`, (error) => {
            if (error) return reject(error);
            fs.fdatasync(fd, (syncError) => (syncError ? reject(syncError) : resolve()));
          });
        }),
    );
    writes = write.catch(() => {});
    return write;
  };

  return {
    get: (key) => records.get(key),
    async put(record) {
      await append(record);
      records.set(record.key, record);
    },
    async delete(key) {
      await append({ key, deleted: true });
      records.delete(key);
    },
    records: () => [...records.values()],
    async close() {
      await writes;
      fs.closeSync(fd);
    },
  };
}
