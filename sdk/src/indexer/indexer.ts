import {
  type Abi,
  type Address,
  type Chain,
  type Client,
  type Hash,
  type Log,
  type Transport,
  formatLog,
  getAddress,
  hexToNumber,
  keccak256,
  numberToHex,
  parseEventLogs,
  stringToHex,
  toEventSelector,
} from "viem";
import { type EventMeta, type IndexedEvent, compareEvents } from "./events";
import {
  type RangeOptions,
  type RetryOptions,
  adaptiveRange,
  backoff,
  classifyRpcError,
  mapLimit,
  sleep,
  withRetry,
} from "./rpc";
import type { IndexerCheckpoint, IndexerState, IndexerStore } from "./store";

export interface IndexerOptions<abi extends Abi> {
  /** Any viem client; its transport's own retries add to the indexer's (`retryCount: 0` leaves them to it). */
  client: Client<Transport, Chain | undefined>;
  store: IndexerStore<IndexedEvent<abi>>;
  /** The events to index (`perksEventsAbi` for Perks); logs of other events are left out. */
  abi: abi;
  /** Contracts watched from `fromBlock`. */
  addresses: readonly Address[];
  /** Contracts an event brings into view (a factory's creations), watched from that event's block on. */
  discover?: (event: IndexedEvent<abi>) => readonly Address[];
  /** The first block to index: the deployment block of the oldest contract watched. */
  fromBlock: bigint;
  /** Blocks a block must have on top of it to be stored as final; 12 by default. */
  confirmations?: number;
  /**
   * How far back (blocks behind the cursor) stored blocks stay checkable, so that a reorg deeper than
   * `confirmations` but shallower than this is still rolled back; 4 x confirmations and at least 128 by default.
   */
  reorgWindow?: number;
  range?: RangeOptions;
  retry?: RetryOptions;
  /** Contracts per getLogs request; 500 by default. */
  maxAddressesPerRequest?: number;
  /** Block headers fetched at once (for timestamps and hashes); 8 by default. */
  concurrency?: number;
}

export interface SyncOptions {
  /** Also read the blocks after the cursor up to the head, without storing them; 'tail' in the result. */
  unconfirmed?: boolean;
  signal?: AbortSignal;
  /** Called after each stored chunk. */
  onProgress?: (progress: { cursor: bigint; target: bigint }) => void;
}

export interface SyncResult<event> {
  /** The chain's head when the sync started. */
  head: bigint;
  /** The last block now stored: `head - confirmations` unless the chain is younger than that. */
  cursor: bigint;
  /** Events stored by this sync. */
  added: number;
  /** Set when stored blocks had left the chain: the block the store went back to and how many events it dropped. */
  rolledBack?: { to: bigint; removed: number };
  /** With `unconfirmed`: the events after the cursor, which a reorg may still change. */
  tail?: event[];
}

export interface Indexer<event> {
  /** Stores every final event up to `head - confirmations`, rolling back first if stored blocks left the chain.
   * Concurrent calls run one after the other. */
  sync(options?: SyncOptions): Promise<SyncResult<event>>;
  /** Syncs every `intervalMs` (4 s by default) until `signal` aborts; errors go to `onError` and the loop goes on. */
  watch(options: {
    intervalMs?: number;
    signal: AbortSignal;
    unconfirmed?: boolean;
    onSync: (result: SyncResult<event>) => void;
    onError?: (error: unknown) => void;
  }): Promise<void>;
  /** The stored (final) events in chain order, from position `from`. */
  events(from?: number): AsyncIterable<event>;
  /** The saved state, or undefined before the first sync. */
  state(): Promise<IndexerState | undefined>;
  /** Forgets every stored event: the next sync starts again from `fromBlock`. */
  reset(): Promise<void>;
}

interface Header {
  number: bigint;
  hash: Hash;
  parentHash: Hash;
  timestamp: number;
}

interface RawBlock {
  number: `0x${string}` | null;
  hash: Hash | null;
  parentHash: Hash;
  timestamp: `0x${string}`;
}

/**
 * An incremental event indexer over JSON-RPC:
 * - getLogs in block ranges that adapt to the provider (halved on "range too large" / "too many results", grown
 *   back after successes), every request retried with exponential backoff on transient failures;
 * - only blocks with `confirmations` blocks on top are stored (optionally the rest is returned as an unconfirmed
 *   tail), with a cursor persisted in the same atomic write as the events;
 * - recent stored blocks keep their hashes: each chunk must extend the stored chain (its first block's parent is
 *   the cursor's hash) and each sync first checks the cursor's block, so a block that left the chain rolls the
 *   store back to the newest stored block still on it, and the blocks after it are indexed again.
 */
