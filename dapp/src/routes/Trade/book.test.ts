import { describe, expect, it } from "vitest";
import {
  type AbiEvent,
  type Address,
  type Hex,
  createPublicClient,
  custom,
  encodeAbiParameters,
  encodeEventTopics,
  numberToHex,
  pad,
  parseUnits,
} from "viem";
import { hardhat } from "viem/chains";
import { type Order, getOrderBook, orderIdOf, pointsExchangeAbi } from "@perks/sdk";
import { bookRows, fillCost, orderAmounts, priceText } from "./book";

const exchange: Address = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";
const bean = { address: "0x4ADB4FF078Aa7c46baBD228a5aaF42F2a13C8f18" as Address, symbol: "BEAN", decimals: 18 };
const usdc = { address: "0x391f5405c8526F738d89881cE6D53Ec266C526B4" as Address, symbol: "USDC", decimals: 6 };
const pair = { base: bean, quote: usdc };
const alice: Address = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const bob: Address = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const NOW = 1_800_000_000;

// ------------------------------------------------------------------------------------------------ a fake chain

type RawLog = { topics: Hex[]; data: Hex; blockNumber: number; logIndex: number };
const logs: RawLog[] = [];
let nonce = 0n;

function nonIndexed(name: "OrderCreated" | "OrderFilled" | "OrderCancelled", values: unknown[]): Hex {
  const event = (pointsExchangeAbi as readonly { type: string; name?: string }[]).find(
    (item) => item.type === "event" && item.name === name,
  ) as AbiEvent;
  const inputs = event.inputs.filter((input) => !input.indexed);
  return encodeAbiParameters(inputs, values);
}

function create(maker: Address, sell: typeof bean, buy: typeof bean, sellAmount: bigint, buyAmount: bigint, expiresAt = NOW + 3_600): Order {
  const order = { maker, sellToken: sell.address, buyToken: buy.address, nonce: ++nonce };
  const orderId = orderIdOf(order);
  logs.push({
    topics: encodeEventTopics({ abi: pointsExchangeAbi, eventName: "OrderCreated", args: { orderId, maker, sellToken: sell.address } }) as Hex[],
    data: nonIndexed("OrderCreated", [buy.address, nonce, sellAmount, buyAmount, BigInt(expiresAt)]),
    blockNumber: logs.length + 1,
    logIndex: 0,
  });
  return order;
}

function fill(order: Order, sellAmount: bigint, buyAmount: bigint, sellAmountRemaining: bigint) {
  logs.push({
    topics: encodeEventTopics({ abi: pointsExchangeAbi, eventName: "OrderFilled", args: { orderId: orderIdOf(order), taker: bob } }) as Hex[],
    data: nonIndexed("OrderFilled", [sellAmount, buyAmount, sellAmountRemaining]),
    blockNumber: logs.length + 1,
    logIndex: 0,
  });
}

function cancel(order: Order, returned: bigint) {
  logs.push({
    topics: encodeEventTopics({ abi: pointsExchangeAbi, eventName: "OrderCancelled", args: { orderId: orderIdOf(order) } }) as Hex[],
    data: nonIndexed("OrderCancelled", [returned]),
    blockNumber: logs.length + 1,
    logIndex: 0,
  });
}

const client = createPublicClient({
  chain: hardhat,
  transport: custom({
    async request({ method, params }: { method: string; params?: unknown[] }) {
      const head = logs.length + 1;
      if (method === "eth_chainId") return numberToHex(hardhat.id);
      if (method === "eth_blockNumber") return numberToHex(head);
      if (method === "eth_getBlockByNumber") {
        return { number: numberToHex(head), hash: pad("0x1"), parentHash: pad("0x0"), timestamp: numberToHex(NOW), transactions: [], logsBloom: null, nonce: null };
      }
      if (method === "eth_getLogs") {
        const [filter] = params as [{ topics: (Hex | Hex[] | null)[] }];
        const wanted = ([] as (Hex | null)[]).concat(filter.topics[0]);
        return logs
          .filter((log) => wanted.includes(log.topics[0]))
          .map((log, i) => ({
            address: exchange,
            topics: log.topics,
            data: log.data,
            blockNumber: numberToHex(log.blockNumber),
            blockHash: pad(numberToHex(log.blockNumber)),
            logIndex: numberToHex(log.logIndex),
            transactionHash: pad(numberToHex(1_000 + i)),
            transactionIndex: "0x0",
            removed: false,
          }));
      }
      throw new Error(`unexpected ${method}`);
    },
  }),
});

