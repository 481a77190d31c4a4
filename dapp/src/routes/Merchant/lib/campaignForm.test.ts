import { describe, expect, it } from "vitest";
import { type CampaignForm, UNCAPPED, emptyCampaignForm, validateCampaignForm } from "./campaignForm";
import { toDateTimeLocal } from "./units";

const NOW = 1_900_000_000;
const ONE = 10n ** 18n;
const TERMINAL = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

function form(overrides: Partial<CampaignForm> = {}): CampaignForm {
  return {
    ...emptyCampaignForm([TERMINAL]),
    tokenName: "Alpha Coffee Beans",
    tokenSymbol: "bean",
    faceValue: "0.01",
    campaignName: "Stamp card",
    endsAt: toDateTimeLocal(NOW + 90 * 86_400),
    ...overrides,
  };
}

describe("validateCampaignForm", () => {
  it("turns a complete form into the factory's parameters", () => {
    const { errors, valid } = validateCampaignForm(
      form({
        tiers: [
          { name: "Silver", threshold: "40", multiplier: "110" },
          { name: "Gold", threshold: "200", multiplier: "125" },
        ],
        milestones: [{ claimNumber: "5", bonus: "10" }],
        maxPerClaim: "500",
        optionalDataFields: "favourite drink",
      }),
      { now: NOW },
    );
    expect(errors).toEqual({});
    expect(valid?.token).toMatchObject({ name: "Alpha Coffee Beans", symbol: "BEAN", faceValue: 10_000n });
    expect(valid?.campaign).toMatchObject({
      startsAt: BigInt(NOW),
      supplyCap: 1_000_000n * ONE,
      maxPerClaim: 500n * ONE,
      earnPoints: ONE,
      earnSpend: 500n,
      channels: 7,
      tierPeriod: 30 * 86_400,
      tiers: [
        { threshold: 40n * ONE, multiplierBps: 11_000 },
        { threshold: 200n * ONE, multiplierBps: 12_500 },
      ],
      milestones: [{ claimNumber: 5, bonus: 10n * ONE }],
      issuers: [TERMINAL],
      optionalDataFields: ["favourite drink"],
    });
    expect(decodeURIComponent(valid!.campaign.metadataURI)).toContain('"tierNames":["Silver","Gold"]');
  });

  it("reads an empty supply cap as no cap", () => {
    const { errors, valid } = validateCampaignForm(form({ supplyCap: " " }), { now: NOW });
    expect(errors).toEqual({});
    expect(valid?.campaign.supplyCap).toBe(UNCAPPED);
  });

  it("names the field of every error", () => {
    const { errors, valid } = validateCampaignForm(
      form({ tokenName: " ", tokenSymbol: "TOO LONG SYMBOL", campaignName: "", endsAt: "", supplyCap: "0" }),
      { now: NOW },
    );
    expect(valid).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(["campaignName", "endsAt", "supplyCap", "tokenName", "tokenSymbol"]);
    expect(errors.supplyCap).toMatch(/above zero/);
  });

  it("refuses a schedule that ends in the past or before it starts", () => {
    expect(validateCampaignForm(form({ endsAt: toDateTimeLocal(NOW - 3600) }), { now: NOW }).errors.endsAt).toMatch(/future/);
    const reversed = form({ startsAt: toDateTimeLocal(NOW + 7200), endsAt: toDateTimeLocal(NOW + 3600) });
    expect(validateCampaignForm(reversed, { now: NOW }).errors.endsAt).toMatch(/after the start/);
  });

  it("needs both parts of the earn rate or neither", () => {
    expect(validateCampaignForm(form({ earnSpend: "" }), { now: NOW }).errors.earnSpend).toMatch(/clear both/);
    const none = validateCampaignForm(form({ earnPoints: "", earnSpend: "" }), { now: NOW });
    expect(none.valid?.campaign).toMatchObject({ earnPoints: 0n, earnSpend: 0n });
    expect(validateCampaignForm(form({ earnSpend: "5.001" }), { now: NOW }).errors.earnSpend).toMatch(/2 decimals/);
  });

  it("keeps tiers rising, multipliers from 100 % and a period with them", () => {
    const { errors } = validateCampaignForm(
      form({
        tierPeriodDays: "0",
        tiers: [
          { name: "Silver", threshold: "40", multiplier: "90" },
          { name: "Gold", threshold: "40", multiplier: "125" },
          { name: "Platinum", threshold: "300", multiplier: "120" },
        ],
      }),
      { now: NOW },
    );
    expect(errors["tiers.0.multiplier"]).toMatch(/100 %/);
    expect(errors["tiers.1.threshold"]).toMatch(/above the previous/);
    expect(errors["tiers.2.multiplier"]).toMatch(/not be below/);
    expect(errors.tierPeriodDays).toMatch(/whole day/);
  });

  it("keeps milestones in order with a bonus", () => {
    const { errors } = validateCampaignForm(
      form({ milestones: [{ claimNumber: "5", bonus: "10" }, { claimNumber: "5", bonus: "0" }] }),
      { now: NOW },
    );
    expect(errors["milestones.1.claimNumber"]).toMatch(/after the previous/);
    expect(errors["milestones.1.bonus"]).toMatch(/above zero/);
  });

  it("takes a tier threshold up to 42,949,672.95 points, what a wallet's record counts in a period", () => {
    const top = validateCampaignForm(form({ tiers: [{ name: "Top", threshold: "42949672.95", multiplier: "110" }] }), { now: NOW });
    expect(top.errors).toEqual({});
    expect(top.valid?.campaign.tiers).toEqual([{ threshold: 4_294_967_295n * 10n ** 16n, multiplierBps: 11_000 }]);
    const { errors, valid } = validateCampaignForm(
      form({
        tiers: [
          { name: "Silver", threshold: "40", multiplier: "110" },
          { name: "Gold", threshold: "42949672.96", multiplier: "125" },
        ],
      }),
      { now: NOW },
    );
    expect(valid).toBeUndefined();
    expect(errors).toEqual({ "tiers.1.threshold": "At most 42,949,672.95 points." });
  });

  it("takes a tier threshold to the hundredth of a point, what tier progress counts, and refuses a finer one", () => {
    const hundredths = validateCampaignForm(form({ tiers: [{ name: "Silver", threshold: "100.05", multiplier: "110" }] }), { now: NOW });
    expect(hundredths.errors).toEqual({});
    expect(hundredths.valid?.campaign.tiers).toEqual([{ threshold: 10_005n * 10n ** 16n, multiplierBps: 11_000 }]);
    const { errors, valid } = validateCampaignForm(
      form({ tiers: [{ name: "Silver", threshold: "100.005", multiplier: "110" }] }),
      { now: NOW },
    );
    expect(valid).toBeUndefined();
    expect(errors).toEqual({ "tiers.0.threshold": "At most two decimals: tier progress counts hundredths of a point." });
  });

  it("takes a milestone visit number up to 65,534, below where the claim count stops", () => {
    const last = validateCampaignForm(form({ milestones: [{ claimNumber: "65534", bonus: "10" }] }), { now: NOW });
    expect(last.errors).toEqual({});
    expect(last.valid?.campaign.milestones).toEqual([{ claimNumber: 65_534, bonus: 10n * ONE }]);
    const { errors } = validateCampaignForm(
      form({ milestones: [{ claimNumber: "5", bonus: "10" }, { claimNumber: "65535", bonus: "10" }] }),
      { now: NOW },
    );
    expect(errors).toEqual({ "milestones.1.claimNumber": "At most 65,534." });
  });

  it("needs an open channel and well-formed issuer addresses", () => {
    const { errors } = validateCampaignForm(
      form({ channels: { direct: false, voucher: false, batch: false }, issuers: `${TERMINAL}\n0x1234` }),
      { now: NOW },
    );
    expect(errors.channels).toBeDefined();
    expect(errors.issuers).toMatch(/0x1234/);
  });

  it("takes an existing token instead of a new one", () => {
    const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const { valid } = validateCampaignForm(form({ tokenMode: "existing", existingToken: token, tokenName: "" }), { now: NOW });
    expect(valid?.token).toBeUndefined();
    expect(valid?.campaign.token).toBe(token);
    expect(validateCampaignForm(form({ tokenMode: "existing" }), { now: NOW }).errors.existingToken).toBeDefined();
  });
});
