import { useEffect, useRef } from "react";
import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useBlockNumber } from "wagmi";
import { hashFn } from "wagmi/query";
import { targetChain } from "../chain";

/**
 * Refetches the queries under `queryKeys` whenever a new block arrives (wagmi polls the block number), so balances
 * and lists follow the chain without a reload. Watching starts once every one of them has loaded once (and not at
 * all while none is given), so a page's first paint waits on no block-number call. Returns the latest block number.
 */
export function useRefreshOnBlock(queryKeys: readonly (QueryKey | undefined)[]): bigint | undefined {
  const queryClient = useQueryClient();
  // The calling component re-renders when its queries load, so this is recomputed then. wagmi's hash reads keys
  // that hold bigints (the default JSON hash throws on them) and equals the default one on every other key.
  const cache = queryClient.getQueryCache();
  const watched = queryKeys.filter((queryKey) => queryKey !== undefined);
  const loaded = watched.length > 0 && watched.every((queryKey) => cache.get(hashFn(queryKey))?.state.data !== undefined);
  const { data: blockNumber } = useBlockNumber({ chainId: targetChain.id, watch: loaded, query: { enabled: loaded } });
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
