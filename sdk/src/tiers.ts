import { type CampaignRules, keepsRecords } from "./actions/campaign";

// Campaign.sol's tier and milestone arithmetic, replayed off-chain from `PointsIssued` events so statistics and
// offers agree with `tierOf` without a call per wallet. Keep in step with `_earn`, `_earnedNow`, `_period` and
// `_tier` in contracts/campaigns/Campaign.sol, and with the limits in contracts/libraries/CampaignRules.sol.
//
// The contract keeps a wallet's record in 112 bits: it counts earnings in hundredths of a point (each claim's
// points rounded down to a hundredth), a period's count stops at MAX_EARNED_PER_PERIOD, and the claim count at
// MAX_CLAIMS. Amounts here stay in base units (18 decimals), always whole hundredths.

/** Base units of the hundredth of a point a wallet's tier record counts in (`CampaignRules.RECORD_UNIT`). */
export const RECORD_UNIT = 10n ** 16n;
/** Where a period's count stops: 2^32 - 1 hundredths, 42,949,672.95 points, in base units
 * (`CampaignRules.MAX_EARNED` × `RECORD_UNIT`). Claims past it still issue their points; the count stays. */
export const MAX_EARNED_PER_PERIOD = 0xffffffffn * RECORD_UNIT;
/** The highest tier threshold the factory accepts (`CampaignRules.MAX_THRESHOLD`), in base units: a period's
 * count reaches it. */
export const MAX_TIER_THRESHOLD = MAX_EARNED_PER_PERIOD;
/** Where a wallet's claim count stops (`CampaignRules.MAX_CLAIMS`, 16 bits). */
export const MAX_CLAIMS = 0xffff;
/** The highest milestone claim number the factory accepts (`CampaignRules.MAX_CLAIM_NUMBER`): below where the
 * count stops, which every later claim would repeat. */
export const MAX_CLAIM_NUMBER = MAX_CLAIMS - 1;
/** Tier periods are numbered in 32 bits: the index wraps after 2^32 periods. */
const PERIOD_MODULUS = 2 ** 32;

/** `points` as the record counts them: rounded down to a hundredth of a point. */
export function recordedPoints(points: bigint): bigint {
  return points - (points % RECORD_UNIT);
}

/** The least points a claim must issue for the record to count at least `points`: rounded up to a hundredth. */
function recordedAtLeast(points: bigint): bigint {
  return recordedPoints(points + RECORD_UNIT - 1n);
}

/** The rules the tier arithmetic needs (a decoded `CampaignCreated` gives all of them). */
export type TierRules = Pick<CampaignRules, "startsAt" | "tierPeriod" | "tiers" | "milestones">;

/** A wallet's record in one campaign, as the contract keeps it: points earned (counted in hundredths, in base
 * units) in the last period it earned in and the period before that, and how many claims it made (up to
 * MAX_CLAIMS). */
export interface TierAccount {
  period: number;
  current: bigint;
  previous: bigint;
  claims: number;
}

export function newTierAccount(): TierAccount {
  return { period: 0, current: 0n, previous: 0n, claims: 0 };
}

/** Tier periods since the start, not wrapped. */
function periodsSinceStart(rules: Pick<TierRules, "startsAt" | "tierPeriod">, timestamp: number): number {
  const startsAt = Number(rules.startsAt);
  if (rules.tierPeriod === 0 || timestamp <= startsAt) return 0;
  return Math.floor((timestamp - startsAt) / rules.tierPeriod);
}

/** The tier period `timestamp` (unix seconds) falls in, as the contract numbers it: everything up to the
 * campaign's start is period 0, and the number wraps at 2^32 like the record's. */
export function tierPeriodAt(rules: Pick<TierRules, "startsAt" | "tierPeriod">, timestamp: number): number {
  return periodsSinceStart(rules, timestamp) % PERIOD_MODULUS;
}

/** Points earned in the current and the previous period, seen from `timestamp`. */
export function earnedAt(
  rules: Pick<TierRules, "startsAt" | "tierPeriod">,
  account: TierAccount,
  timestamp: number,
): { current: bigint; previous: bigint } {
  const period = tierPeriodAt(rules, timestamp);
  if (account.period === period) return { current: account.current, previous: account.previous };
  if (account.period + 1 === period) return { current: 0n, previous: account.current };
  return { current: 0n, previous: 0n };
}

