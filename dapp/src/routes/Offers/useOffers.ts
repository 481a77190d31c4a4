import { useMemo } from "react";
import type { Address } from "viem";
import {
  type Offer,
  type OfferBid,
  type OfferCampaign,
  type OfferCatalog,
  type OfferContext,
  RewardStatus,
  type StatsEvent,
  personalOffers,
} from "@perks/sdk";
import { gatewayAddress, useBids } from "../../hooks/useBids";
import { useCatalogs, useWalletRewardState } from "../../hooks/useCatalogs";
import { usePerksTokens } from "../../hooks/usePerksTokens";
import { useTokenLabels } from "../../hooks/useTokenLabels";
import { type WalletEvent, useWalletEvents } from "../../hooks/useWalletEvents";
import { useWalletTokens } from "../../hooks/useWalletTokens";

/**
 * The wallet's events in chain order as the SDK's offer model reads them. Only the newest events carry their
 * block's time; older ones take the oldest time known, which keeps them older than every timed one.
 */
export function toStatsEvents(events: readonly WalletEvent[]): StatsEvent[] {
  const chronological = [...events].reverse();
  const oldestKnown = chronological.find((event) => event.timestamp !== undefined)?.timestamp ?? 0;
  return chronological.map(
    (event) => ({ address: event.address, eventName: event.eventName, args: event.args, timestamp: event.timestamp ?? oldestKnown }) as unknown as StatsEvent,
  );
}

/**
 * Offers for this wallet, computed here from its own history (the SDK's `personalOffers`) and what the pages read
 * anyway: brands, the campaigns it takes part in, every catalog and the bids for its points. Best first.
 */
export function useOffers(account: Address) {
  const { events } = useWalletEvents(account);
  const wallet = useWalletTokens(account);
  const tokens = usePerksTokens();
  const catalogs = useCatalogs();
  const rewardState = useWalletRewardState(account, catalogs.data);
  const held = useMemo(() => (wallet.data ?? []).map((token) => token.address), [wallet.data]);
  const bids = useBids(held);
  const coins = useTokenLabels(
    useMemo(() => [...(bids.data?.bids.values() ?? [])].flat().map((bid) => bid.stablecoin), [bids.data]),
    tokens.data?.byAddress ?? new Map(),
  );

  return useMemo((): { offers?: Offer[]; error?: Error } => {
    const error = wallet.error ?? tokens.error ?? catalogs.error ?? bids.error ?? undefined;
    if (error) return { error };
    const bidsReady = bids.data !== undefined || held.length === 0 || bids.noGateway;
    if (!events || !wallet.data || !tokens.data || !catalogs.data || !rewardState.data || !bidsReady) return {};

    const campaigns: OfferCampaign[] = wallet.data.flatMap((token) =>
      token.campaigns.map((campaign) => ({
        campaign: campaign.address,
        token: token.address,
        rules: campaign.rules,
        endsAt: BigInt(campaign.endsAt),
        paused: campaign.paused,
      })),
    );
    const offerCatalogs: OfferCatalog[] = catalogs.data.catalogs.map((catalog) => ({
      catalog: catalog.address,
      token: catalog.token,
      partnerRates: catalog.partners,
      rewards: catalog.rewards.map(({ id, params, redeemed, status }) => ({
        rewardId: id,
        kind: params.kind,
        value: params.value,
        price: params.price,
        supply: params.supply,
        redeemed,
        perWallet: params.perWallet,
        startsAt: params.startsAt,
        endsAt: params.endsAt,
        tierCampaign: params.tierCampaign,
        minTier: params.minTier,
        acceptsPartners: params.acceptsPartners,
        active: status === RewardStatus.Active,
      })),
    }));
    const offerBids: OfferBid[] = [...(bids.data?.bids.values() ?? [])].flat().map((bid) => ({
      gateway: gatewayAddress!,
      bidId: bid.id,
      token: bid.token,
      price: bid.price,
      remainingPoints: bid.sellablePoints,
      expiresAt: BigInt(bid.expiresAt),
      funds: bid.funds,
      currency: { symbol: coins.get(bid.stablecoin)?.symbol ?? "stablecoin", decimals: bid.stablecoinDecimals },
    }));
    const context: OfferContext = {
      now: catalogs.data.now,
      brands: tokens.data.loyalty.map((token) => ({ token: token.address, name: token.name, decimals: token.decimals })),
      campaigns,
      catalogs: offerCatalogs,
      bids: offerBids,
      balances: Object.fromEntries([...rewardState.data.balances, ...wallet.data.map((token) => [token.address, token.balance] as const)]),
    };
    return { offers: personalOffers(account, toStatsEvents(events), context, { limit: 12 }).offers };
  }, [account, events, wallet.data, wallet.error, tokens.data, tokens.error, catalogs.data, catalogs.error, rewardState.data, bids.data, bids.error, bids.noGateway, held.length, coins]);
}
