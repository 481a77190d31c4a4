import type { CampaignRules } from "@perks/sdk";

/** "Tier 2", or the campaign's own name for it when its metadata gives one; "Member" without a tier. */
export function tierName(tier: number, names?: readonly string[]): string {
  if (tier === 0) return "Member";
  return names?.[tier - 1] ?? `Tier ${tier}`;
}

/** The earning multiplier of `tier` in basis points (10 000 without a tier). */
export function tierMultiplierBps(rules: Pick<CampaignRules, "tiers">, tier: number): number {
  return tier > 0 ? rules.tiers[tier - 1].multiplierBps : 10_000;
}

/** "+10 %" for 11 000 basis points. */
export function bonusPercent(multiplierBps: number): string {
  const percent = (multiplierBps - 10_000) / 100;
  return `+${percent.toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
}
