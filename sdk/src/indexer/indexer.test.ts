import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Address, HttpRequestError, getAddress, zeroAddress } from "viem";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PerksEvent, type PerksEventsAbi, perksEventsAbi, perksSources } from "./events";
import { encodeLog, fakeChain } from "./fakeChain";
import { fileStore } from "./fileStore";
import { idbStore } from "./idbStore";
import { type IndexerOptions, IndexerReorgTooDeepError, IndexerStoreMismatchError, createIndexer } from "./indexer";
import { type IndexerStore, memoryStore } from "./store";

const FACTORY = getAddress("0xfac7000000000000000000000000000000000001");
const MERCHANT = getAddress("0x0000000000000000000000000000000000000a11");
const TOKEN = getAddress("0x70ce000000000000000000000000000000000002");
const OTHER_TOKEN = getAddress("0x0bad000000000000000000000000000000000003");
const ALICE = getAddress("0x00000000000000000000000000000000000a1ce0");

const tokenCreated = () =>
  encodeLog(FACTORY, "TokenCreated", {
    merchant: MERCHANT,
    token: TOKEN,
    name: "Alpha Coffee Beans",
    symbol: "BEAN",
    faceValue: 10_000n,
    metadataURI: "ipfs://alpha",
  });
const transfer = (value: bigint, token: Address = TOKEN) =>
  encodeLog(token, "Transfer", { from: zeroAddress, to: ALICE, amount: value });

type Chain = ReturnType<typeof fakeChain>;

/** A token created in block 1 whose constructor logged before the factory's event, then one transfer a block. */
function chainWithToken(blocks: number, options?: Parameters<typeof fakeChain>[0]): Chain {
  const chain = fakeChain(options);
  chain.mine(transfer(1n), tokenCreated(), transfer(1n, OTHER_TOKEN));
  for (let i = 2; i <= blocks; i++) chain.mine(transfer(BigInt(i)), transfer(BigInt(i), OTHER_TOKEN));
  return chain;
}

function indexerOn(
  chain: Chain,
  options: Partial<IndexerOptions<PerksEventsAbi>> = {},
  store?: IndexerStore<PerksEvent>,
) {
  return createIndexer({
    client: chain.client,
    store: store ?? memoryStore<PerksEvent>(),
    abi: perksEventsAbi,
    ...perksSources({ factories: [FACTORY] }),
    fromBlock: 1n,
    confirmations: 0,
    retry: { baseDelayMs: 1 },
    ...options,
  });
}

/** The logs of the factory and its token up to `last`, as [block, logIndex, address]. */
function expected(chain: Chain, last = chain.blocks.length - 1) {
  return chain
    .canonical()
    .filter(([block, , address]) => block <= BigInt(last) && address !== OTHER_TOKEN)
    .map(([block, index, address]) => [block, index, address]);
}

async function stored(indexer: ReturnType<typeof indexerOn>) {
  const events: PerksEvent[] = [];
  for await (const event of indexer.events()) events.push(event);
  return events;
}

/** Storage that outlives an indexer: `open` gives a new store over it each time, as a restarted process would. */
type DurableStorage = () => Promise<{ open: () => IndexerStore<PerksEvent>; dispose: () => Promise<void> }>;

const durableStorages: [string, DurableStorage][] = [
  [
    "a file store",
    async () => {
      const directory = await mkdtemp(path.join(tmpdir(), "perks-indexer-"));
      return {
        open: () => fileStore<PerksEvent>(directory),
        dispose: () => rm(directory, { recursive: true, force: true }),
      };
    },
  ],
  [
    "an IndexedDB store",
    async () => {
      const factory = new IDBFactory();
      return {
        open: () => idbStore<PerksEvent>("perks-indexer", { indexedDB: factory, IDBKeyRange }),
        dispose: async () => {},
      };
    },
  ],
];

const shape = (events: PerksEvent[]) => events.map((event) => [event.blockNumber, event.logIndex, event.address]);

const logRanges = (chain: Chain) =>
  chain.calls
    .filter((call) => call.method === "eth_getLogs")
    .map(({ params }) => {
      const { fromBlock, toBlock } = params[0] as { fromBlock: string; toBlock: string };
      return Number(BigInt(toBlock) - BigInt(fromBlock)) + 1;
    });

