import { type Address, formatUnits } from "viem";
import type { CampaignRules } from "./actions/campaign";
import type { StatsEvent } from "./stats";
import { type TierAccount, type TierProgress, newTierAccount, nextMilestone, recordClaim, tierProgress } from "./tiers";

// Personalised offers from a wallet's own on-chain history. Everything here is a pure function over plain data:
// in the browser the dApp passes the customer's own events and the catalogs it already shows, and nothing leaves
// the device; a merchant scores pseudonymous wallets in batch with the same formulas (`scoreWallets`).

const DAY = 86_400;
/** Kinds of reward (`IRewardCatalog.RewardKind`): DiscountPercent ... Other. */
const KIND_COUNT = 7;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

// ------------------------------------------------------------------------------------------------ features

/**
 * What a wallet did with one brand, in numbers: the features every score is computed from. Points are whole
 * points as floats (exact amounts stay in the personal model), times are unix seconds.
 */
export interface WalletFeatures {
  /** First and last activity with the brand (earning, redeeming, selling). */
  firstAt: number;
  lastAt: number;
  /** Last time the wallet spent the brand's points (a redemption, a sale, a transfer out); 0 if never. */
  lastSpentAt: number;
  claims: number;
  earned: number;
  redemptions: number;
  redeemed: number;
  balance: number;
  /** Redemptions per reward kind, over every brand: what this customer likes. */
  kinds: ArrayLike<number>;
}

export interface ScoreOptions {
  /** Most visits (claims of the wallet's average size) a reward or tier may be away to be offered; 3 by default. */
  maxVisits?: number;
  /** Days without spending after which a balance counts as idle; 60 by default. */
  idleDays?: number;
  /** How fast a brand's pull fades without visits: its half-life in days; 30 by default. */
  halfLifeDays?: number;
}

/** How strongly the wallet is tied to the brand, 0 to 1: recent (half-life) and frequent visits. */
export function affinity(features: WalletFeatures, now: number, halfLifeDays = 30): number {
  const visits = features.claims + features.redemptions;
  if (visits === 0) return 0.2;
  const recency = 0.5 ** (Math.max(0, now - features.lastAt) / DAY / halfLifeDays);
  const months = Math.max(1, (now - features.firstAt) / (30 * DAY));
  const frequency = 1 - Math.exp(-visits / months / 2);
  return recency * (0.5 + 0.5 * frequency);
}

/** How much the wallet favours `kind`, 1 for no preference (a smoothed share of its redemptions). */
export function kindPreference(kinds: ArrayLike<number>, kind: number): number {
  let total = 0;
  for (let k = 0; k < KIND_COUNT; k++) total += kinds[k] ?? 0;
  return (((kinds[kind] ?? 0) + 1) * KIND_COUNT) / (total + KIND_COUNT);
}

/** The wallet's average claim, or 10 points before its first. */
export function averageClaim(features: Pick<WalletFeatures, "claims" | "earned">): number {
  return features.claims > 0 && features.earned > 0 ? features.earned / features.claims : 10;
}

/** Visits of the wallet's average claim still needed for `price` points. */
export function visitsAway(balance: number, price: number, average: number): number {
  return balance >= price ? 0 : Math.ceil((price - balance) / average);
}

/** 1 for a balance in use, up to 2 for one idle for 90 days more than `idleDays`. */
export function idleBoost(features: WalletFeatures, now: number, idleDays = 60): number {
  const since = features.lastSpentAt || features.firstAt;
  const idle = (now - since) / DAY;
  return features.balance > 0 && idle >= idleDays ? 1 + Math.min(1, (idle - idleDays) / 90) : 1;
}

/** A reward's score for a wallet, or 0 when it is more than `maxVisits` away. Shared by both modes. */
export function rewardScore(
  features: WalletFeatures,
  reward: { kind: number; price: number },
  now: number,
  options: ScoreOptions = {},
  balance = features.balance,
): number {
  const visits = visitsAway(balance, reward.price, averageClaim(features));
  if (visits > (options.maxVisits ?? 3)) return 0;
  const idle = visits === 0 ? idleBoost(features, now, options.idleDays) : 1;
  return (
    (100 * affinity(features, now, options.halfLifeDays) * kindPreference(features.kinds, reward.kind) * idle) /
    (1 + visits)
  );
}

