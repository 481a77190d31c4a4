import { type Address, getAddress } from "viem";
import { type CampaignRules, Channel, NO_SUPPLY_CAP, decodePackedRules } from "./actions/campaign";
import type { PerksEvent } from "./indexer/events";
import { type TierAccount, newTierAccount, recordClaim, tierAt } from "./tiers";

// Program statistics from events alone. Wallets are only ever counted: no result names one.

/** What the aggregator reads of an event (the indexer's events have all of it). */
export type StatsEvent = PerksEvent extends infer event
  ? event extends PerksEvent
    ? Pick<event, "address" | "eventName" | "args" | "timestamp">
    : never
  : never;

export interface StatsConfig {
  /** Length of a period for active wallets and retention, in seconds; a week by default. */
  periodSeconds?: number;
  /** Where period 0 starts (unix seconds); Monday 5 January 1970 00:00 UTC by default, so weeks run Monday to
   * Sunday (UTC). */
  periodOrigin?: number;
  /** When tiers are counted (unix seconds); the last event's time by default. */
  asOf?: number;
  /** Vouchers printed per campaign, from the merchant's own records: the chain only sees the claimed ones. */
  vouchersPrinted?: Readonly<Record<Address, number>>;
  /** Rewards listed in each brand's `topRewards`; 10 by default. */
  topRewards?: number;
}

/** Claims and points through one issuance channel. */
export interface ChannelStats {
  claims: number;
  points: bigint;
}

/** Wallets active in one period, and how many of them were new. */
export interface PeriodStats {
  /** The period's number from `periodOrigin`, and its first second. */
  period: number;
  start: number;
  activeWallets: number;
  newWallets: number;
  /** Points issued by campaigns in the period (for a brand: by all its campaigns). */
  issued: bigint;
  /** Own points spent on rewards in the period (brands only). */
  redeemed: bigint;
}

/** Wallets first active in `start`'s period, and how many of them were active again `k` periods later. */
export interface Cohort {
  period: number;
  start: number;
  size: number;
  /** `retained[k]`: cohort wallets active `k` periods after the first; `retained[0] === size`. */
  retained: number[];
}

export interface ClaimRate {
  claimed: number;
  /** Vouchers printed or codes published; undefined when not known. */
  issued?: number;
  /** claimed / issued; undefined when not known or zero. */
  rate?: number;
}

export interface CampaignStats {
  campaign: Address;
  /** Undefined when the aggregator did not see the `CampaignCreated` event. */
  token?: Address;
  merchant?: Address;
  metadataURI?: string;
  rules?: CampaignRules;
  /** Points issued (after tier multipliers, milestone bonuses included). */
  issued: bigint;
  /** Milestone bonuses among them. */
  bonus: bigint;
  claims: number;
  byChannel: { direct: ChannelStats; voucher: ChannelStats; batch: ChannelStats };
  /** Voucher and batch-code claims: points customers claimed themselves. */
  claimed: ChannelStats;
  /** Vouchers claimed against the printed count given in the config. */
  vouchers: ClaimRate;
  /** Codes claimed against codes published, over all batches and per batch. */
  batchCodes: ClaimRate & { batches: (ClaimRate & { batchId: bigint; points: bigint })[] };
  /** issued / supply cap; undefined for a campaign without a cap. */
  capUsed?: number;
  /** Wallets that ever earned here. */
  wallets: number;
  periods: PeriodStats[];
  retention: Cohort[];
  /** With tiers: wallets per tier at `asOf` (index 0: no tier), of the wallets that ever earned here. */
  tiers?: { asOf: number; wallets: number[] };
}

export interface RewardStats {
  rewardId: bigint;
  /** The `RewardKind` (0 DiscountPercent ... 6 Other); undefined when `RewardAdded` was not seen. */
  kind?: number;
  price?: bigint;
  metadataURI?: string;
  redemptions: number;
  /** Vouchers redeemed (a redemption may take several). */
  quantity: number;
  /** Vouchers used at the till. */
  used: number;
  /** Own points paid for it. */
  points: bigint;
}

