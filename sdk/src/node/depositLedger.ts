/** Node only: a deposit watcher's ledger in a JSON file, replaced atomically (written, flushed, renamed). */
import { mkdir, open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import type { DepositLedger, DepositLedgerState } from "../depositWatcher";
import { fromJson, toJson } from "../indexer/fileStore";

export function fileLedger(file: string): DepositLedger {
  return {
    async load() {
      try {
        return fromJson<DepositLedgerState>(await readFile(file, "utf8"));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async save(state) {
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(toJson(state));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    },
  };
}
