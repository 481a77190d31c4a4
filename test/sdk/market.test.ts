import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Address } from "viem";
import { writeContract } from "viem/actions";
import { hardhat } from "viem/chains";
import {
  type BookOrder,
  type Order,
  cancelOrder,
  createOrder,
  fillOrder,
  getOrder,
  getOrderBook,
  orderIdOf,
  quoteFill,
  returnExpiredOrder,
} from "../../sdk/src/actions/market";
import { getAllowance, getBalance, mint } from "../../sdk/src/actions/token";
import { humanizeError } from "../../sdk/src/errors";
import { pointsExchangeAbi } from "../../sdk/src/generated/abis";
import { DAY, ONE } from "../helpers/fixtures";
import {
  clientsOf,
  deploy,
  factoryAddress,
  hardhatAccounts,
  latest,
  publicClient,
  rejection,
  sdkToken,
} from "./support";

/**
 * A PointsExchange over the factory's BEAN (Alpha Coffee) and PAGE (Beta Books) tokens, made with the SDK; maker,
 * taker and carol hold 1 000 of each and approved nothing.
 */
async function marketFixture() {
  const [owner, alphaMerchant, betaMerchant, maker, taker, carol] = await hardhatAccounts();
  const factory = await factoryAddress();
  const bean = await sdkToken(factory, alphaMerchant);
  const page = await sdkToken(factory, betaMerchant, { name: "Beta Book Club", symbol: "PAGE" });
  const exchange = await deploy("PointsExchange", [factory, owner]);
  for (const trader of [maker, taker, carol]) {
    await (await mint(clientsOf(alphaMerchant), { token: bean, to: trader, amount: 1000n * ONE })).wait();
    await (await mint(clientsOf(betaMerchant), { token: page, to: trader, amount: 1000n * ONE })).wait();
  }
  return { exchange, bean, page, maker, taker, carol };
}

/** `maker`'s order selling `sellAmount` of `sellToken` for `buyAmount` of `buyToken`; returns its terms. */
async function make(
  exchange: Address,
  maker: Address,
  sellToken: Address,
  buyToken: Address,
  sellAmount: bigint,
  buyAmount: bigint,
  expiresIn = BigInt(DAY),
): Promise<Order> {
  const sent = await createOrder(clientsOf(maker), {
    sellToken,
    buyToken,
    sellAmount,
    buyAmount,
    expiresAt: (await latest()) + expiresIn,
    exchange,
  });
  await sent.wait();
  return sent.result[1];
}

