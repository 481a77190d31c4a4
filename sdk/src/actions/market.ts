import {
  type Address,
  type Chain,
  type Client,
  type Transport,
  encodeAbiParameters,
  getAbiItem,
  hexToBigInt,
  isAddressEqual,
  keccak256,
} from "viem";
import { getBlockNumber, getContractEvents, getLogs, readContract } from "viem/actions";
import { pointsExchangeAbi } from "../generated/abis";
import { type Approval, chainTime, ensureAllowance, withSlippageUp } from "./allowance";
import { type BlockRange, byChainOrder, readInChunks } from "./logs";
import { type WriteClients, resolveAddress, simulateAndWrite } from "./write";

// The PointsExchange (`IPointsExchange`): an escrowed order book between Perks tokens and allow-listed
// stablecoins. Every action takes an optional `exchange`; without it, the one deployed on the client's chain.

type ReadClient = Client<Transport, Chain | undefined>;

/** An order's terms, as `OrderCreated` published them; `fillOrder`, `cancelOrder` and `returnExpiredOrder` take
 * them back. */
export interface Order {
  maker: Address;
  sellToken: Address;
  buyToken: Address;
  nonce: bigint;
}

interface OnExchange {
  exchange?: Address;
}

const exchangeOf = (client: ReadClient, exchange: Address | undefined) =>
  resolveAddress(client, exchange, "PointsExchange");

/** An order's id: `keccak256(abi.encode(order))`, computed here without a call. */
export function orderIdOf(order: Order): bigint {
  return hexToBigInt(
    keccak256(
      encodeAbiParameters(
        [{ type: "address" }, { type: "address" }, { type: "address" }, { type: "uint64" }],
        [order.maker, order.sellToken, order.buyToken, order.nonce],
      ),
    ),
  );
}

// ------------------------------------------------------------------------------------------------ reads

/** What remains of an order now. */
export interface OrderState {
  orderId: bigint;
  /** Sell token still escrowed, which takers can take. */
  sellAmount: bigint;
  /** What the maker still asks for all of `sellAmount`. */
  buyAmount: bigint;
  /** The first second at which the order can no longer be filled. */
  expiresAt: bigint;
  /** False once filled, cancelled or returned (or if no order has these terms). */
  open: boolean;
}

export async function getOrder(
  client: ReadClient,
  { order, exchange }: { order: Order } & OnExchange,
): Promise<OrderState> {
  const orderId = orderIdOf(order);
  const [sellAmount, buyAmount, expiresAt] = await readContract(client, {
    address: await exchangeOf(client, exchange),
    abi: pointsExchangeAbi,
    functionName: "remaining",
    args: [orderId],
  });
  return { orderId, sellAmount, buyAmount, expiresAt: BigInt(expiresAt), open: sellAmount > 0n };
}

/** What taking `sellAmount` of the order would cost now, in its buy token; reverts as the fill would. A later fill
 * of the same amount never costs more. */
export async function quoteFill(
  client: ReadClient,
  { order, sellAmount, exchange }: { order: Order; sellAmount: bigint } & OnExchange,
): Promise<bigint> {
  return readContract(client, {
    address: await exchangeOf(client, exchange),
    abi: pointsExchangeAbi,
    functionName: "quote",
    args: [order, sellAmount],
  });
}

/** An order with escrow left, as rebuilt from the exchange's events. */
export interface BookOrder {
  orderId: bigint;
  order: Order;
  /** Sell token left in escrow. */
  sellAmount: bigint;
  /** What the maker still asks for all of `sellAmount`. */
  buyAmount: bigint;
  /** The amounts the order was created with. */
  createdSellAmount: bigint;
  createdBuyAmount: bigint;
  expiresAt: bigint;
  createdAtBlock: bigint;
}

/** The open orders between two tokens, each side cheapest for a taker first (then oldest first). */
export interface OrderBook {
  /** Orders selling `base` for `quote`. */
  asks: BookOrder[];
  /** Orders selling `quote` for `base`. */
  bids: BookOrder[];
  /** Orders of either side past their expiry with escrow still in them: anyone may return it to the maker. */
  expired: BookOrder[];
}

/** Whether `a` asks less of its buy token per unit sold than `b`: remaining buy / remaining sell, compared exactly. */
function cheaperFirst(a: BookOrder, b: BookOrder): number {
  const left = a.buyAmount * b.sellAmount;
  const right = b.buyAmount * a.sellAmount;
  if (left !== right) return left < right ? -1 : 1;
  return a.order.nonce < b.order.nonce ? -1 : a.order.nonce > b.order.nonce ? 1 : 0;
}

const closingEvents = [
  getAbiItem({ abi: pointsExchangeAbi, name: "OrderFilled" }),
  getAbiItem({ abi: pointsExchangeAbi, name: "OrderCancelled" }),
  getAbiItem({ abi: pointsExchangeAbi, name: "OrderExpired" }),
] as const;

/**
 * Rebuilds the open book between `base` and `quote` from the exchange's events alone: `OrderCreated` gives each
 * order's terms, amounts and expiry; `OrderFilled` what is left; `OrderCancelled`, `OrderExpired` and a fill that
 * leaves nothing close it.
 */
