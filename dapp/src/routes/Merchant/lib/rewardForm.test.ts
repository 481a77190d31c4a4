import { describe, expect, it } from "vitest";
import { RewardKind } from "@perks/sdk";
import { emptyRewardForm, rewardFormOf, rewardValueText, validateRewardForm } from "./rewardForm";

const NOW = 1_900_000_020; // on a minute: datetime-local inputs keep minutes
const ONE = 10n ** 18n;

describe("validateRewardForm", () => {
  it("builds the catalog's parameters", () => {
    const { errors, params } = validateRewardForm({ ...emptyRewardForm(NOW), name: "10 % off", value: "12.5" }, { now: NOW });
    expect(errors).toEqual({});
    expect(params).toMatchObject({ kind: RewardKind.DiscountPercent, value: 1250n, price: 100n * ONE, supply: 1000, perWallet: 0, startsAt: BigInt(NOW) });
  });

  it("checks the value for the kind", () => {
    const form = { ...emptyRewardForm(NOW), name: "x" };
    expect(validateRewardForm({ ...form, value: "150" }, { now: NOW }).errors.value).toMatch(/100 %/);
    expect(validateRewardForm({ ...form, kind: RewardKind.DiscountAmount, value: "0" }, { now: NOW }).errors.value).toMatch(/above zero/);
    expect(validateRewardForm({ ...form, kind: RewardKind.DiscountAmount, value: "5.00" }, { now: NOW }).params?.value).toBe(500n);
    expect(validateRewardForm({ ...form, kind: RewardKind.Ticket, value: "nonsense" }, { now: NOW }).params?.value).toBe(0n);
  });

  it("names each field's error", () => {
    const { errors } = validateRewardForm(
      { ...emptyRewardForm(NOW), price: "0", supply: "1.5", perWallet: "-1", minTier: "2" },
      { now: NOW },
    );
    expect(Object.keys(errors).sort()).toEqual(["name", "perWallet", "price", "supply", "tierCampaign"]);
  });

  it("round-trips a listed reward into the edit form", () => {
    const { params } = validateRewardForm({ ...emptyRewardForm(NOW), name: "Coffee", description: "Any size" }, { now: NOW });
    const again = validateRewardForm(rewardFormOf(params!), { now: NOW });
    expect(again.params).toEqual(params);
    expect(rewardValueText(RewardKind.DiscountPercent, 1250n)).toBe("12.5 % off");
  });
});