// ------------------------------------------------------------------------------------------------ reasons

/** Words for amounts and dates in reasons. */
export interface ReasonFormat {
  /** BCP 47 locale; the runtime's by default. */
  locale?: string;
  /** IANA time zone for dates; the runtime's by default. */
  timeZone?: string;
}

const KIND_NAMES = [
  "a discount",
  "a discount",
  "free shipping",
  "a ticket",
  "a gift coupon",
  "an access code",
  "a reward",
];

/** What a reward is called in a sentence: its own name, or one made from its kind and value. */
export function rewardName(reward: { kind: number; value?: bigint; name?: string }): string {
  if (reward.name) return reward.name;
  if (reward.kind === 0 && reward.value) return `${Number(reward.value) / 100}% off`;
  return KIND_NAMES[reward.kind] ?? "a reward";
}

function formatter({ locale, timeZone }: ReasonFormat) {
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const dates = new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone });
  return {
    points: (points: number) => numbers.format(points),
    /** Points still missing, rounded up to the cent of a point so a reason never promises too little. */
    missing: (points: number) => numbers.format(Math.ceil(points * 100 - 1e-9) / 100),
    date: (timestamp: number) => dates.format(new Date(timestamp * 1000)),
  };
}

// ------------------------------------------------------------------------------------------------ personal mode

export interface OfferBrand {
  token: Address;
  /** The brand as customers know it: "Alpha Coffee". */
  name: string;
  /** 18 for Perks tokens. */
  decimals?: number;
}

export interface OfferCampaign {
  campaign: Address;
  token: Address;
  /** "Summer stamps"; left out of reasons when unknown. */
  name?: string;
  rules: Pick<CampaignRules, "startsAt" | "endsAt" | "tierPeriod" | "tiers" | "milestones">;
  /** When issuance really ends (an early end); the rules' end by default. */
  endsAt?: bigint;
  paused?: boolean;
}

export interface OfferReward {
  rewardId: bigint;
  kind: number;
  value?: bigint;
  /** Own points (base units) per voucher. */
  price: bigint;
  name?: string;
  supply: number;
  redeemed: number;
  /** Most vouchers per wallet; 0 for no limit. */
  perWallet: number;
  startsAt: bigint;
  endsAt: bigint;
  tierCampaign?: Address;
  minTier: number;
  acceptsPartners: boolean;
  /** Whether it can be redeemed at all (`RewardStatus.Active`); true by default. */
  active?: boolean;
}

export interface OfferCatalog {
  catalog: Address;
  token: Address;
  rewards: readonly OfferReward[];
  /** Partner tokens accepted, `partnerAmount` of theirs for `ownAmount` of the catalog's price. */
  partnerRates?: readonly { token: Address; partnerAmount: bigint; ownAmount: bigint }[];
}

export interface OfferBid {
  gateway: Address;
  bidId: bigint;
  token: Address;
  /** Stablecoin base units per whole point. */
  price: bigint;
  remainingPoints: bigint;
  expiresAt: bigint;
  /** Funds left to pay with (stablecoin base units). */
  funds: bigint;
  currency: { symbol: string; decimals: number };
  /** Who buys: "Acme Exchange". */
  operatorName?: string;
}

/** What the dApp already has on screen: brands, campaigns, catalogs and gateway bids. */
export interface OfferContext {
  /** Unix seconds. */
  now: number;
  brands: readonly OfferBrand[];
  campaigns: readonly OfferCampaign[];
  catalogs: readonly OfferCatalog[];
  bids?: readonly OfferBid[];
  /** The wallet's balances now (base units); from its Transfer events when left out. */
  balances?: Readonly<Record<Address, bigint>>;
}

