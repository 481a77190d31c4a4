import { useEffect, useMemo } from "react";
import type { Address } from "viem";
import { useReadContracts } from "wagmi";
import {
  type CampaignRules,
  type TierProgress,
  campaignAbi,
  campaignFactoryAbi,
  loyaltyTokenAbi,
  nextMilestone,
  tierPeriodAt,
  tierProgress,
} from "@perks/sdk";
import { targetChain } from "../chain";
import { factoryOn, multicallOptions } from "../lib/perks";
import { useRefreshOnBlock } from "./useRefreshOnBlock";

/** Most registry entries read in one call; the local demo and a young deployment hold far fewer. */
const REGISTRY_PAGE = 1_000n;
const chainId = targetChain.id;
const batched = multicallOptions(targetChain);

/** Where the wallet stands in one campaign of a token it holds. */
export interface CampaignStanding {
  address: Address;
  rules: CampaignRules;
  /** When issuance ends (the rules' end, or earlier if the merchant ended it), unix seconds. */
  endsAt: number;
  paused: boolean;
  /** Claims the wallet made in this campaign (the stamp card's count). */
  claims: number;
  standing: TierProgress;
  milestone?: { claimNumber: number; claimsToGo: number; bonus: bigint };
}

/** The registry as read: each list with the registry's total. */
type Registry = [readonly [readonly Address[], bigint], readonly [readonly Address[], bigint]];

/**
 * A JSON value this browser keeps between visits (localStorage). Reading gives undefined when there is nothing,
 * the entry is damaged or storage is blocked; writing does nothing when storage is full or blocked, and skips a
 * value already written: a later visit then reads the chain first, as a first visit does.
 */
function storedJson(key: string | undefined) {
  let written: string | undefined;
  return {
    read(): unknown {
      try {
        const raw = key ? localStorage.getItem(key) : null;
        return raw ? (JSON.parse(raw) as unknown) : undefined;
      } catch {
        return undefined;
      }
    },
    write(value: unknown) {
      const text = JSON.stringify(value);
      if (!key || text === written) return;
      try {
        localStorage.setItem(key, text);
        written = text;
      } catch {
        // full or blocked: nothing remembered
      }
    },
  };
}

/**
 * The registry as this browser last read it. The factory's lists only grow, so a remembered list is a true prefix
 * of today's: the wallet's balances can be read from it at once, beside the registry's own refresh, instead of one
 * round trip after it. A token created since shows up when the refresh lands.
 */
export function registryCache(factory: Address | undefined) {
  const stored = storedJson(factory && `perks.registry.${chainId}.${factory.toLowerCase()}`);
  return {
    read(): Registry | undefined {
      const { tokens, campaigns } = (stored.read() ?? {}) as { tokens?: unknown; campaigns?: unknown };
      if (!Array.isArray(tokens) || !Array.isArray(campaigns)) return undefined;
      return [
        [tokens as Address[], BigInt(tokens.length)],
        [campaigns as Address[], BigInt(campaigns.length)],
      ];
    },
    write(registry: Registry) {
      stored.write({ tokens: registry[0][0], campaigns: registry[1][0] });
    },
  };
}

/** What the wallet page shows of a token besides its balance, as this browser last read it. */
type TokenFacts = Pick<HeldToken, "name" | "symbol" | "decimals" | "faceValue" | "merchant">;
type StoredFacts = { name: string; symbol: string; decimals: number; faceValue: string; merchant: Address };

/**
 * Token facts this browser has read before, so that a returning visitor's balances can be shown as soon as they
 * are read, beside facts that rarely or never change (name, symbol and decimals never do; a face value or owner
 * change shows a moment later, with the fresh read).
 */
export function tokenFactsCache() {
  const stored = storedJson(`perks.tokenFacts.${chainId}`);
  const readAll = (): Record<string, StoredFacts> => {
    const all = stored.read();
    return all && typeof all === "object" && !Array.isArray(all) ? (all as Record<string, StoredFacts>) : {};
  };
  return {
    /** The facts of each of `tokens`, in order; undefined for a token never seen (or a damaged entry). */
    read(tokens: readonly Address[]): (TokenFacts | undefined)[] {
      const all = readAll();
      return tokens.map((token) => {
        const entry = all[token.toLowerCase()];
        if (!entry || typeof entry.symbol !== "string" || typeof entry.decimals !== "number") return undefined;
        try {
          return { name: entry.name, symbol: entry.symbol, decimals: entry.decimals, faceValue: BigInt(entry.faceValue), merchant: entry.merchant };
        } catch {
          return undefined;
        }
      });
    },
    write(tokens: readonly (TokenFacts & { address: Address })[]) {
      const all = readAll();
      for (const { address, name, symbol, decimals, faceValue, merchant } of tokens) {
        all[address.toLowerCase()] = { name, symbol, decimals, faceValue: faceValue.toString(), merchant };
      }
      stored.write(all);
    },
  };
}

