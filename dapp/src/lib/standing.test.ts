import { describe, expect, it } from "vitest";
import { bonusPercent, tierMultiplierBps, tierName } from "./standing";

const rules = {
  tiers: [
    { threshold: 40n * 10n ** 18n, multiplierBps: 11_000 },
    { threshold: 200n * 10n ** 18n, multiplierBps: 12_500 },
  ],
};

describe("tier words", () => {
  it("names tiers, their multiplier and their bonus", () => {
    expect(tierName(0)).toBe("Member");
    expect(tierName(2)).toBe("Tier 2");
    expect(tierName(2, ["Silver", "Gold"])).toBe("Gold");
    expect(tierMultiplierBps(rules, 0)).toBe(10_000);
    expect(tierMultiplierBps(rules, 2)).toBe(12_500);
    expect(bonusPercent(12_500)).toBe("+25 %");
    expect(bonusPercent(10_750)).toBe("+7.5 %");
  });
});
