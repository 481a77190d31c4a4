/**
 * A small model of how a campaign turns a claim into points, written from ICampaign's rules rather than from
 * Campaign.sol: the earn rate, tiers reached with the points earned in the current and the previous period, the
 * tier multiplier, milestone bonuses and the per-wallet period buckets. Pure TypeScript over bigints, so the
 * property tests can hold the contract to it step by step.
 */

export const BPS = 10_000n;
/**
 * The record counts earnings in hundredths of a point (each claim's points rounded down to one), up to 2^32 - 1
 * hundredths a period, and claims up to 65,535 (ICampaign.accountOf).
 */
export const RECORD_UNIT = 10n ** 16n;
export const MAX_EARNED = 0xffffffffn * RECORD_UNIT;
export const MAX_CLAIMS = 0xffffn;

export interface Tier {
  threshold: bigint;
  multiplierBps: bigint;
}

export interface Milestone {
  claimNumber: bigint;
  bonus: bigint;
}

/** The rules that decide what a claim issues (ICampaign.Rules without the token and the channels). */
export interface Rules {
  startsAt: bigint;
  endsAt: bigint;
  supplyCap: bigint;
  maxPerClaim: bigint;
  earnPoints: bigint;
  earnSpend: bigint;
  tierPeriod: bigint;
  tiers: readonly Tier[];
  milestones: readonly Milestone[];
}

/** A wallet's record: points earned in `period` (`current`) and in the period before it, and its claim count. */
export interface Account {
  period: bigint;
  current: bigint;
  previous: bigint;
  claims: bigint;
}

export const NEW_ACCOUNT: Account = { period: 0n, current: 0n, previous: 0n, claims: 0n };

/** The supply cap of a campaign without one (ICampaign.Rules: `type(uint128).max`, the SDK's NO_SUPPLY_CAP). */
export const NO_SUPPLY_CAP = (1n << 128n) - 1n;

/**
 * Whether the campaign counts what it issues in `issued()`: only with a supply cap. Without one `issued()` stays 0,
 * which is what `claim` must then be given as `issued` (the cap check compares each claim alone with 2^128 - 1).
 */
export function countsIssued(rules: Pick<Rules, "supplyCap">): boolean {
  return rules.supplyCap !== NO_SUPPLY_CAP;
}

/** A revert the contract must raise: the custom error's name and arguments. */
export class ModelRevert extends Error {
  constructor(
    readonly error: string,
    readonly args: readonly bigint[] = [],
  ) {
    super(`${error}(${args.join(", ")})`);
  }
}

/** What a claim issues: `amount` after the tier multiplier plus the milestone `bonus`. */
export interface Earning {
  amount: bigint;
  bonus: bigint;
}

/** Points a spend converts to with the earn rate, rounded down; a campaign without an earn rate refuses spend. */
export function pointsForSpend(rules: Rules, spend: bigint): bigint {
  if (spend === 0n) return 0n;
  if (rules.earnSpend === 0n) throw new ModelRevert("CampaignSpendNotAccepted", [spend]);
  return (spend * rules.earnPoints) / rules.earnSpend;
}

/** The tier period `now` falls in, counted from the campaign's start (everything before the start is period 0). */
export function periodAt(rules: Rules, now: bigint): bigint {
  return now <= rules.startsAt ? 0n : (now - rules.startsAt) / rules.tierPeriod;
}

/**
 * The wallet's record seen at `now`: when periods have passed since its last claim, what it earned then moves to
 * `previous` (one period later) or is forgotten (two or more).
 */
export function rolledOver(rules: Rules, account: Account, now: bigint): Account {
  if (rules.tierPeriod === 0n) return { ...account, current: 0n, previous: 0n };
  const period = periodAt(rules, now);
  const elapsed = period - account.period;
  if (elapsed === 0n) return account;
  return { period, current: 0n, previous: elapsed === 1n ? account.current : 0n, claims: account.claims };
}

/** The tier the wallet holds at `now`: how many thresholds its current plus previous period's earnings reach. */
export function tierAt(rules: Rules, account: Account, now: bigint): number {
  const { current, previous } = rolledOver(rules, account, now);
  return rules.tiers.filter((tier) => current + previous >= tier.threshold).length;
}

/** Whether the campaign keeps a per-wallet record at all (it needs one only for tiers or milestones). */
function keepsRecords(rules: Rules): boolean {
  return rules.tierPeriod !== 0n || rules.milestones.length !== 0;
}

/** What a claim worth `base` points would issue to the wallet at `now`, and the wallet's record afterwards. */
function earn(rules: Rules, account: Account, base: bigint, now: bigint): Earning & { account: Account } {
  const tier = rules.tierPeriod === 0n ? 0 : tierAt(rules, account, now);
  const multiplierBps = tier === 0 ? BPS : rules.tiers[tier - 1].multiplierBps;
  const amount = (base * multiplierBps) / BPS;
  if (!keepsRecords(rules)) return { amount, bonus: 0n, account };
  const claims = account.claims < MAX_CLAIMS ? account.claims + 1n : MAX_CLAIMS;
  const bonus = rules.milestones.find((milestone) => milestone.claimNumber === claims)?.bonus ?? 0n;
  const seen = rolledOver(rules, account, now);
  const counted = ((amount + bonus) / RECORD_UNIT) * RECORD_UNIT;
  const total = seen.current + counted;
  const current = rules.tierPeriod === 0n ? 0n : total < MAX_EARNED ? total : MAX_EARNED;
  return { amount, bonus, account: { ...seen, current, claims } };
}

/** ICampaign.quote: what a claim of `points` plus `spend` by the wallet would issue at `now`. */
export function quote(rules: Rules, account: Account, points: bigint, spend: bigint, now: bigint): Earning {
  const { amount, bonus } = earn(rules, account, points + pointsForSpend(rules, spend), now);
  return { amount, bonus };
}

/**
 * A claim worth `base` points (points plus converted spend) at `now`, with `issued` points issued so far (as
 * `issued()` reads: 0 for a campaign without a cap, see `countsIssued`): what it issues and the wallet's record
 * afterwards, or the revert the campaign must raise.
 */
export function claim(
  rules: Rules,
  issued: bigint,
  account: Account,
  base: bigint,
  now: bigint,
): Earning & { account: Account } {
  if (now < rules.startsAt) throw new ModelRevert("CampaignNotStarted", [rules.startsAt]);
  if (now >= rules.endsAt) throw new ModelRevert("CampaignEnded", [rules.endsAt]);
  if (base === 0n) throw new ModelRevert("CampaignZeroAmount");
  if (rules.maxPerClaim !== 0n && base > rules.maxPerClaim) {
    throw new ModelRevert("CampaignAboveMaximumPerClaim", [base, rules.maxPerClaim]);
  }
  const earning = earn(rules, account, base, now);
  const total = earning.amount + earning.bonus;
  if (issued + total > rules.supplyCap) {
    throw new ModelRevert("CampaignSupplyCapExceeded", [issued, total, rules.supplyCap]);
  }
  return earning;
}
