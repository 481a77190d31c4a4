import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { type LoyaltyTokenInfo, type TokenMetadata, getLoyaltyToken, getTokenMetadata, listTokens, registryEntries } from "@perks/sdk";
import { targetChain } from "../chain";
import { factoryOn, perksAddressesOn } from "../lib/perks";
import { listStablecoins } from "../lib/registry";

const chainId = targetChain.id;

export interface PerksTokens {
  /** Every token the factory created, oldest first, with its merchant, face value and metadata URI. */
  loyalty: LoyaltyTokenInfo[];
  /** The stablecoins the PointsExchange allows (none without an exchange on this chain). */
  stablecoins: TokenMetadata[];
  byAddress: ReadonlyMap<Address, TokenMetadata>;
}

export const perksTokensQueryKey = ["perks", "tokens", chainId] as const;

/** Every Perks token and every stablecoin the exchange trades. Names and decimals never change, so the list is
 * re-read every half minute for new tokens rather than on every block. */
export function usePerksTokens() {
  const publicClient = usePublicClient({ chainId });
  const factory = factoryOn(chainId);
  const exchange = perksAddressesOn(chainId).PointsExchange;
  const query = useQuery({
    queryKey: perksTokensQueryKey,
    enabled: publicClient !== undefined && factory !== undefined,
    staleTime: 15_000,
    refetchInterval: 30_000,
    queryFn: async (): Promise<PerksTokens> => {
      const client = publicClient!;
      const addresses: Address[] = [];
      for await (const token of registryEntries(client, listTokens, { factory })) addresses.push(token);
      const [loyalty, stablecoins] = await Promise.all([
        Promise.all(addresses.map((token) => getLoyaltyToken(client, { token }))),
        exchange
          ? listStablecoins(client, { exchange }).then((coins) => Promise.all(coins.map((token) => getTokenMetadata(client, { token }))))
          : Promise.resolve([]),
      ]);
      const byAddress = new Map<Address, TokenMetadata>([...loyalty, ...stablecoins].map((token) => [token.address, token]));
      return { loyalty, stablecoins, byAddress };
    },
  });
  return { ...query, noDeployment: factory === undefined };
}