export function createIndexer<const abi extends Abi>(options: IndexerOptions<abi>): Indexer<IndexedEvent<abi>> {
  type Event = IndexedEvent<abi>;
  const { client, store, abi, fromBlock, discover, retry } = options;
  const confirmations = BigInt(options.confirmations ?? 12);
  const reorgWindow = BigInt(options.reorgWindow ?? Math.max(128, 4 * Number(confirmations)));
  const maxAddresses = options.maxAddressesPerRequest ?? 500;
  const concurrency = options.concurrency ?? 8;
  const range = adaptiveRange(options.range);
  const staticAddresses = options.addresses.map((address) => getAddress(address));
  const selectors = abi.filter((item) => item.type === "event").map((item) => toEventSelector(item));
  const key = keccak256(
    stringToHex(
      JSON.stringify([
        fromBlock.toString(),
        staticAddresses.map((address) => address.toLowerCase()).sort(),
        [...selectors].sort(),
      ]),
    ),
  );
  const checksummed = new Map<string, Address>();
  const checksum = (address: string) => {
    let known = checksummed.get(address);
    if (known === undefined) checksummed.set(address, (known = getAddress(address)));
    return known;
  };

  let loaded: IndexerState | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const rpc = <result>(request: () => Promise<result>, signal?: AbortSignal) => withRetry(request, retry, signal);

  async function chainId(signal?: AbortSignal): Promise<number> {
    return hexToNumber(await rpc(() => client.request({ method: "eth_chainId" }), signal));
  }

  async function blockNumber(signal?: AbortSignal): Promise<bigint> {
    return BigInt(await rpc(() => client.request({ method: "eth_blockNumber" }), signal));
  }

  /** The block's header; undefined when the chain has no such block, unless `required` (a lagging node then). */
  async function header(number: bigint, required: boolean, signal?: AbortSignal): Promise<Header | undefined> {
    return rpc(async () => {
      const block = (await client.request({
        method: "eth_getBlockByNumber",
        params: [numberToHex(number), false],
      })) as RawBlock | null;
      if (block === null || block.hash === null) {
        if (required) throw new IndexerBlockUnavailableError(number);
        return undefined;
      }
      return { number, hash: block.hash, parentHash: block.parentHash, timestamp: hexToNumber(block.timestamp) };
    }, signal);
  }

  async function requiredHeader(number: bigint, signal?: AbortSignal): Promise<Header> {
    return (await header(number, true, signal))!;
  }

  async function load(signal?: AbortSignal): Promise<IndexerState> {
    if (loaded) return loaded;
    const [saved, id] = await Promise.all([store.load(), chainId(signal)]);
    if (saved && (saved.chainId !== id || saved.key !== key)) throw new IndexerStoreMismatchError(saved.chainId, id);
    return (loaded = saved ?? initialState(id));
  }

  function initialState(id: number): IndexerState {
    return { version: 1, chainId: id, key, cursor: fromBlock - 1n, count: 0, checkpoints: [], discovered: [] };
  }

  /** One getLogs per group of contracts over [from, to], decoded; range errors are left to the caller. */
  async function getLogs(from: bigint, to: bigint, addresses: readonly Address[], signal?: AbortSignal) {
    const groups: Address[][] = [];
    for (let i = 0; i < addresses.length; i += maxAddresses) groups.push(addresses.slice(i, i + maxAddresses));
    const results = await mapLimit(groups, concurrency, (group) =>
      rpc(
        () =>
          client.request({
            method: "eth_getLogs",
            params: [{ address: group, topics: [selectors], fromBlock: numberToHex(from), toBlock: numberToHex(to) }],
          }),
        signal,
      ),
    );
    return parseEventLogs({ abi, logs: results.flat().map((log) => formatLog(log)) as Log[] });
  }

  /**
   * The events of [from, to] of the watched contracts and of those they announce, in chain order, with block
   * timestamps. A contract found in this range is asked for the whole range: it may log in its creation block
   * before the event that announces it.
   */
  async function readEvents(
    from: bigint,
    to: bigint,
    watched: Set<string>,
    known: Map<bigint, Header>,
    signal?: AbortSignal,
  ) {
    const logs: Awaited<ReturnType<typeof getLogs>> = [];
    const discovered: { address: Address; block: bigint }[] = [];
    for (let pending = [...watched] as Address[]; pending.length > 0;) {
      const found = await getLogs(from, to, pending, signal);
      logs.push(...found);
      pending = [];
      if (!discover) continue;
      for (const log of found) {
        for (const address of discover(toEvent(log, 0))) {
          const lower = address.toLowerCase();
          if (watched.has(lower)) continue;
          watched.add(lower);
          pending.push(getAddress(address));
          discovered.push({ address: getAddress(address), block: log.blockNumber });
        }
      }
    }
    const missing = [...new Set(logs.filter((log) => log.blockTimestamp == null).map((log) => log.blockNumber))].filter(
      (number) => !known.has(number),
    );
    for (const block of await mapLimit(missing, concurrency, (number) => requiredHeader(number, signal))) {
      known.set(block.number, block);
    }
    const events = logs.map((log) => {
      const block = known.get(log.blockNumber);
      // The header was read after the logs: a different hash means the chain moved in between.
      if (block && block.hash !== log.blockHash) throw new ChainMovedError();
      return toEvent(log, log.blockTimestamp != null ? Number(log.blockTimestamp) : block!.timestamp);
    });
    return { events: events.sort(compareEvents), discovered };
  }

  function toEvent(log: Awaited<ReturnType<typeof getLogs>>[number], timestamp: number): Event {
    const meta: EventMeta = {
      address: checksum(log.address),
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash,
      timestamp,
    };
    return { ...meta, eventName: log.eventName, args: log.args } as unknown as Event;
  }

  function watchedOf(state: IndexerState): Set<string> {
    return new Set([...staticAddresses, ...state.discovered.map((entry) => entry.address)].map((a) => a.toLowerCase()));
  }

  /**
   * Reads [from, to] so that it is consistent: the head-side block has the same hash before and after the logs
   * are read, and each log's block hash is that of the header read afterwards.
   */
  async function readChunk(from: bigint, to: bigint, state: IndexerState, signal?: AbortSignal) {
    const before = await requiredHeader(to, signal);
    const watched = watchedOf(state);
    const known = new Map<bigint, Header>();
    const read = await readEvents(from, to, watched, known, signal);
    const [first, after] = await Promise.all([requiredHeader(from, signal), requiredHeader(to, signal)]);
    if (after.hash !== before.hash) throw new ChainMovedError();
    return { ...read, parentHash: first.parentHash, last: after };
  }

  /** Goes back to the newest checkpoint still on the chain, dropping what was stored after it. */
  async function rollBack(state: IndexerState, signal?: AbortSignal) {
    const { checkpoints } = state;
    for (let i = checkpoints.length - 1; i >= 0; i--) {
      const checkpoint = checkpoints[i];
      if ((await header(checkpoint.block, false, signal))?.hash !== checkpoint.hash) continue;
      const next: IndexerState = {
        ...state,
        cursor: checkpoint.block,
        count: checkpoint.count,
        checkpoints: checkpoints.slice(0, i + 1),
        discovered: state.discovered.filter((entry) => entry.block <= checkpoint.block),
      };
      await store.truncate(checkpoint.count, next);
      loaded = next;
      return { state: next, rolledBack: { to: checkpoint.block, removed: state.count - checkpoint.count } };
    }
    throw new IndexerReorgTooDeepError(checkpoints[0]?.block ?? state.cursor);
  }

  /** Calls `visit` on consecutive ranges of [from, to] sized by the adaptive range; `visit` returns where to go
   * on (a rollback sends it back). A chain that moved mid-read is read again after a pause. */
  async function chunked(
    from: bigint,
    to: bigint,
    visit: (from: bigint, to: bigint) => Promise<bigint>,
    signal?: AbortSignal,
  ) {
    let moved = 0;
    for (let next = from; next <= to;) {
      signal?.throwIfAborted();
      const end = next + BigInt(range.size) - 1n < to ? next + BigInt(range.size) - 1n : to;
      try {
        next = await visit(next, end);
        range.succeeded();
        moved = 0;
      } catch (error) {
        if (error instanceof ChainMovedError) {
          const { attempts = 6, baseDelayMs = 250, maxDelayMs = 30_000 } = retry ?? {};
          if (++moved >= attempts) throw error;
          await sleep(backoff(moved, baseDelayMs, maxDelayMs), signal);
        } else if (classifyRpcError(error) !== "range" || !range.shrink(error)) {
          throw error;
        }
      }
    }
  }

  async function syncOnce({ unconfirmed = false, signal, onProgress }: SyncOptions = {}): Promise<SyncResult<Event>> {
    let state = await load(signal);
    const head = await blockNumber(signal);
    // A node behind the stored blocks (a lagging replica behind a load balancer) cannot judge them: wait for it.
    if (head < state.cursor) return { head, cursor: state.cursor, added: 0, ...(unconfirmed ? { tail: [] } : {}) };
    const target = head - confirmations;
    let rolledBack: SyncResult<Event>["rolledBack"];
    const newest = state.checkpoints.at(-1);
    if (newest && (await header(newest.block, false, signal))?.hash !== newest.hash) {
      ({ state, rolledBack } = await rollBack(state, signal));
    }
    const countBefore = state.count;

    await chunked(
      state.cursor + 1n,
      target,
      async (from, to) => {
        const chunk = await readChunk(from, to, state, signal);
        const tip = state.checkpoints.at(-1);
        if (tip && tip.block === state.cursor && chunk.parentHash !== tip.hash) {
          const back = await rollBack(state, signal);
          // The cursor's block is still on the chain: the chain moved while the chunk was read.
          if (back.state.cursor === state.cursor) throw new ChainMovedError();
          state = back.state;
          rolledBack = {
            to: back.rolledBack.to,
            removed: back.rolledBack.removed + (rolledBack?.removed ?? 0),
          };
          return state.cursor + 1n;
        }
        state = commit(state, chunk);
        await store.append(chunk.events, state);
        loaded = state;
        onProgress?.({ cursor: state.cursor, target });
        return to + 1n;
      },
      signal,
    );
    loaded = state;

    const result: SyncResult<Event> = { head, cursor: state.cursor, added: state.count - countBefore };
    if (rolledBack) result.rolledBack = rolledBack;
    if (unconfirmed) result.tail = await readTail(state, head, signal);
    return result;
  }

  function commit(state: IndexerState, chunk: Awaited<ReturnType<typeof readChunk>>): IndexerState {
    const checkpoints: IndexerCheckpoint[] = [...state.checkpoints];
    let count = state.count;
    chunk.events.forEach((event, i) => {
      count++;
      const nextEvent = chunk.events[i + 1];
      if (nextEvent?.blockNumber === event.blockNumber || event.blockNumber === chunk.last.number) return;
      checkpoints.push({ block: event.blockNumber, hash: event.blockHash, count });
    });
    checkpoints.push({ block: chunk.last.number, hash: chunk.last.hash, count });
    const oldest = chunk.last.number - reorgWindow;
    return {
      ...state,
      cursor: chunk.last.number,
      count,
      checkpoints: checkpoints.filter((checkpoint, i) => checkpoint.block >= oldest || i === checkpoints.length - 1),
      discovered: [...state.discovered, ...chunk.discovered],
    };
  }

  async function readTail(state: IndexerState, head: bigint, signal?: AbortSignal): Promise<Event[]> {
    const watched = watchedOf(state);
    const tail: Event[] = [];
    await chunked(
      state.cursor + 1n,
      head,
      async (from, to) => {
        tail.push(...(await readEvents(from, to, watched, new Map(), signal)).events);
        return to + 1n;
      },
      signal,
    );
    return tail;
  }

  function exclusive<result>(work: () => Promise<result>): Promise<result> {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    sync: (syncOptions) => exclusive(() => syncOnce(syncOptions)),
    async watch({ intervalMs = 4_000, signal, unconfirmed, onSync, onError }) {
      while (!signal.aborted) {
        try {
          onSync(await exclusive(() => syncOnce({ unconfirmed, signal })));
        } catch (error) {
          if (signal.aborted) break;
          onError?.(error);
        }
        await sleep(intervalMs, signal).catch(() => undefined);
      }
    },
    events: (from) => store.read(from),
    state: () => store.load(),
    reset: () =>
      exclusive(async () => {
        const state = initialState(await chainId());
        await store.truncate(0, state);
        loaded = state;
      }),
  };
}

