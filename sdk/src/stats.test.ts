import { type Address, type Hex, encodePacked, getAddress, zeroAddress, zeroHash } from "viem";
import { describe, expect, it } from "vitest";
import { Channel, NO_SUPPLY_CAP } from "./actions/campaign";
import { type StatsEvent, createAggregator } from "./stats";

const ONE = 10n ** 18n;
const DAY = 86_400;
const WEEK = 7 * DAY;
/** Monday 20 November 2023, 00:00 UTC: the start of a default (Monday-based) week. */
const T0 = 1_700_438_400;

const address = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const [FACTORY, MERCHANT, BEAN, CUP, CAMPAIGN, CATALOG, VOUCHER, CUP_CATALOG, CUP_VOUCHER, GATEWAY, USDC, EXCHANGE] =
  Array.from({ length: 12 }, (_, i) => address(0x1000 + i));
const [ALICE, BOB, CAROL, DAVE, TREASURY, BUYER] = Array.from({ length: 6 }, (_, i) => address(0xa000 + i));

/** Rules packed as a CampaignCreated event carries them: tiers [100 points: x1.25] over weeks from T0. */
function packedRules(supplyCap = 1_000n * ONE): Hex {
  return encodePacked(
    ["address", "uint64", "uint64", "uint128", "uint128", "uint128", "uint128", "uint8", "uint32", "uint8", "uint8", "uint8"],
    [BEAN, BigInt(T0), BigInt(T0 + 10 * WEEK), supplyCap, 0n, ONE, 500n, 0b111, WEEK, 1, 0, 0],
  ).concat(encodePacked(["uint128", "uint16"], [100n * ONE, 12_500]).slice(2)) as Hex;
}

function event(address: Address, eventName: string, args: Record<string, unknown>, timestamp: number): StatsEvent {
  return { address, eventName, args, timestamp } as StatsEvent;
}

const issued = (recipient: Address, channel: number, points: bigint, at: number, ref = 0n) => [
  event(BEAN, "Transfer", { from: zeroAddress, to: recipient, amount: points * ONE }, at),
  event(CAMPAIGN, "PointsIssued", { recipient, channel, ref, amount: points * ONE, bonus: 0n }, at),
];

const reward = (catalog: Address, rewardId: bigint, kind: number, price: bigint, at: number) =>
  event(
    catalog,
    "RewardAdded",
    { rewardId, params: { kind, price: price * ONE, metadataURI: `ipfs://r${rewardId}` } },
    at,
  );

