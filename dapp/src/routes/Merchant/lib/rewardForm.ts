import { type Address, getAddress, isAddress, zeroAddress } from "viem";
import { RewardKind, type RewardParams } from "@perks/sdk";
import { fromDateTimeLocal, metadataURI, parseDecimal, parseMoney, parsePoints, readMetadata, toDateTimeLocal } from "./units";
import type { FormErrors } from "./campaignForm";
import { formatUnits } from "viem";

// The reward form as typed, checked as the catalog checks it (value per kind, price and supply above zero, an end
// after the start and now, a tier requirement with both parts), and the `RewardParams` it becomes.

export const KIND_LABEL: Record<RewardKind, string> = {
  [RewardKind.DiscountPercent]: "Discount (percent)",
  [RewardKind.DiscountAmount]: "Discount (amount)",
  [RewardKind.FreeShipping]: "Free shipping",
  [RewardKind.Ticket]: "Ticket",
  [RewardKind.GiftCoupon]: "Gift coupon (code delivered privately)",
  [RewardKind.AccessCode]: "Access code (delivered privately)",
  [RewardKind.Other]: "Other",
};

export interface RewardForm {
  kind: RewardKind;
  /** Percent off ("10") for percent discounts, currency ("5.00") for amount discounts; unused otherwise. */
  value: string;
  name: string;
  description: string;
  price: string;
  supply: string;
  /** Empty for no limit. */
  perWallet: string;
  startsAt: string;
  endsAt: string;
  /** A campaign whose tier the reward requires, or empty. */
  tierCampaign: string;
  minTier: string;
  acceptsPartners: boolean;
}

const UINT32_MAX = 2 ** 32 - 1;
const UINT96_MAX = (1n << 96n) - 1n;
const UINT128_MAX = (1n << 128n) - 1n;

export function emptyRewardForm(now: number): RewardForm {
  return {
    kind: RewardKind.DiscountPercent,
    value: "10",
    name: "",
    description: "",
    price: "100",
    supply: "1000",
    perWallet: "",
    startsAt: "",
    endsAt: toDateTimeLocal(now + 90 * 86_400),
    tierCampaign: "",
    minTier: "",
    acceptsPartners: false,
  };
}

/** The form of a listed reward, to edit it. */
export function rewardFormOf(params: RewardParams): RewardForm {
  const metadata = readMetadata(params.metadataURI);
  return {
    kind: params.kind as RewardKind,
    value:
      params.kind === RewardKind.DiscountPercent
        ? String(Number(params.value) / 100)
        : params.kind === RewardKind.DiscountAmount
          ? formatUnits(params.value, 2)
          : String(params.value),
    name: metadata.name ?? "",
    description: metadata.description ?? "",
    price: formatUnits(params.price, 18),
    supply: String(params.supply),
    perWallet: params.perWallet === 0 ? "" : String(params.perWallet),
    startsAt: toDateTimeLocal(Number(params.startsAt)),
    endsAt: toDateTimeLocal(Number(params.endsAt)),
    tierCampaign: params.tierCampaign === zeroAddress ? "" : params.tierCampaign,
    minTier: params.minTier === 0 ? "" : String(params.minTier),
    acceptsPartners: params.acceptsPartners,
  };
}

function whole(text: string, max: number): number | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

/** What a reward's value says to a customer: "10 % off", "5.00 off", or nothing for kinds without a value. */
export function rewardValueText(kind: number, value: bigint): string {
  if (kind === RewardKind.DiscountPercent) return `${Number(value) / 100} % off`;
  if (kind === RewardKind.DiscountAmount) return `${formatUnits(value, 2)} off`;
  return "";
}

export function validateRewardForm(form: RewardForm, { now }: { now: number }): { errors: FormErrors; params?: RewardParams } {
  const errors: FormErrors = {};
  let value = 0n;
  if (form.kind === RewardKind.DiscountPercent) {
    const parsed = parseDecimal(form.value, 2);
    if (parsed.error !== undefined) errors.value = parsed.error;
    else if (parsed.value === 0n || parsed.value > 10_000n) errors.value = "Between 0.01 and 100 %.";
    else value = parsed.value;
  } else if (form.kind === RewardKind.DiscountAmount) {
    const parsed = parseMoney(form.value);
    if (parsed.error !== undefined) errors.value = parsed.error;
    else if (parsed.value === 0n) errors.value = "The discount must be above zero.";
    else if (parsed.value > UINT96_MAX) errors.value = "Too large.";
    else value = parsed.value;
  }

  const name = form.name.trim();
  if (!name) errors.name = "Name the reward, e.g. “Free coffee”.";

  const price = parsePoints(form.price);
  if (price.error !== undefined) errors.price = price.error;
  else if (price.value === 0n) errors.price = "The price must be above zero.";
  else if (price.value > UINT128_MAX) errors.price = "Too large.";

  const supply = whole(form.supply, UINT32_MAX);
  if (supply === undefined || supply === 0) errors.supply = "A whole number of vouchers from 1.";
  const perWallet = form.perWallet.trim() === "" ? 0 : whole(form.perWallet, UINT32_MAX);
  if (perWallet === undefined) errors.perWallet = "A whole number, or empty for no limit.";

  const startsAt = form.startsAt === "" ? now : fromDateTimeLocal(form.startsAt);
  const endsAt = fromDateTimeLocal(form.endsAt);
  if (startsAt === undefined) errors.startsAt = "Enter a valid date.";
  if (endsAt === undefined) errors.endsAt = "Choose when the reward closes.";
  else if (endsAt <= now) errors.endsAt = "The end must be in the future.";
  else if (startsAt !== undefined && endsAt <= startsAt) errors.endsAt = "The end must come after the start.";

  let tierCampaign: Address = zeroAddress;
  let minTier = 0;
  if (form.tierCampaign !== "" || form.minTier.trim() !== "") {
    if (!isAddress(form.tierCampaign)) errors.tierCampaign = "Choose the campaign whose tier counts.";
    else tierCampaign = getAddress(form.tierCampaign);
    const tier = whole(form.minTier, 255);
    if (tier === undefined || tier === 0) errors.minTier = "A tier from 1 (the first tier) to 255.";
    else minTier = tier;
  }

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    params: {
      kind: form.kind,
      value,
      price: price.value!,
      supply: supply!,
      perWallet: perWallet!,
      startsAt: BigInt(startsAt!),
      endsAt: BigInt(endsAt!),
      tierCampaign,
      minTier,
      acceptsPartners: form.acceptsPartners,
      metadataURI: metadataURI({ name, description: form.description.trim() }),
    },
  };
}
