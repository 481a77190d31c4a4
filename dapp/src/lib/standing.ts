import type { CampaignRules } from "@perks/sdk";

/** Where a wallet stands against a campaign's tiers, from what `tierOf` and `accountOf` answer now. */
export interface TierStanding {
  /** 0 for none, `i + 1` for `rules.tiers[i]`. */
  tier: number;
  /** Earning multiplier of the current tier in basis points (10 000 without a tier). */
  multiplierBps: number;
  /** Points earned in the current and the previous period: what the thresholds are compared with. */
  qualifying: bigint;
  /** The next tier up and the points still missing for it; undefined at the top or without tiers. */
  next?: { tier: number; threshold: bigint; missing: bigint; multiplierBps: number };
  /** Points to earn before the period ends to keep the current tier next period; 0 when safe. */
  toKeep?: bigint;
  /** When the current tier period ends, unix seconds. */
  periodEndsAt?: number;
}

type Rules = Pick<CampaignRules, "startsAt" | "tierPeriod" | "tiers" | "milestones">;

export function tierStanding(
  rules: Rules,
  { tier, current, previous }: { tier: number; current: bigint; previous: bigint },
  now: number,
): TierStanding {
  const qualifying = current + previous;
  const multiplierBps = tier > 0 ? rules.tiers[tier - 1].multiplierBps : 10_000;
  if (rules.tierPeriod === 0 || rules.tiers.length === 0) return { tier: 0, multiplierBps, qualifying };
  const startsAt = Number(rules.startsAt);
  const period = now <= startsAt ? 0 : Math.floor((now - startsAt) / rules.tierPeriod);
  const standing: TierStanding = { tier, multiplierBps, qualifying, periodEndsAt: startsAt + (period + 1) * rules.tierPeriod };
  if (tier < rules.tiers.length) {
    const { threshold, multiplierBps: nextBps } = rules.tiers[tier];
    standing.next = { tier: tier + 1, threshold, missing: threshold > qualifying ? threshold - qualifying : 0n, multiplierBps: nextBps };
  }
  // Next period counts this period's points as its previous ones, and nothing yet as current.
  if (tier > 0) {
    const threshold = rules.tiers[tier - 1].threshold;
    standing.toKeep = current >= threshold ? 0n : threshold - current;
  }
  return standing;
}

/** The next stamp-card bonus after `claims` claims: which claim earns it, how many claims away, how much. */
export function nextMilestone(
  rules: Pick<Rules, "milestones">,
  claims: number,
): { claimNumber: number; claimsToGo: number; bonus: bigint } | undefined {
  let next: { claimNumber: number; bonus: bigint } | undefined;
  for (const milestone of rules.milestones) {
    // `<=`: of two milestones on the same claim, the contract pays the later one.
    if (milestone.claimNumber > claims && (next === undefined || milestone.claimNumber <= next.claimNumber)) next = milestone;
  }
  return next && { claimNumber: next.claimNumber, claimsToGo: next.claimNumber - claims, bonus: next.bonus };
}

/** "Tier 2", or the campaign's own name for it when its metadata gives one. */
export function tierName(tier: number, names?: readonly string[]): string {
  if (tier === 0) return "Member";
  return names?.[tier - 1] ?? `Tier ${tier}`;
}

/** "+10 %" for 11 000 basis points. */
export function bonusPercent(multiplierBps: number): string {
  const percent = (multiplierBps - 10_000) / 100;
  return `+${percent.toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
}
