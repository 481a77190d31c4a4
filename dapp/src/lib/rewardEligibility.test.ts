import { describe, expect, it } from "vitest";
import { type Address, zeroAddress } from "viem";
import { type RewardInfo, RewardKind, RewardStatus } from "@perks/sdk";
import { kindLabel, progressPermille, redeemability, valueText } from "./rewardEligibility";

const own: Address = "0x4ADB4FF078Aa7c46baBD228a5aaF42F2a13C8f18";
const partner: Address = "0x391f5405c8526F738d89881cE6D53Ec266C526B4";
const campaign: Address = "0xCb11A559C06ef2f7d64CcAc32dF15F7fa03D4c3a";
const NOW = 1_000_000;

function reward(overrides: { params?: Partial<RewardInfo["params"]> } & Partial<Omit<RewardInfo, "params">> = {}): RewardInfo {
  const params = {
    kind: RewardKind.DiscountPercent,
    value: 1_000n,
    price: 100n,
    supply: 10,
    perWallet: 2,
    startsAt: BigInt(NOW - 10),
    endsAt: BigInt(NOW + 1_000),
    tierCampaign: zeroAddress,
    minTier: 0,
    acceptsPartners: true,
    metadataURI: "",
    ...overrides.params,
  };
  return {
    id: 1n,
    redeemed: 3,
    remaining: params.supply - 3,
    status: RewardStatus.Active,
    available: true,
    paymentOptions: [
      { token: own, price: 100n },
      { token: partner, price: 250n },
    ],
    ...overrides,
    params,
  };
}

const wallet = (balances: [Address, bigint][], extra: { redeemedByWallet?: number; tier?: number } = {}) => ({
  balances: new Map(balances),
  redeemedByWallet: extra.redeemedByWallet ?? 0,
  tier: extra.tier ?? 0,
});

describe("redeemability", () => {
  it("offers every way to pay, own points first, with the wallet's balance of each", () => {
    const result = redeemability(reward(), wallet([[partner, 300n]]), NOW);
    expect(result.blocked).toBeUndefined();
    expect(result.choices).toEqual([
      { token: own, price: 100n, balance: 0n, own: true },
      { token: partner, price: 250n, balance: 300n, own: false },
    ]);
    expect(result.maxQuantity).toBe(2);
  });

  it("says why not, in the contract's order", () => {
    const rich = wallet([[own, 1_000n]]);
    expect(redeemability(reward({ status: RewardStatus.Paused }), rich, NOW).blocked).toMatch(/paused/);
    expect(redeemability(reward({ status: RewardStatus.Retired }), rich, NOW).blocked).toMatch(/no longer offered/);
    expect(redeemability(reward({ params: { startsAt: BigInt(NOW + 5) } }), rich, NOW).blocked).toMatch(/^Opens on/);
    expect(redeemability(reward({ params: { endsAt: BigInt(NOW) } }), rich, NOW).blocked).toMatch(/ended/);
    expect(redeemability(reward({ remaining: 0 }), rich, NOW).blocked).toBe("Sold out.");
    expect(redeemability(reward({ params: { tierCampaign: campaign, minTier: 2 } }), { ...rich, tier: 1 }, NOW).blocked).toBe(
      "Needs tier 2; you are at tier 1.",
    );
    expect(redeemability(reward(), { ...rich, redeemedByWallet: 2 }, NOW).blocked).toMatch(/most per wallet/);
    expect(redeemability(reward(), wallet([[own, 99n]]), NOW).blocked).toBe("You do not have enough points yet.");
  });

  it("caps the quantity by the supply left and the wallet's limit", () => {
    expect(redeemability(reward({ params: { perWallet: 0 } }), wallet([]), NOW).maxQuantity).toBe(7);
    expect(redeemability(reward({ params: { perWallet: 5 } }), wallet([], { redeemedByWallet: 4 }), NOW).maxQuantity).toBe(1);
  });
});

describe("words", () => {
  it("describes kinds and values", () => {
    expect(valueText(RewardKind.DiscountPercent, 1_250n)).toBe("12.5 % off");
    expect(valueText(RewardKind.DiscountAmount, 500n)).toBe("$5.00 off");
    expect(valueText(RewardKind.Ticket, 0n)).toBeUndefined();
    expect(kindLabel(RewardKind.AccessCode)).toBe("Access code");
  });

  it("measures progress by the closest way to pay", () => {
    expect(progressPermille([{ token: own, price: 100n, balance: 40n, own: true }, { token: partner, price: 200n, balance: 150n, own: false }])).toBe(750);
    expect(progressPermille([{ token: own, price: 100n, balance: 400n, own: true }])).toBe(1000);
  });
});
