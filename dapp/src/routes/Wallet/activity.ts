import { type Address, type Hash, isAddressEqual, zeroAddress } from "viem";
import type { WalletEvent } from "../../hooks/useWalletEvents";

/** One line of a wallet's history, in the customer's words. */
export type ActivityItem = {
  id: string;
  transactionHash: Hash;
  blockNumber: bigint;
  timestamp?: number;
  /** The token moved. */
  token: Address;
  amount: bigint;
} & (
  | { kind: "earned"; channel: number; bonus: bigint }
  | { kind: "received"; counterparty: Address }
  | { kind: "sent"; counterparty: Address }
  | { kind: "redeemed"; rewardId: bigint; quantity: bigint }
  | { kind: "burned" }
);

/**
 * Turns the wallet's decoded events into its history, newest first: a claim's mint and its `PointsIssued` become
 * one "earned" line (with the channel and any milestone bonus), a redemption's burn or payment one "redeemed" line,
 * and other transfers of Perks tokens "sent" or "received". `campaignToken` maps each campaign to its token;
 * transfers of tokens outside `isPerksToken` are left out (they are not loyalty points).
 */
export function toActivity(
  events: readonly WalletEvent[],
  account: Address,
  { campaignToken, isPerksToken }: { campaignToken: ReadonlyMap<Address, Address>; isPerksToken: (token: Address) => boolean },
): ActivityItem[] {
  const byTransaction = new Map<Hash, WalletEvent[]>();
  for (const event of events) byTransaction.set(event.transactionHash, [...(byTransaction.get(event.transactionHash) ?? []), event]);

  const items: ActivityItem[] = [];
  for (const event of events) {
    const siblings = byTransaction.get(event.transactionHash) ?? [];
    const common = { id: event.id, transactionHash: event.transactionHash, blockNumber: event.blockNumber, timestamp: event.timestamp };
    const args = event.args;
    switch (event.eventName) {
      case "PointsIssued": {
        const token = campaignToken.get(event.address);
        if (!token || !isAddressEqual(args.recipient as Address, account)) break;
        items.push({
          ...common,
          kind: "earned",
          token,
          amount: (args.amount as bigint) + (args.bonus as bigint),
          bonus: args.bonus as bigint,
          channel: Number(args.channel),
        });
        break;
      }
      case "RewardRedeemed": {
        if (!isAddressEqual(args.account as Address, account)) break;
        const payment = siblings.find(
          (sibling) => sibling.eventName === "Transfer" && isAddressEqual(sibling.args.from as Address, account),
        );
        if (!payment) break;
        items.push({
          ...common,
          kind: "redeemed",
          token: payment.address,
          amount: transferAmount(payment.args),
          rewardId: args.rewardId as bigint,
          quantity: args.quantity as bigint,
        });
        break;
      }
      case "Transfer": {
        if (!isPerksToken(event.address)) break;
        const from = args.from as Address;
        const to = args.to as Address;
        const amount = transferAmount(args);
        const minted = isAddressEqual(from, zeroAddress);
        const told = siblings.some(
          (sibling) =>
            (minted && sibling.eventName === "PointsIssued" && campaignToken.get(sibling.address) === event.address) ||
            (sibling.eventName === "RewardRedeemed" && isAddressEqual(from, account)),
        );
        if (told || isAddressEqual(from, to)) break;
        if (isAddressEqual(to, account)) {
          items.push({ ...common, kind: "received", token: event.address, amount, counterparty: from });
        } else if (isAddressEqual(from, account)) {
          items.push(
            isAddressEqual(to, zeroAddress)
              ? { ...common, kind: "burned", token: event.address, amount }
              : { ...common, kind: "sent", token: event.address, amount, counterparty: to },
          );
        }
        break;
      }
    }
  }
  return items;
}

/** A `Transfer`'s amount: Perks tokens name it `amount`, the ERC-20 standard `value`. */
export function transferAmount(args: Record<string, unknown>): bigint {
  return (args.amount ?? args.value ?? 0n) as bigint;
}
