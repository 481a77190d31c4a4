/**
 * Statistics benchmark: 1,000,000 synthetic events (two brands, four campaigns, catalogs, a gateway and an
 * exchange; 100,000 wallets over a year) through `createAggregator`, target at most 10 s on the 2-core machine.
 *
 *   TS_NODE_TRANSPILE_ONLY=1 node_modules/.bin/ts-node scripts/bench/stats.ts [events]
 *
 * `benchStats()` resolves to the measurements. It is declared as a constant, not as `export async function
 * bench...`, so that gas.ts (which runs every such function as a table of gas rows) does not pick it up.
 */
import { type Address, type Hex, encodePacked, zeroAddress, zeroHash } from "viem";
import { Channel } from "../../sdk/src/actions/campaign";
import { type StatsEvent, createAggregator } from "../../sdk/src/stats";
import { reportTimed } from "./table";

export interface StatsBenchResult {
  events: number;
  /** Seconds to aggregate the events and compute the result (generation excluded). */
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of the aggregation (user + system): what it costs when the machine is not shared. */
  cpuSeconds: number;
  /** Of which `result()`. */
  resultSeconds: number;
  generateSeconds: number;
  peakRssMB: number;
  targetSeconds: number;
  passed: boolean;
}

const TARGET_SECONDS = 10;
const ONE = 10n ** 18n;
const WEEK = 7 * 86_400;
const START = 1_700_438_400;
const WALLETS = 100_000;

/** Deterministic numbers in [0, 1) (mulberry32), so two runs aggregate the same events. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const address = (kind: number, n: number) =>
  `0x${kind.toString(16).padStart(8, "0")}${n.toString(16).padStart(32, "0")}` as Address;

function packedRules(token: Address, tiers: boolean): Hex {
  const header = encodePacked(
    ["address", "uint64", "uint64", "uint128", "uint128", "uint128", "uint128", "uint8", "uint32", "uint8", "uint8", "uint8"],
    [
      token,
      BigInt(START),
      BigInt(START + 60 * WEEK),
      10n ** 12n * ONE,
      0n,
      ONE,
      500n,
      0b111,
      tiers ? 4 * WEEK : 0,
      tiers ? 2 : 0,
      1,
      0,
    ],
  );
  const tierBytes = tiers
    ? encodePacked(["uint128", "uint16", "uint128", "uint16"], [200n * ONE, 12_500, 1_000n * ONE, 15_000]).slice(2)
    : "";
  return (header + tierBytes + encodePacked(["uint32", "uint128"], [5, 10n * ONE]).slice(2)) as Hex;
}

/** `count` events in chain order: the factory's setup, then claims, redemptions, transfers, sales and fills. */
export function syntheticEvents(count: number, seed = 1): StatsEvent[] {
  const next = random(seed);
  const events: StatsEvent[] = [];
  const push = (address: Address, eventName: string, args: Record<string, unknown>, timestamp: number) =>
    events.push({ address, eventName, args, timestamp } as StatsEvent);
  const factory = address(1, 0);
  const gateway = address(2, 0);
  const exchange = address(3, 0);
  const usdc = address(4, 0);
  const wallets = Array.from({ length: WALLETS }, (_, i) => address(0xffff, i));
  const brands = [0, 1].map((b) => ({
    token: address(10, b),
    merchant: address(11, b),
    catalog: address(12, b),
    voucher: address(13, b),
    campaigns: [address(14, 2 * b), address(14, 2 * b + 1)],
  }));
  for (const [b, brand] of brands.entries()) {
    push(
      factory,
      "TokenCreated",
      {
        merchant: brand.merchant,
        token: brand.token,
        name: `Brand ${b}`,
        symbol: `B${b}`,
        faceValue: 10_000n,
        metadataURI: "",
      },
      START,
    );
    for (const [c, campaign] of brand.campaigns.entries()) {
      push(
        factory,
        "CampaignCreated",
        {
          merchant: brand.merchant,
          token: brand.token,
          campaign,
          rules: packedRules(brand.token, c === 0),
          metadataURI: "",
          optionalDataFields: [],
        },
        START,
      );
      push(campaign, "BatchPublished", { batchId: 0n, root: zeroHash, codeCount: 200_000n }, START);
    }
    push(
      factory,
      "CatalogCreated",
      {
        merchant: brand.merchant,
        token: brand.token,
        catalog: brand.catalog,
        voucher: brand.voucher,
        treasury: brand.merchant,
      },
      START,
    );
    for (let r = 1n; r <= 8n; r++) {
      push(
        brand.catalog,
        "RewardAdded",
        { rewardId: r, params: { kind: Number(r % 7n), price: r * 50n * ONE, metadataURI: "" } },
        START,
      );
    }
    push(
      gateway,
      "BidPosted",
      {
        bidId: BigInt(b),
        operator: brand.merchant,
        token: brand.token,
        stablecoin: usdc,
        recipient: brand.merchant,
        price: 10_000n,
        maxPoints: 10n ** 9n * ONE,
        expiresAt: START + 60 * WEEK,
        funds: 10n ** 12n,
      },
      START,
    );
    push(
      exchange,
      "OrderCreated",
      {
        orderId: BigInt(b),
        maker: brand.merchant,
        sellToken: brand.token,
        buyToken: usdc,
        nonce: BigInt(b),
        sellAmount: 10n ** 9n * ONE,
        buyAmount: 10n ** 12n,
        expiresAt: BigInt(START + 60 * WEEK),
      },
      START,
    );
  }
  const codeIndex = [0, 0, 0, 0];
  const year = 52 * WEEK;
  while (events.length < count) {
    const timestamp = START + Math.floor((events.length / count) * year);
    const b = next() < 0.6 ? 0 : 1;
    const brand = brands[b];
    // Returning customers dominate: a quarter of the wallets make most of the activity.
    const wallet = wallets[Math.floor((next() < 0.7 ? next() * 0.25 : next()) * WALLETS)];
    const kind = next();
    if (kind < 0.8) {
      const c = next() < 0.7 ? 0 : 1;
      const campaign = brand.campaigns[c];
      const roll = next();
      const channel = roll < 0.5 ? Channel.Direct : roll < 0.8 ? Channel.Voucher : Channel.Batch;
      const ref = channel === Channel.Batch ? BigInt(codeIndex[2 * b + c]++) : BigInt(events.length);
      const amount = BigInt(1 + Math.floor(next() * 40)) * ONE;
      push(brand.token, "Transfer", { from: zeroAddress, to: wallet, amount }, timestamp);
      push(campaign, "PointsIssued", { recipient: wallet, channel, ref, amount, bonus: 0n }, timestamp);
    } else if (kind < 0.9) {
      const rewardId = BigInt(1 + Math.floor(next() * 8));
      const partner = next() < 0.2;
      const payToken = partner ? brands[1 - b].token : brand.token;
      const cost = rewardId * 50n * ONE;
      push(payToken, "Transfer", { from: wallet, to: partner ? brand.merchant : zeroAddress, amount: cost }, timestamp);
      push(
        brand.catalog,
        "RewardRedeemed",
        {
          rewardId,
          account: wallet,
          redemptionId: rewardId << 32n,
          quantity: 1n,
          payToken,
          cost,
          encryptionKey: zeroHash,
        },
        timestamp,
      );
      if (next() < 0.7)
        push(brand.voucher, "VoucherUsed", { holder: wallet, id: rewardId, submitter: wallet }, timestamp);
    } else if (kind < 0.97) {
      const to = wallets[Math.floor(next() * WALLETS)];
      push(brand.token, "Transfer", { from: wallet, to, amount: 5n * ONE }, timestamp);
    } else if (kind < 0.99) {
      push(brand.token, "Transfer", { from: wallet, to: brand.merchant, amount: 20n * ONE }, timestamp);
      push(gateway, "PointsSold", { bidId: BigInt(b), seller: wallet, points: 20n * ONE, payout: 200_000n }, timestamp);
    } else {
      push(
        exchange,
        "OrderFilled",
        { orderId: BigInt(b), taker: wallet, sellAmount: 3n * ONE, buyAmount: 30_000n, sellAmountRemaining: ONE },
        timestamp,
      );
    }
  }
  events.length = count;
  return events;
}

