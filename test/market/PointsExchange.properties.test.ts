import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import type { ContractTransactionResponse } from "ethers";
import { DAY, ONE, createdOrder, exchangeFixture, type ExchangeOrder } from "../helpers/fixtures";
import { NUM_RUNS, PROPERTY_TIMEOUT_MS } from "../properties/support";

/** What the exchange charges for `take` from an order with `sellLeft` for `buyLeft` left: rounded up. */
/** Sent with a gas limit, so that a refused step is mined (at the second the model expects) rather than refused
 * by gas estimation at whatever time the node picks for its pending block. */
const TX = { gasLimit: 1_000_000 };

/** PERKS_FC_VERBOSE=1 prints how often each kind of step succeeded or failed with each error, to check that the
 * generated sequences reach every path. */
const VERBOSE = process.env.PERKS_FC_VERBOSE === "1";

const cost = (take: bigint, sellLeft: bigint, buyLeft: bigint) => (take * buyLeft + sellLeft - 1n) / sellLeft;

/** Base units: mostly small (where rounding bites), sometimes up to 1 000 whole tokens of 18 decimals. */
const amount = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: 1_000n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: 1_000n * ONE }) },
);
/** `amount` for a token of `decimals`: small amounts as they are, large ones scaled down from 18 decimals. */
const inDecimals = (amount: bigint, decimals: number) =>
  amount <= 1_000n || decimals === 18 ? amount : amount / 10n ** BigInt(18 - decimals) + 1n;
/** How much of what is left one fill takes: a share (over 1 000 permille: more than is left), or dust. */
const take = fc.oneof(
  { weight: 3, arbitrary: fc.record({ permille: fc.integer({ min: 0, max: 1_100 }) }) },
  { weight: 2, arbitrary: fc.record({ dust: fc.bigInt({ min: 0n, max: 1_000n }) }) },
);
type Take = { permille: number } | { dust: bigint };
const takeOf = (t: Take, sellLeft: bigint) => ("dust" in t ? t.dust : (sellLeft * BigInt(t.permille)) / 1_000n);

type Step =
  | { kind: "create"; maker: number; sell: number; other: number; sellAmount: bigint; buyAmount: bigint; life: number }
  | { kind: "fill"; order: number; taker: number; take: Take; tight: boolean }
  | { kind: "cancel"; order: number; byMaker: boolean }
  | { kind: "return"; order: number; caller: number }
  | { kind: "wait"; seconds: number };

const trader = fc.nat({ max: 2 });
const token = fc.nat({ max: 2 });
const create = fc.record({
  kind: fc.constant("create" as const),
  maker: trader,
  sell: token,
  /** Which token the order asks for: 0 the one it sells (refused), else one of the two others. */
  other: fc.nat({ max: 6 }),
  sellAmount: fc.oneof({ weight: 9, arbitrary: amount }, { weight: 1, arbitrary: fc.constant(0n) }),
  buyAmount: fc.oneof({ weight: 9, arbitrary: amount }, { weight: 1, arbitrary: fc.constant(0n) }),
  life: fc.integer({ min: 1, max: 2 * DAY }),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: create },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("fill" as const),
      order: fc.nat(),
      taker: trader,
      take,
      tight: fc.nat({ max: 4 }).map((n) => n === 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), order: fc.nat(), byMaker: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("return" as const), order: fc.nat(), caller: trader }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: DAY }) }),
  },
);

interface ModelOrder {
  terms: ExchangeOrder;
  id: bigint;
  maker: number;
  sell: number;
  sellLeft: bigint;
  buyLeft: bigint;
  expiresAt: bigint;
}

