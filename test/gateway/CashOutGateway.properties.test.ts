import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import type { ContractTransactionResponse } from "ethers";
import { ONE, gatewayFixture, unit } from "../helpers/fixtures";

/** Generated cases: 200 unless PERKS_FC_RUNS says otherwise. PERKS_FC_VERBOSE=1 prints how often each step
 * succeeded or failed with each error, to check that the generated sequences reach every path. */
const NUM_RUNS = Number(process.env.PERKS_FC_RUNS || 200);

/** A stablecoin amount independent of decimals: `milli` thousandths of a whole unit plus `dust` base units. */
interface Amount {
  milli: number;
  dust: bigint;
}

/** Points to sell: `permille` thousandths of what the bid still buys (over 1 000: more than it buys), or dust. */
type Points = { permille: number } | { dust: bigint };

type Op =
  | { kind: "post"; operator: number; coin: number; price: Amount; maxPoints: bigint; funds: Amount; life: number }
  | { kind: "topUp"; bid: number; byOperator: boolean; amount: Amount }
  | { kind: "reprice"; bid: number; byOperator: boolean; price: Amount }
  | { kind: "sell"; bid: number; seller: number; points: Points; minOutPermille: number }
  | { kind: "withdraw"; bid: number; byOperator: boolean; permille: number }
  | { kind: "close"; bid: number; byOperator: boolean }
  | { kind: "wait"; seconds: number };

const amount = (maxMilli: number) =>
  fc.record({ milli: fc.integer({ min: 0, max: maxMilli }), dust: fc.bigInt({ min: 0n, max: 999n }) });
/** Which bid a step addresses: below 15 one of the open bids, 15 a closed bid or the id after the last. */
const bid = fc.nat({ max: 15 });
/** Mostly the bid's operator; sometimes a stranger, who must be refused. */
const byOperator = fc.nat({ max: 9 }).map((n) => n < 8);

const post = fc.record({
  kind: fc.constant("post" as const),
  operator: fc.nat({ max: 1 }),
  coin: fc.nat({ max: 1 }),
  price: amount(50),
  maxPoints: fc.oneof(
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: ONE }) },
    { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 2_000n * ONE }) },
  ),
  funds: amount(20_000),
  life: fc.integer({ min: 0, max: 3 * 3600 }).map((seconds) => (seconds < 2 ? seconds : seconds + 60)),
});

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: post },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("topUp" as const), bid, byOperator, amount: amount(10_000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reprice" as const), bid, byOperator, price: amount(100) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("sell" as const),
      bid,
      seller: fc.nat({ max: 1 }),
      points: fc.oneof(
        { weight: 3, arbitrary: fc.record({ permille: fc.integer({ min: 0, max: 1_050 }) }) },
        { weight: 1, arbitrary: fc.record({ dust: fc.bigInt({ min: 0n, max: ONE }) }) },
      ),
      minOutPermille: fc.integer({ min: 0, max: 1_100 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("withdraw" as const),
      bid,
      byOperator,
      permille: fc.integer({ min: 0, max: 1_100 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), bid, byOperator }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 2 * 3600 }) }),
  },
);

