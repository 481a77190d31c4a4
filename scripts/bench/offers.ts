/**
 * Batch offers benchmark: 4,000,000 synthetic pseudonymous wallets streamed through `scoreWallets` against six
 * rewards, keeping the best 1,000 per reward; target at most 60 s on the 2-core machine, in bounded memory. A
 * progress bar goes to stderr.
 *
 *   TS_NODE_TRANSPILE_ONLY=1 node_modules/.bin/ts-node scripts/bench/offers.ts [wallets]
 *
 * `benchOffers()` resolves to the measurements. It is declared as a constant, not as `export async function
 * bench...`, so that gas.ts (which runs every such function as a table of gas rows) does not pick it up.
 */
import { type BatchOffer, type WalletSummary, scoreWallets } from "../../sdk/src/offers";
import { reportTimed } from "./table";

export interface OffersBenchResult {
  wallets: number;
  seconds: number;
  walletsPerSecond: number;
  /** CPU time (user + system): what it costs when the machine is not shared. */
  cpuSeconds: number;
  peakRssMB: number;
  targetSeconds: number;
  passed: boolean;
}

const TARGET_SECONDS = 60;
const DAY = 86_400;
const NOW = 1_735_689_600;

const OFFERS: BatchOffer[] = [
  { id: "coffee", kind: 6, price: 40, name: "a free coffee" },
  { id: "ten-percent", kind: 0, price: 60, name: "10% off" },
  { id: "shipping", kind: 2, price: 100, name: "free shipping" },
  { id: "concert", kind: 3, price: 400, name: "a concert ticket" },
  { id: "gift", kind: 4, price: 250, name: "a gift coupon" },
  { id: "early-access", kind: 5, price: 150, name: "early access" },
];

/** Deterministic numbers in [0, 1) (mulberry32), so two runs score the same wallets. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` wallets as a merchant's indexer would summarise them: a year of history, most of it light. */
export function* syntheticWallets(count: number, seed = 7): Generator<WalletSummary> {
  const next = random(seed);
  for (let i = 0; i < count; i++) {
    const firstAt = NOW - Math.floor(next() * 365 * DAY);
    const lastAt = firstAt + Math.floor(next() * (NOW - firstAt));
    const claims = 1 + Math.floor(next() ** 3 * 60);
    const earned = claims * (5 + next() * 30);
    const redemptions = Math.floor(next() ** 2 * claims * 0.3);
    const redeemed = Math.min(earned, redemptions * (40 + next() * 100));
    const kinds = [0, 0, 0, 0, 0, 0, 0];
    for (let r = 0; r < redemptions; r++) kinds[Math.floor(next() ** 2 * 7)]++;
    yield {
      wallet: `0x${i.toString(16).padStart(40, "0")}`,
      firstAt,
      lastAt,
      lastSpentAt: redemptions > 0 ? lastAt - Math.floor(next() * (lastAt - firstAt)) : 0,
      claims,
      earned,
      redemptions,
      redeemed,
      balance: earned - redeemed,
      kinds,
    };
  }
}

function progressBar(scored: number, total: number, seconds: number, rssMB: number): string {
  const width = 30;
  const filled = Math.round((scored / total) * width);
  const percent = ((scored / total) * 100).toFixed(0).padStart(3);
  return (
    `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${percent}% ` +
    `${scored.toLocaleString("en")} / ${total.toLocaleString("en")} wallets, ${seconds.toFixed(1)} s, RSS ${rssMB} MB `
  );
}

/** Scores the wallets while they are generated (nothing is held but the top lists), drawing progress on stderr. */
export const benchOffers = async ({
  wallets: count = 4_000_000,
  progress = true,
}: { wallets?: number; progress?: boolean } = {}): Promise<OffersBenchResult> => {
  let peakRss = process.memoryUsage.rss();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = await scoreWallets(
    syntheticWallets(count),
    { now: NOW, offers: OFFERS, top: 1_000, total: count, progressEvery: 100_000, brandName: "Alpha Coffee" },
    ({ scored }) => {
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      if (progress) {
        process.stderr.write(progressBar(scored, count, (performance.now() - start) / 1000, Math.round(rss / 2 ** 20)));
      }
    },
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  if (progress) process.stderr.write("\n");
  if (result.scored !== count) throw new Error(`scored ${result.scored} of ${count} wallets`);
  if (result.offers.some((offer) => offer.top.length !== Math.min(1_000, offer.eligible))) {
    throw new Error("a top list is incomplete");
  }
  return {
    wallets: count,
    seconds,
    walletsPerSecond: Math.round(count / seconds),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: Math.round(peakRss / 2 ** 20),
    targetSeconds: TARGET_SECONDS,
    passed: seconds <= TARGET_SECONDS,
  };
};

if (require.main === module) {
  reportTimed(
    "offers",
    benchOffers({ wallets: Number(process.argv[2] ?? 4_000_000) }),
    (result) =>
      `${result.wallets.toLocaleString("en")} wallets scored in ${result.seconds.toFixed(2)} s ` +
      `(${result.walletsPerSecond.toLocaleString("en")} wallets/s; CPU ${result.cpuSeconds.toFixed(2)} s; ` +
      `peak RSS ${result.peakRssMB} MB)`,
  );
}