/** The wallet's history with one brand. */
export interface BrandModel {
  token: Address;
  name: string;
  decimals: number;
  balance: bigint;
  earned: bigint;
  redeemed: bigint;
  features: WalletFeatures;
  /** Vouchers redeemed per reward id at this brand's catalog (for per-wallet limits). */
  redeemedRewards: Map<bigint, number>;
}

/** The wallet in one campaign: its tier record replayed from its claims. */
export interface CampaignModel {
  campaign: Address;
  token: Address;
  account: TierAccount;
  tier: TierProgress;
  nextMilestone?: ReturnType<typeof nextMilestone>;
}

/** Everything the offers are ranked from: built on the device from the wallet's own events. */
export interface WalletModel {
  wallet: Address;
  asOf: number;
  brands: BrandModel[];
  campaigns: CampaignModel[];
  /** Redemptions per reward kind, over every brand. */
  kinds: number[];
}

export type OfferKind =
  "reward" | "nearReward" | "partnerReward" | "nextTier" | "keepTier" | "milestone" | "campaign" | "cashOut";

export interface Offer {
  kind: OfferKind;
  score: number;
  /** One line for the customer: "40 points from a free coffee at Alpha Coffee". */
  reason: string;
  token: Address;
  catalog?: Address;
  rewardId?: bigint;
  campaign?: Address;
  bid?: { gateway: Address; bidId: bigint };
  /** Points it is about: the price, the points missing, or the points to sell (base units of `token`). */
  points?: bigint;
}

const lower = (address: string) => address.toLowerCase();

/**
 * The wallet's model from its own events (PointsIssued to it, its Transfers, RewardRedeemed by it, PointsSold by
 * it), in chain order. Contracts are matched to brands through the context (and through factory events if
 * present among the events).
 */
export function walletModel(wallet: Address, events: Iterable<StatsEvent>, context: OfferContext): WalletModel {
  const me = lower(wallet);
  const brandNames = new Map(context.brands.map((brand) => [lower(brand.token), brand]));
  const campaignTokens = new Map(context.campaigns.map((c) => [lower(c.campaign), lower(c.token)]));
  const campaignRules = new Map(context.campaigns.map((c) => [lower(c.campaign), c.rules]));
  const catalogs = new Map(context.catalogs.map((catalog) => [lower(catalog.catalog), catalog]));
  const brands = new Map<string, BrandModel>();
  const campaigns = new Map<string, CampaignModel>();
  const kinds = new Array<number>(KIND_COUNT).fill(0);
  const toPoints = (amount: bigint, decimals: number) => Number(formatUnits(amount, decimals));

  const brand = (token: string): BrandModel => {
    const key = lower(token);
    let model = brands.get(key);
    if (model === undefined) {
      const known = brandNames.get(key);
      model = {
        token: (known?.token ?? token) as Address,
        name: known?.name ?? token,
        decimals: known?.decimals ?? 18,
        balance: 0n,
        earned: 0n,
        redeemed: 0n,
        features: {
          firstAt: 0,
          lastAt: 0,
          lastSpentAt: 0,
          claims: 0,
          earned: 0,
          redemptions: 0,
          redeemed: 0,
          balance: 0,
          kinds,
        },
        redeemedRewards: new Map(),
      };
      brands.set(key, model);
    }
    return model;
  };
  const visit = (model: BrandModel, timestamp: number) => {
    if (model.features.firstAt === 0) model.features.firstAt = timestamp;
    model.features.lastAt = Math.max(model.features.lastAt, timestamp);
  };

  for (const event of events) {
    switch (event.eventName) {
      case "CampaignCreated":
        campaignTokens.set(lower(event.args.campaign), lower(event.args.token));
        break;
      case "PointsIssued": {
        if (lower(event.args.recipient) !== me) break;
        const key = lower(event.address);
        const token = campaignTokens.get(key);
        if (token === undefined) break;
        const model = brand(token);
        const points = event.args.amount + event.args.bonus;
        model.earned += points;
        model.features.claims++;
        visit(model, event.timestamp);
        const rules = campaignRules.get(key);
        if (rules === undefined) break;
        let campaign = campaigns.get(key);
        if (campaign === undefined) {
          campaign = {
            campaign: event.address,
            token: model.token,
            account: newTierAccount(),
            tier: { tier: 0, qualifying: 0n },
          };
          campaigns.set(key, campaign);
        }
        recordClaim(rules, campaign.account, event.timestamp, points);
        break;
      }
      case "Transfer": {
        const from = lower(event.args.from);
        const to = lower(event.args.to);
        if (from !== me && to !== me) break;
        const model = brand(event.address);
        if (to === me) model.balance += event.args.amount;
        if (from === me) {
          model.balance -= event.args.amount;
          model.features.lastSpentAt = event.timestamp;
        }
        break;
      }
      case "RewardRedeemed": {
        if (lower(event.args.account) !== me) break;
        const catalog = catalogs.get(lower(event.address));
        if (catalog === undefined) break;
        const model = brand(catalog.token);
        const quantity = Number(event.args.quantity);
        model.features.redemptions++;
        if (lower(event.args.payToken) === lower(catalog.token)) model.redeemed += event.args.cost;
        model.redeemedRewards.set(
          event.args.rewardId,
          (model.redeemedRewards.get(event.args.rewardId) ?? 0) + quantity,
        );
        const kind = catalog.rewards.find((reward) => reward.rewardId === event.args.rewardId)?.kind;
        if (kind !== undefined) kinds[kind] += quantity;
        visit(model, event.timestamp);
        break;
      }
      case "PointsSold": {
        if (lower(event.args.seller) !== me) break;
        const bid = context.bids?.find(
          (b) => b.bidId === event.args.bidId && lower(b.gateway) === lower(event.address),
        );
        if (bid !== undefined) visit(brand(bid.token), event.timestamp);
        break;
      }
    }
  }

  for (const [token, balance] of Object.entries(context.balances ?? {})) brand(token).balance = balance;
  for (const model of brands.values()) {
    model.features.earned = toPoints(model.earned, model.decimals);
    model.features.redeemed = toPoints(model.redeemed, model.decimals);
    model.features.balance = toPoints(model.balance, model.decimals);
  }
  for (const [key, campaign] of campaigns) {
    const rules = campaignRules.get(key)!;
    campaign.tier = tierProgress(rules, campaign.account, context.now);
    campaign.nextMilestone = nextMilestone(rules, campaign.account.claims);
  }
  return { wallet, asOf: context.now, brands: [...brands.values()], campaigns: [...campaigns.values()], kinds };
}