export interface TokenAmount {
  token: Address;
  amount: bigint;
  count: number;
}

export interface BrandStats {
  token: Address;
  merchant?: Address;
  name?: string;
  symbol?: string;
  /** Millionths of the merchant's currency per whole point (the latest `FaceValueSet`). */
  faceValue: bigint;
  /** Every point ever minted (campaigns and the merchant's own mints) and burned. */
  minted: bigint;
  burned: bigint;
  /** Points in circulation: minted - burned. */
  outstanding: bigint;
  /** outstanding at face value, in millionths of the merchant's currency (faceValue's unit). */
  liability: bigint;
  campaigns: Address[];
  /** Points its campaigns issued, and the part customers claimed with vouchers and codes. */
  issued: bigint;
  claimed: ChannelStats;
  vouchers: ClaimRate;
  batchCodes: ClaimRate;
  /** Own points spent on rewards (burned by the catalog), in how many redemptions, for how many vouchers. */
  redeemed: { points: bigint; redemptions: number; vouchers: number };
  /** redeemed points / minted. */
  redemptionRate?: number;
  /** Reward vouchers used at the till, and used / redeemed. */
  vouchersUsed: number;
  usageRate?: number;
  /** Partner points this brand's catalog took as payment, per partner token. */
  partnerInflow: TokenAmount[];
  /** This brand's points spent at partner catalogs, per partner (the catalog's token). */
  spentAtPartners: TokenAmount[];
  /** Points sold to cash-out gateways, and what they paid per stablecoin. */
  soldToGateways: { points: bigint; sales: number; payouts: TokenAmount[] };
  /** Points traded on the points exchange (either side of a fill). */
  traded: bigint;
  /** Wallets holding a positive balance now, and wallets ever active (earning, redeeming, selling, using). */
  holders: number;
  wallets: number;
  periods: PeriodStats[];
  retention: Cohort[];
  topRewards: RewardStats[];
}

export interface Stats {
  events: number;
  /** Times of the first and last event. */
  from?: number;
  to?: number;
  periodSeconds: number;
  periodOrigin: number;
  brands: BrandStats[];
  campaigns: CampaignStats[];
}

export interface Aggregator {
  /** Adds one event; events must come in chain order. */
  add(event: StatsEvent): void;
  addAll(events: Iterable<StatsEvent>): void;
  /** The statistics so far; the aggregator keeps going after it. */
  result(): Stats;
}

const WEEK = 7 * 24 * 60 * 60;
/** Monday 5 January 1970, 00:00 UTC. */
const FIRST_MONDAY = 4 * 24 * 60 * 60;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ONE_POINT = 10n ** 18n;
const NEVER = -0x80000000;

/**
 * Small integer ids for addresses, whatever their letter case: everything per wallet is kept in arrays and maps
 * keyed by id, so a million events cost one string lookup each.
 */
class AddressIds {
  private readonly byText = new Map<string, number>();
  private readonly byLowerCase = new Map<string, number>();
  private count = 0;

  id(address: string): number {
    let id = this.byText.get(address);
    if (id === undefined) {
      const lower = address.toLowerCase();
      id = this.byLowerCase.get(lower);
      if (id === undefined) this.byLowerCase.set(lower, (id = this.count++));
      this.byText.set(address, id);
    }
    return id;
  }
}

interface PeriodCounts {
  active: number;
  new: number;
  issued: bigint;
  redeemed: bigint;
}

/**
 * Who was active when, counted as events arrive: per wallet its first and last active period, per period the
 * wallets active and new in it, per cohort (first period) how many were active again k periods later. Events come
 * in chain order, so a wallet's periods only go forward and each (wallet, period) pair is counted once.
 */
