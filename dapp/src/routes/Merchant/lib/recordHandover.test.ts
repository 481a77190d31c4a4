import { describe, expect, it } from "vitest";
import { recordHandover } from "./recordHandover";

const ENDS_AT = 1_800_000_000n;
const NOW_ENDED = Number(ENDS_AT);
const NOW_RUNNING = Number(ENDS_AT) - 1;
const TIERS = { tierPeriod: 2_592_000, milestones: [] };
const STAMP_CARD = { tierPeriod: 0, milestones: [{ claimNumber: 5, bonus: 10n }] };
const PLAIN = { tierPeriod: 0, milestones: [] };

const campaign = (rules: typeof TIERS | typeof STAMP_CARD | typeof PLAIN, overrides: { serial?: number; retired?: boolean } = {}) => ({
  rules,
  endsAt: ENDS_AT,
  serial: 3,
  retired: false,
  ...overrides,
});

describe("recordHandover", () => {
  it("offers the hand-on once a campaign with tiers or a stamp card has ended, from its end on", () => {
    expect(recordHandover(campaign(TIERS), NOW_ENDED)).toBe("due");
    expect(recordHandover(campaign(STAMP_CARD), NOW_ENDED + 86_400)).toBe("due");
    expect(recordHandover(campaign(TIERS), NOW_RUNNING)).toBe("none");
  });

  it("says it is done once retired (by the button, or by ending the campaign early)", () => {
    expect(recordHandover(campaign(TIERS, { retired: true }), NOW_ENDED)).toBe("done");
    expect(recordHandover(campaign(STAMP_CARD, { retired: true }), NOW_ENDED)).toBe("done");
  });

  it("shows nothing for a campaign that keeps no records, or that the factory did not number", () => {
    expect(recordHandover(campaign(PLAIN), NOW_ENDED)).toBe("none");
    expect(recordHandover(campaign(PLAIN, { retired: true }), NOW_ENDED)).toBe("none");
    expect(recordHandover(campaign(TIERS, { serial: 0 }), NOW_ENDED)).toBe("none");
  });
});