// ------------------------------------------------------------------------------------------------ tests

describe("order book rows", () => {
  it("lists each side best price first, with depth, after fills and cancels, and expired orders apart", async () => {
    const dearAsk = create(alice, bean, usdc, parseUnits("10", 18), parseUnits("1.5", 6)); // 0.15 USDC per BEAN
    const cheapAsk = create(bob, bean, usdc, parseUnits("20", 18), parseUnits("2", 6)); // 0.10
    create(bob, bean, usdc, parseUnits("5", 18), parseUnits("0.6", 6)); // 0.12
    const lowBid = create(bob, usdc, bean, parseUnits("1", 6), parseUnits("20", 18)); // 0.05 USDC per BEAN
    create(alice, usdc, bean, parseUnits("1.8", 6), parseUnits("20", 18)); // 0.09
    create(alice, bean, usdc, parseUnits("1", 18), parseUnits("0.01", 6), NOW - 1); // expired
    const cancelled = create(bob, bean, usdc, parseUnits("1", 18), parseUnits("0.01", 6)); // 0.01, cancelled
    cancel(cancelled, parseUnits("1", 18));
    // Half of the cheap ask is taken: 10 BEAN left for 1 USDC, same price.
    fill(cheapAsk, parseUnits("10", 18), parseUnits("1", 6), parseUnits("10", 18));
    // All of the lowest bid is taken: it leaves the book.
    fill(lowBid, parseUnits("1", 6), parseUnits("20", 18), 0n);

    const book = await getOrderBook(client, { base: bean.address, quote: usdc.address, exchange });
    const view = bookRows(book, pair, alice);

    expect(view.asks.map((row) => row.price)).toEqual(["0.1", "0.12", "0.15"]);
    expect(view.asks.map((row) => row.depth)).toEqual([parseUnits("10", 18), parseUnits("15", 18), parseUnits("25", 18)]);
    expect(view.asks[0].base).toBe(parseUnits("10", 18));
    expect(view.asks[0].quote).toBe(parseUnits("1", 6));
    expect(view.asks.find((row) => row.entry.order.nonce === dearAsk.nonce)?.mine).toBe(true);

    expect(view.bids.map((row) => row.price)).toEqual(["0.09"]);
    expect(view.bids[0]).toMatchObject({ side: "bid", base: parseUnits("20", 18), quote: parseUnits("1.8", 6), mine: true });

    expect(view.expired.map((row) => [row.side, row.entry.sellAmount])).toEqual([["ask", parseUnits("1", 18)]]);
  });
});

describe("prices and amounts", () => {
  it("rounds prices against the taker", () => {
    // 1 USDC base unit for 3 BEAN: 0.000000333… USDC per BEAN.
    expect(priceText(1n, parseUnits("3", 18), pair, "up")).toBe("0.00000034");
    expect(priceText(1n, parseUnits("3", 18), pair, "down")).toBe("0.00000033");
  });

  it("charges a partial fill rounded up, as the exchange does, and a whole fill exactly", () => {
    const entry = { sellAmount: 3n, buyAmount: 10n };
    expect(fillCost(entry, 1n)).toBe(4n);
    expect(fillCost(entry, 3n)).toBe(10n);
    expect(fillCost(entry, 0n)).toBe(0n);
  });

  it("turns an amount and a price into an order that never pays the maker below the price", () => {
    const sell = orderAmounts({ side: "sell", amount: parseUnits("3", 18), price: "0.3333333" }, pair);
    expect(sell).toEqual({ sellToken: bean.address, buyToken: usdc.address, sellAmount: parseUnits("3", 18), buyAmount: 1_000_000n });
    const buy = orderAmounts({ side: "buy", amount: parseUnits("3", 18), price: "0,3333333" }, pair);
    expect(buy).toEqual({ sellToken: usdc.address, buyToken: bean.address, sellAmount: 999_999n, buyAmount: parseUnits("3", 18) });
    expect(orderAmounts({ side: "sell", amount: 1n, price: "0.1" }, pair)?.buyAmount).toBe(1n);
    expect(orderAmounts({ side: "buy", amount: 1n, price: "0.1" }, pair)).toBeUndefined();
    expect(orderAmounts({ side: "sell", amount: 1n, price: "abc" }, pair)).toBeUndefined();
  });
});
