/**
 * A deposit watcher for exchanges: credits every transfer of a Perks token (any token the factory created) to one
 * of the exchange's deposit addresses once it has `confirmations` blocks on top, exactly once across restarts and
 * reorganisations.
 *
 * Built on the SDK's event indexer (indexer/indexer.ts), which reads Transfer events of the factory's tokens in
 * chunked getLogs, stores only blocks with the confirmations on top, and rolls its store back when stored blocks
 * leave the chain. A reorg shallower than the confirmations therefore never reaches the watcher. On top of it the
 * watcher keeps a ledger (`DepositLedger`): the credited deposits, keyed by `transactionHash:logIndex`, how many
 * indexed events it has examined, and the id and block hash of the last ones it examined, so that it notices when
 * the indexer rolled them back (a reorg deeper than the confirmations, or a crash between the two) and examines
 * them again. A deposit id already in the ledger is never credited again; a credited deposit that left the chain
 * for good is reported as orphaned, never silently removed.
 *
 * The ledger is saved after each credit, before `onDeposit` is told: the ledger is exactly-once, the callback is
 * at-least-once (after a crash it may hear the last deposit again), so an exchange that credits in its own database
 * does so idempotently by `deposit.id`, or reads the ledger.
 */
import { type Address, type Chain, type Client, type Hash, type Transport, getAddress } from "viem";
import { resolveAddress } from "./actions/write";
import { campaignFactoryAbi, loyaltyTokenAbi } from "./generated/abis";
import { type IndexedEvent } from "./indexer/events";
import { type Indexer, type IndexerOptions, createIndexer } from "./indexer/indexer";
import type { IndexerStore } from "./indexer/store";

/** The events the watcher indexes: the factory's TokenCreated (to follow new tokens) and the tokens' Transfer. */
export const depositEventsAbi = [
  ...campaignFactoryAbi.filter((item) => item.type === "event" && item.name === "TokenCreated"),
  ...loyaltyTokenAbi.filter((item) => item.type === "event" && item.name === "Transfer"),
] as unknown as readonly (
  | Extract<(typeof campaignFactoryAbi)[number], { type: "event"; name: "TokenCreated" }>
  | Extract<(typeof loyaltyTokenAbi)[number], { type: "event"; name: "Transfer" }>
)[];

export type DepositEvent = IndexedEvent<typeof depositEventsAbi>;

/** Points that reached a deposit address. */
export interface Deposit {
  /** `transactionHash:logIndex`: the idempotency key of the credit. */
  id: string;
  /** The Perks token. */
  token: Address;
  from: Address;
  /** The deposit address. */
  to: Address;
  /** Base units (18 decimals). */
  amount: bigint;
  blockNumber: bigint;
  blockHash: Hash;
  transactionHash: Hash;
  logIndex: number;
  /** Block time, unix seconds. */
  timestamp: number;
}

/** What the watcher persists. */
export interface DepositLedgerState {
  version: 1;
  /** Indexed events examined, counted from the indexer's first. */
  examined: number;
  /** The last examined events: their position, id, block and block hash. */
  recent: { position: number; id: string; blockNumber: bigint; blockHash: Hash }[];
  /** Every credited deposit, in the order credited. */
  credits: Deposit[];
  /** Credited deposits that later left the chain (a reorg deeper than the confirmations). */
  orphaned: Deposit[];
}

/** Where the watcher keeps its ledger; `save` must be atomic (Node: node/depositLedger.ts). */
export interface DepositLedger {
  load(): Promise<DepositLedgerState | undefined>;
  save(state: DepositLedgerState): Promise<void>;
}

/** A ledger in memory, for tests and short-lived processes. */
export function memoryLedger(): DepositLedger {
  let saved: DepositLedgerState | undefined;
  return {
    load: async () => saved && structuredClone(saved),
    save: async (state) => {
      saved = structuredClone(state);
    },
  };
}

export interface DepositWatcherOptions {
  client: Client<Transport, Chain | undefined>;
  /** The exchange's deposit addresses. */
  addresses: Iterable<Address>;
  /** The factory whose tokens count; the SDK's recorded deployment on the client's chain by default. */
  factory?: Address;
  /** The first block to read: the factory's deployment block (or the block the exchange starts from). */
  fromBlock: bigint;
  /** Blocks on top before a deposit is credited; 12 by default. */
  confirmations?: number;
  /** The indexer's own store (indexer/fileStore in Node), kept with the ledger. */
  indexerStore: IndexerStore<DepositEvent>;
  ledger: DepositLedger;
  onDeposit?: (deposit: Deposit) => void | Promise<void>;
  /** Told once per credited deposit that left the chain. */
  onOrphaned?: (deposit: Deposit) => void | Promise<void>;
  /** Passed to the indexer: block ranges and retries of getLogs. */
  range?: IndexerOptions<typeof depositEventsAbi>["range"];
  retry?: IndexerOptions<typeof depositEventsAbi>["retry"];
}

export interface PollResult {
  /** Deposits credited by this poll. */
  credited: Deposit[];
  /** Credited deposits found gone by this poll. */
  orphaned: Deposit[];
  /** The newest block whose deposits are credited. */
  cursor: bigint;
  head: bigint;
}