describe("PointsExchange properties", function () {
  // For every token, the exchange's balance equals the sum of what is left to sell in its open orders, after every
  // step of any sequence of creations, fills, cancels, returns of expired orders and waits, each of which does
  // exactly what a model of the book predicts (including which error refuses it).
  it("the exchange holds exactly the sum of open escrows for every token", async function () {
    this.timeout(PROPERTY_TIMEOUT_MS);
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(create, fc.array(step, { minLength: 2, maxLength: 10 }), async (first, rest) => {
        const { exchange, maker, taker, carol, stranger, alpha, beta, usdc } = await loadFixture(exchangeFixture);
        const traders = [maker, taker, carol];
        const tokens = [alpha, beta, usdc];
        const decimals = [18, 18, 6];
        const tokenAddresses = await Promise.all(tokens.map((t) => t.getAddress()));
        const book: ModelOrder[] = [];
        let clock = BigInt(await time.latest());

        /** Sends `send` in the next second; it must revert with `error` (and `args`) or, if none, succeed. */
        async function expectStep(
          kind: string,
          send: () => Promise<ContractTransactionResponse>,
          error?: string,
          args?: unknown[],
        ) {
          const outcome = `${kind} ${error ?? "ok"}`;
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          await time.setNextBlockTimestamp(clock + 1n);
          if (error) {
            await expect(send())
              .to.be.revertedWithCustomError(exchange, error)
              .withArgs(...args!);
            clock = BigInt(await time.latest());
            return undefined;
          }
          const tx = await send();
          await tx.wait();
          clock += 1n;
          return tx;
        }

        for (const s of [first, ...rest]) {
          const now = clock + 1n;
          if (s.kind === "create") {
            const buy = s.other === 0 ? s.sell : (s.sell + 1 + (s.other % 2)) % tokens.length;
            const expiresAt = now + BigInt(s.life);
            const [sellAmount, buyAmount] = [
              inDecimals(s.sellAmount, decimals[s.sell]),
              inDecimals(s.buyAmount, decimals[buy]),
            ];
            const error =
              sellAmount === 0n || buyAmount === 0n
                ? ["PointsExchangeZeroAmount", [sellAmount, buyAmount]]
                : s.sell === buy
                  ? ["PointsExchangeSameToken", [tokenAddresses[s.sell]]]
                  : undefined;
            const tx = await expectStep(
              "createOrder",
              () =>
                exchange
                  .connect(traders[s.maker])
                  .createOrder(tokens[s.sell], tokens[buy], sellAmount, buyAmount, expiresAt, TX),
              error?.[0] as string,
              error?.[1] as unknown[],
            );
            if (tx) {
              const terms = await createdOrder(exchange, tx);
              const id = await exchange.orderIdOf(terms);
              book.push({
                terms,
                id,
                maker: s.maker,
                sell: s.sell,
                sellLeft: sellAmount,
                buyLeft: buyAmount,
                expiresAt,
              });
            }
          } else if (s.kind === "wait") {
            clock += BigInt(s.seconds);
            await time.increaseTo(clock);
          } else if (book.length > 0) {
            const o = book[s.order % book.length];
            const open = o.sellLeft > 0n;
            if (s.kind === "fill") {
              const amount = takeOf(s.take, o.sellLeft);
              const price = open && amount <= o.sellLeft ? cost(amount, o.sellLeft, o.buyLeft) : 0n;
              const max = s.tight && price > 0n ? price - 1n : price;
              const error = !open
                ? ["PointsExchangeOrderNotOpen", [o.id]]
                : now >= o.expiresAt
                  ? ["PointsExchangeOrderExpired", [o.id, o.expiresAt]]
                  : amount > o.sellLeft
                    ? ["PointsExchangeOverfill", [o.id, amount, o.sellLeft]]
                    : price === 0n
                      ? ["PointsExchangeZeroFill", [o.id, amount, price]]
                      : price > max
                        ? ["PointsExchangeBuyAmountAboveMaximum", [o.id, price, max]]
                        : undefined;
              const done = await expectStep(
                "fill",
                () => exchange.connect(traders[s.taker]).fill(o.terms, amount, max, TX),
                error?.[0] as string,
                error?.[1] as unknown[],
              );
              if (done) [o.sellLeft, o.buyLeft] = [o.sellLeft - amount, o.buyLeft - price];
            } else if (s.kind === "cancel") {
              const caller = s.byMaker ? traders[o.maker] : stranger;
              const error = !open
                ? ["PointsExchangeOrderNotOpen", [o.id]]
                : !s.byMaker
                  ? ["PointsExchangeNotMaker", [o.id, stranger.address]]
                  : undefined;
              const done = await expectStep(
                "cancel",
                () => exchange.connect(caller).cancel(o.terms, TX),
                error?.[0] as string,
                error?.[1] as unknown[],
              );
              if (done) [o.sellLeft, o.buyLeft] = [0n, 0n];
            } else {
              const error = !open
                ? ["PointsExchangeOrderNotOpen", [o.id]]
                : now < o.expiresAt
                  ? ["PointsExchangeOrderNotExpired", [o.id, o.expiresAt]]
                  : undefined;
              const done = await expectStep(
                "returnExpired",
                () => exchange.connect(traders[s.caller]).returnExpired(o.terms, TX),
                error?.[0] as string,
                error?.[1] as unknown[],
              );
              if (done) [o.sellLeft, o.buyLeft] = [0n, 0n];
            }
          }

          for (let t = 0; t < tokens.length; t++) {
            const escrowed = book.filter((o) => o.sell === t).reduce((sum, o) => sum + o.sellLeft, 0n);
            expect(await tokens[t].balanceOf(exchange)).to.equal(escrowed);
          }
        }

        for (const o of book) {
          const expected = o.sellLeft > 0n ? [o.sellLeft, o.buyLeft, o.expiresAt] : [0n, 0n, 0n];
          expect(await exchange.remaining(o.id)).to.deep.equal(expected);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    if (VERBOSE)
      console.log(
        [...outcomes]
          .sort()
          .map(([outcome, n]) => `      ${outcome}: ${n}`)
          .join("\n"),
      );
  });

  // After every fill of any sequence of partial fills of any order, the maker has been paid at least the order's
  // price times the amount filled (paid * sellAmount >= filled * buyAmount), and exactly the buy amount once the
  // order is filled; a fill that would pay nothing is refused instead.
  it("a sequence of partial fills never pays the maker less than the price", async function () {
    this.timeout(PROPERTY_TIMEOUT_MS);
    await fc.assert(
      fc.asyncProperty(amount, amount, fc.array(take, { minLength: 1, maxLength: 12 }), async (sell, buy, takes) => {
        const { exchange, maker, taker, alpha, beta } = await loadFixture(exchangeFixture);
        const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
        const order = await createdOrder(
          exchange,
          await exchange.connect(maker).createOrder(alpha, beta, sell, buy, expiresAt),
        );
        const paidBefore = await beta.balanceOf(maker);
        let [sellLeft, buyLeft] = [sell, buy];
        for (const t of takes) {
          const amount = takeOf(t, sellLeft);
          if (amount === 0n || amount > sellLeft) continue;
          const price = cost(amount, sellLeft, buyLeft);
          if (price === 0n) {
            await expect(exchange.connect(taker).fill(order, amount, 0n)).to.be.revertedWithCustomError(
              exchange,
              "PointsExchangeZeroFill",
            );
            break;
          }
          await (await exchange.connect(taker).fill(order, amount, price)).wait();
          [sellLeft, buyLeft] = [sellLeft - amount, buyLeft - price];
          const paid = (await beta.balanceOf(maker)) - paidBefore;
          expect(paid).to.equal(buy - buyLeft);
          expect(paid * sell).to.be.at.least((sell - sellLeft) * buy);
          if (sellLeft === 0n) {
            expect(paid).to.equal(buy);
            break;
          }
        }
        expect(await alpha.balanceOf(exchange)).to.equal(sellLeft);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