/** One for the page: every useWalletTokens (wallet, offers, notifications, privacy) shares it and its last write. */
const facts = tokenFactsCache();

/**
 * The factory's registry of every Perks token and campaign: the first of the wallet's reads, which needs no
 * account, so a page may start it while the wallet is still reconnecting. Until it answers, the list this browser
 * remembers stands in (`isPlaceholderData`).
 */
export function usePerksRegistry({ enabled = true }: { enabled?: boolean } = {}) {
  const factory = factoryOn(chainId);
  const cache = useMemo(() => registryCache(factory), [factory]);
  const remembered = useMemo(() => cache.read(), [cache]);
  const registry = useReadContracts({
    contracts: [
      { chainId, address: factory, abi: campaignFactoryAbi, functionName: "tokens", args: [0n, REGISTRY_PAGE] },
      { chainId, address: factory, abi: campaignFactoryAbi, functionName: "campaigns", args: [0n, REGISTRY_PAGE] },
    ],
    allowFailure: false,
    ...batched,
    query: { enabled: enabled && factory !== undefined, staleTime: 15_000, refetchInterval: 30_000, placeholderData: remembered },
  });
  const fresh = registry.isPlaceholderData ? undefined : registry.data;
  useEffect(() => {
    if (fresh) cache.write(fresh);
  }, [cache, fresh]);
  return registry;
}

/** A loyalty token the wallet holds, with what it is worth and where the wallet stands in its campaigns. */
export interface HeldToken {
  address: Address;
  name: string;
  symbol: string;
  decimals: number;
  /** Millionths of the reference currency per whole point; 0 when the merchant states none. */
  faceValue: bigint;
  merchant: Address;
  balance: bigint;
  /** The token's campaigns that are running, or in which the wallet has a record, newest first. */
  campaigns: CampaignStanding[];
}

/**
 * Every Perks token the wallet holds across all merchants, in three batched reads: the factory's registry of
 * tokens and campaigns; the wallet's balance of each token and each campaign's token; then, for the tokens held,
 * their metadata and the wallet's standing in their campaigns. Each read is one Multicall3 `aggregate3`, and all
 * but the registry refresh on every new block.
 */
