import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Address } from "viem";
import {
  closeBid,
  getBid,
  listBids,
  postBid,
  quoteSale,
  repriceBid,
  sellPoints,
  topUpBid,
  withdrawFromBid,
} from "../../sdk/src/actions/gateway";
import { getBalance, mint } from "../../sdk/src/actions/token";
import { humanizeError } from "../../sdk/src/errors";
import { DAY, ONE } from "../helpers/fixtures";
import {
  HUMANIZE,
  clientsOf,
  deploy,
  factoryAddress,
  faucet,
  hardhatAccounts,
  latest,
  publicClient,
  rejection,
  sdkToken,
} from "./support";

const USDC = 10n ** 6n;
const DAI = 10n ** 18n;
/** One cent per whole point. */
const CENT = USDC / 100n;

/**
 * A CashOutGateway over the merchant's BEAN points, made with the SDK; the exchange operator holds 1 000 000 USDC
 * (6 decimals) and DAI (18), approving nothing; alice holds 1 000 BEAN and approved nothing.
 */
async function gatewayFixture() {
  const [, merchant, operator, alice, desk] = await hardhatAccounts();
  const factory = await factoryAddress();
  const bean = await sdkToken(factory, merchant);
  const gateway = await deploy("CashOutGateway", [factory]);
  const usdc = await deploy("MockStablecoin", ["USD Coin", "USDC", 6]);
  const dai = await deploy("MockStablecoin", ["Dai Stablecoin", "DAI", 18]);
  await faucet(usdc, operator, 1_000_000n * USDC);
  await faucet(dai, operator, 1_000_000n * DAI);
  await (await mint(clientsOf(merchant), { token: bean, to: alice, amount: 1000n * ONE })).wait();
  return { factory, merchant, operator, alice, desk, bean, gateway, usdc, dai };
}

/** The operator's bid for BEAN: `price` per point, for up to 5 000 points, for a day, funded with 100 USDC. */
async function bid(
  { operator, bean, gateway, usdc }: { operator: Address; bean: Address; gateway: Address; usdc: Address },
  overrides: Partial<Parameters<typeof postBid>[1]> = {},
) {
  const sent = await postBid(clientsOf(operator), {
    token: bean,
    stablecoin: usdc,
    price: CENT,
    maxPoints: 5000n * ONE,
    expiresAt: (await latest()) + BigInt(DAY),
    funds: 100n * USDC,
    gateway,
    ...overrides,
  });
  await sent.wait();
  return sent.result;
}