/** A reward the wallet cannot redeem whatever its balance: inactive, sold out, at its limit, or above its tier. */
function unavailable(
  reward: OfferReward,
  redeemedByWallet: number,
  tierIn: (campaign: Address) => number,
  now: number,
) {
  return (
    reward.active === false ||
    BigInt(now) < reward.startsAt ||
    BigInt(now) >= reward.endsAt ||
    reward.redeemed >= reward.supply ||
    (reward.perWallet !== 0 && redeemedByWallet >= reward.perWallet) ||
    (reward.minTier !== 0 && (reward.tierCampaign === undefined || tierIn(reward.tierCampaign) < reward.minTier))
  );
}

/** The price in a partner token, rounded up as the catalog rounds it. */
function partnerPrice(price: bigint, rate: { partnerAmount: bigint; ownAmount: bigint }): bigint {
  return (price * rate.partnerAmount + rate.ownAmount - 1n) / rate.ownAmount;
}

/** Rewards ending within this many days score higher. */
const SOON_DAYS = 14;

/**
 * Ranks what the wallet can reach: rewards it can redeem now or within a few visits (own points or a partner's),
 * the next tier and the points that keep its tier, the next stamp-card bonus, campaigns of brands it knows, and
 * selling idle points to a gateway. Best first, one line of reason each.
 */
