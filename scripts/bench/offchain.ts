/**
 * Off-chain speed, as rows of `npm run bench` (times in milliseconds in the "ours" column): statistics over
 * 1,000,000 events (at most 10 s) and personalised offers for 4,000,000 wallets (at most 60 s), from
 * scripts/bench/stats.ts and scripts/bench/offers.ts, which also run alone and print more detail.
 */
import { benchOffers } from "./offers";
import { benchStats } from "./stats";

export async function benchOffchain() {
  const stats = await benchStats();
  const offers = await benchOffers({ progress: false });
  return [
    {
      operation: `statistics: ${stats.events.toLocaleString("en")} events aggregated (ms; peak RSS ${stats.peakRssMB} MB)`,
      ours: Math.round(stats.seconds * 1000),
      samples: 1,
      target: stats.targetSeconds * 1000,
    },
    {
      operation: `offers: ${offers.wallets.toLocaleString("en")} wallets scored (ms; peak RSS ${offers.peakRssMB} MB)`,
      ours: Math.round(offers.seconds * 1000),
      samples: 1,
      target: offers.targetSeconds * 1000,
    },
  ];
}