/** Two brands over four weeks; every expectation below is counted by hand from this list. */
function history(): StatsEvent[] {
  const w = (week: number, hour = 1) => T0 + week * WEEK + hour * 3600;
  return [
    event(
      FACTORY,
      "TokenCreated",
      {
        merchant: MERCHANT,
        token: BEAN,
        name: "Alpha Coffee Beans",
        symbol: "BEAN",
        faceValue: 10_000n,
        metadataURI: "",
      },
      w(0),
    ),
    event(
      FACTORY,
      "TokenCreated",
      { merchant: MERCHANT, token: CUP, name: "Beta Cups", symbol: "CUP", faceValue: 0n, metadataURI: "" },
      w(0),
    ),
    event(
      FACTORY,
      "CampaignCreated",
      {
        merchant: MERCHANT,
        token: BEAN,
        campaign: CAMPAIGN,
        rules: packedRules(),
        metadataURI: "ipfs://c",
        optionalDataFields: [],
      },
      w(0),
    ),
    event(
      FACTORY,
      "CatalogCreated",
      { merchant: MERCHANT, token: BEAN, catalog: CATALOG, voucher: VOUCHER, treasury: MERCHANT },
      w(0),
    ),
    event(
      FACTORY,
      "CatalogCreated",
      { merchant: MERCHANT, token: CUP, catalog: CUP_CATALOG, voucher: CUP_VOUCHER, treasury: TREASURY },
      w(0),
    ),
    reward(CATALOG, 1n, 2, 50n, w(0)),
    reward(CATALOG, 2n, 0, 20n, w(0)),
    reward(CUP_CATALOG, 1n, 3, 20n, w(0)),
    event(CAMPAIGN, "BatchPublished", { batchId: 0n, root: zeroHash, codeCount: 10n }, w(0)),
    // Week 0: three new wallets through the three channels.
    ...issued(ALICE, Channel.Direct, 60n, w(0, 2)),
    ...issued(BOB, Channel.Voucher, 30n, w(0, 3), 7n),
    ...issued(CAROL, Channel.Batch, 10n, w(0, 4), 3n),
    // Week 1: alice and bob come back; alice redeems free shipping and uses it.
    ...issued(ALICE, Channel.Voucher, 50n, w(1), 8n),
    ...issued(BOB, Channel.Batch, 10n, w(1), 4n),
    event(BEAN, "Transfer", { from: ALICE, to: zeroAddress, amount: 50n * ONE }, w(1, 2)),
    event(
      CATALOG,
      "RewardRedeemed",
      {
        rewardId: 1n,
        account: ALICE,
        redemptionId: 1n << 32n,
        quantity: 1n,
        payToken: BEAN,
        cost: 50n * ONE,
        encryptionKey: zeroHash,
      },
      w(1, 2),
    ),
    event(VOUCHER, "VoucherUsed", { holder: ALICE, id: 1n, submitter: ALICE }, w(1, 5)),
    // Week 2: bob spends BEAN at the partner CUP; carol sells her points to a gateway; BEAN trades on the exchange.
    event(BEAN, "Transfer", { from: BOB, to: TREASURY, amount: 20n * ONE }, w(2)),
    event(
      CUP_CATALOG,
      "RewardRedeemed",
      {
        rewardId: 1n,
        account: BOB,
        redemptionId: 1n << 32n,
        quantity: 1n,
        payToken: BEAN,
        cost: 20n * ONE,
        encryptionKey: zeroHash,
      },
      w(2),
    ),
    event(
      GATEWAY,
      "BidPosted",
      {
        bidId: 1n,
        operator: MERCHANT,
        token: BEAN,
        stablecoin: USDC,
        recipient: BUYER,
        price: 100_000n,
        maxPoints: 1_000n * ONE,
        expiresAt: w(9),
        funds: 100_000_000n,
      },
      w(2),
    ),
    event(BEAN, "Transfer", { from: CAROL, to: BUYER, amount: 10n * ONE }, w(2, 2)),
    event(GATEWAY, "PointsSold", { bidId: 1n, seller: CAROL, points: 10n * ONE, payout: 1_000_000n }, w(2, 2)),
    event(
      EXCHANGE,
      "OrderCreated",
      {
        orderId: 9n,
        maker: ALICE,
        sellToken: BEAN,
        buyToken: USDC,
        nonce: 1n,
        sellAmount: 10n * ONE,
        buyAmount: 900_000n,
        expiresAt: BigInt(w(9)),
      },
      w(2, 3),
    ),
    event(
      EXCHANGE,
      "OrderFilled",
      { orderId: 9n, taker: BOB, sellAmount: 5n * ONE, buyAmount: 450_000n, sellAmountRemaining: 5n * ONE },
      w(2, 4),
    ),
    // Week 3: a new wallet, and the face value doubles.
    ...issued(DAVE, Channel.Direct, 5n, w(3)),
    event(BEAN, "FaceValueSet", { faceValue: 20_000n }, w(3, 2)),
  ];
}