describe("SDK market", function () {
  it("makes an order after approving the escrow, with the id the exchange computes", async function () {
    const { exchange, bean, page, maker } = await loadFixture(marketFixture);
    const expiresAt = (await latest()) + BigInt(DAY);

    const sent = await createOrder(clientsOf(maker), {
      sellToken: bean,
      buyToken: page,
      sellAmount: 100n * ONE,
      buyAmount: 150n * ONE,
      expiresAt,
      exchange,
    });
    const { event } = await sent.wait();
    const [orderId, order] = sent.result;

    expect(order).to.deep.equal({ maker, sellToken: bean, buyToken: page, nonce: 1n });
    expect(orderIdOf(order)).to.equal(orderId);
    expect(
      await publicClient.readContract({
        address: exchange,
        abi: pointsExchangeAbi,
        functionName: "orderIdOf",
        args: [order],
      }),
    ).to.equal(orderId);
    expect(event.args).to.deep.include({ orderId, sellAmount: 100n * ONE, buyAmount: 150n * ONE, expiresAt });
    expect(await getOrder(publicClient, { order, exchange })).to.deep.equal({
      orderId,
      sellAmount: 100n * ONE,
      buyAmount: 150n * ONE,
      expiresAt,
      open: true,
    });
    expect(await getBalance(publicClient, { token: bean, account: exchange })).to.equal(100n * ONE);
  });

  it("makes an order with a signed permit instead of an approval", async function () {
    const { exchange, bean, page, maker } = await loadFixture(marketFixture);

    const sent = await createOrder(clientsOf(maker), {
      sellToken: page,
      buyToken: bean,
      sellAmount: 10n * ONE,
      buyAmount: 10n * ONE,
      expiresAt: (await latest()) + BigInt(DAY),
      approval: "permit",
      exchange,
    });
    await sent.wait();

    expect((await getOrder(publicClient, { order: sent.result[1], exchange })).open).to.equal(true);
    expect(await getAllowance(publicClient, { token: page, owner: maker, spender: exchange })).to.equal(0n);
  });

  it("fills part of an order at the quote (rounded up for the maker) within the slippage bound", async function () {
    const { exchange, bean, page, maker, taker } = await loadFixture(marketFixture);
    const order = await make(exchange, maker, bean, page, 3n, 10n);
    expect(await quoteFill(publicClient, { order, sellAmount: 1n, exchange })).to.equal(4n);

    const sent = await fillOrder(clientsOf(taker), { order, sellAmount: 1n, slippageBps: 100, exchange });
    const { event } = await sent.wait();

    expect(sent.result).to.equal(4n);
    expect(event.args).to.deep.include({ taker, sellAmount: 1n, buyAmount: 4n, sellAmountRemaining: 2n });
    expect(await getOrder(publicClient, { order, exchange })).to.deep.include({ sellAmount: 2n, buyAmount: 6n });
    expect(await getBalance(publicClient, { token: page, account: maker })).to.equal(1000n * ONE + 4n);
  });

  it("refuses a fill that would cost more than the taker's bound, with both amounts", async function () {
    const { exchange, bean, page, maker, taker } = await loadFixture(marketFixture);
    const order = await make(exchange, maker, bean, page, 100n * ONE, 150n * ONE);

    const error = await rejection(
      fillOrder(clientsOf(taker), { order, sellAmount: 10n * ONE, maxBuyAmount: 14n * ONE, exchange }),
    );

    expect(humanizeError(error)).to.deep.include({
      code: "PointsExchangeBuyAmountAboveMaximum",
      message: "This would cost 15 points, more than your limit of 14 points.",
    });
  });

  it("cancels an order for its maker, and returns an expired one for anyone", async function () {
    const { exchange, bean, page, maker, carol } = await loadFixture(marketFixture);
    const cancelled = await make(exchange, maker, bean, page, 100n * ONE, 150n * ONE);
    const expiring = await make(exchange, maker, bean, page, 50n * ONE, 50n * ONE, 3600n);

    const { event } = await (await cancelOrder(clientsOf(maker), { order: cancelled, exchange })).wait();
    expect(event.args.sellAmountReturned).to.equal(100n * ONE);
    await time.increase(3600);
    const returned = await (await returnExpiredOrder(clientsOf(carol), { order: expiring, exchange })).wait();

    expect(returned.event.args).to.deep.include({ caller: carol, sellAmountReturned: 50n * ONE });
    expect(await getBalance(publicClient, { token: bean, account: maker })).to.equal(1000n * ONE);
    expect((await getOrder(publicClient, { order: expiring, exchange })).open).to.equal(false);
  });

  it("tells someone other than the maker that only the maker cancels", async function () {
    const { exchange, bean, page, maker, carol } = await loadFixture(marketFixture);
    const order = await make(exchange, maker, bean, page, 100n * ONE, 150n * ONE);
    const error = await rejection(cancelOrder(clientsOf(carol), { order, exchange }));
    expect(humanizeError(error)).to.deep.include({ code: "PointsExchangeNotMaker" });
    expect(humanizeError(error).message).to.match(/^Only the maker of order no\. 0x[0-9a-f]{4}…[0-9a-f]{4} can cancel it\.$/);
  });

  it("rebuilds the open book of a pair from events, cheapest first, matching the exchange's state", async function () {
    const { exchange, bean, page, maker, taker, carol } = await loadFixture(marketFixture);
    const usdc = await deploy("MockStablecoin", ["USD Coin", "USDC", 6]);
    // Asks sell BEAN for PAGE; bids sell PAGE for BEAN.
    const dearAsk = await make(exchange, maker, bean, page, 100n * ONE, 200n * ONE);
    const cheapAsk = await make(exchange, carol, bean, page, 100n * ONE, 120n * ONE);
    const sameAsCheapButLater = await make(exchange, maker, bean, page, 50n * ONE, 60n * ONE);
    const bid = await make(exchange, taker, page, bean, 90n * ONE, 100n * ONE);
    const gone = await make(exchange, carol, bean, page, 10n * ONE, 10n * ONE);
    const filledOut = await make(exchange, maker, page, bean, 10n * ONE, 10n * ONE);
    const expired = await make(exchange, carol, page, bean, 5n * ONE, 5n * ONE, 600n);
    await exchangeOwnerAllows(exchange, usdc);
    await make(exchange, maker, bean, usdc, 10n * ONE, 1_000_000n); // another pair
    await (await fillOrder(clientsOf(taker), { order: cheapAsk, sellAmount: 40n * ONE, exchange })).wait();
    await (await cancelOrder(clientsOf(carol), { order: gone, exchange })).wait();
    await (await fillOrder(clientsOf(carol), { order: filledOut, sellAmount: 10n * ONE, exchange })).wait();
    await time.increase(600);

    const book = await getOrderBook(publicClient, { base: bean, quote: page, exchange, blockRange: 3n });

    const ids = (orders: BookOrder[]) => orders.map(({ orderId }) => orderId);
    expect(ids(book.asks)).to.deep.equal([cheapAsk, sameAsCheapButLater, dearAsk].map(orderIdOf));
    expect(ids(book.bids)).to.deep.equal([orderIdOf(bid)]);
    expect(ids(book.expired)).to.deep.equal([orderIdOf(expired)]);
    for (const entry of [...book.asks, ...book.bids]) {
      const state = await getOrder(publicClient, { order: entry.order, exchange });
      expect([entry.sellAmount, entry.buyAmount, entry.expiresAt]).to.deep.equal([
        state.sellAmount,
        state.buyAmount,
        state.expiresAt,
      ]);
    }
    expect(book.asks[0]).to.deep.include({
      createdSellAmount: 100n * ONE,
      sellAmount: 60n * ONE,
      buyAmount: 72n * ONE,
    });
  });
});

/** The exchange's owner (Hardhat's first account) allow-lists `coin`. */
async function exchangeOwnerAllows(exchange: Address, coin: Address) {
  const [owner] = await hardhatAccounts();
  const hash = await writeContract(clientsOf(owner).walletClient, {
    address: exchange,
    abi: pointsExchangeAbi,
    functionName: "setStablecoin",
    args: [coin, true],
    chain: hardhat,
  });
  await publicClient.waitForTransactionReceipt({ hash });
}