export function rankOffers(
  model: WalletModel,
  context: OfferContext,
  options: ScoreOptions & ReasonFormat & { limit?: number } = {},
): Offer[] {
  const { now } = context;
  const maxVisits = options.maxVisits ?? 3;
  const say = formatter(options);
  const brands = new Map(model.brands.map((brand) => [lower(brand.token), brand]));
  const names = new Map(context.brands.map((brand) => [lower(brand.token), brand.name]));
  const nameOf = (token: Address) => brands.get(lower(token))?.name ?? names.get(lower(token)) ?? token;
  const tierIn = (campaign: Address) =>
    model.campaigns.find((entry) => lower(entry.campaign) === lower(campaign))?.tier.tier ?? 0;
  const offers: Offer[] = [];

  for (const catalog of context.catalogs) {
    const own = brands.get(lower(catalog.token));
    const at = nameOf(catalog.token);
    for (const reward of catalog.rewards) {
      if (unavailable(reward, own?.redeemedRewards.get(reward.rewardId) ?? 0, tierIn, now)) continue;
      const name = rewardName(reward);
      const urgency = reward.endsAt - BigInt(now) < BigInt(SOON_DAYS * DAY) ? 1.25 : 1;
      if (own !== undefined) {
        const price = Number(formatUnits(reward.price, own.decimals));
        const score = rewardScore(own.features, { kind: reward.kind, price }, now, options) * urgency;
        if (score > 0) {
          const ready = own.balance >= reward.price;
          offers.push({
            kind: ready ? "reward" : "nearReward",
            score,
            reason: ready
              ? `Redeem ${say.points(price)} of your ${say.points(own.features.balance)} points for ${name} at ${at}`
              : `${say.missing(price - own.features.balance)} points from ${name} at ${at}`,
            token: own.token,
            catalog: catalog.catalog,
            rewardId: reward.rewardId,
            points: ready ? reward.price : reward.price - own.balance,
          });
        }
      }
      if (!reward.acceptsPartners) continue;
      for (const rate of catalog.partnerRates ?? []) {
        const payer = brands.get(lower(rate.token));
        if (payer === undefined || payer.balance === 0n || rate.ownAmount === 0n) continue;
        const cost = partnerPrice(reward.price, rate);
        const price = Number(formatUnits(cost, payer.decimals));
        // A partner's reward is reached with the payer's points, at the payer's pace, scaled by how well the
        // wallet knows the partner (a prior of 0.6 for a stranger).
        const acquaintance = own === undefined ? 0.6 : 0.6 + 0.4 * affinity(own.features, now, options.halfLifeDays);
        const score = rewardScore(payer.features, { kind: reward.kind, price }, now, options) * acquaintance * urgency;
        if (score <= 0) continue;
        const ready = payer.balance >= cost;
        offers.push({
          kind: "partnerReward",
          score,
          reason: ready
            ? `Use ${say.points(price)} ${payer.name} points for ${name} at ${at}`
            : `${say.missing(price - payer.features.balance)} ${payer.name} points from ${name} at ${at}`,
          token: payer.token,
          catalog: catalog.catalog,
          rewardId: reward.rewardId,
          points: ready ? cost : cost - payer.balance,
        });
      }
    }
  }

  for (const campaign of model.campaigns) {
    const info = context.campaigns.find((entry) => lower(entry.campaign) === lower(campaign.campaign));
    const brand = brands.get(lower(campaign.token));
    if (info === undefined || brand === undefined || !isOpen(info, now)) continue;
    const at = brand.name;
    const pull = affinity(brand.features, now, options.halfLifeDays);
    const average = averageClaim(brand.features);
    const toPoints = (amount: bigint) => Number(formatUnits(amount, brand.decimals));
    const { next, toKeep, periodEndsAt, tier } = campaign.tier;
    if (next !== undefined) {
      const missing = toPoints(next.missing);
      const visits = Math.ceil(missing / average);
      if (visits <= maxVisits) {
        offers.push({
          kind: "nextTier",
          score: ((100 * pull) / (1 + visits)) * (1 + (next.multiplierBps - 10_000) / 10_000),
          reason: `${say.missing(missing)} points from tier ${next.tier} at ${at} (${next.multiplierBps / 10_000}x points)`,
          token: brand.token,
          campaign: campaign.campaign,
          points: next.missing,
        });
      }
    }
    // Qualifying points cover two periods: what this period earns alone carries the tier into the next one.
    if (toKeep !== undefined && toKeep > 0n && periodEndsAt !== undefined && periodEndsAt - now <= 7 * DAY) {
      const missing = toPoints(toKeep);
      const visits = Math.ceil(missing / average);
      if (visits <= maxVisits) {
        offers.push({
          kind: "keepTier",
          score: ((130 * pull) / (1 + visits)) * (1 + (info.rules.tiers[tier - 1].multiplierBps - 10_000) / 10_000),
          reason: `Earn ${say.missing(missing)} points at ${at} by ${say.date(periodEndsAt - 1)} to keep tier ${tier}`,
          token: brand.token,
          campaign: campaign.campaign,
          points: toKeep,
        });
      }
    }
    const milestone = campaign.nextMilestone;
    if (milestone !== undefined && milestone.claimsToGo <= maxVisits) {
      const visits = milestone.claimsToGo === 1 ? "1 more visit" : `${milestone.claimsToGo} more visits`;
      offers.push({
        kind: "milestone",
        score: (80 * pull) / milestone.claimsToGo,
        reason: `${visits} to a ${say.points(toPoints(milestone.bonus))}-point bonus at ${at}`,
        token: brand.token,
        campaign: campaign.campaign,
        points: milestone.bonus,
      });
    }
  }

  // Campaigns the wallet has not joined, of brands it knows: the better it knows the brand, the higher.
  for (const info of context.campaigns) {
    const brand = brands.get(lower(info.token));
    if (brand === undefined || brand.features.claims + brand.features.redemptions === 0 || !isOpen(info, now)) continue;
    if (model.campaigns.some((entry) => lower(entry.campaign) === lower(info.campaign))) continue;
    if (BigInt(now) < info.rules.startsAt) continue;
    offers.push({
      kind: "campaign",
      score: 50 * affinity(brand.features, now, options.halfLifeDays),
      reason: info.name ? `New at ${brand.name}: ${info.name}` : `${brand.name} has a new campaign`,
      token: brand.token,
      campaign: info.campaign,
    });
  }

  // Idle points a gateway would buy: worth something now rather than nothing in a drawer.
  for (const bid of context.bids ?? []) {
    const brand = brands.get(lower(bid.token));
    if (brand === undefined || brand.balance === 0n || bid.expiresAt <= BigInt(now) || bid.remainingPoints === 0n)
      continue;
    const idle = idleBoost(brand.features, now, options.idleDays);
    if (idle === 1) continue;
    const one = 10n ** BigInt(brand.decimals);
    const points = brand.balance < bid.remainingPoints ? brand.balance : bid.remainingPoints;
    const payout = (points * bid.price) / one;
    if (payout === 0n || payout > bid.funds) continue;
    const money = say.points(Number(formatUnits(payout, bid.currency.decimals)));
    const to = bid.operatorName ? ` to ${bid.operatorName}` : "";
    offers.push({
      kind: "cashOut",
      score: 30 * idle,
      reason: `Sell ${say.points(Number(formatUnits(points, brand.decimals)))} idle ${brand.name} points${to} for ${money} ${bid.currency.symbol}`,
      token: brand.token,
      bid: { gateway: bid.gateway, bidId: bid.bidId },
      points,
    });
  }

  return offers.sort((a, b) => b.score - a.score).slice(0, options.limit ?? 10);
}

