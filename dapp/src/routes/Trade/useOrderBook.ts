import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { chainTime, getOrderBook } from "@perks/sdk";
import { targetChain } from "../../chain";
import { useRefreshOnBlock } from "../../hooks/useRefreshOnBlock";
import { EVENT_RANGE } from "../../lib/registry";

/** The open book between `base` and `quote`, rebuilt from the exchange's events, with the chain's time; live. */
export function useOrderBook(exchange: Address | undefined, base: Address | undefined, quote: Address | undefined) {
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const queryKey = ["perks", "orderBook", targetChain.id, exchange, base, quote] as const;
  const query = useQuery({
    queryKey,
    enabled: publicClient !== undefined && exchange !== undefined && base !== undefined && quote !== undefined && base !== quote,
    queryFn: async () => {
      const [book, now] = await Promise.all([
        getOrderBook(publicClient!, { base: base!, quote: quote!, exchange, ...EVENT_RANGE }),
        chainTime(publicClient!),
      ]);
      return { book, now: Number(now) };
    },
  });
  useRefreshOnBlock([queryKey]);
  return query;
}