describe("SDK gateway", function () {
  describe("operators", function () {
    it("posts a funded bid after approving the funds, and reads it back", async function () {
      const fixture = await loadFixture(gatewayFixture);
      const { operator, bean, gateway, usdc } = fixture;

      const bidId = await bid(fixture);

      expect(bidId).to.equal(1n);
      expect(await getBid(publicClient, { bidId, gateway })).to.deep.include({
        id: 1n,
        token: bean,
        stablecoin: usdc,
        recipient: operator,
        operator,
        price: CENT,
        funds: 100n * USDC,
        remainingPoints: 5000n * ONE,
        open: true,
        expired: false,
        // 100 USDC at a cent a point buys 10 000 points, more than the 5 000 the bid wants.
        sellablePoints: 5000n * ONE,
      });
      expect(await getBalance(publicClient, { token: usdc, account: gateway })).to.equal(100n * USDC);
    });

    it("tops up, reprices, withdraws and closes a bid", async function () {
      const fixture = await loadFixture(gatewayFixture);
      const { operator, gateway, usdc } = fixture;
      const bidId = await bid(fixture, { funds: 10n * USDC });
      const asOperator = clientsOf(operator);

      const funded = await (await topUpBid(asOperator, { bidId, amount: 5n * USDC, gateway })).wait();
      expect(funded.event.args).to.deep.equal({ bidId, amount: 5n * USDC, funds: 15n * USDC });
      await (await repriceBid(asOperator, { bidId, price: 2n * CENT, gateway })).wait();
      // 15 USDC at two cents a point covers 750 points.
      expect(await getBid(publicClient, { bidId, gateway })).to.deep.include({
        price: 2n * CENT,
        sellablePoints: 750n * ONE,
      });
      const withdrawn = await (await withdrawFromBid(asOperator, { bidId, amount: 4n * USDC, gateway })).wait();
      expect(withdrawn.event.args.funds).to.equal(11n * USDC);
      const closed = await (await closeBid(asOperator, { bidId, gateway })).wait();

      expect(closed.event.args.refund).to.equal(11n * USDC);
      expect(await getBid(publicClient, { bidId, gateway })).to.deep.include({ open: false, sellablePoints: 0n });
      expect(await getBalance(publicClient, { token: usdc, account: gateway })).to.equal(0n);
    });

    it("tells an operator who withdraws more than the bid holds how much is left", async function () {
      const fixture = await loadFixture(gatewayFixture);
      const bidId = await bid(fixture, { funds: 10n * USDC });
      const error = await rejection(
        withdrawFromBid(clientsOf(fixture.operator), { bidId, amount: 11n * USDC, gateway: fixture.gateway }),
      );
      expect(humanizeError(error)).to.deep.include({
        code: "CashOutGatewayInsufficientFunds",
        message: "Offer no. 1 has 10 left, and 11 is needed.",
      });
    });
  });

  describe("sellers", function () {
    it("sells with a minimum out from the current price, after approving exactly the points", async function () {
      const fixture = await loadFixture(gatewayFixture);
      const { operator, alice, bean, gateway, usdc } = fixture;
      const bidId = await bid(fixture);
      expect(await quoteSale(publicClient, { bidId, points: 250n * ONE, gateway })).to.equal(250n * CENT);

      const sent = await sellPoints(clientsOf(alice), { bidId, points: 250n * ONE, slippageBps: 50, gateway });
      const { event } = await sent.wait();

      expect(sent.result).to.equal(250n * CENT);
      expect(event.args).to.deep.equal({ bidId, seller: alice, points: 250n * ONE, payout: 250n * CENT });
      expect(await getBalance(publicClient, { token: usdc, account: alice })).to.equal(250n * CENT);
      expect(await getBalance(publicClient, { token: bean, account: operator })).to.equal(250n * ONE);
    });

    it("sells with a permit in the sale's own transaction", async function () {
      const fixture = await loadFixture(gatewayFixture);
      const { alice, gateway, usdc } = fixture;
      const bidId = await bid(fixture);
      const before = await publicClient.getBlockNumber({ cacheTime: 0 });

      await (await sellPoints(clientsOf(alice), { bidId, points: 100n * ONE, approval: "permit", gateway })).wait();

      expect(await publicClient.getBlockNumber({ cacheTime: 0 })).to.equal(before + 1n);
      expect(await getBalance(publicClient, { token: usdc, account: alice })).to.equal(100n * CENT);
    });

    it("refuses a sale after the operator lowered the price, with both amounts", async function () {
      const fixture = await loadFixture(gatewayFixture);
      const { operator, alice, gateway } = fixture;
      const bidId = await bid(fixture);
      const seen = await quoteSale(publicClient, { bidId, points: 200n * ONE, gateway });
      await (await repriceBid(clientsOf(operator), { bidId, price: CENT / 2n, gateway })).wait();

      const error = await rejection(
        sellPoints(clientsOf(alice), { bidId, points: 200n * ONE, minAmountOut: seen, gateway }),
      );

      expect(humanizeError(error, HUMANIZE)).to.deep.equal({
        code: "CashOutGatewayInsufficientOutput",
        title: "Price moved",
        message: "This sale would pay 1, less than the 2 you asked for at least.",
      });
    });

    it("lists the bids for a token that can be sold into, best price first across stablecoin decimals", async function () {
      const fixture = await loadFixture(gatewayFixture);
      const { operator, merchant, bean, gateway, usdc, dai } = fixture;
      const other = await sdkToken(fixture.factory, merchant, { symbol: "MUG" });
      const cent = await bid(fixture);
      const twoCentsInDai = await bid(fixture, { stablecoin: dai, price: 2n * (DAI / 100n), funds: 100n * DAI });
      const twoCentsLater = await bid(fixture, { price: 2n * CENT, funds: 1n * USDC });
      // Better prices, but unfunded, expired, closed, or for another token.
      await bid(fixture, { price: 5n * CENT, funds: 0n });
      await bid(fixture, { price: 9n * CENT, expiresAt: (await latest()) + 60n });
      const closed = await bid(fixture, { price: 8n * CENT });
      await bid(fixture, { token: other, price: 7n * CENT });
      await (await closeBid(clientsOf(operator), { bidId: closed, gateway })).wait();
      await time.increase(120);

      const listed = await listBids(publicClient, { token: bean, gateway });

      // Equal prices: the bid that can take more points first.
      expect(listed.map(({ id }) => id)).to.deep.equal([twoCentsInDai, twoCentsLater, cent]);
      expect(listed.map(({ stablecoinDecimals }) => stablecoinDecimals)).to.deep.equal([18, 6, 6]);
      expect(listed[1].sellablePoints).to.equal(50n * ONE);
      expect(
        (await listBids(publicClient, { token: bean, stablecoin: usdc, gateway })).map(({ id }) => id),
      ).to.deep.equal([twoCentsLater, cent]);
    });
  });
});