function isOpen(campaign: OfferCampaign, now: number): boolean {
  const endsAt = campaign.endsAt ?? campaign.rules.endsAt;
  return !campaign.paused && BigInt(now) < endsAt;
}

/** The wallet's model and its ranked offers in one call. */
export function personalOffers(
  wallet: Address,
  events: Iterable<StatsEvent>,
  context: OfferContext,
  options?: ScoreOptions & ReasonFormat & { limit?: number },
): { model: WalletModel; offers: Offer[] } {
  const model = walletModel(wallet, events, context);
  return { model, offers: rankOffers(model, context, options) };
}

// ------------------------------------------------------------------------------------------------ batch mode

/** One pseudonymous wallet as a merchant's indexer sees it, for one brand. */
export interface WalletSummary extends WalletFeatures {
  wallet: string;
}

/** A reward the merchant may send targeted vouchers for. */
export interface BatchOffer {
  id: string;
  kind: number;
  /** Whole points. */
  price: number;
  name?: string;
}

export interface BatchOptions extends ScoreOptions {
  now: number;
  offers: readonly BatchOffer[];
  /** Wallets kept per offer, best first; 1,000 by default. */
  top?: number;
  /** The wallets to expect, for progress; unknown by default. */
  total?: number;
  /** Calls `onProgress` every this many wallets; 50,000 by default. */
  progressEvery?: number;
  brandName?: string;
}

