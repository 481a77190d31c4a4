import { type CampaignRules, keepsRecords } from "@perks/sdk";

/**
 * What the campaign page offers about the customer records a campaign keeps in its token: nothing ("none": it keeps
 * none, cannot hand them on, or is still running), the button to hand them on ("due": it has ended by its schedule
 * and nobody retired it yet), or that they were handed on ("done": retired, by that button or by ending it early).
 */
export type RecordHandover = "none" | "due" | "done";

export function recordHandover(
  campaign: { rules: Pick<CampaignRules, "tierPeriod" | "milestones">; endsAt: bigint; serial: number; retired: boolean },
  now: number,
): RecordHandover {
  // Serial 0 (activated by hand, not by the factory): its records are in its own storage, there is nothing to free.
  if (!keepsRecords(campaign.rules) || campaign.serial === 0) return "none";
  if (campaign.retired) return "done";
  return BigInt(now) >= campaign.endsAt ? "due" : "none";
}