export function useWalletTokens(account: Address | undefined) {
  const factory = factoryOn(chainId);
  const registry = usePerksRegistry({ enabled: account !== undefined });
  const tokens = registry.data?.[0][0];
  const campaigns = registry.data?.[1][0];

  const holdings = useReadContracts({
    contracts: [
      ...(tokens ?? []).map(
        (token) => ({ chainId, address: token, abi: loyaltyTokenAbi, functionName: "balanceOf", args: [account!] }) as const,
      ),
      ...(campaigns ?? []).map((campaign) => ({ chainId, address: campaign, abi: campaignAbi, functionName: "token" }) as const),
    ],
    allowFailure: false,
    ...batched,
    query: { enabled: tokens !== undefined && campaigns !== undefined && account !== undefined },
  });

  const { held, campaignToken } = useMemo(() => {
    if (!tokens || !campaigns || !holdings.data) return {};
    const results = holdings.data as readonly (bigint | Address)[];
    const campaignToken = new Map<Address, Address>(campaigns.map((campaign, i) => [campaign, results[tokens.length + i] as Address]));
    const campaignsOf = new Map<Address, Address[]>();
    for (const [campaign, token] of campaignToken) campaignsOf.set(token, [campaign, ...(campaignsOf.get(token) ?? [])]);
    const held = tokens
      .map((token, i) => ({ token, balance: results[i] as bigint, campaigns: campaignsOf.get(token) ?? [] }))
      .filter((entry) => entry.balance > 0n);
    return { held, campaignToken };
  }, [tokens, campaigns, holdings.data]);

  const details = useReadContracts({
    contracts: (held ?? []).flatMap(({ token, campaigns: tokenCampaigns }) => [
      { chainId, address: token, abi: loyaltyTokenAbi, functionName: "name" } as const,
      { chainId, address: token, abi: loyaltyTokenAbi, functionName: "symbol" } as const,
      { chainId, address: token, abi: loyaltyTokenAbi, functionName: "decimals" } as const,
      { chainId, address: token, abi: loyaltyTokenAbi, functionName: "faceValue" } as const,
      { chainId, address: token, abi: loyaltyTokenAbi, functionName: "owner" } as const,
      ...tokenCampaigns.flatMap((campaign) => [
        { chainId, address: campaign, abi: campaignAbi, functionName: "rules" } as const,
        { chainId, address: campaign, abi: campaignAbi, functionName: "endsAt" } as const,
        { chainId, address: campaign, abi: campaignAbi, functionName: "paused" } as const,
        { chainId, address: campaign, abi: campaignAbi, functionName: "accountOf", args: [account!] } as const,
      ]),
    ]),
    allowFailure: false,
    ...batched,
    query: { enabled: held !== undefined && held.length > 0 && account !== undefined },
  });


  const data = useMemo((): HeldToken[] | undefined => {
    if (!held) return undefined;
    if (held.length === 0) return [];
    if (!details.data) return undefined;
    const results = details.data as readonly unknown[];
    const now = Math.floor(Date.now() / 1000);
    let at = 0;
    const next = <value>() => results[at++] as value;
    return held.map(({ token, balance, campaigns: tokenCampaigns }) => {
      const base = {
        address: token,
        name: next<string>(),
        symbol: next<string>(),
        decimals: next<number>(),
        faceValue: next<bigint>(),
        merchant: next<Address>(),
        balance,
      };
      const standings = tokenCampaigns.map((campaign): CampaignStanding => {
        const rules = next<CampaignRules>();
        const endsAt = Number(next<bigint>());
        const paused = next<boolean>();
        const [current, previous, claimCount] = next<readonly [bigint, bigint, bigint]>();
        const claims = Number(claimCount);
        // accountOf answers as of now, so its record is the current period's; the SDK applies the contract's
        // tier formula to it (what tierOf would answer).
        const record = { period: tierPeriodAt(rules, now), current, previous, claims };
        return {
          address: campaign,
          rules,
          endsAt,
          paused,
          claims,
          standing: tierProgress(rules, record, now),
          milestone: endsAt > now ? nextMilestone(rules, claims) : undefined,
        };
      });
      const relevant = standings.filter((standing) => standing.claims > 0 || standing.endsAt > now);
      return { ...base, campaigns: relevant };
    });
  }, [held, details.data]);

  useEffect(() => {
    if (data && data.length > 0) facts.write(data);
  }, [data]);
  // Until the facts and standings arrive: the fresh balances with the facts remembered from an earlier visit,
  // when every held token has them (a new brand waits for the full read); no campaign standings yet.
  const preview = useMemo((): HeldToken[] | undefined => {
    if (data || !held) return data;
    const remembered = facts.read(held.map(({ token }) => token));
    if (remembered.some((known) => known === undefined)) return undefined;
    return held.map(({ token, balance }, i) => ({ ...remembered[i]!, address: token, balance, campaigns: [] }));
  }, [data, held]);

  useRefreshOnBlock([holdings.queryKey, held && held.length > 0 ? details.queryKey : undefined]);

  const everything = useMemo(
    () => (tokens && campaigns && campaignToken ? { tokens, campaigns, campaignToken } : undefined),
    [tokens, campaigns, campaignToken],
  );
  // Balances read from a remembered registry that no longer matches the chain (a local chain restarted) may fail:
  // that is not the customer's problem while the registry's own answer, and a fresh read with it, are on the way.
  const error = registry.error ?? (registry.isPlaceholderData ? undefined : (holdings.error ?? details.error));
  return {
    data,
    /** `data` when it is there; before, for a returning visitor, the held tokens with fresh balances and remembered
     * facts but no campaign standings (`campaigns` empty). For showing balances early, not for decisions. */
    preview,
    /** Every Perks token and campaign (with each campaign's token), for telling activity and refusing contract
     * addresses as recipients. */
    registry: everything,
    isLoading: data === undefined && !error,
    error,
    refetch: () => Promise.all([registry.refetch(), holdings.refetch(), details.refetch()]),
    noDeployment: factory === undefined,
  };
}