describe("CashOutGateway properties", function () {
  // The gateway's balance of each stablecoin (6 and 18 decimals) equals the sum of the free funds of its open
  // bids, after every step of any sequence of posts, top-ups, reprices, sales, withdrawals, closes and waits.
  it("the gateway's stablecoin balance equals the sum of free funds", async function () {
    this.timeout(60_000 + NUM_RUNS * 1_000);
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(post, fc.array(op, { minLength: 3, maxLength: 10 }), async (first, rest) => {
        const { gateway, operator, merchant, alice, bob, stranger, token, usdc, dai } =
          await loadFixture(gatewayFixture);
        const coins = [usdc, dai];
        const decimals = [6, 18];
        const operators = [operator, merchant];
        const sellers = [alice, bob];
        const gatewayAddress = await gateway.getAddress();
        const coinAddresses = await Promise.all(coins.map((coin) => coin.getAddress()));
        const value = (a: Amount, coin: number) => (unit(decimals[coin]) * BigInt(a.milli)) / 1000n + a.dust;

        /** Every bid ever posted, by id - 1 (closed ones read as all zero). */
        async function readBids() {
          const count = Number(await gateway.bidCount());
          return Promise.all(Array.from({ length: count }, (_, i) => gateway.bidOf(BigInt(i + 1))));
        }

        /** Sends a step; a refusal must be one of the gateway's or the points token's own errors. */
        async function attempt(name: string, send: () => Promise<ContractTransactionResponse>) {
          let outcome = `${name} ok`;
          try {
            await (await send()).wait();
          } catch (error) {
            const data = (error as { data?: string }).data;
            const decoded = data ? (gateway.interface.parseError(data) ?? token.interface.parseError(data)) : null;
            if (!decoded) throw error;
            expect(decoded.name).to.match(/^CashOutGateway|^Insufficient(Balance|Allowance)$/);
            outcome = `${name} ${decoded.name}`;
          }
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }

        let bids = await readBids();
        for (const step of [first, ...rest] as Op[]) {
          const open = bids.flatMap((b, i) => (b.operator === ethers.ZeroAddress ? [] : [BigInt(i + 1)]));
          const closedOrNew = [
            ...bids.flatMap((b, i) => (b.operator === ethers.ZeroAddress ? [BigInt(i + 1)] : [])),
            BigInt(bids.length + 1),
          ];
          let bidId = 0n;
          if ("bid" in step) {
            bidId =
              step.bid < 15 && open.length > 0
                ? open[step.bid % open.length]
                : closedOrNew[step.bid % closedOrNew.length];
          }
          const current = bidId === 0n || bidId > BigInt(bids.length) ? undefined : bids[Number(bidId) - 1];
          const coin =
            current && current.operator !== ethers.ZeroAddress ? coinAddresses.indexOf(current.stablecoin) : 0;
          const byOperator =
            "byOperator" in step && step.byOperator && current && current.operator !== ethers.ZeroAddress;
          const caller = byOperator ? operators.find((o) => o.address === current!.operator)! : stranger;

          switch (step.kind) {
            case "post": {
              const expiresAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + step.life);
              const [price, funds] = [value(step.price, step.coin), value(step.funds, step.coin)];
              await attempt(step.kind, () =>
                gateway
                  .connect(operators[step.operator])
                  .postBid(token, coins[step.coin], ethers.ZeroAddress, price, step.maxPoints, expiresAt, funds),
              );
              break;
            }
            case "topUp":
              await attempt(step.kind, () => gateway.connect(caller).topUp(bidId, value(step.amount, coin)));
              break;
            case "reprice":
              await attempt(step.kind, () => gateway.connect(caller).reprice(bidId, value(step.price, coin)));
              break;
            case "sell": {
              const remaining = current?.remainingPoints ?? 0n;
              const points =
                "dust" in step.points ? step.points.dust : (remaining * BigInt(step.points.permille)) / 1000n;
              const minAmountOut = ((await gateway.quote(bidId, points)) * BigInt(step.minOutPermille)) / 1000n;
              await attempt(step.kind, () =>
                gateway.connect(sellers[step.seller]).sell(bidId, points, minAmountOut, 2n ** 40n),
              );
              break;
            }
            case "withdraw": {
              const amount = ((current?.funds ?? 0n) * BigInt(step.permille)) / 1000n;
              await attempt(step.kind, () => gateway.connect(caller).withdraw(bidId, amount));
              break;
            }
            case "close":
              await attempt(step.kind, () => gateway.connect(caller).close(bidId));
              break;
            case "wait":
              await ethers.provider.send("evm_increaseTime", [step.seconds]);
              await ethers.provider.send("evm_mine", []);
              break;
          }

          bids = await readBids();
          for (const [i, stablecoin] of coins.entries()) {
            const freeFunds = bids
              .filter((b) => b.stablecoin === coinAddresses[i])
              .reduce((sum, b) => sum + b.funds, 0n);
            expect(await stablecoin.balanceOf(gatewayAddress)).to.equal(freeFunds);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
    if (process.env.PERKS_FC_VERBOSE) console.table(Object.fromEntries([...outcomes].sort()));
  });
});
