import { type Address, getAddress, zeroAddress, zeroHash } from "viem";
import { describe, expect, it } from "vitest";
import {
  type OfferContext,
  type OfferReward,
  type WalletSummary,
  affinity,
  kindPreference,
  personalOffers,
  rewardName,
  scoreWallets,
  summarizeWallets,
  walletModel,
} from "./offers";
import type { StatsEvent } from "./stats";

const ONE = 10n ** 18n;
const DAY = 86_400;
const WEEK = 7 * DAY;
/** Monday 20 November 2023, 00:00 UTC. */
const T0 = 1_700_438_400;
const FORMAT = { locale: "en-GB", timeZone: "UTC" } as const;

const address = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const [BEAN, BOOK, CAMPAIGN, CATALOG, BOOK_CATALOG, GATEWAY, ME, SHOP] = Array.from({ length: 8 }, (_, i) =>
  address(0x2000 + i),
);

function event(address: Address, eventName: string, args: Record<string, unknown>, timestamp: number): StatsEvent {
  return { address, eventName, args, timestamp } as StatsEvent;
}

/** A claim of `points` by ME at `timestamp`: the mint and the campaign's event. */
const claim = (points: bigint, timestamp: number) => [
  event(BEAN, "Transfer", { from: zeroAddress, to: ME, amount: points * ONE }, timestamp),
  event(CAMPAIGN, "PointsIssued", { recipient: ME, channel: 0, ref: 0n, amount: points * ONE, bonus: 0n }, timestamp),
];

const reward = (rewardId: bigint, kind: number, price: bigint, overrides: Partial<OfferReward> = {}): OfferReward => ({
  rewardId,
  kind,
  price: price * ONE,
  supply: 1_000,
  redeemed: 0,
  perWallet: 0,
  startsAt: BigInt(T0),
  endsAt: BigInt(T0 + 60 * DAY),
  minTier: 0,
  acceptsPartners: true,
  ...overrides,
});

function context(now: number, overrides: Partial<OfferContext> = {}): OfferContext {
  return {
    now,
    brands: [
      { token: BEAN, name: "Alpha Coffee" },
      { token: BOOK, name: "Beta Books" },
    ],
    campaigns: [
      {
        campaign: CAMPAIGN,
        token: BEAN,
        name: "Coffee club",
        rules: {
          startsAt: BigInt(T0),
          endsAt: BigInt(T0 + 90 * DAY),
          tierPeriod: WEEK,
          tiers: [
            { threshold: 100n * ONE, multiplierBps: 12_500 },
            { threshold: 300n * ONE, multiplierBps: 15_000 },
          ],
          milestones: [{ claimNumber: 5, bonus: 10n * ONE }],
        },
      },
    ],
    catalogs: [
      {
        catalog: CATALOG,
        token: BEAN,
        rewards: [
          reward(1n, 6, 100n, { name: "a free coffee" }),
          reward(2n, 2, 500n),
          reward(3n, 0, 50n, { value: 1_000n }),
          reward(4n, 6, 10n, { endsAt: BigInt(T0 + DAY) }),
          reward(5n, 6, 10n, { redeemed: 1_000 }),
          reward(6n, 6, 10n, { tierCampaign: CAMPAIGN, minTier: 2 }),
          reward(7n, 6, 10n, { active: false }),
        ],
      },
      {
        catalog: BOOK_CATALOG,
        token: BOOK,
        rewards: [reward(1n, 2, 80n)],
        partnerRates: [{ token: BEAN, partnerAmount: 3n, ownAmount: 2n }],
      },
    ],
    ...overrides,
  };
}