export interface BatchResult {
  scored: number;
  /** Wallets per stage of their relationship with the brand. */
  segments: { new: number; active: number; lapsing: number; lapsed: number; idleBalance: number };
  offers: { id: string; eligible: number; top: { wallet: string; score: number; reason: string }[] }[];
}

/** The `limit` highest-scoring entries seen, in a binary min-heap: memory stays at `limit` whatever streams by. */
class TopScores {
  private readonly heap: { score: number; wallet: WalletSummary }[] = [];
  constructor(private readonly limit: number) {}

  offer(score: number, wallet: WalletSummary) {
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push({ score, wallet: copy(wallet) });
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (heap[parent].score <= heap[i].score) break;
        [heap[parent], heap[i]] = [heap[i], heap[parent]];
        i = parent;
      }
      return;
    }
    if (score <= heap[0].score) return;
    heap[0] = { score, wallet: copy(wallet) };
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left].score < heap[least].score) least = left;
      if (right < heap.length && heap[right].score < heap[least].score) least = right;
      if (least === i) break;
      [heap[least], heap[i]] = [heap[i], heap[least]];
      i = least;
    }
  }

  best() {
    return [...this.heap].sort((a, b) => b.score - a.score);
  }
}

/** A summary may be a reused buffer: keep a copy of the few that make a top list. */
const copy = (wallet: WalletSummary): WalletSummary => ({ ...wallet, kinds: Array.from(wallet.kinds) });

/**
 * Scores every wallet for each offer with the personal mode's formulas and keeps the best `top` per offer, plus
 * counts of relationship segments. Streams: memory is bounded by `top` x offers, whatever the number of wallets.
 * Sync iterables run without yielding; async ones (a file, a database cursor) are awaited item by item.
 */
export async function scoreWallets(
  wallets: Iterable<WalletSummary> | AsyncIterable<WalletSummary>,
  options: BatchOptions,
  onProgress?: (progress: { scored: number; total?: number }) => void,
): Promise<BatchResult> {
  const { now, offers } = options;
  const every = options.progressEvery ?? 50_000;
  const maxVisits = options.maxVisits ?? 3;
  const tops = offers.map(() => new TopScores(options.top ?? 1_000));
  const eligible = offers.map(() => 0);
  const segments = { new: 0, active: 0, lapsing: 0, lapsed: 0, idleBalance: 0 };
  let scored = 0;

  const score = (wallet: WalletSummary) => {
    const days = (now - wallet.lastAt) / DAY;
    if ((now - wallet.firstAt) / DAY < 30) segments.new++;
    else if (days < 30) segments.active++;
    else if (days < 90) segments.lapsing++;
    else segments.lapsed++;
    const idle = idleBoost(wallet, now, options.idleDays);
    if (idle > 1) segments.idleBalance++;
    // The parts of rewardScore that do not depend on the offer, once per wallet.
    const pull = 100 * affinity(wallet, now, options.halfLifeDays);
    const average = averageClaim(wallet);
    let kindTotal = 0;
    for (let k = 0; k < KIND_COUNT; k++) kindTotal += wallet.kinds[k] ?? 0;
    for (let i = 0; i < offers.length; i++) {
      const offer = offers[i];
      const visits = visitsAway(wallet.balance, offer.price, average);
      if (visits > maxVisits) continue;
      eligible[i]++;
      const preference = (((wallet.kinds[offer.kind] ?? 0) + 1) * KIND_COUNT) / (kindTotal + KIND_COUNT);
      tops[i].offer((pull * preference * (visits === 0 ? idle : 1)) / (1 + visits), wallet);
    }
    if (++scored % every === 0) onProgress?.({ scored, total: options.total });
  };

  if (Symbol.asyncIterator in wallets) for await (const wallet of wallets) score(wallet);
  else for (const wallet of wallets) score(wallet);
  if (scored % every !== 0) onProgress?.({ scored, total: options.total });

  const say = formatter({});
  const brand = options.brandName ? ` at ${options.brandName}` : "";
  return {
    scored,
    segments,
    offers: offers.map((offer, i) => ({
      id: offer.id,
      eligible: eligible[i],
      top: tops[i].best().map(({ score, wallet }) => {
        const name = rewardName(offer);
        const missing = offer.price - wallet.balance;
        return {
          wallet: wallet.wallet,
          score,
          reason:
            missing <= 0
              ? `Holds ${say.points(wallet.balance)} points: enough for ${name}${brand}`
              : `${say.missing(missing)} points from ${name}${brand}`,
        };
      }),
    })),
  };
}

