import type { Chain, Client, Transport } from "viem";
import { getBlockNumber } from "viem/actions";

type ReadClient = Client<Transport, Chain | undefined>;

/** Which blocks to read events from. */
export interface BlockRange {
  /** First block; 0 by default (pass the contract's deployment block to read less). */
  fromBlock?: bigint;
  /** Last block; the latest by default. */
  toBlock?: bigint;
  /** Most blocks asked for in one `eth_getLogs`: public RPC endpoints cap the range. 10 000 by default. */
  blockRange?: bigint;
}

const DEFAULT_BLOCK_RANGE = 10_000n;

/** `read` over `range` in chunks of at most `blockRange` blocks, concatenated in block order. */
export async function readInChunks<item>(
  client: ReadClient,
  range: BlockRange,
  read: (fromBlock: bigint, toBlock: bigint) => Promise<readonly item[]>,
): Promise<item[]> {
  const { fromBlock = 0n, blockRange = DEFAULT_BLOCK_RANGE } = range;
  if (blockRange <= 0n) throw new RangeError(`A block range of ${blockRange} blocks reads nothing.`);
  const toBlock = range.toBlock ?? (await getBlockNumber(client, { cacheTime: 0 }));
  const items: item[] = [];
  for (let from = fromBlock; from <= toBlock; from += blockRange) {
    const to = from + blockRange - 1n < toBlock ? from + blockRange - 1n : toBlock;
    items.push(...(await read(from, to)));
  }
  return items;
}

/** Sorts logs into chain order (block, then position in the block). */
export function byChainOrder(
  a: { blockNumber: bigint | null; logIndex: number | null },
  b: { blockNumber: bigint | null; logIndex: number | null },
): number {
  const blocks = (a.blockNumber ?? 0n) - (b.blockNumber ?? 0n);
  return blocks !== 0n ? (blocks < 0n ? -1 : 1) : (a.logIndex ?? 0) - (b.logIndex ?? 0);
}
