import type { Address, Hash } from "viem";

/** A stored block the indexer can roll back to: its hash, and how many events were stored up to and with it. */
export interface IndexerCheckpoint {
  block: bigint;
  hash: Hash;
  count: number;
}

/** What an indexer persists beside its events. */
export interface IndexerState {
  version: 1;
  chainId: number;
  /** Fingerprint of what is indexed (start block, contracts, events): a store only serves the same indexer. */
  key: string;
  /** The last block whose events are stored; `fromBlock - 1` before the first. */
  cursor: bigint;
  /** How many events are stored. */
  count: number;
  /** Recent stored blocks, oldest first; the newest is the cursor's. */
  checkpoints: IndexerCheckpoint[];
  /** Contracts found through `discover`, with the block that announced each. */
  discovered: { address: Address; block: bigint }[];
}

/**
 * Where an indexer keeps its events and state. Each call is atomic: after a crash the store holds either the
 * state before the call or the state after it, with exactly the events that state counts.
 */
export interface IndexerStore<event> {
  /** The saved state, or undefined for an empty store. */
  load(): Promise<IndexerState | undefined>;
  /** Stores `events` after the `state.count - events.length` stored ones, and `state`. */
  append(events: readonly event[], state: IndexerState): Promise<void>;
  /** Drops every event from position `count` on (a rollback), and stores `state`. */
  truncate(count: number, state: IndexerState): Promise<void>;
  /** The stored events in order, from position `from` (0 by default). */
  read(from?: number): AsyncIterable<event>;
}

/** A store in memory: for tests, and for a page that does not need to survive a reload. */
export function memoryStore<event>(): IndexerStore<event> & { readonly events: readonly event[] } {
  let saved: IndexerState | undefined;
  const events: event[] = [];
  return {
    events,
    async load() {
      return saved && structuredClone(saved);
    },
    async append(added, state) {
      if (events.length + added.length !== state.count) throw new IndexerStoreCountError(state.count, events.length);
      events.push(...added);
      saved = structuredClone(state);
    },
    async truncate(count, state) {
      events.length = Math.min(events.length, count);
      saved = structuredClone(state);
    },
    async *read(from = 0) {
      // A snapshot of the length: events appended while reading are left for the next read.
      for (let i = from, end = events.length; i < end; i++) yield events[i];
    },
  };
}

/** The state does not count the events the store holds: the store was changed by something else. */
export class IndexerStoreCountError extends Error {
  override name = "IndexerStoreCountError";
  constructor(
    readonly expected: number,
    readonly stored: number,
  ) {
    super(`The indexer store holds ${stored} events where its state expects ${expected}.`);
  }
}
