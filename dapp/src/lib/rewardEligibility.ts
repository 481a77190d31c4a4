import { type Address, formatUnits } from "viem";
import { type RewardInfo, RewardKind, RewardStatus } from "@perks/sdk";
import { formatDay } from "./time";

/** What a voucher of `kind` is for, in a few words. */
export function kindLabel(kind: number): string {
  switch (kind) {
    case RewardKind.DiscountPercent:
    case RewardKind.DiscountAmount:
      return "Discount";
    case RewardKind.FreeShipping:
      return "Free shipping";
    case RewardKind.Ticket:
      return "Ticket";
    case RewardKind.GiftCoupon:
      return "Gift coupon";
    case RewardKind.AccessCode:
      return "Access code";
    default:
      return "Reward";
  }
}

/** What the voucher promises: "15 % off", "$5.00 off"; undefined when the kind says it all. */
export function valueText(kind: number, value: bigint): string | undefined {
  if (kind === RewardKind.DiscountPercent) {
    return `${(Number(value) / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} % off`;
  }
  if (kind === RewardKind.DiscountAmount) {
    return `${(Number(value) / 100).toLocaleString("en-US", { style: "currency", currency: "USD" })} off`;
  }
  return undefined;
}

/** One way to pay, with what the wallet holds of it. */
export interface PaymentChoice {
  token: Address;
  /** Per voucher. */
  price: bigint;
  balance: bigint;
  /** Whether it is the catalog's own token (burned) rather than a partner's (moved to the merchant). */
  own: boolean;
}

/** What the wallet knows of itself against one reward. */
export interface WalletContext {
  /** Balances of the payment tokens; a missing token counts as zero. */
  balances: ReadonlyMap<Address, bigint>;
  /** Vouchers of this reward the wallet redeemed so far (the per-wallet limit counts these). */
  redeemedByWallet: number;
  /** The wallet's tier in the reward's tier campaign; 0 without one. */
  tier: number;
}

export interface Redeemability {
  /** Why the wallet cannot redeem now; undefined when it can with at least one way to pay. */
  blocked?: string;
  /** Most vouchers one redemption may ask for now (supply left and the wallet's limit). */
  maxQuantity: number;
  choices: PaymentChoice[];
}

/**
 * Whether this wallet can redeem `reward` now at `now` (chain seconds) and how: every way to pay with the balance
 * held, and the first reason that stops it, in the order the contract checks them.
 */
export function redeemability(reward: RewardInfo, wallet: WalletContext, now: number): Redeemability {
  const { params } = reward;
  const choices = reward.paymentOptions.map((option, i) => ({
    token: option.token,
    price: option.price,
    balance: wallet.balances.get(option.token) ?? 0n,
    own: i === 0,
  }));
  const left = params.perWallet === 0 ? reward.remaining : Math.min(reward.remaining, params.perWallet - wallet.redeemedByWallet);
  const maxQuantity = Math.max(0, left);
  const blocked = (() => {
    if (reward.status === RewardStatus.Retired) return "This reward is no longer offered.";
    if (reward.status === RewardStatus.Paused) return "The merchant paused this reward for now.";
    if (BigInt(now) < params.startsAt) return `Opens on ${formatDay(Number(params.startsAt))}.`;
    if (BigInt(now) >= params.endsAt) return "This reward has ended.";
    if (reward.remaining <= 0) return "Sold out.";
    if (params.minTier > 0 && wallet.tier < params.minTier) return `Needs tier ${params.minTier}; you are at tier ${wallet.tier}.`;
    if (maxQuantity === 0) return `You have redeemed your ${params.perWallet} (the most per wallet).`;
    if (!choices.some((choice) => choice.balance >= choice.price)) return "You do not have enough points yet.";
    return undefined;
  })();
  return { blocked, maxQuantity, choices };
}

/** How far the best way to pay is, in thousandths of the price (1000 = affordable): for "almost there" offers. */
export function progressPermille(choices: readonly PaymentChoice[]): number {
  let best = 0;
  for (const { price, balance } of choices) {
    if (price === 0n) continue;
    const permille = balance >= price ? 1000 : Number((balance * 1000n) / price);
    best = Math.max(best, permille);
  }
  return best;
}

/** The wallet's side of one reward, from the batched wallet read; an empty wallet while it loads. */
export function walletContextFor(
  wallet: { balances: ReadonlyMap<Address, bigint>; redeemed: ReadonlyMap<string, number>; tiers: ReadonlyMap<Address, number> } | undefined,
  catalog: Address,
  reward: RewardInfo,
): WalletContext {
  return {
    balances: wallet?.balances ?? new Map(),
    redeemedByWallet: wallet?.redeemed.get(`${catalog}:${reward.id}`) ?? 0,
    tier: wallet?.tiers.get(reward.params.tierCampaign) ?? 0,
  };
}

/** Partner points per whole own point: `partnerAmount` of theirs pays `ownAmount` of the price ("2", "0.5"). */
export function partnerRate(rate: { partnerAmount: bigint; ownAmount: bigint }, partnerDecimals: number, ownDecimals: number): string {
  const digits = 6;
  const scaled = (rate.partnerAmount * 10n ** BigInt(ownDecimals + digits)) / (rate.ownAmount * 10n ** BigInt(partnerDecimals));
  return formatUnits(scaled, digits);
}