/** The tier `qualifying` points reach: 0 for none, `i + 1` for `rules.tiers[i]` (thresholds ascend). */
export function tierForPoints(rules: Pick<TierRules, "tiers">, qualifying: bigint): number {
  let tier = 0;
  for (let i = 0; i < rules.tiers.length; i++) {
    if (qualifying < rules.tiers[i].threshold) break;
    tier = i + 1;
  }
  return tier;
}

/** The wallet's tier at `timestamp`, as `Campaign.tierOf` answers it then. */
export function tierAt(rules: TierRules, account: TierAccount, timestamp: number): number {
  if (rules.tierPeriod === 0 || rules.tiers.length === 0) return 0;
  const { current, previous } = earnedAt(rules, account, timestamp);
  return tierForPoints(rules, current + previous);
}

/**
 * Records a claim that issued `issued` points (a `PointsIssued` event's `amount + bonus`) at `timestamp`, as the
 * contract updates the wallet's record: the claim count up to MAX_CLAIMS, and, with tiers, the points rounded
 * down to a hundredth added to the period's count up to MAX_EARNED_PER_PERIOD. A campaign without tiers or
 * milestones keeps no record. Mutates and returns `account`: aggregators keep one record per wallet.
 */
export function recordClaim(rules: TierRules, account: TierAccount, timestamp: number, issued: bigint): TierAccount {
  if (!keepsRecords(rules)) return account;
  if (account.claims < MAX_CLAIMS) account.claims++;
  if (rules.tierPeriod === 0) return account;
  const period = tierPeriodAt(rules, timestamp);
  if (account.period !== period) {
    account.previous = account.period + 1 === period ? account.current : 0n;
    account.current = 0n;
    account.period = period;
  }
  const current = account.current + recordedPoints(issued);
  account.current = current < MAX_EARNED_PER_PERIOD ? current : MAX_EARNED_PER_PERIOD;
  return account;
}

/** Where the wallet stands against the tiers at `timestamp`. */
export interface TierProgress {
  /** 0 for none, `i + 1` for `rules.tiers[i]`. */
  tier: number;
  /** Points earned in the current plus the previous period: what the thresholds are compared with. */
  qualifying: bigint;
  /** The next tier up, and the points still missing for it (rounded up to a hundredth of a point, as the record
   * counts: a claim issuing `missing` reaches it); undefined at the top (or without tiers). */
  next?: { tier: number; threshold: bigint; missing: bigint; multiplierBps: number };
  /**
   * Points to earn before the current period ends to keep the tier into the next period (whose qualifying
   * points are this period's alone), rounded up to a hundredth like `next.missing`; 0 when already safe,
   * undefined without a tier.
   */
  toKeep?: bigint;
  /** When the current tier period ends (unix seconds); undefined without tiers. */
  periodEndsAt?: number;
}

export function tierProgress(rules: TierRules, account: TierAccount, timestamp: number): TierProgress {
  if (rules.tierPeriod === 0 || rules.tiers.length === 0) return { tier: 0, qualifying: 0n };
  const { current, previous } = earnedAt(rules, account, timestamp);
  const qualifying = current + previous;
  const tier = tierForPoints(rules, qualifying);
  const periodEndsAt = Number(rules.startsAt) + (periodsSinceStart(rules, timestamp) + 1) * rules.tierPeriod;
  const progress: TierProgress = { tier, qualifying, periodEndsAt };
  if (tier < rules.tiers.length) {
    const { threshold, multiplierBps } = rules.tiers[tier];
    progress.next = { tier: tier + 1, threshold, missing: recordedAtLeast(threshold - qualifying), multiplierBps };
  }
  if (tier > 0) {
    const threshold = rules.tiers[tier - 1].threshold;
    progress.toKeep = current >= threshold ? 0n : recordedAtLeast(threshold - current);
  }
  return progress;
}

/** The next stamp-card bonus after `claims` claims: which claim earns it, how many claims away it is, how much. */
export function nextMilestone(
  rules: Pick<TierRules, "milestones">,
  claims: number,
): { claimNumber: number; claimsToGo: number; bonus: bigint } | undefined {
  let next: { claimNumber: number; bonus: bigint } | undefined;
  for (const milestone of rules.milestones) {
    // `<=`: of two milestones on the same claim, the contract pays the later one.
    if (milestone.claimNumber > claims && (next === undefined || milestone.claimNumber <= next.claimNumber)) {
      next = milestone;
    }
  }
  return next && { claimNumber: next.claimNumber, claimsToGo: next.claimNumber - claims, bonus: next.bonus };
}
