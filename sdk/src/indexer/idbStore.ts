import { type IndexerState, IndexerStoreCountError, type IndexerStore } from "./store";

const EVENTS = "events";
const META = "meta";
const STATE_KEY = "state";
const READ_BATCH = 1_000;

/** Resolves with the request's result, rejects with its error. */
function done<result>(request: IDBRequest<result>): Promise<result> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves when the transaction has committed (not merely when its requests succeeded). */
function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
  });
}

/**
 * An indexer store in the browser's IndexedDB, database `name`: events keyed by position in one object store, the
 * state in another, and every change in one readwrite transaction over both, so it commits or vanishes whole.
 * Values are structured clones, which keep bigints as they are. The globals can be replaced (fake-indexeddb in tests).
 */
export function idbStore<event>(
  name: string,
  {
    indexedDB: factory = globalThis.indexedDB,
    IDBKeyRange: keyRange = globalThis.IDBKeyRange,
  }: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {},
): IndexerStore<event> {
  let opening: Promise<IDBDatabase> | undefined;

  function database(): Promise<IDBDatabase> {
    opening ??= new Promise((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(EVENTS);
        request.result.createObjectStore(META);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opening;
  }

  /**
   * One readwrite transaction: `change` to the events and the new state. With `storedBefore`, the saved state is
   * read first, in the same transaction, and must count that many events (else the database was changed by
   * something else): the call then fails with IndexerStoreCountError and writes nothing.
   */
  async function write(change: (events: IDBObjectStore) => void, state: IndexerState, storedBefore?: number) {
    const transaction = (await database()).transaction([EVENTS, META], "readwrite");
    const saved = committed(transaction);
    const meta = transaction.objectStore(META);
    try {
      if (storedBefore !== undefined) {
        const stored = ((await done(meta.get(STATE_KEY))) as IndexerState | undefined)?.count ?? 0;
        if (stored !== storedBefore) throw new IndexerStoreCountError(state.count, stored);
      }
      change(transaction.objectStore(EVENTS));
      meta.put(state, STATE_KEY);
    } catch (error) {
      // Nothing of a failed call may commit: a value that cannot be cloned throws from put(), and the requests made
      // before it would still commit without the state that counts them. Abort, and report the first error.
      transaction.abort();
      saved.catch(() => {});
      throw error;
    }
    await saved;
  }

  return {
    async load() {
      const transaction = (await database()).transaction(META, "readonly");
      return (await done(transaction.objectStore(META).get(STATE_KEY))) as IndexerState | undefined;
    },
    append(events, state) {
      const first = state.count - events.length;
      return write((store) => events.forEach((event, i) => store.put(event, first + i)), state, first);
    },
    truncate(count, state) {
      return write((store) => store.delete(keyRange.lowerBound(count)), state);
    },
    async *read(from = 0) {
      // One short transaction per batch: a transaction left open across the caller's awaits would auto-commit.
      for (let next = from; ;) {
        const transaction = (await database()).transaction(EVENTS, "readonly");
        const request = transaction.objectStore(EVENTS).getAll(keyRange.lowerBound(next), READ_BATCH);
        const batch = (await done(request)) as event[];
        yield* batch;
        if (batch.length < READ_BATCH) return;
        next += batch.length;
      }
    },
  };
}
