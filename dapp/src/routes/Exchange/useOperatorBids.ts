import { useQuery } from "@tanstack/react-query";
import type { Address, Hex } from "viem";
import { getContractEvents } from "viem/actions";
import { usePublicClient } from "wagmi";
import { type BidInfo, cashOutGatewayAbi, chainTime, getBid, readInChunks } from "@perks/sdk";
import { targetChain } from "../../chain";
import { gatewayAddress } from "../../hooks/useBids";
import { useRefreshOnBlock } from "../../hooks/useRefreshOnBlock";
import { EVENT_RANGE, type ReadClient } from "../../lib/registry";

/** A sale into one of the operator's bids. */
export interface Sale {
  bidId: bigint;
  seller: Address;
  points: bigint;
  payout: bigint;
  blockNumber: bigint;
  transactionHash: Hex;
}

/** A bid the operator posted, as posted and as it stands now, with the sales into it (newest first). */
export interface OperatorBid {
  id: bigint;
  /** From `BidPosted`: kept after the bid closes, when `bidOf` reads all zero. */
  posted: { token: Address; stablecoin: Address; maxPoints: bigint; price: bigint };
  state: BidInfo;
  sales: Sale[];
}

/**
 * Every bid `operator` posted on the gateway, newest first, and the chain's time: the terms from `BidPosted`, the state from `bidOf`, and
 * its sales from `PointsSold`; refreshed on every block, so a sale shows as soon as it lands. (The SDK lists bids by
 * token for sellers; an operator's view is read here from the same events.)
 */
export function useOperatorBids(operator: Address | undefined) {
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const queryKey = ["perks", "operatorBids", targetChain.id, gatewayAddress, operator] as const;
  const query = useQuery({
    queryKey,
    enabled: publicClient !== undefined && gatewayAddress !== undefined && operator !== undefined,
    queryFn: async (): Promise<{ bids: OperatorBid[]; now: number }> => {
      const client: ReadClient = publicClient!;
      const address = gatewayAddress!;
      const [posted, now] = await Promise.all([
        readInChunks(client, EVENT_RANGE, (fromBlock, toBlock) =>
          getContractEvents(client, { address, abi: cashOutGatewayAbi, eventName: "BidPosted", args: { operator }, fromBlock, toBlock, strict: true }),
        ),
        chainTime(client).then(Number),
      ]);
      if (posted.length === 0) return { bids: [], now };
      const ids = posted.map(({ args }) => args.bidId);
      const [states, sold] = await Promise.all([
        Promise.all(ids.map((bidId) => getBid(client, { bidId, gateway: address }))),
        readInChunks(client, EVENT_RANGE, (fromBlock, toBlock) =>
          getContractEvents(client, { address, abi: cashOutGatewayAbi, eventName: "PointsSold", args: { bidId: ids }, fromBlock, toBlock, strict: true }),
        ),
      ]);
      const sales = sold
        .map(({ args, blockNumber, transactionHash }) => ({ ...args, blockNumber, transactionHash }))
        .reverse();
      const bids = posted.map(({ args }, i) => ({
        id: args.bidId,
        posted: { token: args.token, stablecoin: args.stablecoin, maxPoints: args.maxPoints, price: args.price },
        state: states[i],
        sales: sales.filter((sale) => sale.bidId === args.bidId),
      }));
      return { bids: bids.reverse(), now };
    },
  });
  useRefreshOnBlock([queryKey]);
  return query;
}
