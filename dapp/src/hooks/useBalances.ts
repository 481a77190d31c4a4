import { useMemo } from "react";
import { type Address, erc20Abi } from "viem";
import { useReadContracts } from "wagmi";
import { targetChain } from "../chain";
import { multicallOptions } from "../lib/perks";
import { useRefreshOnBlock } from "./useRefreshOnBlock";

/** `account`'s balance of each of `tokens` in one batched read, refreshed on every block; undefined while loading. */
export function useBalances(account: Address | undefined, tokens: readonly (Address | undefined)[]) {
  const wanted = useMemo(() => [...new Set(tokens.filter((token): token is Address => token !== undefined))], [tokens]);
  const reads = useReadContracts({
    contracts: wanted.map(
      (address) => ({ chainId: targetChain.id, address, abi: erc20Abi, functionName: "balanceOf", args: [account!] }) as const,
    ),
    allowFailure: false,
    ...multicallOptions(targetChain),
    query: { enabled: account !== undefined && wanted.length > 0 },
  });
  useRefreshOnBlock([account ? reads.queryKey : undefined]);
  return useMemo(
    () => (reads.data ? new Map<Address, bigint>(wanted.map((token, i) => [token, reads.data[i] as bigint])) : undefined),
    [reads.data, wanted],
  );
}