export interface DepositWatcher {
  /** Indexes up to `head - confirmations` and credits the new deposits. Concurrent calls run one after the other. */
  poll(): Promise<PollResult>;
  /** Polls every `intervalMs` (4 s by default) until `signal` aborts; errors go to `onError` and the loop goes on. */
  watch(options: {
    signal: AbortSignal;
    intervalMs?: number;
    onPoll?: (result: PollResult) => void;
    onError?: (error: unknown) => void;
  }): Promise<void>;
  /** Every credited deposit, in the order credited. */
  credits(): Promise<Deposit[]>;
}

/** How many examined events the ledger remembers, to notice a rollback of the indexer under them. */
const RECENT = 256;

const idOf = (event: Pick<DepositEvent, "transactionHash" | "logIndex">) =>
  `${event.transactionHash}:${event.logIndex}`;

export function createDepositWatcher(options: DepositWatcherOptions): DepositWatcher {
  const deposits = new Set([...options.addresses].map((address) => address.toLowerCase()));
  let indexer: Indexer<DepositEvent> | undefined;
  let factoryLower: string | undefined;

  async function indexerOf(): Promise<Indexer<DepositEvent>> {
    if (indexer) return indexer;
    const factory = await resolveAddress(options.client, options.factory, "CampaignFactory");
    factoryLower = factory.toLowerCase();
    indexer = createIndexer({
      client: options.client,
      store: options.indexerStore,
      abi: depositEventsAbi,
      addresses: [factory],
      discover: (event) =>
        event.eventName === "TokenCreated" && event.address.toLowerCase() === factoryLower ? [event.args.token] : [],
      fromBlock: options.fromBlock,
      confirmations: options.confirmations ?? 12,
      range: options.range,
      retry: options.retry,
    });
    return indexer;
  }

  async function loadLedger(): Promise<DepositLedgerState> {
    return (await options.ledger.load()) ?? { version: 1, examined: 0, recent: [], credits: [], orphaned: [] };
  }

  /** The first position whose event is not the one examined there: where the indexer rolled back to, if it did. */
  async function firstChanged(events: Indexer<DepositEvent>, ledger: DepositLedgerState): Promise<number> {
    const oldest = ledger.recent[0];
    if (oldest === undefined) return ledger.examined;
    let position = oldest.position;
    const expected = new Map(ledger.recent.map((entry) => [entry.position, entry]));
    for await (const event of events.events(oldest.position)) {
      const entry = expected.get(position);
      if (entry === undefined) break;
      if (entry.id !== idOf(event) || entry.blockHash !== event.blockHash) {
        // Changed below the remembered window too, maybe: examine everything again (credited ids are skipped).
        return position === oldest.position ? 0 : position;
      }
      position++;
    }
    return Math.min(position, ledger.examined);
  }

  async function pollOnce(): Promise<PollResult> {
    const events = await indexerOf();
    const synced = await events.sync();
    const ledger = await loadLedger();
    const from = await firstChanged(events, ledger);
    const credited: Deposit[] = [];
    const orphaned: Deposit[] = [];

    // Events examined before and now rolled back: their credits stand, and those not examined again are reported.
    const rewoundFrom =
      from < ledger.examined ? (ledger.recent.find((entry) => entry.position >= from) ?? ledger.recent[0]) : undefined;
    const creditedIds = new Set(ledger.credits.map((deposit) => deposit.id));
    const seenAgain = new Set<string>();
    ledger.examined = from;
    ledger.recent = ledger.recent.filter((entry) => entry.position < from);

    for await (const event of events.events(from)) {
      const position = ledger.examined++;
      const id = idOf(event);
      seenAgain.add(id);
      ledger.recent.push({ position, id, blockNumber: event.blockNumber, blockHash: event.blockHash });
      if (ledger.recent.length > RECENT) ledger.recent.shift();
      if (event.eventName !== "Transfer" || !deposits.has(event.args.to.toLowerCase())) continue;
      if (creditedIds.has(id)) continue;
      const deposit: Deposit = {
        id,
        token: event.address,
        from: getAddress(event.args.from),
        to: getAddress(event.args.to),
        amount: event.args.amount,
        blockNumber: event.blockNumber,
        blockHash: event.blockHash,
        transactionHash: event.transactionHash,
        logIndex: event.logIndex,
        timestamp: event.timestamp,
      };
      ledger.credits.push(deposit);
      creditedIds.add(id);
      await options.ledger.save(ledger);
      credited.push(deposit);
      await options.onDeposit?.(deposit);
    }

    if (rewoundFrom !== undefined) {
      const orphanedIds = new Set(ledger.orphaned.map((deposit) => deposit.id));
      for (const deposit of ledger.credits) {
        const gone = deposit.blockNumber >= rewoundFrom.blockNumber && !seenAgain.has(deposit.id);
        if (gone && !orphanedIds.has(deposit.id)) {
          ledger.orphaned.push(deposit);
          orphaned.push(deposit);
        }
      }
    }
    await options.ledger.save(ledger);
    for (const deposit of orphaned) await options.onOrphaned?.(deposit);
    return { credited, orphaned, cursor: synced.cursor, head: synced.head };
  }

  let queue: Promise<unknown> = Promise.resolve();
  const poll = () => {
    const run = queue.then(pollOnce, pollOnce);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    poll,
    async watch({ signal, intervalMs = 4_000, onPoll, onError }) {
      while (!signal.aborted) {
        try {
          onPoll?.(await poll());
        } catch (error) {
          if (signal.aborted) break;
          onError?.(error);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    },
    credits: async () => (await loadLedger()).credits,
  };
}