describe("personal offers", () => {
  // Three claims of 20: 20 in week 0, 40 in week 1 (now): 60 qualifying, tier 0, 60 points held.
  const now = T0 + 10 * DAY;
  const history = [...claim(20n, T0 + DAY), ...claim(20n, T0 + 8 * DAY), ...claim(20n, T0 + 9 * DAY)];

  it("models the wallet's history per brand and per campaign from its own events", () => {
    const model = walletModel(ME, history, context(now));
    expect(model.brands).toHaveLength(1);
    expect(model.brands[0]).toMatchObject({
      token: BEAN,
      name: "Alpha Coffee",
      balance: 60n * ONE,
      earned: 60n * ONE,
      features: { firstAt: T0 + DAY, lastAt: T0 + 9 * DAY, claims: 3, earned: 60, balance: 60, lastSpentAt: 0 },
    });
    expect(model.campaigns[0].tier).toMatchObject({
      tier: 0,
      qualifying: 60n * ONE,
      next: { tier: 1, missing: 40n * ONE, multiplierBps: 12_500 },
    });
    expect(model.campaigns[0].nextMilestone).toEqual({ claimNumber: 5, claimsToGo: 2, bonus: 10n * ONE });
  });

  it("ranks what the wallet can reach, with a reason each", () => {
    const { offers } = personalOffers(ME, history, context(now), FORMAT);
    // affinity: seen a day ago (0.5^(1/30)), 3 visits in its first month (0.5 + 0.5 (1 - e^-1.5)).
    const pull = 0.5 ** (1 / 30) * (0.5 + 0.5 * (1 - Math.exp(-1.5)));
    expect(offers.map((offer) => [offer.kind, offer.reason])).toEqual([
      ["reward", "Redeem 50 of your 60 points for 10% off at Alpha Coffee"],
      ["nextTier", "40 points from tier 1 at Alpha Coffee (1.25x points)"],
      ["milestone", "2 more visits to a 10-point bonus at Alpha Coffee"],
      ["nearReward", "40 points from a free coffee at Alpha Coffee"],
      ["partnerReward", "60 Alpha Coffee points from free shipping at Beta Books"],
    ]);
    expect(offers.map((offer) => offer.score)).toEqual([
      expect.closeTo(100 * pull, 9),
      expect.closeTo(((100 * pull) / 3) * 1.25, 9),
      expect.closeTo((80 * pull) / 2, 9),
      expect.closeTo((100 * pull) / 3, 9),
      expect.closeTo(((100 * pull) / 4) * 0.6, 9),
    ]);
    expect(offers[3]).toMatchObject({ catalog: CATALOG, rewardId: 1n, points: 40n * ONE });
    expect(offers[4]).toMatchObject({ token: BEAN, catalog: BOOK_CATALOG, points: 60n * ONE });
  });

  it("says what keeps a tier before the period ends", () => {
    // 120 in week 0, 10 in week 1: tier 1 now, but only the 10 carry into week 2.
    const events = [...claim(120n, T0 + DAY), ...claim(10n, T0 + 8 * DAY)];
    const { offers } = personalOffers(ME, events, context(T0 + 12 * DAY), FORMAT);
    expect(offers.find((offer) => offer.kind === "keepTier")?.reason).toBe(
      "Earn 90 points at Alpha Coffee by Sunday 3 December to keep tier 1",
    );
  });

  it("leaves out rewards over the wallet's tier and per-wallet limit, and offers them once it qualifies", () => {
    const limited = context(now);
    limited.catalogs[0].rewards = [
      reward(8n, 6, 10n, { perWallet: 1 }),
      reward(6n, 6, 10n, { tierCampaign: CAMPAIGN, minTier: 1 }),
    ];
    const redeemed = [
      ...history,
      event(BEAN, "Transfer", { from: ME, to: zeroAddress, amount: 10n * ONE }, T0 + 9 * DAY),
      event(
        CATALOG,
        "RewardRedeemed",
        {
          rewardId: 8n,
          account: ME,
          redemptionId: 0n,
          quantity: 1n,
          payToken: BEAN,
          cost: 10n * ONE,
          encryptionKey: zeroHash,
        },
        T0 + 9 * DAY,
      ),
    ];
    const ownRewards = (events: StatsEvent[]) =>
      personalOffers(ME, events, limited)
        .offers.filter((offer) => offer.catalog === CATALOG)
        .map((offer) => offer.rewardId);
    expect(ownRewards(redeemed)).toEqual([]);
    expect(ownRewards([...redeemed, ...claim(50n, T0 + 9 * DAY)])).toEqual([6n]);
  });

  it("prefers the kinds of reward the wallet redeemed before", () => {
    expect(kindPreference([0, 0, 0, 0, 0, 0, 0], 2)).toBe(1);
    expect(kindPreference([0, 0, 3, 0, 0, 0, 0], 2)).toBeCloseTo((4 * 7) / 10, 12);
    expect(kindPreference([0, 0, 3, 0, 0, 0, 0], 0)).toBeCloseTo(7 / 10, 12);
  });

  it("offers to sell idle points to a gateway, with the payout", () => {
    const old = [...claim(60n, T0 - 120 * DAY)];
    const bids = [
      {
        gateway: GATEWAY,
        bidId: 4n,
        token: BEAN,
        price: 10_000n,
        remainingPoints: 1_000n * ONE,
        expiresAt: BigInt(now + DAY),
        funds: 10n ** 9n,
        currency: { symbol: "USDC", decimals: 6 },
        operatorName: "Acme Exchange",
      },
    ];
    const { offers } = personalOffers(ME, old, context(now, { bids, catalogs: [] }), FORMAT);
    // Idle for 130 days: 1 + min(1, (130 - 60) / 90).
    expect(offers[0]).toEqual({
      kind: "cashOut",
      score: expect.closeTo(30 * (1 + 70 / 90), 9),
      reason: "Sell 60 idle Alpha Coffee points to Acme Exchange for 0.6 USDC",
      token: BEAN,
      bid: { gateway: GATEWAY, bidId: 4n },
      points: 60n * ONE,
    });
  });

  it("takes the balances the dApp read over the ones its events add up to", () => {
    const model = walletModel(ME, history, context(now, { balances: { [BEAN]: 7n * ONE } }));
    expect(model.brands[0]).toMatchObject({ balance: 7n * ONE, features: { balance: 7 } });
  });

  it("names rewards from their kind when they have no name", () => {
    expect([rewardName({ kind: 0, value: 1_500n }), rewardName({ kind: 2 }), rewardName({ kind: 5 })]).toEqual([
      "15% off",
      "free shipping",
      "an access code",
    ]);
  });
});