class Activity {
  private first = new Int32Array(0);
  private last = new Int32Array(0);
  private readonly byPeriod = new Map<number, PeriodCounts>();
  private readonly cohorts = new Map<number, number[]>();
  private latest?: { period: number; counts: PeriodCounts };
  wallets = 0;

  counts(period: number): PeriodCounts {
    if (this.latest?.period === period) return this.latest.counts;
    let counts = this.byPeriod.get(period);
    if (counts === undefined) this.byPeriod.set(period, (counts = { active: 0, new: 0, issued: 0n, redeemed: 0n }));
    this.latest = { period, counts };
    return counts;
  }

  touch(wallet: number, period: number): PeriodCounts {
    if (wallet >= this.first.length) this.grow(wallet);
    const counts = this.counts(period);
    if (this.last[wallet] === period) return counts;
    this.last[wallet] = period;
    counts.active++;
    let first = this.first[wallet];
    if (first === NEVER) {
      this.first[wallet] = first = period;
      counts.new++;
      this.wallets++;
    }
    let row = this.cohorts.get(first);
    if (row === undefined) this.cohorts.set(first, (row = []));
    row[period - first] = (row[period - first] ?? 0) + 1;
    return counts;
  }

  private grow(wallet: number) {
    const size = Math.max(1024, wallet + 1, this.first.length * 2);
    for (const key of ["first", "last"] as const) {
      const grown = new Int32Array(size).fill(NEVER);
      grown.set(this[key]);
      this[key] = grown;
    }
  }

  periods(start: (period: number) => number): PeriodStats[] {
    return [...this.byPeriod.entries()]
      .sort(([a], [b]) => a - b)
      .map(([period, counts]) => ({
        period,
        start: start(period),
        activeWallets: counts.active,
        newWallets: counts.new,
        issued: counts.issued,
        redeemed: counts.redeemed,
      }));
  }

  /** Cohorts by first period; each one's row runs to the last period with any activity. */
  retention(start: (period: number) => number): Cohort[] {
    const last = Math.max(...this.byPeriod.keys());
    return [...this.cohorts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([period, row]) => ({
        period,
        start: start(period),
        size: row[0],
        retained: Array.from({ length: last - period + 1 }, (_, k) => row[k] ?? 0),
      }));
  }
}

interface CampaignAcc {
  campaign: Address;
  brand?: BrandAcc;
  merchant?: Address;
  metadataURI?: string;
  rules?: CampaignRules;
  hasTiers: boolean;
  issued: bigint;
  bonus: bigint;
  channels: ChannelStats[];
  batches: Map<bigint, { codeCount: number; claimed: number; points: bigint }>;
  tierAccounts: Map<number, TierAccount>;
  activity: Activity;
}

interface BrandAcc {
  id: number;
  token: Address;
  merchant?: Address;
  name?: string;
  symbol?: string;
  faceValue: bigint;
  minted: bigint;
  burned: bigint;
  campaigns: CampaignAcc[];
  redeemedPoints: bigint;
  redemptions: number;
  vouchersRedeemed: number;
  vouchersUsed: number;
  partnerInflow: Map<number, TokenAmount>;
  spentAtPartners: Map<number, TokenAmount>;
  soldPoints: bigint;
  sales: number;
  payouts: Map<number, TokenAmount>;
  traded: bigint;
  balances: Map<number, bigint>;
  holders: number;
  rewards: Map<bigint, RewardStats>;
  activity: Activity;
}

const rate = (part: number, whole: number | undefined): number | undefined =>
  whole === undefined || whole === 0 ? undefined : part / whole;

/** A ratio of bigints as a float, exact enough for a rate whatever their size. */
const bigRate = (part: bigint, whole: bigint): number | undefined =>
  whole === 0n ? undefined : Number((part * 1_000_000_000n) / whole) / 1e9;

const byAmountDescending = (a: TokenAmount, b: TokenAmount) => (a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : 0);