describe("createAggregator", () => {
  const config = { vouchersPrinted: { [CAMPAIGN.toLowerCase() as Address]: 8 } };

  it("counts a campaign's issuance by channel and its claim rates", () => {
    const aggregator = createAggregator(config);
    aggregator.addAll(history());
    const [campaign] = aggregator.result().campaigns;
    expect(campaign).toMatchObject({
      campaign: CAMPAIGN,
      token: BEAN,
      issued: 165n * ONE,
      claims: 6,
      byChannel: {
        direct: { claims: 2, points: 65n * ONE },
        voucher: { claims: 2, points: 80n * ONE },
        batch: { claims: 2, points: 20n * ONE },
      },
      claimed: { claims: 4, points: 100n * ONE },
      vouchers: { claimed: 2, issued: 8, rate: 0.25 },
      batchCodes: {
        claimed: 2,
        issued: 10,
        rate: 0.2,
        batches: [{ batchId: 0n, claimed: 2, issued: 10, rate: 0.2, points: 20n * ONE }],
      },
      capUsed: 0.165,
      wallets: 4,
    });
    expect(campaign.periods.map((p) => [p.period, p.start, p.activeWallets, p.newWallets, p.issued])).toEqual([
      [2811, T0, 3, 3, 100n * ONE],
      [2812, T0 + WEEK, 2, 0, 60n * ONE],
      [2814, T0 + 3 * WEEK, 1, 1, 5n * ONE],
    ]);
    expect(campaign.retention.map((c) => [c.start, c.size, c.retained])).toEqual([
      [T0, 3, [3, 2, 0, 0]],
      [T0 + 3 * WEEK, 1, [1]],
    ]);
  });

  it("leaves the cap used unknown for a campaign without a cap", () => {
    const aggregator = createAggregator(config);
    aggregator.addAll(
      history().map((entry) =>
        entry.eventName === "CampaignCreated" ? { ...entry, args: { ...entry.args, rules: packedRules(NO_SUPPLY_CAP) } } : entry,
      ),
    );
    const [campaign] = aggregator.result().campaigns;
    expect(campaign.issued).toBe(165n * ONE);
    expect(campaign.capUsed).toBeUndefined();
  });

  it("counts tiers from the wallets' earnings in the current and previous period, as the contract does", () => {
    const endOfWeek1 = T0 + 2 * WEEK - 1;
    const early = createAggregator({ asOf: endOfWeek1 });
    early.addAll(history());
    // alice: 60 in week 0 + 50 in week 1 = 110 >= 100; bob 40, carol 10, dave nothing yet.
    expect(early.result().campaigns[0].tiers).toEqual({ asOf: endOfWeek1, wallets: [3, 1] });

    const late = createAggregator();
    late.addAll(history());
    // By week 3 alice's week-0 points no longer count: nobody holds the tier.
    expect(late.result().campaigns[0].tiers?.wallets).toEqual([4, 0]);
  });

  it("sums a brand's points, liability, redemptions, partner flows, sales and holders", () => {
    const aggregator = createAggregator(config);
    aggregator.addAll(history());
    const stats = aggregator.result();
    const bean = stats.brands.find((brand) => brand.token === BEAN)!;
    expect(bean).toMatchObject({
      symbol: "BEAN",
      faceValue: 20_000n,
      minted: 165n * ONE,
      burned: 50n * ONE,
      outstanding: 115n * ONE,
      liability: 2_300_000n,
      campaigns: [CAMPAIGN],
      issued: 165n * ONE,
      claimed: { claims: 4, points: 100n * ONE },
      vouchers: { claimed: 2, issued: 8, rate: 0.25 },
      batchCodes: { claimed: 2, issued: 10, rate: 0.2 },
      redeemed: { points: 50n * ONE, redemptions: 1, vouchers: 1 },
      vouchersUsed: 1,
      usageRate: 1,
      partnerInflow: [],
      spentAtPartners: [{ token: CUP, amount: 20n * ONE, count: 1 }],
      soldToGateways: { points: 10n * ONE, sales: 1, payouts: [{ token: USDC, amount: 1_000_000n, count: 1 }] },
      traded: 5n * ONE,
      // alice 60, bob 20, dave 5, CUP's treasury 20, the gateway's buyer 10; carol sold everything.
      holders: 5,
      wallets: 4,
    });
    expect(bean.redemptionRate).toBeCloseTo(50 / 165, 9);
    expect(bean.topRewards.map((r) => [r.rewardId, r.kind, r.quantity, r.used, r.points])).toEqual([
      [1n, 2, 1, 1, 50n * ONE],
      [2n, 0, 0, 0, 0n],
    ]);
    expect(bean.periods.map((p) => [p.start, p.activeWallets, p.newWallets, p.issued, p.redeemed])).toEqual([
      [T0, 3, 3, 100n * ONE, 0n],
      [T0 + WEEK, 2, 0, 60n * ONE, 50n * ONE],
      [T0 + 2 * WEEK, 1, 0, 0n, 0n],
      [T0 + 3 * WEEK, 1, 1, 5n * ONE, 0n],
    ]);
    expect(bean.retention.map((c) => [c.start, c.size, c.retained])).toEqual([
      [T0, 3, [3, 2, 1, 0]],
      [T0 + 3 * WEEK, 1, [1]],
    ]);

    const cup = stats.brands.find((brand) => brand.token === CUP)!;
    expect(cup).toMatchObject({
      minted: 0n,
      redeemed: { points: 0n, redemptions: 1, vouchers: 1 },
      partnerInflow: [{ token: BEAN, amount: 20n * ONE, count: 1 }],
      wallets: 1,
    });
    expect(cup.redemptionRate).toBeUndefined();
    expect(cup.topRewards[0]).toMatchObject({ rewardId: 1n, kind: 3, quantity: 1, points: 0n });
  });

  it("leaves the voucher claim rate unknown without the printed count, and keeps going after a result", () => {
    const aggregator = createAggregator();
    const events = history();
    aggregator.addAll(events.slice(0, 12));
    expect(aggregator.result().events).toBe(12);
    aggregator.addAll(events.slice(12));
    const stats = aggregator.result();
    expect(stats).toMatchObject({ events: events.length, from: events[0].timestamp, to: events.at(-1)!.timestamp });
    expect(stats.campaigns[0].vouchers).toEqual({ claimed: 2, issued: undefined, rate: undefined });
    expect(stats.brands[0].vouchers.rate).toBeUndefined();
  });

  it("cuts weeks at Monday 00:00 UTC by default, and periods of any length from any origin when told", () => {
    const sunday = T0 - 3600;
    const monday = T0 + 3600;
    const wallets = [...issued(ALICE, Channel.Direct, 1n, sunday), ...issued(BOB, Channel.Direct, 1n, monday)];
    const weekly = createAggregator();
    weekly.addAll(wallets);
    expect(weekly.result().campaigns[0].periods.map((p) => p.start)).toEqual([T0 - WEEK, T0]);

    const custom = createAggregator({ periodSeconds: 30 * DAY, periodOrigin: T0 - 10 * DAY });
    custom.addAll(wallets);
    expect(custom.result().campaigns[0].periods.map((p) => [p.period, p.start, p.activeWallets])).toEqual([
      [0, T0 - 10 * DAY, 2],
    ]);
  });

  it("does not attribute events of contracts it never saw created", () => {
    const aggregator = createAggregator();
    aggregator.addAll([
      event(
        CATALOG,
        "RewardRedeemed",
        {
          rewardId: 1n,
          account: ALICE,
          redemptionId: 0n,
          quantity: 1n,
          payToken: BEAN,
          cost: ONE,
          encryptionKey: zeroHash,
        },
        T0,
      ),
      event(GATEWAY, "PointsSold", { bidId: 1n, seller: CAROL, points: ONE, payout: 1n }, T0),
      ...issued(ALICE, Channel.Direct, 1n, T0),
    ]);
    const stats = aggregator.result();
    expect(stats.campaigns[0]).toMatchObject({ token: undefined, issued: ONE, wallets: 1 });
    expect(stats.brands.map((brand) => [brand.token, brand.minted, brand.redeemed.redemptions, brand.wallets])).toEqual(
      [[BEAN, ONE, 0, 0]],
    );
  });
});