describe("createIndexer", () => {
  it("stores decoded events up to head - confirmations, then only what is new", async () => {
    const chain = chainWithToken(20);
    const indexer = indexerOn(chain, { confirmations: 5 });
    const first = await indexer.sync();
    expect([first.head, first.cursor, first.added]).toEqual([20n, 15n, 16]);
    const events = await stored(indexer);
    expect(shape(events)).toEqual(expected(chain, 15));
    const created = events.find((event) => event.eventName === "TokenCreated");
    expect(created?.eventName === "TokenCreated" && created.args).toMatchObject({
      token: TOKEN,
      symbol: "BEAN",
      faceValue: 10_000n,
    });
    expect(events[0]).toMatchObject({
      eventName: "Transfer",
      args: { to: ALICE, amount: 1n },
      timestamp: 1_700_000_012,
    });

    chain.mine(transfer(21n));
    chain.calls.length = 0;
    const second = await indexer.sync();
    expect([second.cursor, second.added]).toEqual([16n, 1]);
    expect(shape(await stored(indexer))).toEqual(expected(chain, 16));
    expect(chain.calls.filter((call) => call.method === "eth_getLogs")).toHaveLength(1);
  });

  it("finds a factory's creation in the chunk that announces it, with the logs before the announcement", async () => {
    const chain = chainWithToken(3);
    const indexer = indexerOn(chain, { range: { initial: 100 } });
    await indexer.sync();
    const events = await stored(indexer);
    expect(events.slice(0, 2).map((event) => [event.blockNumber, event.logIndex, event.eventName])).toEqual([
      [1n, 0, "Transfer"],
      [1n, 1, "TokenCreated"],
    ]);
    expect((await indexer.state())?.discovered).toEqual([{ address: TOKEN, block: 1n }]);
  });

  it("only follows the merchants it is told to", async () => {
    const chain = chainWithToken(3);
    const indexer = indexerOn(chain, perksSources({ factories: [FACTORY], merchants: [ALICE] }));
    await indexer.sync();
    expect((await stored(indexer)).map((event) => event.eventName)).toEqual(["TokenCreated"]);
  });

  it("only follows the tokens it is told to, whoever created them", async () => {
    const chain = chainWithToken(3);
    const followed = indexerOn(chain, perksSources({ factories: [FACTORY], tokens: [TOKEN] }));
    await followed.sync();
    // The token's own log before its announcement in block 1, the announcement, then its transfers: not the other's.
    expect((await stored(followed)).map((event) => [event.eventName, event.address])).toEqual([
      ["Transfer", TOKEN],
      ["TokenCreated", FACTORY],
      ["Transfer", TOKEN],
      ["Transfer", TOKEN],
    ]);
    // Another token: its creation is still read (the factory is watched), but nothing of it is followed.
    const other = indexerOn(chain, perksSources({ factories: [FACTORY], tokens: [OTHER_TOKEN] }));
    await other.sync();
    expect((await stored(other)).map((event) => event.eventName)).toEqual(["TokenCreated"]);
    expect((await other.state())?.discovered).toEqual([]);
  });

  it("halves the range on a provider's block-range limit and never asks for more than the limit it states", async () => {
    const chain = chainWithToken(60, { maxRange: 7 });
    const indexer = indexerOn(chain, { range: { initial: 50, growAfter: 1 } });
    await indexer.sync();
    expect(shape(await stored(indexer))).toEqual(expected(chain));
    const ranges = logRanges(chain);
    expect(ranges[0]).toBe(50);
    expect(ranges.slice(1).every((blocks) => blocks <= 7)).toBe(true);
  });

  it("halves the range on too many results and grows it back where logs are sparse", async () => {
    const chain = fakeChain({ maxResults: 4 });
    chain.mine(tokenCreated());
    for (let i = 0; i < 10; i++) chain.mine(transfer(1n), transfer(2n), transfer(3n));
    for (let i = 0; i < 200; i++) chain.mine();
    chain.mine(transfer(4n));
    const indexer = indexerOn(chain, { range: { initial: 64, growAfter: 1 } });
    await indexer.sync();
    expect(shape(await stored(indexer))).toEqual(expected(chain));
    const ranges = logRanges(chain);
    expect(Math.min(...ranges)).toBe(1);
    expect(ranges.at(-1)).toBeGreaterThan(16);
  });

  it("retries transient failures with backoff and gives up on a request refused for good", async () => {
    const chain = chainWithToken(10);
    chain.fail("eth_getLogs", new HttpRequestError({ url: "https://rpc.example", status: 503 }), {
      code: -32603,
      message: "Internal error",
    });
    chain.fail("eth_blockNumber", { code: -32000, message: "header not found" });
    chain.fail("eth_getBlockByNumber", new HttpRequestError({ url: "https://rpc.example", status: 429 }));
    const indexer = indexerOn(chain);
    await indexer.sync();
    expect(shape(await stored(indexer))).toEqual(expected(chain));

    chain.mine(transfer(11n));
    chain.fail("eth_getLogs", { code: -32602, message: "invalid argument 0: hex string without 0x prefix" });
    await expect(indexer.sync()).rejects.toThrow("hex string without 0x prefix");
    expect((await indexer.state())?.cursor).toBe(10n);
    await indexer.sync();
    expect(shape(await stored(indexer))).toEqual(expected(chain));
  });

  it("stops after the last attempt at a failing request", async () => {
    const chain = chainWithToken(3);
    chain.fail("eth_getLogs", ...Array.from({ length: 3 }, () => ({ code: -32603, message: "Internal error" })));
    await expect(indexerOn(chain, { retry: { attempts: 3, baseDelayMs: 1 } }).sync()).rejects.toThrow("Internal error");
  });

  it("rolls a reorg back to the fork point and indexes the new branch", async () => {
    const chain = chainWithToken(12);
    const indexer = indexerOn(chain, { range: { initial: 4 } });
    await indexer.sync();
    chain.reorg(3);
    chain.mine(transfer(100n));
    chain.mine();
    chain.mine(transfer(101n), transfer(102n));
    chain.mine(transfer(103n));
    const result = await indexer.sync();
    expect(result.rolledBack?.to).toBeLessThanOrEqual(9n);
    expect(shape(await stored(indexer))).toEqual(expected(chain));
    const values = (await stored(indexer)).flatMap((event) =>
      event.eventName === "Transfer" ? [event.args.amount] : [],
    );
    expect(values.slice(-4)).toEqual([100n, 101n, 102n, 103n]);
  });

  it("waits for a node that is behind its stored blocks, then rolls back once the new branch outgrows them", async () => {
    const chain = chainWithToken(12);
    const indexer = indexerOn(chain);
    await indexer.sync();
    chain.reorg(4);
    expect(await indexer.sync()).toEqual({ head: 8n, cursor: 12n, added: 0 });
    for (let i = 0; i < 6; i++) chain.mine(transfer(BigInt(600 + i)));
    expect((await indexer.sync()).rolledBack?.to).toBeLessThanOrEqual(8n);
    expect(shape(await stored(indexer))).toEqual(expected(chain));
  });

  it("stays consistent when a sync fails right after rolling back", async () => {
    const chain = chainWithToken(12);
    const indexer = indexerOn(chain, { range: { initial: 4 } });
    await indexer.sync();
    chain.reorg(3);
    chain.mine(transfer(700n), transfer(701n));
    chain.mine();
    chain.mine(transfer(702n));
    chain.fail("eth_getLogs", { code: -32602, message: "invalid argument" });
    await expect(indexer.sync()).rejects.toThrow("invalid argument");
    await indexer.sync();
    expect(shape(await stored(indexer))).toEqual(expected(chain));
  });

  it("keeps final events clear of a reorg shallower than the confirmations and returns the unconfirmed tail", async () => {
    const chain = chainWithToken(20);
    const indexer = indexerOn(chain, { confirmations: 4 });
    const before = await indexer.sync({ unconfirmed: true });
    expect(before.tail?.map((event) => event.blockNumber)).toEqual([17n, 18n, 19n, 20n]);
    chain.reorg(3);
    chain.mine(transfer(200n));
    chain.mine();
    chain.mine();
    chain.mine(transfer(201n));
    const after = await indexer.sync({ unconfirmed: true });
    expect(after.rolledBack).toBeUndefined();
    expect(shape(await stored(indexer))).toEqual(expected(chain, 17));
    expect(after.tail?.map((event) => event.eventName === "Transfer" && event.args.amount)).toEqual([200n, 201n]);
  });

  it("reads a range again when the chain changes while it is read", async () => {
    const chain = chainWithToken(8);
    let reorganised = false;
    chain.onRequest((method) => {
      if (method !== "eth_getLogs" || reorganised) return;
      reorganised = true;
      chain.reorg(2);
      chain.mine(transfer(300n));
      chain.mine(transfer(301n));
    });
    const indexer = indexerOn(chain);
    await indexer.sync();
    expect(shape(await stored(indexer))).toEqual(expected(chain));
    expect((await stored(indexer)).at(-1)).toMatchObject({ args: { amount: 301n } });
  });

  it("says so when a reorg goes below the blocks it can check, and starts over after a reset", async () => {
    const chain = chainWithToken(40);
    const indexer = indexerOn(chain, { reorgWindow: 3, range: { initial: 2, max: 2 } });
    await indexer.sync();
    chain.reorg(20);
    for (let i = 0; i < 21; i++) chain.mine(transfer(BigInt(400 + i)));
    await expect(indexer.sync()).rejects.toBeInstanceOf(IndexerReorgTooDeepError);
    await indexer.reset();
    await indexer.sync();
    expect(shape(await stored(indexer))).toEqual(expected(chain));
  });

  describe.each(durableStorages)("over %s", (_, storage) => {
    let open: () => IndexerStore<PerksEvent>;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ open, dispose } = await storage());
    });
    afterEach(() => dispose());

    it("resumes from its persisted cursor after a restart", async () => {
      const chain = chainWithToken(10);
      await indexerOn(chain, {}, open()).sync();
      chain.mine(transfer(11n));
      chain.calls.length = 0;
      const restarted = indexerOn(chain, {}, open());
      expect((await restarted.sync()).added).toBe(1);
      expect(logRanges(chain)).toEqual([1]);
      expect(shape(await stored(restarted))).toEqual(expected(chain));
    });

    it("rolls back a reorg that happened while it was stopped, from the checkpoints it persisted", async () => {
      const chain = chainWithToken(12);
      await indexerOn(chain, { range: { initial: 4 } }, open()).sync();
      chain.reorg(3);
      chain.mine(transfer(100n));
      chain.mine();
      chain.mine(transfer(101n), transfer(102n));
      const restarted = indexerOn(chain, { range: { initial: 4 } }, open());
      const result = await restarted.sync();
      expect(result.rolledBack?.to).toBeLessThanOrEqual(9n);
      expect(result.cursor).toBe(12n);
      const events = await stored(indexerOn(chain, {}, open()));
      expect(shape(events)).toEqual(expected(chain));
      expect(events.flatMap((event) => (event.eventName === "Transfer" ? [event.args.amount] : [])).slice(-3)).toEqual([
        100n,
        101n,
        102n,
      ]);
    });
  });

  it("refuses a store filled for another chain or other contracts", async () => {
    const chain = chainWithToken(3);
    const store = memoryStore<PerksEvent>();
    await indexerOn(chain, {}, store).sync();
    const saved = (await store.load())!;
    await store.truncate(saved.count, { ...saved, chainId: 1 });
    await expect(indexerOn(chain, {}, store).sync()).rejects.toThrow("holds chain 1");
    await store.truncate(saved.count, saved);
    await expect(indexerOn(chain, { fromBlock: 2n }, store).sync()).rejects.toBeInstanceOf(IndexerStoreMismatchError);
  });

  it("takes block timestamps from the logs when the node includes them", async () => {
    const chain = chainWithToken(6, { logTimestamps: true });
    const indexer = indexerOn(chain, { range: { initial: 100 } });
    await indexer.sync();
    expect((await stored(indexer)).map((event) => event.timestamp)).toEqual(
      expected(chain).map(([block]) => 1_700_000_000 + Number(block) * 12),
    );
    // Headers only for the chunk's ends (before and after the logs) and for the cursor check.
    expect(chain.calls.filter((call) => call.method === "eth_getBlockByNumber").length).toBeLessThanOrEqual(3);
  });

  it("watches the chain until stopped", async () => {
    const chain = chainWithToken(3);
    const indexer = indexerOn(chain);
    const controller = new AbortController();
    const added: number[] = [];
    await indexer.watch({
      intervalMs: 1,
      signal: controller.signal,
      onSync(result) {
        added.push(result.added);
        if (added.length === 3) controller.abort();
        else chain.mine(transfer(BigInt(500 + added.length)));
      },
    });
    expect(added).toEqual([4, 1, 1]);
  });
});