/** Generates the events, then times their aggregation and the result. */
export const benchStats = async ({
  events: count = 1_000_000,
}: { events?: number } = {}): Promise<StatsBenchResult> => {
  const generateStart = performance.now();
  const events = syntheticEvents(count);
  const generateSeconds = (performance.now() - generateStart) / 1000;

  let peakRss = process.memoryUsage.rss();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const aggregator = createAggregator();
  for (let i = 0; i < events.length; i++) {
    aggregator.add(events[i]);
    if ((i & 0xffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const resultStart = performance.now();
  const stats = aggregator.result();
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (stats.events !== count) throw new Error(`aggregated ${stats.events} of ${count} events`);

  const seconds = (end - start) / 1000;
  return {
    events: count,
    seconds,
    eventsPerSecond: Math.round(count / seconds),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    resultSeconds: (end - resultStart) / 1000,
    generateSeconds,
    peakRssMB: Math.round(peakRss / 2 ** 20),
    targetSeconds: TARGET_SECONDS,
    passed: seconds <= TARGET_SECONDS,
  };
};

if (require.main === module) {
  reportTimed(
    "stats",
    benchStats({ events: Number(process.argv[2] ?? 1_000_000) }),
    (result) =>
      `${result.events.toLocaleString("en")} events aggregated in ${result.seconds.toFixed(2)} s ` +
      `(${result.eventsPerSecond.toLocaleString("en")} events/s; CPU ${result.cpuSeconds.toFixed(2)} s; ` +
      `result() ${result.resultSeconds.toFixed(2)} s; ` +
      `generated in ${result.generateSeconds.toFixed(2)} s; peak RSS ${result.peakRssMB} MB)`,
  );
}
