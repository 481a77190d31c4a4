import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { type Abi, type Address, type ContractFunctionParameters, erc20Abi, zeroAddress } from "viem";
import { usePublicClient, useReadContracts } from "wagmi";
import { type CatalogInfo, type RewardInfo, campaignAbi, chainTime, getCatalog, listRewards, rewardVoucherAbi } from "@perks/sdk";
import { readContract } from "viem/actions";
import { targetChain } from "../chain";
import { factoryOn, multicallOptions } from "../lib/perks";
import { type ReadClient, listCatalogs } from "../lib/registry";
import { useRefreshOnBlock } from "./useRefreshOnBlock";

const chainId = targetChain.id;

/** A token as the reward pages name it. */
export interface NamedToken {
  address: Address;
  name: string;
  symbol: string;
  decimals: number;
}

/** A merchant's catalog with every reward it ever listed. */
export interface CatalogView extends CatalogInfo {
  rewards: RewardInfo[];
}

export interface Catalogs {
  catalogs: CatalogView[];
  /** Every token a catalog prices in or accepts. */
  tokens: ReadonlyMap<Address, NamedToken>;
  /** The latest block's time: what the contracts call now. */
  now: number;
}

export const catalogsQueryKey = ["perks", "catalogs", chainId] as const;

/**
 * Every reward catalog on the chain (from the factory's `CatalogCreated` events) with its rewards, their ways to
 * pay, and the tokens involved; refreshed on every block.
 */
export function useCatalogs({ enabled = true }: { enabled?: boolean } = {}) {
  const publicClient = usePublicClient({ chainId });
  const factory = factoryOn(chainId);
  const query = useQuery({
    queryKey: catalogsQueryKey,
    enabled: enabled && publicClient !== undefined && factory !== undefined,
    queryFn: async (): Promise<Catalogs> => {
      const client: ReadClient = publicClient!;
      const [entries, now] = await Promise.all([listCatalogs(client, { factory: factory! }), chainTime(client)]);
      const catalogs = await Promise.all(
        entries.map(async ({ catalog }) => {
          const [info, rewards] = await Promise.all([getCatalog(client, { catalog }), listRewards(client, { catalog })]);
          return { ...info, rewards };
        }),
      );
      const addresses = new Set<Address>();
      for (const catalog of catalogs) {
        addresses.add(catalog.token);
        for (const partner of catalog.partners) addresses.add(partner.token);
        for (const reward of catalog.rewards) for (const option of reward.paymentOptions) addresses.add(option.token);
      }
      const tokens = await Promise.all(
        [...addresses].map(async (address): Promise<NamedToken> => {
          const read = <name extends "name" | "symbol" | "decimals">(functionName: name) =>
            readContract(client, { address, abi: erc20Abi, functionName });
          const [name, symbol, decimals] = await Promise.all([read("name"), read("symbol"), read("decimals")]);
          return { address, name, symbol, decimals };
        }),
      );
      return { catalogs, tokens: new Map(tokens.map((token) => [token.address, token])), now: Number(now) };
    },
  });
  useRefreshOnBlock([enabled ? catalogsQueryKey : undefined]);
  return { ...query, noDeployment: factory === undefined };
}

/** What one wallet holds and may do against the catalogs: balances, redeemed counts, tiers and vouchers. */
export interface WalletRewardState {
  balances: ReadonlyMap<Address, bigint>;
  /** `${catalog}:${rewardId}` → vouchers the wallet redeemed (per-wallet limits count these). */
  redeemed: ReadonlyMap<string, number>;
  /** Tier campaign → the wallet's tier in it. */
  tiers: ReadonlyMap<Address, number>;
  /** `${catalog}:${rewardId}` → vouchers the wallet holds now. */
  vouchers: ReadonlyMap<string, bigint>;
}

export const rewardKey = (catalog: Address, rewardId: bigint) => `${catalog}:${rewardId}`;

/** The wallet's side of every catalog in one batched read, refreshed on every block. */
export function useWalletRewardState(account: Address | undefined, data: Catalogs | undefined) {
  const plan = useMemo(() => {
    if (!data || !account) return undefined;
    const tokens = [...data.tokens.keys()];
    const rewards = data.catalogs.flatMap((catalog) => catalog.rewards.map((reward) => ({ catalog, reward })));
    const tierCampaigns = [
      ...new Set(rewards.map(({ reward }) => reward.params.tierCampaign).filter((campaign) => campaign !== zeroAddress)),
    ];
    return { tokens, rewards, tierCampaigns };
  }, [data, account]);

  // Four kinds of read in one batch. Typed loosely on purpose: inferring a mixed list of calls against four ABIs
  // costs the type checker more than it is worth; the results are read back in the order they were asked.
  const contracts = useMemo(() => {
    if (!plan) return [];
    const call = (address: Address, abi: Abi, functionName: string, args: readonly unknown[]) => ({ chainId, address, abi, functionName, args });
    return [
      ...plan.tokens.map((token) => call(token, erc20Abi, "balanceOf", [account])),
      ...plan.rewards.map(({ catalog, reward }) => call(catalog.voucher, rewardVoucherAbi, "redeemedBy", [account, reward.id])),
      ...plan.rewards.map(({ catalog, reward }) => call(catalog.voucher, rewardVoucherAbi, "balanceOf", [account, reward.id])),
      ...plan.tierCampaigns.map((campaign) => call(campaign, campaignAbi, "tierOf", [account])),
    ] as unknown as readonly ContractFunctionParameters[];
  }, [plan, account]);
  const reads = useReadContracts({
    contracts,
    allowFailure: false,
    ...multicallOptions(targetChain),
    query: { enabled: plan !== undefined },
  });
  useRefreshOnBlock([plan ? reads.queryKey : undefined]);

  const state = useMemo((): WalletRewardState | undefined => {
    if (!plan || !reads.data) return undefined;
    const results = reads.data as unknown as readonly bigint[];
    let at = 0;
    const balances = new Map(plan.tokens.map((token) => [token, results[at++]]));
    const redeemed = new Map(plan.rewards.map(({ catalog, reward }) => [rewardKey(catalog.address, reward.id), Number(results[at++])]));
    const vouchers = new Map(plan.rewards.map(({ catalog, reward }) => [rewardKey(catalog.address, reward.id), results[at++]]));
    const tiers = new Map(plan.tierCampaigns.map((campaign) => [campaign, Number(results[at++])]));
    return { balances, redeemed, tiers, vouchers };
  }, [plan, reads.data]);

  return { data: state, error: reads.error, isLoading: plan !== undefined && state === undefined && !reads.error };
}
