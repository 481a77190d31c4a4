import { type Address, isAddressEqual, zeroAddress } from "viem";
import { formatAmount } from "./amount";
import { formatDay } from "./time";

// In-app notifications, computed on the device from what the wallet's pages already read: nothing is sent anywhere.
// Each rule turns current data into notifications with stable ids; `mergeNotifications` decides which are unread.

export type NotificationKind = "received" | "affordable" | "tier" | "bid";

export interface PerksNotification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** Where the notification leads in the app. */
  href: string;
  /** When it happened (unix seconds), for events; undefined for a state that holds now. */
  at?: number;
}

export interface TokenName {
  symbol: string;
  decimals: number;
  name?: string;
}

/** A decoded event naming the wallet (the shape `useWalletEvents` gives). */
export interface EventLike {
  id: string;
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
  timestamp?: number;
}

/** Points received: every Perks-token Transfer to the wallet from anyone else (a claim mints from zero). */
export function pointsReceived(
  events: readonly EventLike[],
  account: Address,
  tokens: ReadonlyMap<Address, TokenName>,
): PerksNotification[] {
  const notifications: PerksNotification[] = [];
  for (const event of events) {
    if (event.eventName !== "Transfer") continue;
    const token = tokens.get(event.address);
    // Perks tokens name the amount `amount` (Solady's ERC-20); the standard's interface names it `value`.
    const { from, to, amount, value: standardValue } = event.args as { from?: Address; to?: Address; amount?: bigint; value?: bigint };
    const value = amount ?? standardValue;
    if (!token || !to || !from || typeof value !== "bigint" || value === 0n) continue;
    if (!isAddressEqual(to, account) || isAddressEqual(from, account)) continue;
    notifications.push({
      id: `received:${event.id}`,
      kind: "received",
      title: `+${formatAmount(value, token.decimals)} ${token.symbol} received`,
      body: isAddressEqual(from, zeroAddress)
        ? `New points from ${token.name ?? token.symbol}.`
        : `Sent to you by ${from.slice(0, 6)}…${from.slice(-4)}.`,
      href: "/",
      at: event.timestamp,
    });
  }
  return notifications;
}

/** A reward the wallet can redeem now (the Rewards page's own check), with what it is called. */
export interface AffordableReward {
  catalog: Address;
  rewardId: bigint;
  name: string;
  brand: string;
}

/** A reward now affordable: one notification per reward, unread again only if it is a new reward. */
export function rewardsAffordable(rewards: readonly AffordableReward[]): PerksNotification[] {
  return rewards.map((reward) => ({
    id: `affordable:${reward.catalog}:${reward.rewardId}`,
    kind: "affordable",
    title: `You can redeem ${reward.name}`,
    body: `Your points now cover it at ${reward.brand}.`,
    href: "/rewards",
  }));
}

/** Where the wallet stands in a tiered campaign (the Wallet page's `TierStanding`, with its campaign). */
export interface TierWatch {
  campaign: Address;
  brand: string;
  symbol: string;
  decimals: number;
  tier: number;
  tierName: string;
  /** Points to earn before the period ends to keep the tier. */
  toKeep?: bigint;
  periodEndsAt?: number;
  /** The campaign's period length, seconds. */
  tierPeriod: number;
}

/** How long before a period's end a tier at risk is announced: a week, or a quarter of a shorter period (an
 * hour at least). */
export function tierWarningWindow(tierPeriod: number): number {
  return Math.min(7 * 86_400, Math.max(3_600, Math.floor(tierPeriod / 4)));
}

/** A tier about to drop: the period ends soon and the points earned in it do not yet keep the tier. */
export function tiersAtRisk(watches: readonly TierWatch[], now: number): PerksNotification[] {
  return watches
    .filter(
      (watch) =>
        watch.tier > 0 &&
        watch.toKeep !== undefined &&
        watch.toKeep > 0n &&
        watch.periodEndsAt !== undefined &&
        watch.periodEndsAt > now &&
        watch.periodEndsAt - now <= tierWarningWindow(watch.tierPeriod),
    )
    .map((watch) => ({
      id: `tier:${watch.campaign}:${watch.periodEndsAt}`,
      kind: "tier",
      title: `${watch.tierName} at ${watch.brand} ends ${formatDay(watch.periodEndsAt!)}`,
      body: `Earn ${formatAmount(watch.toKeep!, watch.decimals)} more ${watch.symbol} before then to keep it.`,
      href: "/",
    }));
}

/** A bid the wallet could sell into. */
export interface BidWatch {
  bidId: bigint;
  token: Address;
  symbol: string;
  /** "0.01 USDC". */
  price: string;
}

/** A new bid for points the wallet holds. */
export function newBids(bids: readonly BidWatch[]): PerksNotification[] {
  return bids.map((bid) => ({
    id: `bid:${bid.bidId}`,
    kind: "bid",
    title: `New bid for ${bid.symbol}`,
    body: `An exchange pays ${bid.price} per point.`,
    href: `/cash-out?token=${bid.token}`,
  }));
}

/** What the device remembers per wallet: which notifications were read, and which were already announced. */
export interface NotificationMemory {
  read: string[];
  announced: string[];
}

export interface MergedNotifications {
  items: (PerksNotification & { unread: boolean })[];
  /** Unread and never announced: what a browser notification may show now. */
  fresh: PerksNotification[];
  memory: NotificationMemory;
}

/** Ids kept in memory: enough for every notification a wallet can have on screen. */
const MEMORY_LIMIT = 500;

const keepLast = (ids: readonly string[]) => ids.slice(-MEMORY_LIMIT);

/**
 * Which notifications are unread and which are new to announce. The first time a wallet is seen (no memory)
 * everything present is its history, read and announced: only what happens from then on is news. Newest first,
 * states (no time) before events.
 */
export function mergeNotifications(current: readonly PerksNotification[], memory: NotificationMemory | undefined): MergedNotifications {
  const base = memory ?? { read: current.map((item) => item.id), announced: current.map((item) => item.id) };
  const read = new Set(base.read);
  const announced = new Set(base.announced);
  const items = current
    .map((item) => ({ ...item, unread: !read.has(item.id) }))
    .sort((a, b) => (b.at ?? Number.MAX_SAFE_INTEGER) - (a.at ?? Number.MAX_SAFE_INTEGER));
  const fresh = items.filter((item) => item.unread && !announced.has(item.id));
  const nextAnnounced = [...base.announced, ...fresh.map((item) => item.id)];
  return { items, fresh, memory: { read: keepLast(base.read), announced: keepLast(nextAnnounced) } };
}

/** The memory with `ids` marked read. */
export function markRead(memory: NotificationMemory, ids: readonly string[]): NotificationMemory {
  const read = new Set(memory.read);
  return { ...memory, read: keepLast([...memory.read, ...ids.filter((id) => !read.has(id))]) };
}
