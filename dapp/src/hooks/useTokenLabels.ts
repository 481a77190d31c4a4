import { useMemo } from "react";
import type { Address } from "viem";
import { useReadContracts } from "wagmi";
import { erc20Abi } from "viem";
import { targetChain } from "../chain";
import { multicallOptions } from "../lib/perks";

export interface TokenLabel {
  symbol: string;
  decimals: number;
}

const chainId = targetChain.id;

/**
 * Symbol and decimals of `tokens` (a token's never change), in one batched read, for naming tokens the wallet
 * no longer holds in its history. `known` labels are not read again.
 */
export function useTokenLabels(tokens: readonly Address[], known: ReadonlyMap<Address, TokenLabel>) {
  const missing = useMemo(() => [...new Set(tokens)].filter((token) => !known.has(token)).sort(), [tokens, known]);
  const { data } = useReadContracts({
    contracts: missing.flatMap((address) => [
      { chainId, address, abi: erc20Abi, functionName: "symbol" } as const,
      { chainId, address, abi: erc20Abi, functionName: "decimals" } as const,
    ]),
    ...multicallOptions(targetChain),
    query: { enabled: missing.length > 0, staleTime: Infinity },
  });
  return useMemo(() => {
    const labels = new Map(known);
    missing.forEach((token, i) => {
      const symbol = data?.[2 * i];
      const decimals = data?.[2 * i + 1];
      if (symbol?.status === "success" && decimals?.status === "success") {
        labels.set(token, { symbol: symbol.result as string, decimals: decimals.result as number });
      }
    });
    return labels;
  }, [known, missing, data]);
}
