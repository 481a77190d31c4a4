import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type AbiEvent,
  type Address,
  type Hash,
  type Hex,
  type Log,
  type RpcLog,
  formatLog,
  getAddress,
  numberToHex,
  pad,
  parseEventLogs,
} from "viem";
import { usePublicClient } from "wagmi";
import {
  campaignAbi,
  campaignFactoryAbi,
  cashOutGatewayAbi,
  loyaltyTokenAbi,
  pointsExchangeAbi,
  rewardCatalogAbi,
  rewardVoucherAbi,
} from "@perks/sdk";
import { EVENT_RANGE } from "../lib/registry";
import { targetChain } from "../chain";
import { useRefreshOnBlock } from "./useRefreshOnBlock";
import { useWalletTokens } from "./useWalletTokens";

/** Every event a Perks contract emits, once each (ERC-20's and Ownable's appear in several ABIs). */
export const perksEvents: readonly AbiEvent[] = (() => {
  const bySignature = new Map<string, AbiEvent>();
  for (const abi of [
    loyaltyTokenAbi,
    campaignAbi,
    campaignFactoryAbi,
    rewardCatalogAbi,
    rewardVoucherAbi,
    pointsExchangeAbi,
    cashOutGatewayAbi,
  ]) {
    for (const item of abi as readonly { type: string }[]) {
      if (item.type !== "event") continue;
      const event = item as AbiEvent;
      const key = `${event.name}(${event.inputs.map((input) => `${input.type}${input.indexed ? " indexed" : ""}`).join(",")})`;
      if (!bySignature.has(key)) bySignature.set(key, event);
    }
  }
  return [...bySignature.values()];
})();

/** A decoded event that names the wallet, with the time of its block when known. */
export interface WalletEvent {
  id: string;
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hash;
  /** Unix seconds; undefined for older events whose block time was not fetched. */
  timestamp?: number;
}

interface EventsPage {
  events: WalletEvent[];
  /** The last block read. */
  toBlock: bigint;
}

/** Where the search starts and how many blocks one eth_getLogs covers (see EVENT_RANGE). */
const { fromBlock: FROM_BLOCK, blockRange: BLOCK_RANGE } = EVENT_RANGE;
/** Block times fetched for the newest events; older rows show their block number. */
const TIMESTAMPS_FOR = 100;

/**
 * Every event of any contract that names the wallet in an indexed field (as recipient, sender, holder, maker,
 * taker, seller, …): three eth_getLogs per block range, one per topic position, decoded with the Perks ABIs, newest
 * first. New blocks are read incrementally: each refresh asks only for the blocks since the last one.
 * The search starts once the wallet's balances are loaded (the same batched reads the wallet page shows), so the
 * balances, which people look at first, wait on no log search.
 */
export function useWalletEvents(account: Address | undefined) {
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const queryClient = useQueryClient();
  const queryKey = ["perks", "walletEvents", targetChain.id, account] as const;
  const balancesLoaded = useWalletTokens(account).data !== undefined;

  const query = useQuery({
    queryKey,
    enabled: account !== undefined && publicClient !== undefined && balancesLoaded,
    staleTime: 3_000,
    queryFn: async (): Promise<EventsPage> => {
      const client = publicClient!;
      const previous = queryClient.getQueryData<EventsPage>(queryKey);
      const latest = await client.getBlockNumber({ cacheTime: 0 });
      const fromBlock = previous ? previous.toBlock + 1n : FROM_BLOCK;
      if (previous && fromBlock > latest) return previous;

      const topic = pad(account!.toLowerCase() as Address);
      const logs: Log[] = [];
      const logTimes = new Map<bigint, number>();
      for (let from = fromBlock; from <= latest; from += BLOCK_RANGE) {
        const to = from + BLOCK_RANGE - 1n < latest ? from + BLOCK_RANGE - 1n : latest;
        const range = { fromBlock: numberToHex(from), toBlock: numberToHex(to) };
        const pages = await Promise.all(
          [[null, topic], [null, null, topic], [null, null, null, topic]].map(
            (topics) =>
              client.request({ method: "eth_getLogs", params: [{ ...range, topics }] as never }) as Promise<RpcLog[]>,
          ),
        );
        for (const page of pages) {
          for (const log of page) {
            logs.push(formatLog(log));
            // Newer nodes put the block's time in each log, which saves fetching the block.
            const { blockTimestamp } = log as RpcLog & { blockTimestamp?: Hex };
            if (log.blockNumber && blockTimestamp) logTimes.set(BigInt(log.blockNumber), Number(blockTimestamp));
          }
        }
      }

      const decoded = parseEventLogs({ abi: perksEvents, logs, strict: true });
      const fresh = new Map<string, WalletEvent>();
      for (const log of decoded) {
        if (log.blockNumber === null || log.logIndex === null || log.transactionHash === null) continue;
        const id = `${log.transactionHash}:${log.logIndex}`;
        fresh.set(id, {
          timestamp: logTimes.get(log.blockNumber),
          id,
          address: getAddress(log.address),
          eventName: log.eventName,
          args: log.args as Record<string, unknown>,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
          transactionHash: log.transactionHash,
        });
      }
      const events = [...fresh.values(), ...(previous?.events ?? [])].sort((a, b) =>
        a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
      );

      const missing = [
        ...new Set(events.slice(0, TIMESTAMPS_FOR).filter((e) => e.timestamp === undefined).map((e) => e.blockNumber)),
      ];
      const blocks = await Promise.all(missing.map((blockNumber) => client.getBlock({ blockNumber })));
      const times = new Map(blocks.map((block) => [block.number, Number(block.timestamp)]));
      return {
        toBlock: latest,
        events: events.map((event) =>
          event.timestamp === undefined && times.has(event.blockNumber)
            ? { ...event, timestamp: times.get(event.blockNumber) }
            : event,
        ),
      };
    },
  });

  useRefreshOnBlock([queryKey]);
  return { ...query, events: query.data?.events };
}
