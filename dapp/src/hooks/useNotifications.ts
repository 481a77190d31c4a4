import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { useQueries } from "@tanstack/react-query";
import type { Address } from "viem";
import { targetChain } from "../chain";
import {
  type AffordableReward,
  type BidWatch,
  type NotificationMemory,
  type PerksNotification,
  type TierWatch,
  type TokenName,
  markRead,
  mergeNotifications,
  newBids,
  pointsReceived,
  rewardsAffordable,
  tiersAtRisk,
} from "../lib/notifications";
import { pricePerPoint } from "../lib/bidMath";
import { tierName } from "../lib/standing";
import { redeemability, valueText, kindLabel, walletContextFor } from "../lib/rewardEligibility";
import { useBids } from "./useBids";
import { useCatalogs, useWalletRewardState } from "./useCatalogs";
import { metadataQuery } from "./useMetadata";
import { useWalletEvents } from "./useWalletEvents";
import { useWalletTokens } from "./useWalletTokens";

// ------------------------------------------------------------------------------------------------ memory

const listeners = new Set<() => void>();
const cache = new Map<string, NotificationMemory | undefined>();

const memoryKey = (account: Address) => `perks.notifications.${targetChain.id}.${account.toLowerCase()}`;

function readMemory(key: string): NotificationMemory | undefined {
  if (!cache.has(key)) {
    try {
      const parsed = JSON.parse(localStorage.getItem(key) ?? "null") as NotificationMemory | null;
      cache.set(key, parsed && Array.isArray(parsed.read) && Array.isArray(parsed.announced) ? parsed : undefined);
    } catch {
      cache.set(key, undefined);
    }
  }
  return cache.get(key);
}

function writeMemory(key: string, memory: NotificationMemory) {
  cache.set(key, memory);
  localStorage.setItem(key, JSON.stringify(memory));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab read or announced something: forget the cached copy.
  const onStorage = (event: StorageEvent) => {
    if (event.key?.startsWith("perks.notifications.")) {
      cache.delete(event.key);
      listener();
    }
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

// ------------------------------------------------------------------------------------------------ browser notifications

const BROWSER_SETTING = "perks.browserNotifications";

export type BrowserPermission = "unsupported" | NotificationPermission;

function notificationsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

/** The browser's answer so far; "unsupported" where there is no Notification API. */
function currentPermission(): BrowserPermission {
  return notificationsSupported() ? Notification.permission : "unsupported";
}

function browserSettingOn(): boolean {
  return localStorage.getItem(BROWSER_SETTING) === "on";
}

function setBrowserSetting(on: boolean) {
  localStorage.setItem(BROWSER_SETTING, on ? "on" : "off");
  for (const listener of listeners) listener();
}

/**
 * Whether the customer turned browser notifications on here (and the browser allows them). Shared by every
 * component through the same store as the notifications' memory, so the bell follows the Offers page's switch.
 */
export function useBrowserNotifications() {
  const on = useSyncExternalStore(subscribe, browserSettingOn);
  const permission = useSyncExternalStore(subscribe, currentPermission);
  const enable = useCallback(async () => {
    if (!notificationsSupported()) return;
    const answer = await Notification.requestPermission();
    setBrowserSetting(answer === "granted");
  }, []);
  const disable = useCallback(() => setBrowserSetting(false), []);
  return { permission, active: on && permission === "granted", enable, disable };
}

// ------------------------------------------------------------------------------------------------ sources

/** Catalog and bid reads start this long after the page: the page's own first reads go first. */
const DEFERRED_SOURCES_MS = 4_000;

function useDeferred(delay: number): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setReady(true), delay);
    return () => clearTimeout(timer);
  }, [delay]);
  return ready;
}

/**
 * The wallet's notifications: points received, rewards it can now redeem, tiers about to drop at the period's
 * end, and new bids for points it holds. Computed on this device from the same reads the pages make; nothing is
 * sent anywhere. `announce` shows fresh ones as browser notifications when the customer allowed them (one
 * component does it: the bell).
 */
