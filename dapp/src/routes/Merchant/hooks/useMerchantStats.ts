import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import {
  type Indexer,
  type PerksEvent,
  LOCAL_CHAIN_ID,
  createAggregator,
  createIndexer,
  memoryStore,
  perksEventsAbi,
  perksSources,
} from "@perks/sdk";
import { targetChain } from "../../../chain";
import { factoryOn } from "../../../lib/perks";
import { LOG_RANGE } from "../lib/logRange";
import { printedCounts } from "../lib/sequence";
import { claimedByPeriod } from "../lib/statsSeries";
import { MERCHANT_QUERY } from "./useMerchant";
import { type ReadClient, useReadClient } from "./useReadClient";

/** Each merchant's indexer lives as long as the tab: a refresh only reads the blocks since the last one. */
const indexers = new Map<string, Indexer<PerksEvent>>();

function merchantIndexer(client: ReadClient, factory: Address, tokens: readonly Address[]): Indexer<PerksEvent> {
  // One per set of brands: a token that changes hands changes the set, and the indexer then starts afresh.
  const key = `${targetChain.id}:${tokens.map((token) => token.toLowerCase()).sort().join(",")}`;
  let indexer = indexers.get(key);
  if (!indexer) {
    indexer = createIndexer({
      client,
      store: memoryStore<PerksEvent>(),
      abi: perksEventsAbi,
      ...perksSources({ factories: [factory], tokens }),
      fromBlock: LOG_RANGE.fromBlock,
      // The local chain mines on demand and never reorganises: every block counts at once.
      confirmations: targetChain.id === LOCAL_CHAIN_ID ? 0 : undefined,
    }) as Indexer<PerksEvent>;
    indexers.set(key, indexer);
  }
  return indexer;
}

/**
 * The statistics of the merchant's brands, `tokens` (those it owns now, whoever created them: useMerchant), from the
 * chain's events alone (the SDK's indexer and aggregator): per brand and per campaign, over periods of
 * `periodSeconds`. Wallets are only counted, never named.
 */
export function useMerchantStats(tokens: readonly Address[] | undefined, periodSeconds: number) {
  const client = useReadClient();
  const factory = factoryOn(targetChain.id);
  return useQuery({
    queryKey: [MERCHANT_QUERY, "stats", targetChain.id, tokens, periodSeconds],
    enabled: tokens !== undefined && factory !== undefined,
    queryFn: async () => {
      const indexer = merchantIndexer(client, factory!, tokens!);
      const { tail = [] } = await indexer.sync({ unconfirmed: true });
      const events: PerksEvent[] = [];
      for await (const event of indexer.events()) events.push(event);
      events.push(...tail);
      const campaigns = events.flatMap((event) => (event.eventName === "CampaignCreated" ? [event.args.campaign] : []));
      const aggregator = createAggregator({
        periodSeconds,
        asOf: Math.floor(Date.now() / 1000),
        vouchersPrinted: printedCounts(localStorage, targetChain.id, campaigns),
      });
      aggregator.addAll(events);
      const stats = aggregator.result();
      const claimedByToken = new Map(stats.brands.map((brand) => [brand.token, claimedByPeriod(events, brand.campaigns, stats)]));
      return { stats, claimedByToken, events: events.length };
    },
  });
}
