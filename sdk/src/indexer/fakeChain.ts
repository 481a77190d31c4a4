import {
  type AbiEvent,
  type Address,
  type Hash,
  type Hex,
  type RpcLog,
  createClient,
  custom,
  encodeAbiParameters,
  encodeEventTopics,
  keccak256,
  numberToHex,
  stringToHex,
} from "viem";
import { type PerksEventName, perksEventsAbi } from "./events";

// Test support: a scripted chain behind a fake JSON-RPC provider, with the limits and failures real providers show.

interface FakeBlock {
  number: bigint;
  hash: Hash;
  parentHash: Hash;
  timestamp: number;
  logs: { address: Address; topics: Hex[]; data: Hex }[];
}

/** A log of a Perks event, encoded as a node returns it (topics and data). */
export function encodeLog(address: Address, eventName: PerksEventName, args: Record<string, unknown>) {
  const item = perksEventsAbi.find((event) => event.name === eventName) as AbiEvent;
  const topics = encodeEventTopics({ abi: [item], eventName, args } as never) as Hex[];
  const data = encodeAbiParameters(
    item.inputs.filter((input) => !input.indexed),
    item.inputs.filter((input) => !input.indexed).map((input) => args[input.name!]),
  );
  return { address, topics, data };
}

export interface FakeProviderOptions {
  /** getLogs over more blocks fails like Alchemy's range limit. */
  maxRange?: number;
  /** getLogs returning more logs fails like Infura's result limit. */
  maxResults?: number;
  /** Whether logs carry `blockTimestamp` (newer nodes do). */
  logTimestamps?: boolean;
  /** Answers `eth_call` (the contracts' state); without it, calls are not supported. */
  call?: (to: Address, data: Hex) => Hex;
}

/** A chain you mine and reorganise by hand, and the viem client that reads it. */
export function fakeChain(options: FakeProviderOptions = {}) {
  const blocks: FakeBlock[] = [];
  let fork = 0;
  /** Scripted failures: the next calls of a method throw these, in order. */
  const failures = new Map<string, unknown[]>();
  const calls: { method: string; params: unknown[] }[] = [];
  /** Runs before each request is answered: a test can change the chain mid-sync. */
  let beforeRequest: ((method: string) => void) | undefined;

  function mine(...logs: FakeBlock["logs"]): FakeBlock {
    const number = BigInt(blocks.length);
    const parentHash = number === 0n ? (`0x${"00".repeat(32)}` as Hash) : blocks[blocks.length - 1].hash;
    const block = {
      number,
      hash: keccak256(stringToHex(`block ${number} fork ${fork}`)),
      parentHash,
      timestamp: 1_700_000_000 + Number(number) * 12,
      logs,
    };
    blocks.push(block);
    return block;
  }

  /** Drops the newest `depth` blocks: the next ones mined replace them. */
  function reorg(depth: number) {
    blocks.length -= depth;
    fork++;
  }

  function fail(method: string, ...errors: unknown[]) {
    failures.set(method, [...(failures.get(method) ?? []), ...errors]);
  }

  function getLogs({
    address,
    topics = [],
    fromBlock,
    toBlock,
  }: {
    /** Any contract's logs when left out, as a node does. */
    address?: Address | Address[];
    /** Per position: one topic, any of several, or anything (null). */
    topics?: (Hex | Hex[] | null)[];
    fromBlock: Hex;
    toBlock: Hex;
  }) {
    const from = BigInt(fromBlock);
    const to = BigInt(toBlock);
    if (options.maxRange !== undefined && to - from + 1n > BigInt(options.maxRange)) {
      throw {
        code: -32600,
        message: `You can make eth_getLogs requests with up to a ${options.maxRange} block range.`,
      };
    }
    const addresses = address === undefined ? undefined : new Set([address].flat().map((a) => a.toLowerCase()));
    const matches = (log: FakeBlock["logs"][number]) =>
      (addresses === undefined || addresses.has(log.address.toLowerCase())) &&
      topics.every((wanted, i) => wanted === null || [wanted].flat().some((topic) => topic.toLowerCase() === log.topics[i]?.toLowerCase()));
    const result: RpcLog[] = [];
    for (const block of blocks.slice(Number(from), Number(to) + 1)) {
      block.logs.forEach((log, logIndex) => {
        if (!matches(log)) return;
        result.push({
          ...log,
          blockNumber: numberToHex(block.number),
          blockHash: block.hash,
          logIndex: numberToHex(logIndex),
          transactionHash: keccak256(stringToHex(`${block.hash} ${logIndex}`)),
          transactionIndex: numberToHex(logIndex),
          removed: false,
          ...(options.logTimestamps ? { blockTimestamp: numberToHex(block.timestamp) } : {}),
        } as RpcLog);
      });
    }
    if (options.maxResults !== undefined && result.length > options.maxResults) {
      throw { code: -32005, message: `query returned more than ${options.maxResults} results` };
    }
    return result;
  }

  async function request({ method, params = [] }: { method: string; params?: unknown[] }): Promise<unknown> {
    calls.push({ method, params });
    beforeRequest?.(method);
    const scripted = failures.get(method);
    if (scripted?.length) throw scripted.shift();
    switch (method) {
      case "eth_chainId":
        return "0x7a69";
      case "eth_blockNumber":
        return numberToHex(blocks.length - 1);
      case "eth_getBlockByNumber": {
        const block = blocks[Number(BigInt(params[0] as Hex))];
        return block
          ? {
              number: numberToHex(block.number),
              hash: block.hash,
              parentHash: block.parentHash,
              timestamp: numberToHex(block.timestamp),
            }
          : null;
      }
      case "eth_getLogs":
        return getLogs(params[0] as Parameters<typeof getLogs>[0]);
      case "eth_call":
        if (!options.call) throw { code: -32601, message: "method eth_call not supported" };
        return options.call((params[0] as { to: Address }).to, (params[0] as { data: Hex }).data);
      default:
        throw { code: -32601, message: `method ${method} not supported` };
    }
  }

  const client = createClient({ transport: custom({ request }, { retryCount: 0 }) });
  mine();
  return {
    client,
    blocks,
    calls,
    mine,
    reorg,
    fail,
    onRequest(hook: typeof beforeRequest) {
      beforeRequest = hook;
    },
    /** Every log now on the chain, in order, as [block, logIndex, address]. */
    canonical() {
      return blocks.flatMap((block) => block.logs.map((log, i) => [block.number, i, log.address] as const));
    },
  };
}