describe("scoreWallets", () => {
  const now = T0 + 100 * DAY;
  const wallet = (n: number, overrides: Partial<WalletSummary>): WalletSummary => ({
    wallet: `w${n}`,
    firstAt: T0,
    lastAt: now - DAY,
    lastSpentAt: now - DAY,
    claims: 10,
    earned: 200,
    redemptions: 0,
    redeemed: 0,
    balance: 0,
    kinds: [0, 0, 0, 0, 0, 0, 0],
    ...overrides,
  });
  const wallets = [
    wallet(1, { balance: 120 }),
    wallet(2, { balance: 90, kinds: [0, 0, 4, 0, 0, 0, 0] }),
    wallet(3, { balance: 10 }),
    wallet(4, { balance: 130, firstAt: now - 300 * DAY, lastAt: now - 200 * DAY, lastSpentAt: now - 200 * DAY }),
    wallet(5, { firstAt: now - 5 * DAY, claims: 1, earned: 20, balance: 20 }),
  ];
  const offers = [
    { id: "shipping", kind: 2, price: 100, name: "free shipping" },
    { id: "coffee", kind: 6, price: 20, name: "a free coffee" },
  ];

  it("keeps the best wallets per offer with the personal mode's score, and counts segments", async () => {
    const progress: number[] = [];
    const result = await scoreWallets(
      wallets,
      { now, offers, top: 2, progressEvery: 2, brandName: "Alpha Coffee" },
      ({ scored }) => progress.push(scored),
    );
    expect(result.scored).toBe(5);
    expect(progress).toEqual([2, 4, 5]);
    expect(result.segments).toEqual({ new: 1, active: 3, lapsing: 0, lapsed: 1, idleBalance: 1 });
    const shipping = result.offers[0];
    // Wallet 3 is 90 points (5 visits of 20) away: not eligible; wallet 5 is 80 away (4 visits): not eligible.
    expect(shipping.eligible).toBe(3);
    expect(shipping.top.map((entry) => [entry.wallet, entry.reason])).toEqual([
      ["w2", "10 points from free shipping at Alpha Coffee"],
      ["w1", "Holds 120 points: enough for free shipping at Alpha Coffee"],
    ]);
    const pull = (n: number) => 100 * affinity(wallets[n - 1], now);
    expect(shipping.top[0].score).toBeCloseTo((pull(2) * ((5 * 7) / 11)) / 2, 9);
    expect(shipping.top[1].score).toBeCloseTo(pull(1), 9);
    expect(result.offers[1].eligible).toBe(5);
  });

  it("reads async iterables and keeps copies of the wallets it ranks (a reused buffer is fine)", async () => {
    const buffer = wallet(0, {});
    async function* stream() {
      for (const next of wallets) {
        Object.assign(buffer, next, { kinds: Array.from(next.kinds) });
        yield buffer;
      }
    }
    const result = await scoreWallets(stream(), { now, offers, top: 2 });
    expect(result.offers[0].top.map((entry) => entry.wallet)).toEqual(["w2", "w1"]);
  });
});

describe("summarizeWallets", () => {
  it("adds up each wallet's claims, redemptions, kinds and balance for one brand", () => {
    const other = address(0x9999);
    const summaries = summarizeWallets(
      [
        event(CATALOG, "RewardAdded", { rewardId: 3n, params: { kind: 4, price: 5n * ONE, metadataURI: "" } }, T0),
        ...claim(20n, T0 + DAY),
        ...claim(30n, T0 + 2 * DAY),
        event(BEAN, "Transfer", { from: ME, to: zeroAddress, amount: 5n * ONE }, T0 + 3 * DAY),
        event(
          CATALOG,
          "RewardRedeemed",
          {
            rewardId: 3n,
            account: ME,
            redemptionId: 0n,
            quantity: 1n,
            payToken: BEAN,
            cost: 5n * ONE,
            encryptionKey: zeroHash,
          },
          T0 + 3 * DAY,
        ),
        event(BEAN, "Transfer", { from: ME, to: other, amount: 15n * ONE }, T0 + 4 * DAY),
        event(BOOK, "Transfer", { from: zeroAddress, to: ME, amount: 99n * ONE }, T0 + 4 * DAY),
      ],
      { token: BEAN, campaigns: [CAMPAIGN], catalog: CATALOG },
    );
    expect(summaries.get(ME.toLowerCase())).toEqual({
      wallet: ME.toLowerCase(),
      firstAt: T0 + DAY,
      lastAt: T0 + 3 * DAY,
      lastSpentAt: T0 + 4 * DAY,
      claims: 2,
      earned: 50,
      redemptions: 1,
      redeemed: 5,
      balance: 30,
      kinds: [0, 0, 0, 0, 1, 0, 0],
    });
    expect(summaries.get(other.toLowerCase())).toMatchObject({ claims: 0, balance: 15 });
    expect(summaries.has(SHOP.toLowerCase())).toBe(false);
  });
});
