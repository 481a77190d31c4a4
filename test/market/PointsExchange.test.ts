import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import type { BulkOrderMaker, FeeOnTransferToken, MockStablecoin, ReentrantToken } from "../../typechain-types";
import { DAY, ONE, createToken, createdOrder, exchangeFixture, tokenParams, unit, type ExchangeOrder } from "../helpers/fixtures";

const SELL = 100n * ONE;
const BUY = 150n * ONE;
const UINT112_MAX = 2n ** 112n - 1n;

/** What the exchange charges for `take` from an order with `sellLeft` for `buyLeft` left: rounded up. */
function price(take: bigint, sellLeft: bigint, buyLeft: bigint): bigint {
  return (take * buyLeft + sellLeft - 1n) / sellLeft;
}

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

async function gasUsed(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  return (await (await tx).wait())!.gasUsed;
}

/** The exchange fixture with one open order: maker sells 100 BEAN for 150 PAGE for a day. */
async function openOrderFixture() {
  const base = await exchangeFixture();
  const { exchange, maker, alpha, beta } = base;
  const expiresAt = (await latest()) + BigInt(DAY);
  const order = await createdOrder(
    exchange,
    await exchange.connect(maker).createOrder(alpha, beta, SELL, BUY, expiresAt),
  );
  const orderId = await exchange.orderIdOf(order);
  return { ...base, expiresAt, order, orderId };
}