/** Internal: the chain changed while a range was read; the range is read again. */
class ChainMovedError extends Error {
  override name = "ChainMovedError";
  constructor() {
    super("The chain changed while the indexer read it.");
  }
}

/** The node does not have a block it should (it lags behind its own head); retried as transient. */
export class IndexerBlockUnavailableError extends Error {
  override name = "IndexerBlockUnavailableError";
  constructor(readonly blockNumber: bigint) {
    super(`The node has no block ${blockNumber} yet.`);
  }
}

/** Every stored block the indexer could check has left the chain: the reorg is deeper than its window. */
export class IndexerReorgTooDeepError extends Error {
  override name = "IndexerReorgTooDeepError";
  constructor(readonly oldestChecked: bigint) {
    super(
      `The chain was reorganised below block ${oldestChecked}, deeper than the indexer can check: reset it (indexer.reset()) and index again, with more confirmations.`,
    );
  }
}

/** The store holds another indexer's data (another chain, start block or set of contracts). */
export class IndexerStoreMismatchError extends Error {
  override name = "IndexerStoreMismatchError";
  constructor(
    readonly storedChainId: number,
    readonly chainId: number,
  ) {
    super(
      storedChainId === chainId
        ? "The indexer store was filled for other contracts, events or start block: use a store of its own, or reset it."
        : `The indexer store holds chain ${storedChainId}, but the client is on chain ${chainId}.`,
    );
  }
}
