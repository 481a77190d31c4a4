import { formatUnits } from "viem";
import { withSlippageDown } from "@perks/sdk";

/** Points per whole point: bid prices are stablecoin base units per 10^18 point base units. */
const WHOLE_POINT = 10n ** 18n;

/** What selling `points` into a bid at `price` pays, rounded down as the gateway pays it. */
export function payoutFor(points: bigint, price: bigint): bigint {
  return (points * price) / WHOLE_POINT;
}

/** What a sale shows before signing: the payout at the bid's price now and the least the seller accepts. */
export function saleQuote({ points, price, slippageBps }: { points: bigint; price: bigint; slippageBps: number }) {
  const payout = payoutFor(points, price);
  return { payout, minAmountOut: withSlippageDown(payout, slippageBps) };
}

/** The most points one sale can move: what the wallet holds, within what the bid still buys and can pay for. */
export function maxSellable(balance: bigint, sellablePoints: bigint): bigint {
  return balance < sellablePoints ? balance : sellablePoints;
}

/** A bid's price per whole point in the stablecoin's own units: "0.0125" for 12 500 base units of a 6-decimal coin. */
export function pricePerPoint(price: bigint, stablecoinDecimals: number): string {
  return formatUnits(price, stablecoinDecimals);
}

/**
 * The bid's price against the token's face value (millionths of a US dollar per point), as a whole percentage,
 * taking one stablecoin unit as one dollar; undefined when the merchant states no face value.
 */
export function percentOfFaceValue(price: bigint, stablecoinDecimals: number, faceValue: bigint): number | undefined {
  if (faceValue === 0n) return undefined;
  // price / 10^d dollars against faceValue / 10^6 dollars.
  return Number((price * 10n ** 6n * 100n) / (faceValue * 10n ** BigInt(stablecoinDecimals)));
}

/**
 * The funds that pay for every point a bid promises, however sellers split their sales: rounded up, so the funds
 * cover `maxPoints` in full (each sale rounds its payout down, never up).
 */
export function fundsFor(maxPoints: bigint, price: bigint): bigint {
  return (maxPoints * price + WHOLE_POINT - 1n) / WHOLE_POINT;
}