/**
 * A streaming aggregator of program statistics per campaign and per brand: feed it the indexer's events in chain
 * order (`for await (const e of indexer.events()) aggregator.add(e)`), read `result()` whenever needed.
 * Contracts are tied together by the factory's events (`TokenCreated`, `CampaignCreated`, `CatalogCreated`),
 * gateway bids by `BidPosted` and exchange orders by `OrderCreated`, so the stream should start at the factory's
 * deployment. Memory grows with the number of wallets and periods, not with the number of events.
 */
export function createAggregator(config: StatsConfig = {}): Aggregator {
  const periodSeconds = config.periodSeconds ?? WEEK;
  const periodOrigin = config.periodOrigin ?? FIRST_MONDAY;
  const periodOf = (timestamp: number) => Math.floor((timestamp - periodOrigin) / periodSeconds);
  const periodStart = (period: number) => periodOrigin + period * periodSeconds;
  const ids = new AddressIds();
  const printed = new Map(
    Object.entries(config.vouchersPrinted ?? {}).map(([campaign, count]) => [ids.id(campaign), count]),
  );

  const brands = new Map<number, BrandAcc>();
  const campaigns = new Map<number, CampaignAcc>();
  /** Catalogs and voucher contracts, by id, to their brand. */
  const catalogs = new Map<number, BrandAcc>();
  const voucherContracts = new Map<number, BrandAcc>();
  /** Gateway bids (`gateway:bidId`) to the brand they buy and the stablecoin they pay. */
  const bids = new Map<string, { brand: BrandAcc; stablecoin: Address }>();
  /** Exchange orders (`exchange:orderId`) to their tokens' ids. */
  const orders = new Map<string, { sellToken: number; buyToken: number }>();
  let events = 0;
  let from: number | undefined;
  let to: number | undefined;

  function brand(token: Address): BrandAcc {
    const id = ids.id(token);
    let acc = brands.get(id);
    if (acc === undefined) {
      acc = {
        id,
        token: getAddress(token),
        faceValue: 0n,
        minted: 0n,
        burned: 0n,
        campaigns: [],
        redeemedPoints: 0n,
        redemptions: 0,
        vouchersRedeemed: 0,
        vouchersUsed: 0,
        partnerInflow: new Map(),
        spentAtPartners: new Map(),
        soldPoints: 0n,
        sales: 0,
        payouts: new Map(),
        traded: 0n,
        balances: new Map(),
        holders: 0,
        rewards: new Map(),
        activity: new Activity(),
      };
      brands.set(id, acc);
    }
    return acc;
  }

  function campaign(address: Address): CampaignAcc {
    const id = ids.id(address);
    let acc = campaigns.get(id);
    if (acc === undefined) {
      acc = {
        campaign: getAddress(address),
        hasTiers: false,
        issued: 0n,
        bonus: 0n,
        channels: [0, 1, 2].map(() => ({ claims: 0, points: 0n })),
        batches: new Map(),
        tierAccounts: new Map(),
        activity: new Activity(),
      };
      campaigns.set(id, acc);
    }
    return acc;
  }

  function reward(acc: BrandAcc, rewardId: bigint): RewardStats {
    let entry = acc.rewards.get(rewardId);
    if (entry === undefined) {
      acc.rewards.set(rewardId, (entry = { rewardId, redemptions: 0, quantity: 0, used: 0, points: 0n }));
    }
    return entry;
  }

  function batch(acc: CampaignAcc, batchId: bigint) {
    let entry = acc.batches.get(batchId);
    if (entry === undefined) acc.batches.set(batchId, (entry = { codeCount: 0, claimed: 0, points: 0n }));
    return entry;
  }

  function addAmount(map: Map<number, TokenAmount>, token: Address, amount: bigint) {
    const id = ids.id(token);
    const entry = map.get(id);
    if (entry === undefined) map.set(id, { token: getAddress(token), amount, count: 1 });
    else {
      entry.amount += amount;
      entry.count++;
    }
  }

  function moveBalance(acc: BrandAcc, wallet: Address, delta: bigint) {
    const id = ids.id(wallet);
    const before = acc.balances.get(id) ?? 0n;
    const after = before + delta;
    if (after === 0n) acc.balances.delete(id);
    else acc.balances.set(id, after);
    acc.holders += (after > 0n ? 1 : 0) - (before > 0n ? 1 : 0);
  }

  function add(event: StatsEvent) {
    const { timestamp } = event;
    if (to !== undefined && timestamp < to) {
      throw new RangeError(`Events must come in chain order: ${timestamp} comes after ${to}.`);
    }
    events++;
    from ??= timestamp;
    to = timestamp;
    switch (event.eventName) {
      case "TokenCreated": {
        const acc = brand(event.args.token);
        acc.merchant = event.args.merchant;
        acc.name = event.args.name;
        acc.symbol = event.args.symbol;
        acc.faceValue = event.args.faceValue;
        break;
      }
      case "FaceValueSet":
        brand(event.address).faceValue = event.args.faceValue;
        break;
      case "CampaignCreated": {
        const acc = campaign(event.args.campaign);
        acc.brand = brand(event.args.token);
        acc.brand.campaigns.push(acc);
        acc.merchant = event.args.merchant;
        acc.metadataURI = event.args.metadataURI;
        acc.rules = decodePackedRules(event.args.rules);
        acc.hasTiers = acc.rules.tierPeriod !== 0 && acc.rules.tiers.length > 0;
        break;
      }
      case "CatalogCreated": {
        const acc = brand(event.args.token);
        catalogs.set(ids.id(event.args.catalog), acc);
        voucherContracts.set(ids.id(event.args.voucher), acc);
        break;
      }
      case "PointsIssued": {
        const acc = campaign(event.address);
        const { recipient, channel, ref, amount, bonus } = event.args;
        const points = amount + bonus;
        const period = periodOf(timestamp);
        const wallet = ids.id(recipient);
        acc.issued += points;
        acc.bonus += bonus;
        const stats = acc.channels[channel];
        if (stats !== undefined) {
          stats.claims++;
          stats.points += points;
        }
        if (channel === Channel.Batch) {
          const entry = batch(acc, ref >> 128n);
          entry.claimed++;
          entry.points += points;
        }
        acc.activity.touch(wallet, period).issued += points;
        if (acc.hasTiers) {
          let account = acc.tierAccounts.get(wallet);
          if (account === undefined) acc.tierAccounts.set(wallet, (account = newTierAccount()));
          recordClaim(acc.rules!, account, timestamp, points);
        }
        if (acc.brand !== undefined) acc.brand.activity.touch(wallet, period).issued += points;
        break;
      }
      case "BatchPublished":
        batch(campaign(event.address), event.args.batchId).codeCount += Number(event.args.codeCount);
        break;
      case "Transfer": {
        const acc = brand(event.address);
        const { from: sender, to: recipient, amount } = event.args;
        if (sender === ZERO_ADDRESS) acc.minted += amount;
        else moveBalance(acc, sender, -amount);
        if (recipient === ZERO_ADDRESS) acc.burned += amount;
        else moveBalance(acc, recipient, amount);
        break;
      }
      case "RewardAdded":
      case "RewardEdited": {
        const acc = catalogs.get(ids.id(event.address));
        if (acc === undefined) break;
        const entry = reward(acc, event.args.rewardId);
        entry.kind = event.args.params.kind;
        entry.price = event.args.params.price;
        entry.metadataURI = event.args.params.metadataURI;
        break;
      }
      case "RewardRedeemed": {
        const acc = catalogs.get(ids.id(event.address));
        if (acc === undefined) break;
        const { rewardId, account, quantity, payToken, cost } = event.args;
        const entry = reward(acc, rewardId);
        entry.redemptions++;
        entry.quantity += Number(quantity);
        acc.redemptions++;
        acc.vouchersRedeemed += Number(quantity);
        const counts = acc.activity.touch(ids.id(account), periodOf(timestamp));
        if (ids.id(payToken) === acc.id) {
          entry.points += cost;
          acc.redeemedPoints += cost;
          counts.redeemed += cost;
        } else {
          addAmount(acc.partnerInflow, payToken, cost);
          addAmount(brand(payToken).spentAtPartners, acc.token, cost);
        }
        break;
      }
      case "VoucherUsed": {
        const acc = voucherContracts.get(ids.id(event.address));
        if (acc === undefined) break;
        acc.vouchersUsed++;
        reward(acc, event.args.id).used++;
        acc.activity.touch(ids.id(event.args.holder), periodOf(timestamp));
        break;
      }
      case "BidPosted":
        bids.set(`${ids.id(event.address)}:${event.args.bidId}`, {
          brand: brand(event.args.token),
          stablecoin: event.args.stablecoin,
        });
        break;
      case "PointsSold": {
        const bid = bids.get(`${ids.id(event.address)}:${event.args.bidId}`);
        if (bid === undefined) break;
        bid.brand.soldPoints += event.args.points;
        bid.brand.sales++;
        addAmount(bid.brand.payouts, bid.stablecoin, event.args.payout);
        bid.brand.activity.touch(ids.id(event.args.seller), periodOf(timestamp));
        break;
      }
      case "OrderCreated":
        orders.set(`${ids.id(event.address)}:${event.args.orderId}`, {
          sellToken: ids.id(event.args.sellToken),
          buyToken: ids.id(event.args.buyToken),
        });
        break;
      case "OrderFilled": {
        const order = orders.get(`${ids.id(event.address)}:${event.args.orderId}`);
        if (order === undefined) break;
        // Only Perks tokens have brand statistics; the other side may be a stablecoin.
        const seller = brands.get(order.sellToken);
        if (seller !== undefined) seller.traded += event.args.sellAmount;
        const buyer = brands.get(order.buyToken);
        if (buyer !== undefined) buyer.traded += event.args.buyAmount;
        break;
      }
    }
  }

  function campaignResult(acc: CampaignAcc, asOf: number): CampaignStats {
    const [direct, voucher, batchChannel] = acc.channels;
    const printedCount = printed.get(ids.id(acc.campaign));
    const batches = [...acc.batches.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([batchId, entry]) => ({
        batchId,
        claimed: entry.claimed,
        issued: entry.codeCount,
        rate: rate(entry.claimed, entry.codeCount),
        points: entry.points,
      }));
    const published = batches.reduce((sum, entry) => sum + entry.issued, 0);
    const result: CampaignStats = {
      campaign: acc.campaign,
      token: acc.brand?.token,
      merchant: acc.merchant,
      metadataURI: acc.metadataURI,
      rules: acc.rules,
      issued: acc.issued,
      bonus: acc.bonus,
      claims: direct.claims + voucher.claims + batchChannel.claims,
      byChannel: { direct: { ...direct }, voucher: { ...voucher }, batch: { ...batchChannel } },
      claimed: { claims: voucher.claims + batchChannel.claims, points: voucher.points + batchChannel.points },
      vouchers: { claimed: voucher.claims, issued: printedCount, rate: rate(voucher.claims, printedCount) },
      batchCodes: {
        claimed: batchChannel.claims,
        issued: published,
        rate: rate(batchChannel.claims, published),
        batches,
      },
      capUsed: acc.rules && acc.rules.supplyCap > 0n && acc.rules.supplyCap < NO_SUPPLY_CAP ? bigRate(acc.issued, acc.rules.supplyCap) : undefined,
      wallets: acc.activity.wallets,
      periods: acc.activity.periods(periodStart),
      retention: acc.activity.retention(periodStart),
    };
    if (acc.hasTiers) {
      const wallets = new Array<number>(acc.rules!.tiers.length + 1).fill(0);
      for (const account of acc.tierAccounts.values()) wallets[tierAt(acc.rules!, account, asOf)]++;
      result.tiers = { asOf, wallets };
    }
    return result;
  }

  function brandResult(acc: BrandAcc, campaignStats: Map<CampaignAcc, CampaignStats>, top: number): BrandStats {
    const own = acc.campaigns.map((campaignAcc) => campaignStats.get(campaignAcc)!);
    let issued = 0n;
    const claimed = { claims: 0, points: 0n };
    let vouchersClaimed = 0;
    // Known only if every campaign's printed count is.
    let vouchersPrinted: number | undefined = own.length > 0 ? 0 : undefined;
    let codesClaimed = 0;
    let codesPublished = 0;
    for (const stats of own) {
      issued += stats.issued;
      claimed.claims += stats.claimed.claims;
      claimed.points += stats.claimed.points;
      vouchersClaimed += stats.vouchers.claimed;
      vouchersPrinted =
        vouchersPrinted === undefined || stats.vouchers.issued === undefined
          ? undefined
          : vouchersPrinted + stats.vouchers.issued;
      codesClaimed += stats.batchCodes.claimed;
      codesPublished += stats.batchCodes.issued ?? 0;
    }
    const outstanding = acc.minted - acc.burned;
    const amounts = (map: Map<number, TokenAmount>) =>
      [...map.values()].map((entry) => ({ ...entry })).sort(byAmountDescending);
    return {
      token: acc.token,
      merchant: acc.merchant,
      name: acc.name,
      symbol: acc.symbol,
      faceValue: acc.faceValue,
      minted: acc.minted,
      burned: acc.burned,
      outstanding,
      liability: (outstanding * acc.faceValue) / ONE_POINT,
      campaigns: own.map((stats) => stats.campaign),
      issued,
      claimed,
      vouchers: { claimed: vouchersClaimed, issued: vouchersPrinted, rate: rate(vouchersClaimed, vouchersPrinted) },
      batchCodes: { claimed: codesClaimed, issued: codesPublished, rate: rate(codesClaimed, codesPublished) },
      redeemed: { points: acc.redeemedPoints, redemptions: acc.redemptions, vouchers: acc.vouchersRedeemed },
      redemptionRate: bigRate(acc.redeemedPoints, acc.minted),
      vouchersUsed: acc.vouchersUsed,
      usageRate: rate(acc.vouchersUsed, acc.vouchersRedeemed),
      partnerInflow: amounts(acc.partnerInflow),
      spentAtPartners: amounts(acc.spentAtPartners),
      soldToGateways: { points: acc.soldPoints, sales: acc.sales, payouts: amounts(acc.payouts) },
      traded: acc.traded,
      holders: acc.holders,
      wallets: acc.activity.wallets,
      periods: acc.activity.periods(periodStart),
      retention: acc.activity.retention(periodStart),
      topRewards: [...acc.rewards.values()]
        .sort((a, b) => b.quantity - a.quantity || b.redemptions - a.redemptions || (a.rewardId < b.rewardId ? -1 : 1))
        .slice(0, top)
        .map((entry) => ({ ...entry })),
    };
  }

  return {
    add,
    addAll(events) {
      for (const event of events) add(event);
    },
    result() {
      const asOf = config.asOf ?? to ?? 0;
      const campaignStats = new Map([...campaigns.values()].map((acc) => [acc, campaignResult(acc, asOf)] as const));
      return {
        events,
        from,
        to,
        periodSeconds,
        periodOrigin,
        brands: [...brands.values()].map((acc) => brandResult(acc, campaignStats, config.topRewards ?? 10)),
        campaigns: [...campaignStats.values()],
      };
    },
  };
}
