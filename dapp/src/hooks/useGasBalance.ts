import { useQuery } from "@tanstack/react-query";
import type { Address, Hex } from "viem";
import { usePublicClient } from "wagmi";
import { targetChain } from "../chain";
import { useRefreshOnBlock } from "./useRefreshOnBlock";

/**
 * The wallet's balance of the chain's gas currency, in wei, read with a plain eth_getBalance: viem's getBalance
 * goes through Multicall3's getEthBalance when the chain names a Multicall3, and the local chain's (aggregate3
 * only) has none.
 */
export function useGasBalance(address: Address | undefined) {
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const queryKey = ["perks", "gasBalance", targetChain.id, address] as const;
  const query = useQuery({
    queryKey,
    enabled: address !== undefined && publicClient !== undefined,
    queryFn: async () => BigInt(await publicClient!.request({ method: "eth_getBalance", params: [address!, "latest"] }) as Hex),
  });
  useRefreshOnBlock([address ? queryKey : undefined]);
  return query;
}
