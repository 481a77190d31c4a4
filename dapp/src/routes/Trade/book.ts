import { type Address, formatUnits, isAddressEqual, parseUnits } from "viem";
import type { BookOrder, OrderBook } from "@perks/sdk";

/** A token of the pair, as the book needs it. */
export interface PairToken {
  address: Address;
  symbol: string;
  decimals: number;
}

/** An order as the book shows it, in the pair's terms: amounts of base and quote, and a price in quote per base. */
export interface BookRow {
  entry: BookOrder;
  /** "ask": the maker sells base (a taker buys base); "bid": the maker sells quote for base (a taker sells base). */
  side: "ask" | "bid";
  base: bigint;
  quote: bigint;
  /** Quote per whole base, exact to `PRICE_DIGITS` decimals: rounded against the taker (asks up, bids down). */
  price: string;
  /** Base in this row and every better one: how much a taker can move at this price or better. */
  depth: bigint;
  mine: boolean;
}

export interface BookView {
  asks: BookRow[];
  bids: BookRow[];
  expired: BookRow[];
}

export const PRICE_DIGITS = 8;

/**
 * `quote` per `base` (both in base units) as a decimal string of quote per whole base, exact to `digits`
 * decimals, rounded up or down.
 */
export function priceText(quote: bigint, base: bigint, pair: { base: PairToken; quote: PairToken }, round: "up" | "down", digits = PRICE_DIGITS): string {
  if (base === 0n) return "0";
  const numerator = quote * 10n ** BigInt(pair.base.decimals + digits);
  const denominator = base * 10n ** BigInt(pair.quote.decimals);
  const scaled = numerator / denominator + (round === "up" && numerator % denominator !== 0n ? 1n : 0n);
  return formatUnits(scaled, digits);
}

function toRow(entry: BookOrder, pair: { base: PairToken; quote: PairToken }, account: Address | undefined): Omit<BookRow, "depth"> {
  const side = isAddressEqual(entry.order.sellToken, pair.base.address) ? "ask" : "bid";
  const base = side === "ask" ? entry.sellAmount : entry.buyAmount;
  const quote = side === "ask" ? entry.buyAmount : entry.sellAmount;
  return {
    entry,
    side,
    base,
    quote,
    price: priceText(quote, base, pair, side === "ask" ? "up" : "down"),
    mine: account !== undefined && isAddressEqual(entry.order.maker, account),
  };
}

/**
 * The SDK's book (each side already best price first) as rows for people: amounts in base and quote, the price in
 * quote per base, and the cumulative depth down each side. Expired orders keep their own list: nobody can fill
 * them, anyone can return their escrow to the maker.
 */
export function bookRows(book: OrderBook, pair: { base: PairToken; quote: PairToken }, account?: Address): BookView {
  const side = (entries: readonly BookOrder[]) => {
    let depth = 0n;
    return entries.map((entry) => {
      const row = toRow(entry, pair, account);
      depth += row.base;
      return { ...row, depth };
    });
  };
  return {
    asks: side(book.asks),
    bids: side(book.bids),
    expired: book.expired.map((entry) => ({ ...toRow(entry, pair, account), depth: 0n })),
  };
}

/** What taking `take` of an order's sell token costs in its buy token now: rounded up, as the exchange charges. */
export function fillCost(entry: Pick<BookOrder, "sellAmount" | "buyAmount">, take: bigint): bigint {
  if (take <= 0n || entry.sellAmount === 0n) return 0n;
  return (take * entry.buyAmount + entry.sellAmount - 1n) / entry.sellAmount;
}

/**
 * A maker's order from what a person types: `amount` of base at `price` quote per base. Selling base asks for the
 * quote rounded up (the maker never gets less than the price); buying base escrows the quote rounded down (the
 * maker never pays more). Undefined when the price is not a number or the result rounds to nothing.
 */
export function orderAmounts(
  { side, amount, price }: { side: "sell" | "buy"; amount: bigint; price: string },
  pair: { base: PairToken; quote: PairToken },
): { sellToken: Address; buyToken: Address; sellAmount: bigint; buyAmount: bigint } | undefined {
  let scaledPrice: bigint;
  try {
    scaledPrice = parseUnits(price.trim().replace(",", "."), 18);
  } catch {
    return undefined;
  }
  if (scaledPrice <= 0n || amount <= 0n) return undefined;
  const numerator = amount * scaledPrice * 10n ** BigInt(pair.quote.decimals);
  const denominator = 10n ** BigInt(18 + pair.base.decimals);
  const quote =
    side === "sell" ? (numerator + denominator - 1n) / denominator : numerator / denominator;
  if (quote === 0n) return undefined;
  return side === "sell"
    ? { sellToken: pair.base.address, buyToken: pair.quote.address, sellAmount: amount, buyAmount: quote }
    : { sellToken: pair.quote.address, buyToken: pair.base.address, sellAmount: quote, buyAmount: amount };
}