describe("PointsExchange", function () {
  describe("deployment", function () {
    it("knows its factory and owner, and has no orders", async function () {
      const { exchange, factory, owner } = await loadFixture(exchangeFixture);
      expect(await exchange.factory()).to.equal(await factory.getAddress());
      expect(await exchange.owner()).to.equal(owner.address);
      expect(await exchange.orderCount()).to.equal(0n);
    });
  });

  describe("isAccepted and isStablecoin", function () {
    it("accepts factory tokens (even before they are traded) and allow-listed stablecoins, nothing else", async function () {
      const { exchange, alpha, beta, usdc } = await loadFixture(exchangeFixture);
      const other = await ethers.deployContract("MockStablecoin", ["Other", "OTH", 18]);
      expect(await exchange.isAccepted(alpha)).to.equal(true);
      expect(await exchange.isAccepted(beta)).to.equal(true);
      expect(await exchange.isAccepted(usdc)).to.equal(true);
      expect(await exchange.isAccepted(other)).to.equal(false);
      expect(await exchange.isAccepted(ethers.ZeroAddress)).to.equal(false);
      expect(await exchange.isStablecoin(usdc)).to.equal(true);
      expect(await exchange.isStablecoin(alpha)).to.equal(false);
    });

    it("still accepts a factory token once it has been traded", async function () {
      const { exchange, alpha } = await loadFixture(openOrderFixture);
      expect(await exchange.isAccepted(alpha)).to.equal(true);
    });
  });

  describe("orderIdOf", function () {
    it("is the hash of the ABI-encoded terms", async function () {
      const { exchange, order, orderId } = await loadFixture(openOrderFixture);
      const encoded = ethers.AbiCoder.defaultAbiCoder().encode(
        ["tuple(address,address,address,uint64)"],
        [[order.maker, order.sellToken, order.buyToken, order.nonce]],
      );
      expect(orderId).to.equal(BigInt(ethers.keccak256(encoded)));
      expect(await exchange.orderIdOf(order)).to.equal(orderId);
    });
  });

  describe("createOrder", function () {
    it("escrows the sell amount and publishes the terms, amounts and expiry", async function () {
      const { exchange, maker, alpha, beta } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const [id, terms] = await exchange.connect(maker).createOrder.staticCall(alpha, beta, SELL, BUY, expiresAt);
      expect(terms).to.deep.equal([maker.address, await alpha.getAddress(), await beta.getAddress(), 1n]);

      const tx = exchange.connect(maker).createOrder(alpha, beta, SELL, BUY, expiresAt);
      await expect(tx)
        .to.emit(exchange, "OrderCreated")
        .withArgs(id, maker.address, await alpha.getAddress(), await beta.getAddress(), 1n, SELL, BUY, expiresAt);
      await expect(tx).to.changeTokenBalances(alpha, [maker, exchange], [-SELL, SELL]);
      const order = await createdOrder(exchange, await tx);
      expect(await exchange.orderIdOf(order)).to.equal(id);
      expect(await exchange.remaining(id)).to.deep.equal([SELL, BUY, expiresAt]);
      expect(await exchange.orderCount()).to.equal(1n);
    });

    it("gives every order its own nonce and id, even with identical terms", async function () {
      const { exchange, maker, alpha, beta, expiresAt, order, orderId } = await loadFixture(openOrderFixture);
      const second = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, beta, SELL, BUY, expiresAt),
      );
      expect(second.nonce).to.equal(BigInt(order.nonce) + 1n);
      expect(await exchange.orderIdOf(second)).to.not.equal(orderId);
      expect(await exchange.orderCount()).to.equal(2n);
      expect(await alpha.balanceOf(exchange)).to.equal(2n * SELL);
    });

    it("sells and asks for allow-listed stablecoins of any decimals", async function () {
      const { exchange, maker, taker, alpha, usdc } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const sellUsdc = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(usdc, alpha, 25n * unit(6), 1_000n * ONE, expiresAt),
      );
      await expect(exchange.connect(taker).fill(sellUsdc, 5n * unit(6), 200n * ONE)).to.changeTokenBalances(
        usdc,
        [taker, exchange],
        [5n * unit(6), -5n * unit(6)],
      );
      const buyUsdc = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, usdc, 1_000n * ONE, 25n * unit(6), expiresAt),
      );
      await expect(exchange.connect(taker).fill(buyUsdc, 200n * ONE, 5n * unit(6))).to.changeTokenBalances(
        usdc,
        [taker, maker],
        [-5n * unit(6), 5n * unit(6)],
      );
    });

    it("takes amounts up to 112 bits", async function () {
      const { exchange, factory, maker, beta, alphaMerchant } = await loadFixture(exchangeFixture);
      // A token's whole supply is at most 2^112 - 1 (LoyaltyToken), so a fresh token whose supply the maker holds.
      const gamma = await createToken(factory, alphaMerchant, tokenParams({ name: "Gamma Grocer", symbol: "GAM" }));
      await (await gamma.connect(alphaMerchant).mint(maker.address, UINT112_MAX)).wait();
      await (await gamma.connect(maker).approve(await exchange.getAddress(), UINT112_MAX)).wait();
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(gamma, beta, UINT112_MAX, UINT112_MAX, expiresAt),
      );
      expect(await exchange.remaining(await exchange.orderIdOf(order))).to.deep.equal([
        UINT112_MAX,
        UINT112_MAX,
        expiresAt,
      ]);
    });

    it("reverts when the sell or the buy amount is zero", async function () {
      const { exchange, maker, alpha, beta } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      await expect(exchange.connect(maker).createOrder(alpha, beta, 0n, BUY, expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeZeroAmount")
        .withArgs(0n, BUY);
      await expect(exchange.connect(maker).createOrder(alpha, beta, SELL, 0n, expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeZeroAmount")
        .withArgs(SELL, 0n);
    });

    it("reverts when the expiry is not after now", async function () {
      const { exchange, maker, alpha, beta } = await loadFixture(exchangeFixture);
      const now = (await latest()) + 10n;
      await time.setNextBlockTimestamp(now);
      await expect(exchange.connect(maker).createOrder(alpha, beta, SELL, BUY, now))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeInvalidExpiry")
        .withArgs(now, now);
    });

    it("reverts when both sides are the same token", async function () {
      const { exchange, maker, alpha } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      await expect(exchange.connect(maker).createOrder(alpha, alpha, SELL, BUY, expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeSameToken")
        .withArgs(await alpha.getAddress());
    });

    it("reverts when a token is neither a factory token nor an allow-listed stablecoin", async function () {
      const { exchange, maker, alpha } = await loadFixture(exchangeFixture);
      const other = (await ethers.deployContract("MockStablecoin", ["Other", "OTH", 18])) as unknown as MockStablecoin;
      await (await other.mint(maker.address, SELL)).wait();
      await (await other.connect(maker).approve(exchange, ethers.MaxUint256)).wait();
      const expiresAt = (await latest()) + BigInt(DAY);
      await expect(exchange.connect(maker).createOrder(other, alpha, SELL, BUY, expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeTokenNotAccepted")
        .withArgs(await other.getAddress());
      await expect(exchange.connect(maker).createOrder(alpha, other, SELL, BUY, expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeTokenNotAccepted")
        .withArgs(await other.getAddress());
      await expect(exchange.connect(maker).createOrder(alpha, ethers.ZeroAddress, SELL, BUY, expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeTokenNotAccepted")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts when the stablecoin left the allow-list", async function () {
      const { exchange, owner, maker, alpha, usdc } = await loadFixture(exchangeFixture);
      await (await exchange.connect(owner).setStablecoin(usdc, false)).wait();
      const expiresAt = (await latest()) + BigInt(DAY);
      await expect(exchange.connect(maker).createOrder(alpha, usdc, SELL, unit(6), expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeTokenNotAccepted")
        .withArgs(await usdc.getAddress());
    });

    it("reverts with the token's own error when the maker has not approved the exchange", async function () {
      const { exchange, stranger, alpha, alphaMerchant, beta } = await loadFixture(exchangeFixture);
      await (await alpha.connect(alphaMerchant).mint(stranger.address, SELL)).wait();
      const expiresAt = (await latest()) + BigInt(DAY);
      await expect(
        exchange.connect(stranger).createOrder(alpha, beta, SELL, BUY, expiresAt),
      ).to.be.revertedWithCustomError(alpha, "InsufficientAllowance");
    });
  });

  describe("quote", function () {
    it("is what fill charges: the price rounded up", async function () {
      const { exchange, taker, order } = await loadFixture(openOrderFixture);
      const take = 7n; // 7 base units of BEAN at 1.5 PAGE each: 10.5, rounded up
      expect(await exchange.quote(order, take)).to.equal(11n);
      expect(await exchange.connect(taker).fill.staticCall(order, take, 11n)).to.equal(11n);
      expect(await exchange.quote(order, SELL)).to.equal(BUY);
    });

    it("reverts as fill would", async function () {
      const { exchange, order, orderId, expiresAt } = await loadFixture(openOrderFixture);
      await expect(exchange.quote(order, SELL + 1n))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOverfill")
        .withArgs(orderId, SELL + 1n, SELL);
      await expect(exchange.quote(order, 0n))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeZeroFill")
        .withArgs(orderId, 0n, 0n);
      const forged = { ...order, nonce: 99n };
      await expect(exchange.quote(forged, 1n))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(await exchange.orderIdOf(forged));
      await time.increaseTo(expiresAt);
      await expect(exchange.quote(order, 1n))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderExpired")
        .withArgs(orderId, expiresAt);
    });
  });

  describe("fill", function () {
    it("moves the sell amount to the taker and the price straight to the maker", async function () {
      const { exchange, maker, taker, alpha, beta, order } = await loadFixture(openOrderFixture);
      const tx = exchange.connect(taker).fill(order, 40n * ONE, 60n * ONE);
      await expect(tx).to.changeTokenBalances(alpha, [exchange, taker], [-40n * ONE, 40n * ONE]);
      await expect(tx).to.changeTokenBalances(beta, [taker, maker, exchange], [-60n * ONE, 60n * ONE, 0n]);
    });

    it("emits OrderFilled with the taker, the amounts and the sell amount left, and keeps the rest open", async function () {
      const { exchange, taker, order, orderId, expiresAt } = await loadFixture(openOrderFixture);
      await expect(exchange.connect(taker).fill(order, 40n * ONE, 60n * ONE))
        .to.emit(exchange, "OrderFilled")
        .withArgs(orderId, taker.address, 40n * ONE, 60n * ONE, 60n * ONE);
      expect(await exchange.remaining(orderId)).to.deep.equal([60n * ONE, 90n * ONE, expiresAt]);
    });

    it("returns what the taker paid", async function () {
      const { exchange, taker, order } = await loadFixture(openOrderFixture);
      expect(await exchange.connect(taker).fill.staticCall(order, 40n * ONE, 60n * ONE)).to.equal(60n * ONE);
    });

    it("rounds the price up, against the taker", async function () {
      const { exchange, maker, taker, alpha, beta } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, beta, 3n, 10n, expiresAt),
      );
      await expect(exchange.connect(taker).fill(order, 1n, 4n)).to.changeTokenBalances(beta, [taker, maker], [-4n, 4n]);
      // 2 left for 6: the next unit costs 3, still at least 10/3.
      expect(await exchange.quote(order, 1n)).to.equal(3n);
    });

    it("closes the order when it takes everything left, paying exactly the remaining buy amount", async function () {
      const { exchange, maker, taker, beta, order, orderId } = await loadFixture(openOrderFixture);
      await (await exchange.connect(taker).fill(order, 33n * ONE, BUY)).wait();
      const [sellLeft, buyLeft] = await exchange.remaining(orderId);
      const before = await beta.balanceOf(maker);
      await expect(exchange.connect(taker).fill(order, sellLeft, buyLeft))
        .to.emit(exchange, "OrderFilled")
        .withArgs(orderId, taker.address, sellLeft, buyLeft, 0n);
      expect((await beta.balanceOf(maker)) - before).to.equal(buyLeft);
      expect(await beta.balanceOf(maker)).to.equal(1_000_000n * ONE + BUY);
      expect(await exchange.remaining(orderId)).to.deep.equal([0n, 0n, 0n]);
      await expect(exchange.connect(taker).fill(order, 1n, BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(orderId);
    });

    it("lets several takers fill the same order", async function () {
      const { exchange, maker, taker, carol, alpha, order, orderId } = await loadFixture(openOrderFixture);
      await (await exchange.connect(taker).fill(order, 30n * ONE, BUY)).wait();
      await (await exchange.connect(carol).fill(order, 70n * ONE, BUY)).wait();
      expect(await alpha.balanceOf(exchange)).to.equal(0n);
      expect((await exchange.remaining(orderId))[0]).to.equal(0n);
      expect(await alpha.balanceOf(maker)).to.equal(1_000_000n * ONE - SELL);
    });

    it("still fills and cancels orders of a stablecoin that left the allow-list", async function () {
      const { exchange, owner, maker, taker, alpha, usdc } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(usdc, alpha, 10n * unit(6), 10n * ONE, expiresAt),
      );
      await (await exchange.connect(owner).setStablecoin(usdc, false)).wait();
      await expect(exchange.connect(taker).fill(order, unit(6), ONE)).to.changeTokenBalance(usdc, taker, unit(6));
      await expect(exchange.connect(maker).cancel(order)).to.changeTokenBalance(usdc, maker, 9n * unit(6));
    });

    it("reverts when no open order has these terms", async function () {
      const { exchange, taker, order } = await loadFixture(openOrderFixture);
      const forged = { ...order, nonce: 2n };
      await expect(exchange.connect(taker).fill(forged, ONE, BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(await exchange.orderIdOf(forged));
    });

    it("reverts from the expiry second on", async function () {
      const { exchange, taker, order, orderId, expiresAt } = await loadFixture(openOrderFixture);
      await time.setNextBlockTimestamp(expiresAt - 1n);
      await (await exchange.connect(taker).fill(order, ONE, BUY)).wait();
      await time.setNextBlockTimestamp(expiresAt);
      await expect(exchange.connect(taker).fill(order, ONE, BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderExpired")
        .withArgs(orderId, expiresAt);
    });

    it("reverts when it takes more than is left", async function () {
      const { exchange, taker, order, orderId } = await loadFixture(openOrderFixture);
      await expect(exchange.connect(taker).fill(order, SELL + 1n, 2n * BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOverfill")
        .withArgs(orderId, SELL + 1n, SELL);
      await expect(exchange.connect(taker).fill(order, 2n ** 255n, ethers.MaxUint256))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOverfill")
        .withArgs(orderId, 2n ** 255n, SELL);
    });

    it("reverts when it takes nothing", async function () {
      const { exchange, taker, order, orderId } = await loadFixture(openOrderFixture);
      await expect(exchange.connect(taker).fill(order, 0n, BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeZeroFill")
        .withArgs(orderId, 0n, 0n);
    });

    it("reverts when it would pay nothing (the buy amount left is zero)", async function () {
      const { exchange, maker, taker, alpha, beta } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, beta, 100n, 1n, expiresAt),
      );
      const orderId = await exchange.orderIdOf(order);
      await (await exchange.connect(taker).fill(order, 1n, 1n)).wait(); // pays the whole 1 for 1 unit
      await expect(exchange.connect(taker).fill(order, 99n, 0n))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeZeroFill")
        .withArgs(orderId, 99n, 0n);
    });

    it("reverts when the price is above the taker's maximum", async function () {
      const { exchange, taker, order, orderId } = await loadFixture(openOrderFixture);
      await expect(exchange.connect(taker).fill(order, 7n, 10n))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeBuyAmountAboveMaximum")
        .withArgs(orderId, 11n, 10n);
    });

    it("reverts with the token's own error when the taker has not approved the exchange", async function () {
      const { exchange, stranger, beta, betaMerchant, order } = await loadFixture(openOrderFixture);
      await (await beta.connect(betaMerchant).mint(stranger.address, BUY)).wait();
      await expect(exchange.connect(stranger).fill(order, ONE, BUY)).to.be.revertedWithCustomError(
        beta,
        "InsufficientAllowance",
      );
    });
  });

  describe("cancel", function () {
    it("returns what is left of the escrow to the maker and closes the order", async function () {
      const { exchange, maker, taker, alpha, order, orderId } = await loadFixture(openOrderFixture);
      await (await exchange.connect(taker).fill(order, 40n * ONE, BUY)).wait();
      const tx = exchange.connect(maker).cancel(order);
      await expect(tx)
        .to.emit(exchange, "OrderCancelled")
        .withArgs(orderId, 60n * ONE);
      await expect(tx).to.changeTokenBalances(alpha, [exchange, maker], [-60n * ONE, 60n * ONE]);
      expect(await exchange.remaining(orderId)).to.deep.equal([0n, 0n, 0n]);
    });

    it("works after the expiry too", async function () {
      const { exchange, maker, alpha, order, expiresAt } = await loadFixture(openOrderFixture);
      await time.increaseTo(expiresAt + 1n);
      await expect(exchange.connect(maker).cancel(order)).to.changeTokenBalance(alpha, maker, SELL);
    });

    it("reverts for anyone but the maker", async function () {
      const { exchange, taker, order, orderId } = await loadFixture(openOrderFixture);
      await expect(exchange.connect(taker).cancel(order))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeNotMaker")
        .withArgs(orderId, taker.address);
    });

    it("reverts when the order is already closed", async function () {
      const { exchange, maker, order, orderId } = await loadFixture(openOrderFixture);
      await (await exchange.connect(maker).cancel(order)).wait();
      await expect(exchange.connect(maker).cancel(order))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(orderId);
    });
  });

  describe("returnExpired", function () {
    it("lets anyone return an expired order's escrow to its maker", async function () {
      const { exchange, maker, taker, stranger, alpha, order, orderId, expiresAt } =
        await loadFixture(openOrderFixture);
      await (await exchange.connect(taker).fill(order, 25n * ONE, BUY)).wait();
      await time.setNextBlockTimestamp(expiresAt);
      const tx = exchange.connect(stranger).returnExpired(order);
      await expect(tx)
        .to.emit(exchange, "OrderExpired")
        .withArgs(orderId, stranger.address, 75n * ONE);
      await expect(tx).to.changeTokenBalances(alpha, [exchange, maker, stranger], [-75n * ONE, 75n * ONE, 0n]);
      expect(await exchange.remaining(orderId)).to.deep.equal([0n, 0n, 0n]);
    });

    it("reverts before the expiry", async function () {
      const { exchange, stranger, order, orderId, expiresAt } = await loadFixture(openOrderFixture);
      await time.setNextBlockTimestamp(expiresAt - 1n);
      await expect(exchange.connect(stranger).returnExpired(order))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotExpired")
        .withArgs(orderId, expiresAt);
    });

    it("reverts when the order is already closed", async function () {
      const { exchange, maker, stranger, order, orderId, expiresAt } = await loadFixture(openOrderFixture);
      await (await exchange.connect(maker).cancel(order)).wait();
      await time.increaseTo(expiresAt);
      await expect(exchange.connect(stranger).returnExpired(order))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(orderId);
    });
  });

  describe("setStablecoin", function () {
    it("lets the owner allow and stop a stablecoin", async function () {
      const { exchange, owner } = await loadFixture(exchangeFixture);
      const dai = await ethers.deployContract("MockStablecoin", ["Dai Stablecoin", "DAI", 18]);
      await expect(exchange.connect(owner).setStablecoin(dai, true))
        .to.emit(exchange, "StablecoinSet")
        .withArgs(await dai.getAddress(), true);
      expect(await exchange.isStablecoin(dai)).to.equal(true);
      expect(await exchange.isAccepted(dai)).to.equal(true);
      await expect(exchange.connect(owner).setStablecoin(dai, false))
        .to.emit(exchange, "StablecoinSet")
        .withArgs(await dai.getAddress(), false);
      expect(await exchange.isStablecoin(dai)).to.equal(false);
      expect(await exchange.isAccepted(dai)).to.equal(false);
    });

    it("does not stop a factory token", async function () {
      const { exchange, owner, maker, alpha, beta } = await loadFixture(exchangeFixture);
      await (await exchange.connect(owner).setStablecoin(alpha, true)).wait();
      await (await exchange.connect(owner).setStablecoin(alpha, false)).wait();
      expect(await exchange.isAccepted(alpha)).to.equal(true);
      const expiresAt = (await latest()) + BigInt(DAY);
      await expect(exchange.connect(maker).createOrder(alpha, beta, SELL, BUY, expiresAt)).to.emit(
        exchange,
        "OrderCreated",
      );
    });

    it("reverts for the zero address", async function () {
      const { exchange, owner } = await loadFixture(exchangeFixture);
      await expect(exchange.connect(owner).setStablecoin(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeInvalidStablecoin")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts for anyone but the owner", async function () {
      const { exchange, stranger, usdc } = await loadFixture(exchangeFixture);
      await expect(exchange.connect(stranger).setStablecoin(usdc, false))
        .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });
  });

  describe("ownership", function () {
    it("moves in two steps: the new owner must accept", async function () {
      const { exchange, owner, stranger, carol, usdc } = await loadFixture(exchangeFixture);
      await (await exchange.connect(owner).transferOwnership(carol.address)).wait();
      expect(await exchange.pendingOwner()).to.equal(carol.address);
      expect(await exchange.owner()).to.equal(owner.address);
      await expect(exchange.connect(stranger).acceptOwnership())
        .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await (await exchange.connect(carol).acceptOwnership()).wait();
      expect(await exchange.owner()).to.equal(carol.address);
      await expect(exchange.connect(owner).setStablecoin(usdc, false))
        .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
        .withArgs(owner.address);
    });
  });

  describe("gas", function () {
    const OPEN_ORDERS = 10_000;
    const PER_TRANSACTION = 250;

    it(`costs the same to fill and to cancel with 1 open order or ${OPEN_ORDERS.toLocaleString("en-US")}`, async function () {
      // Instrumented code costs other gas, and 10 000 instrumented creations take minutes.
      if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
      const { exchange, maker, taker, alpha, beta, betaMerchant, order, expiresAt } =
        await loadFixture(openOrderFixture);
      const alone = await takeSnapshot();
      const measure = async () => ({
        fill: await gasUsed(exchange.connect(taker).fill(order, 40n * ONE, BUY)),
        cancel: await gasUsed(exchange.connect(maker).cancel(order)),
      });
      const withOne = await measure();
      await alone.restore();

      // The other side of the same pair, so that the probe's own token balances (whose gas is the token's
      // business: emptying a balance refunds storage) move exactly as they did alone.
      const bulk = (await ethers.deployContract("BulkOrderMaker")) as unknown as BulkOrderMaker;
      await (await beta.connect(betaMerchant).mint(await bulk.getAddress(), BigInt(OPEN_ORDERS) * ONE)).wait();
      for (let made = 0; made < OPEN_ORDERS; made += PER_TRANSACTION) {
        await (await bulk.createOrders(exchange, beta, alpha, ONE, ONE, expiresAt, PER_TRANSACTION)).wait();
      }
      expect(await exchange.orderCount()).to.equal(BigInt(OPEN_ORDERS) + 1n);
      expect(await beta.balanceOf(exchange)).to.equal(BigInt(OPEN_ORDERS) * ONE);
      expect(await measure()).to.deep.equal(withOne);
    });
  });

  describe("attacks", function () {
    /** The exchange fixture with a re-entrant token allow-listed as a stablecoin, held and approved by all. */
    async function reentrantFixture() {
      const base = await exchangeFixture();
      const { exchange, owner, maker, taker } = base;
      const evil = (await ethers.deployContract("ReentrantToken")) as unknown as ReentrantToken;
      await (await exchange.connect(owner).setStablecoin(evil, true)).wait();
      for (const trader of [maker, taker]) {
        await (await evil.mint(trader.address, 1_000n * ONE)).wait();
        await (await evil.connect(trader).approve(exchange, ethers.MaxUint256)).wait();
      }
      return { ...base, evil };
    }

    it("reentrancy: a malicious sell token calling back into fill is refused, and the fill undone", async function () {
      const { exchange, maker, taker, alpha, evil } = await loadFixture(reentrantFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(evil, alpha, SELL, BUY, expiresAt),
      );
      const orderId = await exchange.orderIdOf(order);
      // While the exchange pays the taker in the evil token, the token tries to fill the same order again.
      await (await evil.arm(exchange, exchange.interface.encodeFunctionData("fill", [order, 10n * ONE, BUY]))).wait();
      await expect(exchange.connect(taker).fill(order, 40n * ONE, BUY)).to.be.revertedWithCustomError(
        exchange,
        "ReentrancyGuardReentrantCall",
      );
      expect(await exchange.remaining(orderId)).to.deep.equal([SELL, BUY, expiresAt]);
      expect(await evil.balanceOf(exchange)).to.equal(SELL);
    });

    it("reentrancy: a malicious buy token calling back into cancel during the payment is refused", async function () {
      const { exchange, maker, taker, alpha, evil } = await loadFixture(reentrantFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, evil, SELL, BUY, expiresAt),
      );
      await (await evil.arm(exchange, exchange.interface.encodeFunctionData("cancel", [order]))).wait();
      await expect(exchange.connect(taker).fill(order, 40n * ONE, BUY)).to.be.revertedWithCustomError(
        exchange,
        "ReentrancyGuardReentrantCall",
      );
      expect(await alpha.balanceOf(exchange)).to.equal(SELL);
    });

    it("reentrancy: a malicious token calling back into createOrder during the escrow at creation is refused", async function () {
      const { exchange, maker, alpha, evil } = await loadFixture(reentrantFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const createData = exchange.interface.encodeFunctionData("createOrder", [
        await evil.getAddress(),
        await alpha.getAddress(),
        ONE,
        ONE,
        expiresAt,
      ]);
      await (await evil.arm(exchange, createData)).wait();
      await expect(
        exchange.connect(maker).createOrder(evil, alpha, SELL, BUY, expiresAt),
      ).to.be.revertedWithCustomError(exchange, "ReentrancyGuardReentrantCall");
      expect(await exchange.orderCount()).to.equal(0n);
    });

    it("reentrancy: a malicious token calling back into returnExpired while its escrow is returned is refused", async function () {
      const { exchange, maker, alpha, evil } = await loadFixture(reentrantFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(evil, alpha, SELL, BUY, expiresAt),
      );
      await time.increaseTo(expiresAt);
      // Cancelling pays the escrow back in the evil token, which tries to have it returned a second time.
      await (await evil.arm(exchange, exchange.interface.encodeFunctionData("returnExpired", [order]))).wait();
      await expect(exchange.connect(maker).cancel(order)).to.be.revertedWithCustomError(
        exchange,
        "ReentrancyGuardReentrantCall",
      );
      expect(await evil.balanceOf(exchange)).to.equal(SELL);
    });

    it("fee-on-transfer: a token that delivers less than was sent is refused on escrow", async function () {
      const { exchange, owner, maker, alpha } = await loadFixture(exchangeFixture);
      const fee = (await ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
      await (await exchange.connect(owner).setStablecoin(fee, true)).wait();
      await (await fee.mint(maker.address, SELL)).wait();
      await (await fee.connect(maker).approve(exchange, ethers.MaxUint256)).wait();
      const expiresAt = (await latest()) + BigInt(DAY);
      await expect(exchange.connect(maker).createOrder(fee, alpha, SELL, BUY, expiresAt))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeFeeOnTransfer")
        .withArgs(await fee.getAddress(), SELL, (SELL * 99n) / 100n);
      expect(await fee.balanceOf(exchange)).to.equal(0n);
      expect(await exchange.orderCount()).to.equal(0n);
    });

    it("rounding: 50 tiny partial fills never pay the maker less than the price", async function () {
      const { exchange, maker, taker, alpha, usdc } = await loadFixture(exchangeFixture);
      // 1 BEAN (10^18 base units) for 1 000 base units of USDC: one USDC unit is worth 10^15 BEAN units.
      const sell = ONE;
      const buy = 1_000n;
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, usdc, sell, buy, expiresAt),
      );
      const paidBefore = await usdc.balanceOf(maker);
      let filled = 0n;
      for (let i = 0; i < 50; i++) {
        const take = 1n + BigInt(i) * 7_919n; // far below what one USDC unit buys: exact price rounds to zero
        await expect(exchange.connect(taker).fill(order, take, 1n)).to.changeTokenBalance(usdc, maker, 1n);
        filled += take;
        const paid = (await usdc.balanceOf(maker)) - paidBefore;
        expect(paid * sell).to.be.at.least(filled * buy);
      }
      expect((await usdc.balanceOf(maker)) - paidBefore).to.equal(50n);
      // Taking the rest pays exactly what is left: the maker ends with the full price, never less.
      const [sellLeft, buyLeft] = await exchange.remaining(await exchange.orderIdOf(order));
      expect(sellLeft).to.equal(sell - filled);
      await (await exchange.connect(taker).fill(order, sellLeft, buyLeft)).wait();
      expect((await usdc.balanceOf(maker)) - paidBefore).to.equal(buy);
      expect(await alpha.balanceOf(exchange)).to.equal(0n);
    });

    it("rounding: once tiny fills have paid the whole price, nobody can take the rest for free", async function () {
      const { exchange, maker, taker, alpha, usdc } = await loadFixture(exchangeFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, usdc, ONE, 3n, expiresAt),
      );
      const orderId = await exchange.orderIdOf(order);
      for (let i = 0; i < 3; i++) await (await exchange.connect(taker).fill(order, 1n, 1n)).wait();
      const [sellLeft, buyLeft] = await exchange.remaining(orderId);
      expect([sellLeft, buyLeft]).to.deep.equal([ONE - 3n, 0n]);
      await expect(exchange.connect(taker).fill(order, sellLeft, 0n))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeZeroFill")
        .withArgs(orderId, sellLeft, 0n);
      await expect(exchange.connect(maker).cancel(order)).to.changeTokenBalance(alpha, maker, sellLeft);
    });

    it("rounding: unit fills at an odd price pay the maker at least the price", async function () {
      const { exchange, maker, taker, beta, alpha } = await loadFixture(exchangeFixture);
      const sell = 997n;
      const buy = 1_499n;
      const expiresAt = (await latest()) + BigInt(DAY);
      const order = await createdOrder(
        exchange,
        await exchange.connect(maker).createOrder(alpha, beta, sell, buy, expiresAt),
      );
      const paidBefore = await beta.balanceOf(maker);
      for (let i = 0; i < 50; i++) await (await exchange.connect(taker).fill(order, 1n, buy)).wait();
      const paid = (await beta.balanceOf(maker)) - paidBefore;
      expect(paid * sell).to.be.at.least(50n * buy);
      expect(paid).to.equal(100n); // each unit costs 1.503..., rounded up to 2
      const [sellLeft, buyLeft] = await exchange.remaining(await exchange.orderIdOf(order));
      await (await exchange.connect(taker).fill(order, sellLeft, buyLeft)).wait();
      expect((await beta.balanceOf(maker)) - paidBefore).to.equal(buy);
    });

    it("overfill: a fill cannot take more than is left, even after another taker got there first", async function () {
      const { exchange, taker, carol, alpha, order, orderId } = await loadFixture(openOrderFixture);
      await (await exchange.connect(carol).fill(order, 70n * ONE, BUY)).wait();
      await expect(exchange.connect(taker).fill(order, 40n * ONE, BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOverfill")
        .withArgs(orderId, 40n * ONE, 30n * ONE);
      expect(await alpha.balanceOf(exchange)).to.equal(30n * ONE);
    });

    it("fill of a cancelled order reverts", async function () {
      const { exchange, maker, taker, order, orderId } = await loadFixture(openOrderFixture);
      await (await exchange.connect(maker).cancel(order)).wait();
      await expect(exchange.connect(taker).fill(order, ONE, BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(orderId);
    });

    it("fill of an expired order reverts, even before anyone returned it", async function () {
      const { exchange, taker, order, orderId, expiresAt } = await loadFixture(openOrderFixture);
      await time.increaseTo(expiresAt + BigInt(DAY));
      await expect(exchange.connect(taker).fill(order, ONE, BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderExpired")
        .withArgs(orderId, expiresAt);
    });

    it("non-maker cancel reverts, and terms forged to name the attacker as maker find no order", async function () {
      const { exchange, stranger, alpha, order, orderId } = await loadFixture(openOrderFixture);
      await expect(exchange.connect(stranger).cancel(order))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeNotMaker")
        .withArgs(orderId, stranger.address);
      const forged: ExchangeOrder = { ...order, maker: stranger.address };
      await expect(exchange.connect(stranger).cancel(forged))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(await exchange.orderIdOf(forged));
      expect(await alpha.balanceOf(exchange)).to.equal(SELL);
    });

    it("forged terms: a taker cannot draw another token from the escrow by naming it as the sell token", async function () {
      const { exchange, maker, taker, usdc, alpha, beta, order } = await loadFixture(openOrderFixture);
      const expiresAt = (await latest()) + BigInt(DAY);
      await (await exchange.connect(maker).createOrder(usdc, beta, 1_000n * unit(6), ONE, expiresAt)).wait();
      const forged: ExchangeOrder = { ...order, sellToken: await usdc.getAddress() };
      await expect(exchange.connect(taker).fill(forged, unit(6), BUY))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotOpen")
        .withArgs(await exchange.orderIdOf(forged));
      const wrongPayment: ExchangeOrder = { ...order, buyToken: await alpha.getAddress() };
      await expect(exchange.connect(taker).fill(wrongPayment, ONE, BUY)).to.be.revertedWithCustomError(
        exchange,
        "PointsExchangeOrderNotOpen",
      );
    });

    it("access control: only the owner manages the allow-list, and the owner cannot touch escrow", async function () {
      const { exchange, owner, stranger, usdc, order, orderId, expiresAt } = await loadFixture(openOrderFixture);
      await expect(exchange.connect(stranger).setStablecoin(stranger.address, true))
        .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await expect(exchange.connect(stranger).transferOwnership(stranger.address))
        .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      expect(await exchange.isStablecoin(usdc)).to.equal(true);
      await expect(exchange.connect(owner).cancel(order))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeNotMaker")
        .withArgs(orderId, owner.address);
      await expect(exchange.connect(owner).returnExpired(order))
        .to.be.revertedWithCustomError(exchange, "PointsExchangeOrderNotExpired")
        .withArgs(orderId, expiresAt);
    });
  });
});
