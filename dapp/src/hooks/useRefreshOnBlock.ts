import { useEffect, useRef } from "react";
import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useBlockNumber } from "wagmi";
import { targetChain } from "../chain";

/**
 * Refetches the queries under `queryKeys` whenever a new block arrives (wagmi polls the block number), so balances
 * and lists follow the chain without a reload. Returns the latest block number.
 */
export function useRefreshOnBlock(queryKeys: readonly (QueryKey | undefined)[]): bigint | undefined {
  const queryClient = useQueryClient();
  const { data: blockNumber } = useBlockNumber({ chainId: targetChain.id, watch: true });
  const keys = useRef(queryKeys);
  keys.current = queryKeys;
  const seen = useRef<bigint | undefined>(undefined);
  useEffect(() => {
    if (blockNumber === undefined) return;
    const previous = seen.current;
    seen.current = blockNumber;
    // The first block number is the one the queries were just loaded at.
    if (previous === undefined || blockNumber <= previous) return;
    for (const queryKey of keys.current) if (queryKey) void queryClient.invalidateQueries({ queryKey });
  }, [blockNumber, queryClient]);
  return blockNumber;
}