/**
 * Per-wallet summaries for one brand from a merchant's indexed events (its token's Transfers, its campaigns'
 * PointsIssued, its catalog's RewardRedeemed): the input of `scoreWallets`. Holds one summary per wallet.
 */
export function summarizeWallets(
  events: Iterable<StatsEvent>,
  {
    token,
    campaigns,
    catalog,
    rewardKinds = new Map(),
    decimals = 18,
  }: {
    token: Address;
    campaigns: readonly Address[];
    catalog?: Address;
    /** Reward id to kind; learnt from RewardAdded events as well. */
    rewardKinds?: Map<bigint, number>;
    decimals?: number;
  },
): Map<string, WalletSummary> {
  const ownToken = lower(token);
  const ownCampaigns = new Set(campaigns.map(lower));
  const ownCatalog = catalog && lower(catalog);
  const scale = 10 ** decimals;
  const summaries = new Map<string, WalletSummary>();
  const summary = (wallet: string, timestamp: number) => {
    const key = lower(wallet);
    let entry = summaries.get(key);
    if (entry === undefined) {
      entry = {
        wallet: key,
        firstAt: timestamp,
        lastAt: timestamp,
        lastSpentAt: 0,
        claims: 0,
        earned: 0,
        redemptions: 0,
        redeemed: 0,
        balance: 0,
        kinds: new Array<number>(KIND_COUNT).fill(0),
      };
      summaries.set(key, entry);
    }
    return entry;
  };
  for (const event of events) {
    const source = lower(event.address);
    if (event.eventName === "Transfer" && source === ownToken) {
      const amount = Number(event.args.amount) / scale;
      if (lower(event.args.from) !== ZERO_ADDRESS) {
        const sender = summary(event.args.from, event.timestamp);
        sender.balance -= amount;
        sender.lastSpentAt = event.timestamp;
      }
      if (lower(event.args.to) !== ZERO_ADDRESS) summary(event.args.to, event.timestamp).balance += amount;
    } else if (event.eventName === "PointsIssued" && ownCampaigns.has(source)) {
      const entry = summary(event.args.recipient, event.timestamp);
      entry.claims++;
      entry.earned += Number(event.args.amount + event.args.bonus) / scale;
      entry.lastAt = event.timestamp;
    } else if (event.eventName === "RewardAdded" && source === ownCatalog) {
      rewardKinds.set(event.args.rewardId, event.args.params.kind);
    } else if (event.eventName === "RewardRedeemed" && source === ownCatalog) {
      const entry = summary(event.args.account, event.timestamp);
      entry.redemptions++;
      if (lower(event.args.payToken) === ownToken) entry.redeemed += Number(event.args.cost) / scale;
      const kind = rewardKinds.get(event.args.rewardId);
      if (kind !== undefined) (entry.kinds as number[])[kind] += Number(event.args.quantity);
      entry.lastAt = event.timestamp;
    }
  }
  return summaries;
}