export function useNotifications(account: Address, { announce = false }: { announce?: boolean } = {}) {
  const deferred = useDeferred(DEFERRED_SOURCES_MS);
  const { events } = useWalletEvents(account);
  const wallet = useWalletTokens(account);
  const catalogs = useCatalogs({ enabled: deferred });
  const rewardState = useWalletRewardState(account, catalogs.data);
  const rewards = useMemo(() => (catalogs.data?.catalogs ?? []).flatMap((catalog) => catalog.rewards), [catalogs.data]);
  const rewardNames = useQueries({
    queries: rewards.map((reward) => metadataQuery(reward.params.metadataURI, reward.id)),
    combine: (results) => results.map((result) => result.data?.name),
  });
  const heldTokens = useMemo(() => (wallet.data ?? []).map((token) => token.address), [wallet.data]);
  const bids = useBids(heldTokens, { enabled: deferred });

  const tokenNames = useMemo(() => {
    const names = new Map<Address, TokenName>();
    for (const token of catalogs.data?.tokens.values() ?? []) names.set(token.address, token);
    for (const token of wallet.data ?? []) names.set(token.address, token);
    return names;
  }, [catalogs.data, wallet.data]);

  const current = useMemo((): PerksNotification[] | undefined => {
    const bidsReady = bids.data !== undefined || heldTokens.length === 0 || bids.noGateway;
    const catalogsReady = (catalogs.data !== undefined && rewardState.data !== undefined) || catalogs.noDeployment;
    if (!events || !wallet.data || !bidsReady || !catalogsReady) return undefined;
    const now = Math.floor(Date.now() / 1000);

    const affordable: AffordableReward[] = (catalogs.data?.catalogs ?? []).flatMap((catalog) =>
      catalog.rewards
        .filter((reward) => redeemability(reward, walletContextFor(rewardState.data, catalog.address, reward), catalogs.data!.now).blocked === undefined)
        .map((reward) => ({
          catalog: catalog.address,
          rewardId: reward.id,
          name:
            rewardNames[rewards.indexOf(reward)] ?? valueText(reward.params.kind, reward.params.value) ?? kindLabel(reward.params.kind).toLowerCase(),
          brand: catalogs.data!.tokens.get(catalog.token)?.name ?? "the merchant",
        })),
    );
    const watches: TierWatch[] = wallet.data.flatMap((token) =>
      token.campaigns.map((campaign) => ({
        campaign: campaign.address,
        brand: token.name,
        symbol: token.symbol,
        decimals: token.decimals,
        tier: campaign.standing.tier,
        tierName: tierName(campaign.standing.tier),
        toKeep: campaign.standing.toKeep,
        periodEndsAt: campaign.standing.periodEndsAt,
        tierPeriod: campaign.rules.tierPeriod,
      })),
    );
    const bidWatches: BidWatch[] = [...(bids.data?.bids.entries() ?? [])].flatMap(([token, list]) =>
      list.map((bid) => ({
        bidId: bid.id,
        token,
        symbol: tokenNames.get(token)?.symbol ?? "points",
        price: pricePerPoint(bid.price, bid.stablecoinDecimals),
      })),
    );
    return [
      ...pointsReceived(events, account, tokenNames),
      ...rewardsAffordable(affordable),
      ...tiersAtRisk(watches, now),
      ...newBids(bidWatches),
    ];
  }, [events, wallet.data, catalogs.data, rewards, rewardNames, catalogs.noDeployment, rewardState.data, bids.data, bids.noGateway, heldTokens.length, tokenNames, account]);

  const key = memoryKey(account);
  const memory = useSyncExternalStore(subscribe, () => readMemory(key));
  const merged = useMemo(() => (current ? mergeNotifications(current, memory) : undefined), [current, memory]);
  const browser = useBrowserNotifications();

  useEffect(() => {
    if (!merged || !announce) return;
    const unchanged = memory && merged.fresh.length === 0 && merged.memory.read.length === memory.read.length;
    if (unchanged) return;
    if (browser.active) {
      for (const item of merged.fresh) new Notification(item.title, { body: item.body, tag: item.id });
    }
    writeMemory(key, merged.memory);
  }, [merged, memory, announce, browser.active, key]);

  const markAllRead = useCallback(() => {
    if (merged) writeMemory(key, markRead(merged.memory, merged.items.map((item) => item.id)));
  }, [merged, key]);
  const markOneRead = useCallback((id: string) => merged && writeMemory(key, markRead(merged.memory, [id])), [merged, key]);

  return {
    items: merged?.items,
    unread: merged?.items.filter((item) => item.unread).length ?? 0,
    markAllRead,
    markRead: markOneRead,
    browser,
  };
}