export async function getOrderBook(
  client: ReadClient,
  { base, quote, exchange, ...range }: { base: Address; quote: Address } & OnExchange & BlockRange,
): Promise<OrderBook> {
  const address = await exchangeOf(client, exchange);
  // Both reads see the same blocks, so no fill is missed between them.
  const chunks = { ...range, toBlock: range.toBlock ?? (await getBlockNumber(client, { cacheTime: 0 })) };
  const [created, closing, now] = await Promise.all([
    readInChunks(client, chunks, (fromBlock, to) =>
      getContractEvents(client, {
        address,
        abi: pointsExchangeAbi,
        eventName: "OrderCreated",
        args: { sellToken: [base, quote] },
        fromBlock,
        toBlock: to,
        strict: true,
      }),
    ),
    readInChunks(client, chunks, (fromBlock, to) =>
      getLogs(client, { address, events: closingEvents, fromBlock, toBlock: to, strict: true }),
    ),
    chainTime(client),
  ]);

  const book = new Map<bigint, BookOrder>();
  for (const { args, blockNumber } of created) {
    const other = isAddressEqual(args.sellToken, base) ? quote : base;
    if (!isAddressEqual(args.buyToken, other)) continue;
    const order = { maker: args.maker, sellToken: args.sellToken, buyToken: args.buyToken, nonce: args.nonce };
    book.set(args.orderId, {
      orderId: args.orderId,
      order,
      sellAmount: args.sellAmount,
      buyAmount: args.buyAmount,
      createdSellAmount: args.sellAmount,
      createdBuyAmount: args.buyAmount,
      expiresAt: args.expiresAt,
      createdAtBlock: blockNumber,
    });
  }
  for (const log of closing.sort(byChainOrder)) {
    const entry = book.get(log.args.orderId);
    if (entry === undefined) continue;
    if (log.eventName === "OrderFilled" && log.args.sellAmountRemaining > 0n) {
      entry.sellAmount = log.args.sellAmountRemaining;
      entry.buyAmount -= log.args.buyAmount;
    } else {
      book.delete(log.args.orderId);
    }
  }

  const result: OrderBook = { asks: [], bids: [], expired: [] };
  for (const entry of book.values()) {
    if (entry.expiresAt <= now) result.expired.push(entry);
    else (isAddressEqual(entry.order.sellToken, base) ? result.asks : result.bids).push(entry);
  }
  result.asks.sort(cheaperFirst);
  result.bids.sort(cheaperFirst);
  result.expired.sort(cheaperFirst);
  return result;
}

// ------------------------------------------------------------------------------------------------ writes

/**
 * Escrows `sellAmount` of `sellToken` in a new order asking `buyAmount` of `buyToken` for all of it, fillable
 * until `expiresAt`. The exchange's right to take the escrow comes from `approval` ("approve" by default; the
 * exchange takes no permit in the same call, so "permit" submits the wallet's signed permit first). `result` is
 * `[orderId, order]`; keep `order`, which fill and cancel take.
 */
export async function createOrder(
  clients: WriteClients,
  {
    sellToken,
    buyToken,
    sellAmount,
    buyAmount,
    expiresAt,
    approval = "approve",
    exchange,
  }: {
    sellToken: Address;
    buyToken: Address;
    sellAmount: bigint;
    buyAmount: bigint;
    expiresAt: bigint;
    approval?: Approval;
  } & OnExchange,
) {
  const address = await exchangeOf(clients.publicClient, exchange);
  await ensureAllowance(clients, { token: sellToken, spender: address, amount: sellAmount, approval });
  return simulateAndWrite(clients, {
    address,
    abi: pointsExchangeAbi,
    functionName: "createOrder",
    args: [sellToken, buyToken, sellAmount, buyAmount, Number(expiresAt)],
    eventName: "OrderCreated",
  });
}

/**
 * Takes exactly `sellAmount` of the order's sell token and pays its maker in the buy token. The most it pays is
 * `maxBuyAmount`, or by default the quote now plus `slippageBps` (0 by default: the exchange's price never rises,
 * so the quote is already an upper bound). `result` is what was paid; the event is `OrderFilled`.
 */
export async function fillOrder(
  clients: WriteClients,
  {
    order,
    sellAmount,
    maxBuyAmount,
    slippageBps = 0,
    approval = "approve",
    exchange,
  }: {
    order: Order;
    sellAmount: bigint;
    maxBuyAmount?: bigint;
    slippageBps?: number;
    approval?: Approval;
  } & OnExchange,
) {
  const address = await exchangeOf(clients.publicClient, exchange);
  const most =
    maxBuyAmount ??
    withSlippageUp(await quoteFill(clients.publicClient, { order, sellAmount, exchange: address }), slippageBps);
  await ensureAllowance(clients, { token: order.buyToken, spender: address, amount: most, approval });
  return simulateAndWrite(clients, {
    address,
    abi: pointsExchangeAbi,
    functionName: "fill",
    args: [order, sellAmount, most],
    eventName: "OrderFilled",
  });
}

/** Closes the wallet's order and returns what remains of its escrow. Only the maker. */
export async function cancelOrder(clients: WriteClients, { order, exchange }: { order: Order } & OnExchange) {
  return simulateAndWrite(clients, {
    address: await exchangeOf(clients.publicClient, exchange),
    abi: pointsExchangeAbi,
    functionName: "cancel",
    args: [order],
    eventName: "OrderCancelled",
  });
}

/** Closes an expired order and returns its escrow to its maker. Anyone. */
export async function returnExpiredOrder(clients: WriteClients, { order, exchange }: { order: Order } & OnExchange) {
  return simulateAndWrite(clients, {
    address: await exchangeOf(clients.publicClient, exchange),
    abi: pointsExchangeAbi,
    functionName: "returnExpired",
    args: [order],
    eventName: "OrderExpired",
  });
}
