import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { type ListedBid, chainTime, listBids } from "@perks/sdk";
import { targetChain } from "../chain";
import { perksAddressesOn } from "../lib/perks";
import { EVENT_RANGE } from "../lib/registry";
import { useRefreshOnBlock } from "./useRefreshOnBlock";

export const gatewayAddress = perksAddressesOn(targetChain.id).CashOutGateway;

/** The bids that can be sold into now for each of `tokens`, best first (the SDK's order), with the chain's time;
 * refreshed every block. */
export function useBids(tokens: readonly Address[], { enabled = true }: { enabled?: boolean } = {}) {
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const queryKey = ["perks", "bids", targetChain.id, gatewayAddress, [...tokens].sort()] as const;
  const active = enabled && publicClient !== undefined && gatewayAddress !== undefined && tokens.length > 0;
  const query = useQuery({
    queryKey,
    enabled: active,
    queryFn: async (): Promise<{ bids: ReadonlyMap<Address, ListedBid[]>; now: number }> => {
      const [lists, now] = await Promise.all([
        Promise.all(tokens.map((token) => listBids(publicClient!, { token, gateway: gatewayAddress, ...EVENT_RANGE }))),
        chainTime(publicClient!),
      ]);
      return { bids: new Map(tokens.map((token, i) => [token, lists[i]])), now: Number(now) };
    },
  });
  useRefreshOnBlock([active ? queryKey : undefined]);
  return { ...query, noGateway: gatewayAddress === undefined };
}
