import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { CashOutGateway, MockStablecoin } from "../../typechain-types";
import { DAY, ONE, gatewayFixture, signPermit, unit } from "../helpers/fixtures";

const UINT40_MAX = 2n ** 40n - 1n;
const UINT96_MAX = 2n ** 96n - 1n;
const UINT128_MAX = 2n ** 128n - 1n;

/** What a sale pays: points * price / 1e18, rounded down. */
function payout(points: bigint, price: bigint): bigint {
  return (points * price) / ONE;
}

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

for (const decimals of [6, 18]) {
  describe(`CashOutGateway (${decimals}-decimal stablecoin)`, function () {
    /** One cent per whole point, the merchant token's face value. */
    const PRICE = unit(decimals) / 100n;
    /** 100 stablecoin units: enough for 10 000 points at PRICE. */
    const FUNDS = 100n * unit(decimals);
    const MAX_POINTS = 5_000n * ONE;

    async function fixture() {
      const base = await loadFixture(gatewayFixture);
      const coin: MockStablecoin = decimals === 6 ? base.usdc : base.dai;
      return { ...base, coin };
    }

    interface BidTerms {
      operator: HardhatEthersSigner;
      token: string;
      stablecoin: string;
      recipient: string;
      price: bigint;
      maxPoints: bigint;
      expiresAt: bigint;
      funds: bigint;
    }

    /** Posts a bid (by default the exchange operator's, funded, for a day) and returns its id and terms. */
    async function postBid(
      gateway: CashOutGateway,
      defaults: Omit<BidTerms, "price" | "maxPoints" | "expiresAt" | "funds" | "recipient">,
      overrides: Partial<BidTerms> = {},
    ) {
      const terms: BidTerms = {
        recipient: ethers.ZeroAddress,
        price: PRICE,
        maxPoints: MAX_POINTS,
        expiresAt: (await latest()) + BigInt(DAY),
        funds: FUNDS,
        ...defaults,
        ...overrides,
      };
      await (
        await gateway
          .connect(terms.operator)
          .postBid(
            terms.token,
            terms.stablecoin,
            terms.recipient,
            terms.price,
            terms.maxPoints,
            terms.expiresAt,
            terms.funds,
          )
      ).wait();
      return { bidId: await gateway.bidCount(), ...terms };
    }

    /** The fixture with one open bid by the exchange operator. */
    async function bidFixture(overrides: Partial<BidTerms> = {}) {
      const f = await fixture();
      const bid = await postBid(
        f.gateway,
        { operator: f.operator, token: await f.token.getAddress(), stablecoin: await f.coin.getAddress() },
        overrides,
      );
      const deadline = (await latest()) + 3600n;
      return { ...f, bid, bidId: bid.bidId, deadline };
    }

    describe("deployment", function () {
      it("names its factory and has no bids", async function () {
        const { gateway, factory } = await fixture();
        expect(await gateway.factory()).to.equal(await factory.getAddress());
        expect(await gateway.bidCount()).to.equal(0n);
      });
    });

    describe("postBid", function () {
      it("escrows the funds, records the bid and emits BidPosted", async function () {
        const { gateway, operator, token, coin, alice } = await fixture();
        const gatewayAddress = await gateway.getAddress();
        const expiresAt = (await latest()) + BigInt(DAY);
        const args = [
          await token.getAddress(),
          await coin.getAddress(),
          alice.address,
          PRICE,
          MAX_POINTS,
          expiresAt,
          FUNDS,
        ] as const;
        expect(await gateway.connect(operator).postBid.staticCall(...args)).to.equal(1n);
        const tx = gateway.connect(operator).postBid(...args);
        await expect(tx)
          .to.emit(gateway, "BidPosted")
          .withArgs(1n, operator.address, args[0], args[1], alice.address, PRICE, MAX_POINTS, expiresAt, FUNDS);
        await expect(tx).to.changeTokenBalances(coin, [operator, gateway], [-FUNDS, FUNDS]);
        expect(await gateway.bidCount()).to.equal(1n);
        const bid = await gateway.bidOf(1n);
        expect(bid.token).to.equal(args[0]);
        expect(bid.price).to.equal(PRICE);
        expect(bid.stablecoin).to.equal(args[1]);
        expect(bid.expiresAt).to.equal(expiresAt);
        expect(bid.funds).to.equal(FUNDS);
        expect(bid.remainingPoints).to.equal(MAX_POINTS);
        expect(bid.recipient).to.equal(alice.address);
        expect(bid.operator).to.equal(operator.address);
        expect(await coin.balanceOf(gatewayAddress)).to.equal(FUNDS);
      });

      it("sends points to the operator when no recipient is given", async function () {
        const { gateway, operator } = await bidFixture();
        expect((await gateway.bidOf(1n)).recipient).to.equal(operator.address);
      });

      it("posts an unfunded bid without moving any stablecoin", async function () {
        const { gateway, operator, token, coin } = await fixture();
        const expiresAt = (await latest()) + BigInt(DAY);
        await expect(
          gateway.connect(operator).postBid(token, coin, ethers.ZeroAddress, PRICE, MAX_POINTS, expiresAt, 0n),
        ).to.changeTokenBalance(coin, operator, 0n);
        expect((await gateway.bidOf(1n)).funds).to.equal(0n);
      });

      it("lets the merchant post a buy-back at face value, and numbers bids from 1", async function () {
        const { gateway, operator, merchant, token, coin } = await bidFixture();
        // faceValue is millionths of the reference currency per whole point.
        const faceValue = await token.faceValue();
        const price = (faceValue * unit(decimals)) / 1_000_000n;
        const expiresAt = (await latest()) + BigInt(DAY);
        await expect(
          gateway.connect(merchant).postBid(token, coin, ethers.ZeroAddress, price, MAX_POINTS, expiresAt, FUNDS),
        )
          .to.emit(gateway, "BidPosted")
          .withArgs(
            2n,
            merchant.address,
            await token.getAddress(),
            await coin.getAddress(),
            merchant.address,
            price,
            MAX_POINTS,
            expiresAt,
            FUNDS,
          );
        expect((await gateway.bidOf(1n)).operator).to.equal(operator.address);
        expect((await gateway.bidOf(2n)).operator).to.equal(merchant.address);
      });

      it("reverts when the token was not created by the factory", async function () {
        const { gateway, operator, coin } = await fixture();
        const expiresAt = (await latest()) + BigInt(DAY);
        await expect(
          gateway.connect(operator).postBid(coin, coin, ethers.ZeroAddress, PRICE, MAX_POINTS, expiresAt, FUNDS),
        )
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownToken")
          .withArgs(await coin.getAddress());
      });

      it("reverts when the stablecoin has no code", async function () {
        const { gateway, operator, token, stranger } = await fixture();
        const expiresAt = (await latest()) + BigInt(DAY);
        await expect(
          gateway.connect(operator).postBid(token, stranger, ethers.ZeroAddress, PRICE, MAX_POINTS, expiresAt, 0n),
        )
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayInvalidStablecoin")
          .withArgs(stranger.address);
      });

      it("reverts when the recipient is the gateway itself", async function () {
        const { gateway, operator, token, coin } = await fixture();
        const expiresAt = (await latest()) + BigInt(DAY);
        await expect(gateway.connect(operator).postBid(token, coin, gateway, PRICE, MAX_POINTS, expiresAt, FUNDS))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayInvalidRecipient")
          .withArgs(await gateway.getAddress());
      });

      it("reverts when the price is zero", async function () {
        const { gateway, operator, token, coin } = await fixture();
        const expiresAt = (await latest()) + BigInt(DAY);
        await expect(
          gateway.connect(operator).postBid(token, coin, ethers.ZeroAddress, 0n, MAX_POINTS, expiresAt, FUNDS),
        ).to.be.revertedWithCustomError(gateway, "CashOutGatewayZeroPrice");
      });

      it("reverts when the maximum of points is zero", async function () {
        const { gateway, operator, token, coin } = await fixture();
        const expiresAt = (await latest()) + BigInt(DAY);
        await expect(
          gateway.connect(operator).postBid(token, coin, ethers.ZeroAddress, PRICE, 0n, expiresAt, FUNDS),
        ).to.be.revertedWithCustomError(gateway, "CashOutGatewayZeroMaxPoints");
      });

      it("reverts when the expiry is not after now", async function () {
        const { gateway, operator, token, coin } = await fixture();
        const now = (await latest()) + 1n;
        await time.setNextBlockTimestamp(now);
        await expect(gateway.connect(operator).postBid(token, coin, ethers.ZeroAddress, PRICE, MAX_POINTS, now, FUNDS))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayInvalidExpiry")
          .withArgs(now);
      });

      it("reverts when a value does not fit its packed field", async function () {
        const { gateway, operator, token, coin } = await fixture();
        const expiresAt = (await latest()) + BigInt(DAY);
        const cases: [bigint, bigint, bigint, bigint, number, bigint][] = [
          [UINT96_MAX + 1n, MAX_POINTS, expiresAt, FUNDS, 96, UINT96_MAX + 1n],
          [PRICE, UINT128_MAX + 1n, expiresAt, FUNDS, 128, UINT128_MAX + 1n],
          [PRICE, MAX_POINTS, UINT40_MAX + 1n, FUNDS, 40, UINT40_MAX + 1n],
          [PRICE, MAX_POINTS, expiresAt, UINT128_MAX + 1n, 128, UINT128_MAX + 1n],
        ];
        for (const [price, maxPoints, expiry, funds, bits, value] of cases) {
          await expect(
            gateway.connect(operator).postBid(token, coin, ethers.ZeroAddress, price, maxPoints, expiry, funds),
          )
            .to.be.revertedWithCustomError(gateway, "SafeCastOverflowedUintDowncast")
            .withArgs(bits, value);
        }
      });

      it("accepts the largest values each field holds", async function () {
        const { gateway, operator, token, coin } = await fixture();
        await gateway
          .connect(operator)
          .postBid(token, coin, ethers.ZeroAddress, UINT96_MAX, UINT128_MAX, UINT40_MAX, FUNDS);
        const bid = await gateway.bidOf(1n);
        expect([bid.price, bid.remainingPoints, bid.expiresAt]).to.deep.equal([UINT96_MAX, UINT128_MAX, UINT40_MAX]);
      });
    });

    describe("topUp", function () {
      it("escrows more funds and emits BidFunded with the new free funds", async function () {
        const { gateway, operator, coin, bidId } = await bidFixture();
        const amount = 7n * unit(decimals) + 1n;
        const tx = gateway.connect(operator).topUp(bidId, amount);
        await expect(tx)
          .to.emit(gateway, "BidFunded")
          .withArgs(bidId, amount, FUNDS + amount);
        await expect(tx).to.changeTokenBalances(coin, [operator, gateway], [-amount, amount]);
        expect((await gateway.bidOf(bidId)).funds).to.equal(FUNDS + amount);
      });

      it("funds an expired bid too (only sales stop at expiry)", async function () {
        const { gateway, operator, bid } = await bidFixture();
        await time.increaseTo(bid.expiresAt + 1n);
        await expect(gateway.connect(operator).topUp(bid.bidId, 1n)).to.emit(gateway, "BidFunded");
      });

      it("reverts for anyone but the operator", async function () {
        const { gateway, merchant, bidId } = await bidFixture();
        await expect(gateway.connect(merchant).topUp(bidId, 1n))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnauthorizedOperator")
          .withArgs(bidId, merchant.address);
      });

      it("reverts for a bid never posted", async function () {
        const { gateway, operator } = await bidFixture();
        await expect(gateway.connect(operator).topUp(2n, 1n))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownBid")
          .withArgs(2n);
      });

      it("reverts when the funds would not fit in 128 bits", async function () {
        const { gateway, operator, bidId } = await bidFixture();
        await expect(gateway.connect(operator).topUp(bidId, UINT128_MAX))
          .to.be.revertedWithCustomError(gateway, "SafeCastOverflowedUintDowncast")
          .withArgs(128, UINT128_MAX + FUNDS);
      });
    });

    describe("reprice", function () {
      it("lowers and raises the price and emits BidRepriced", async function () {
        const { gateway, operator, bidId } = await bidFixture();
        for (const price of [PRICE / 2n, PRICE * 3n]) {
          await expect(gateway.connect(operator).reprice(bidId, price))
            .to.emit(gateway, "BidRepriced")
            .withArgs(bidId, price);
          expect((await gateway.bidOf(bidId)).price).to.equal(price);
          expect(await gateway.quote(bidId, 10n * ONE)).to.equal(payout(10n * ONE, price));
        }
      });

      it("reverts when the new price is zero", async function () {
        const { gateway, operator, bidId } = await bidFixture();
        await expect(gateway.connect(operator).reprice(bidId, 0n)).to.be.revertedWithCustomError(
          gateway,
          "CashOutGatewayZeroPrice",
        );
      });

      it("reverts when the new price does not fit in 96 bits", async function () {
        const { gateway, operator, bidId } = await bidFixture();
        await expect(gateway.connect(operator).reprice(bidId, UINT96_MAX + 1n))
          .to.be.revertedWithCustomError(gateway, "SafeCastOverflowedUintDowncast")
          .withArgs(96, UINT96_MAX + 1n);
      });

      it("reverts for a bid never posted", async function () {
        const { gateway, operator } = await bidFixture();
        await expect(gateway.connect(operator).reprice(9n, PRICE))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownBid")
          .withArgs(9n);
      });
    });

    describe("withdraw", function () {
      it("returns part of the free funds to the operator and emits FundsWithdrawn", async function () {
        const { gateway, operator, coin, bidId } = await bidFixture();
        const amount = FUNDS / 3n;
        const tx = gateway.connect(operator).withdraw(bidId, amount);
        await expect(tx)
          .to.emit(gateway, "FundsWithdrawn")
          .withArgs(bidId, amount, FUNDS - amount);
        await expect(tx).to.changeTokenBalances(coin, [gateway, operator], [-amount, amount]);
        expect((await gateway.bidOf(bidId)).funds).to.equal(FUNDS - amount);
      });

      it("withdraws everything, and from an expired bid", async function () {
        const { gateway, operator, coin, bid } = await bidFixture();
        await time.increaseTo(bid.expiresAt + 1n);
        const tx = gateway.connect(operator).withdraw(bid.bidId, FUNDS);
        await expect(tx).to.emit(gateway, "FundsWithdrawn").withArgs(bid.bidId, FUNDS, 0n);
        await expect(tx).to.changeTokenBalance(coin, operator, FUNDS);
        // The bid stays open with no funds: a sale now finds none.
        expect((await gateway.bidOf(bid.bidId)).operator).to.equal(operator.address);
      });

      it("reverts for a closed bid", async function () {
        const { gateway, operator, bidId } = await bidFixture();
        await gateway.connect(operator).close(bidId);
        await expect(gateway.connect(operator).withdraw(bidId, 1n))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownBid")
          .withArgs(bidId);
      });
    });

    describe("close", function () {
      it("refunds the free funds, deletes the bid and emits BidClosed", async function () {
        const { gateway, operator, coin, bidId } = await bidFixture();
        const tx = gateway.connect(operator).close(bidId);
        await expect(tx).to.emit(gateway, "BidClosed").withArgs(bidId, FUNDS);
        await expect(tx).to.changeTokenBalances(coin, [gateway, operator], [-FUNDS, FUNDS]);
        const bid = await gateway.bidOf(bidId);
        expect([bid.token, bid.stablecoin, bid.recipient, bid.operator]).to.deep.equal(
          Array(4).fill(ethers.ZeroAddress),
        );
        expect([bid.price, bid.funds, bid.remainingPoints, bid.expiresAt]).to.deep.equal([0n, 0n, 0n, 0n]);
        expect(await gateway.bidCount()).to.equal(bidId);
      });

      it("closes an unfunded or expired bid without a transfer", async function () {
        const { gateway, operator, coin, bid } = await bidFixture({ funds: 0n });
        await time.increaseTo(bid.expiresAt + 1n);
        await expect(gateway.connect(operator).close(bid.bidId))
          .to.emit(gateway, "BidClosed")
          .withArgs(bid.bidId, 0n)
          .and.not.to.emit(coin, "Transfer");
      });

      it("reverts the second time", async function () {
        const { gateway, operator, bidId } = await bidFixture();
        await gateway.connect(operator).close(bidId);
        await expect(gateway.connect(operator).close(bidId))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownBid")
          .withArgs(bidId);
      });
    });

    describe("sell", function () {
      it("pays the seller, moves the points to the operator and emits PointsSold", async function () {
        const { gateway, operator, alice, token, coin, bidId, deadline } = await bidFixture();
        const points = 123n * ONE + 456n;
        const amountOut = payout(points, PRICE);
        expect(await gateway.quote(bidId, points)).to.equal(amountOut);
        expect(await gateway.connect(alice).sell.staticCall(bidId, points, amountOut, deadline)).to.equal(amountOut);
        const sale = gateway.connect(alice).sell(bidId, points, amountOut, deadline);
        await expect(sale).to.emit(gateway, "PointsSold").withArgs(bidId, alice.address, points, amountOut);
        await expect(sale).to.changeTokenBalances(coin, [gateway, alice], [-amountOut, amountOut]);
        await expect(sale).to.changeTokenBalances(token, [alice, operator], [-points, points]);
        const bid = await gateway.bidOf(bidId);
        expect(bid.funds).to.equal(FUNDS - amountOut);
        expect(bid.remainingPoints).to.equal(MAX_POINTS - points);
      });

      it("sends the points to the recipient the operator chose", async function () {
        const { gateway, operator, alice, carol, token, coin } = await fixture();
        const defaults = { operator, token: await token.getAddress(), stablecoin: await coin.getAddress() };
        const { bidId } = await postBid(gateway, defaults, { recipient: carol.address });
        expect((await gateway.bidOf(bidId)).recipient).to.equal(carol.address);
        const deadline = (await latest()) + 3600n;
        await expect(gateway.connect(alice).sell(bidId, ONE, 0n, deadline)).to.changeTokenBalances(
          token,
          [alice, carol, operator],
          [-ONE, ONE, 0n],
        );
      });

      it("rounds the payout down, never in the seller's favour", async function () {
        const { gateway, alice, coin, bidId, deadline } = await bidFixture({ price: PRICE + 7n });
        const points = 123_456_789_123_456_789n;
        const amountOut = payout(points, PRICE + 7n);
        // Not exact: the seller receives strictly less than the unrounded value.
        expect(amountOut * ONE).to.be.lessThan(points * (PRICE + 7n));
        await expect(gateway.connect(alice).sell(bidId, points, 0n, deadline)).to.changeTokenBalance(
          coin,
          alice,
          amountOut,
        );
      });

      it("sells the bid's whole maximum, at the expiry second and the deadline second", async function () {
        const { gateway, alice, bid } = await bidFixture({ maxPoints: 100n * ONE });
        await time.setNextBlockTimestamp(bid.expiresAt);
        await expect(gateway.connect(alice).sell(bid.bidId, 100n * ONE, 0n, bid.expiresAt)).to.emit(
          gateway,
          "PointsSold",
        );
        expect((await gateway.bidOf(bid.bidId)).remainingPoints).to.equal(0n);
      });

      it("sells exactly the free funds", async function () {
        const { gateway, alice, bidId, deadline } = await bidFixture({ funds: payout(10n * ONE, PRICE) });
        await gateway.connect(alice).sell(bidId, 10n * ONE, 0n, deadline);
        expect((await gateway.bidOf(bidId)).funds).to.equal(0n);
      });

      it("reverts when the bid's funds do not cover the payout", async function () {
        const { gateway, alice, bidId, deadline } = await bidFixture({ funds: payout(10n * ONE, PRICE) });
        const points = 10n * ONE + ONE;
        await expect(gateway.connect(alice).sell(bidId, points, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayInsufficientFunds")
          .withArgs(bidId, payout(points, PRICE), payout(10n * ONE, PRICE));
      });

      it("reverts for a bid never posted, or closed", async function () {
        const { gateway, operator, alice, bidId, deadline } = await bidFixture();
        await expect(gateway.connect(alice).sell(0n, ONE, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownBid")
          .withArgs(0n);
        await gateway.connect(operator).close(bidId);
        await expect(gateway.connect(alice).sell(bidId, ONE, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownBid")
          .withArgs(bidId);
      });

      it("reverts when the seller did not approve the points", async function () {
        const { gateway, carol, token, bidId, deadline } = await bidFixture();
        await expect(gateway.connect(carol).sell(bidId, ONE, 0n, deadline)).to.be.revertedWithCustomError(
          token,
          "InsufficientAllowance",
        );
      });

      it("reverts when the seller has fewer points than offered", async function () {
        const { gateway, alice, token, bidId, deadline } = await bidFixture();
        await expect(gateway.connect(alice).sell(bidId, 1001n * ONE, 0n, deadline)).to.be.revertedWithCustomError(
          token,
          "InsufficientBalance",
        );
      });
    });

    describe("sellWithPermit", function () {
      it("approves and sells in one transaction", async function () {
        const { gateway, operator, carol, token, coin, bidId, deadline } = await bidFixture();
        const points = 40n * ONE;
        const { v, r, s } = await signPermit(token, carol, await gateway.getAddress(), points, deadline);
        const sale = gateway.connect(carol).sellWithPermit(bidId, points, payout(points, PRICE), deadline, v, r, s);
        await expect(sale).to.emit(gateway, "PointsSold").withArgs(bidId, carol.address, points, payout(points, PRICE));
        await expect(sale).to.changeTokenBalance(coin, carol, payout(points, PRICE));
        await expect(sale).to.changeTokenBalances(token, [carol, operator], [-points, points]);
        expect(await token.allowance(carol.address, await gateway.getAddress())).to.equal(0n);
      });

      it("still sells when someone used the permit first (copied from the mempool)", async function () {
        const { gateway, stranger, carol, token, coin, bidId, deadline } = await bidFixture();
        const points = 40n * ONE;
        const { v, r, s } = await signPermit(token, carol, await gateway.getAddress(), points, deadline);
        await token.connect(stranger).permit(carol.address, await gateway.getAddress(), points, deadline, v, r, s);
        await expect(gateway.connect(carol).sellWithPermit(bidId, points, 0n, deadline, v, r, s)).to.changeTokenBalance(
          coin,
          carol,
          payout(points, PRICE),
        );
      });

      it("reverts with the token's allowance error when the permit is invalid and nothing was approved", async function () {
        const { gateway, stranger, carol, token, bidId, deadline } = await bidFixture();
        const { v, r, s } = await signPermit(token, stranger, await gateway.getAddress(), ONE, deadline);
        await expect(
          gateway.connect(carol).sellWithPermit(bidId, ONE, 0n, deadline, v, r, s),
        ).to.be.revertedWithCustomError(token, "InsufficientAllowance");
      });

      it("reverts after the deadline", async function () {
        const { gateway, carol, token, bidId } = await bidFixture();
        const deadline = await latest();
        const { v, r, s } = await signPermit(token, carol, await gateway.getAddress(), ONE, deadline);
        await expect(gateway.connect(carol).sellWithPermit(bidId, ONE, 0n, deadline, v, r, s))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayDeadlinePassed")
          .withArgs(deadline);
      });

      it("reverts for a bid never posted", async function () {
        const { gateway, carol, token, deadline } = await bidFixture();
        const { v, r, s } = await signPermit(token, carol, await gateway.getAddress(), ONE, deadline);
        await expect(gateway.connect(carol).sellWithPermit(5n, ONE, 0n, deadline, v, r, s))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownBid")
          .withArgs(5n);
      });
    });

    describe("attacks", function () {
      it("front-running the seller: the operator lowers the price before the sale lands, the sale reverts below minimum out", async function () {
        const { gateway, operator, alice, coin, token, bidId, deadline } = await bidFixture();
        const points = 500n * ONE;
        const minAmountOut = await gateway.quote(bidId, points);
        await gateway.connect(operator).reprice(bidId, PRICE / 2n);
        await expect(gateway.connect(alice).sell(bidId, points, minAmountOut, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayInsufficientOutput")
          .withArgs(payout(points, PRICE / 2n), minAmountOut);
        expect(await coin.balanceOf(alice.address)).to.equal(0n);
        expect(await token.balanceOf(alice.address)).to.equal(1000n * ONE);
      });

      it("front-running the seller in the same block: the reprice mined first makes the sale revert", async function () {
        const { gateway, operator, alice, coin, bidId, deadline } = await bidFixture();
        const points = 500n * ONE;
        const minAmountOut = await gateway.quote(bidId, points);
        await ethers.provider.send("evm_setAutomine", [false]);
        try {
          const sale = await gateway
            .connect(alice)
            .sell(bidId, points, minAmountOut, deadline, { gasLimit: 300_000n, maxPriorityFeePerGas: 1n });
          const reprice = await gateway
            .connect(operator)
            .reprice(bidId, PRICE / 2n, { gasLimit: 100_000n, maxPriorityFeePerGas: ethers.parseUnits("100", "gwei") });
          await ethers.provider.send("evm_mine", []);
          const [repriceReceipt, saleReceipt] = await Promise.all([
            ethers.provider.getTransactionReceipt(reprice.hash),
            ethers.provider.getTransactionReceipt(sale.hash),
          ]);
          expect(repriceReceipt!.blockNumber).to.equal(saleReceipt!.blockNumber);
          expect(repriceReceipt!.index).to.be.lessThan(saleReceipt!.index);
          expect(repriceReceipt!.status).to.equal(1);
          expect(saleReceipt!.status).to.equal(0);
          const trace: { returnValue: string } = await ethers.provider.send("debug_traceTransaction", [sale.hash]);
          const error = gateway.interface.parseError(`0x${trace.returnValue.replace(/^0x/, "")}`);
          expect(error?.name).to.equal("CashOutGatewayInsufficientOutput");
          expect(error?.args.toArray()).to.deep.equal([payout(points, PRICE / 2n), minAmountOut]);
        } finally {
          await ethers.provider.send("evm_setAutomine", [true]);
        }
        expect(await coin.balanceOf(alice.address)).to.equal(0n);
      });

      it("a payout that rounds to zero reverts", async function () {
        const { gateway, alice, bidId, deadline } = await bidFixture();
        // The largest sale that pays less than one base unit of the stablecoin.
        const points = (ONE + PRICE - 1n) / PRICE - 1n;
        expect(payout(points, PRICE)).to.equal(0n);
        expect(payout(points + 1n, PRICE)).to.equal(1n);
        await expect(gateway.connect(alice).sell(bidId, points, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayZeroPayout")
          .withArgs(points, PRICE);
        await expect(gateway.connect(alice).sell(bidId, 0n, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayZeroPayout")
          .withArgs(0n, PRICE);
        await expect(gateway.connect(alice).sell(bidId, points + 1n, 0n, deadline)).to.emit(gateway, "PointsSold");
      });

      it("many tiny sales never get more than one sale of the same points", async function () {
        const { gateway, alice, bob, coin, bidId, deadline } = await bidFixture({ price: PRICE + 1n });
        const tiny = (2n * ONE) / (PRICE + 1n) - 1n; // pays 1 base unit, the rest rounds away
        for (let i = 0; i < 5; i++) await gateway.connect(alice).sell(bidId, tiny, 0n, deadline);
        await gateway.connect(bob).sell(bidId, 5n * tiny, 0n, deadline);
        expect(await coin.balanceOf(alice.address)).to.equal(5n * payout(tiny, PRICE + 1n));
        expect(await coin.balanceOf(alice.address)).to.be.at.most(await coin.balanceOf(bob.address));
      });

      it("an operator cannot withdraw more than its free funds", async function () {
        const { gateway, operator, alice, coin, bidId, deadline } = await bidFixture();
        await gateway.connect(alice).sell(bidId, 1000n * ONE, 0n, deadline);
        const funds = FUNDS - payout(1000n * ONE, PRICE);
        await expect(gateway.connect(operator).withdraw(bidId, funds + 1n))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayInsufficientFunds")
          .withArgs(bidId, funds + 1n, funds);
        expect(await coin.balanceOf(await gateway.getAddress())).to.equal(funds);
      });

      it("an operator cannot take funds of another bid in the same stablecoin", async function () {
        const { gateway, merchant, token, coin, bidId } = await bidFixture();
        await postBid(
          gateway,
          { operator: merchant, token: await token.getAddress(), stablecoin: await coin.getAddress() },
          { funds: 0n },
        );
        await expect(gateway.connect(merchant).withdraw(2n, 1n))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayInsufficientFunds")
          .withArgs(2n, 1n, 0n);
        await expect(gateway.connect(merchant).withdraw(bidId, 1n))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnauthorizedOperator")
          .withArgs(bidId, merchant.address);
        expect(await coin.balanceOf(await gateway.getAddress())).to.equal(FUNDS);
      });

      it("another account cannot withdraw, reprice, top up or close someone's bid", async function () {
        const { gateway, stranger, alice, bidId } = await bidFixture();
        for (const caller of [stranger, alice]) {
          const attempts = [
            gateway.connect(caller).withdraw(bidId, 1n),
            gateway.connect(caller).reprice(bidId, PRICE * 100n),
            gateway.connect(caller).topUp(bidId, 0n),
            gateway.connect(caller).close(bidId),
          ];
          for (const attempt of attempts) {
            await expect(attempt)
              .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnauthorizedOperator")
              .withArgs(bidId, caller.address);
          }
        }
        expect((await gateway.bidOf(bidId)).funds).to.equal(FUNDS);
      });

      it("an expired bid cannot be sold into", async function () {
        const { gateway, alice, bid } = await bidFixture();
        await time.increaseTo(bid.expiresAt + 1n);
        await expect(gateway.connect(alice).sell(bid.bidId, ONE, 0n, bid.expiresAt + 3600n))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayBidExpired")
          .withArgs(bid.bidId, bid.expiresAt);
      });

      it("a sale after the seller's deadline reverts", async function () {
        const { gateway, alice, bidId, deadline } = await bidFixture();
        await time.increaseTo(deadline + 1n);
        await expect(gateway.connect(alice).sell(bidId, ONE, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayDeadlinePassed")
          .withArgs(deadline);
      });

      it("an exhausted bid buys no more than its maximum", async function () {
        const { gateway, alice, bob, bidId, deadline } = await bidFixture({ maxPoints: 600n * ONE });
        await gateway.connect(alice).sell(bidId, 500n * ONE, 0n, deadline);
        await expect(gateway.connect(bob).sell(bidId, 100n * ONE + 1n, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayBidExhausted")
          .withArgs(bidId, 100n * ONE + 1n, 100n * ONE);
        await gateway.connect(bob).sell(bidId, 100n * ONE, 0n, deadline);
        await expect(gateway.connect(bob).sell(bidId, 1n, 0n, deadline))
          .to.be.revertedWithCustomError(gateway, "CashOutGatewayBidExhausted")
          .withArgs(bidId, 1n, 0n);
      });
    });
  });
}

describe("CashOutGateway (hostile tokens)", function () {
  async function hostileFixture() {
    const base = await gatewayFixture();
    const gatewayAddress = await base.gateway.getAddress();
    const rogue = await ethers.deployContract("ReentrantToken");
    const feeToken = await ethers.deployContract("FeeOnTransferToken");
    for (const coin of [rogue, feeToken]) {
      await coin.mint(base.operator.address, 1_000_000n * ONE);
      await coin.connect(base.operator).approve(gatewayAddress, ethers.MaxUint256);
    }
    const expiresAt = (await latest()) + BigInt(DAY);
    const deadline = (await latest()) + 3600n;
    return { ...base, rogue, feeToken, expiresAt, deadline };
  }

  /** The hostile fixture with a bid paying in the re-entrant token. */
  async function rogueBidFixture() {
    const f = await hostileFixture();
    // Funded while unarmed: the token re-enters only once a test arms it.
    await f.gateway
      .connect(f.operator)
      .postBid(f.token, f.rogue, ethers.ZeroAddress, ONE / 100n, 1000n * ONE, f.expiresAt, 100n * ONE);
    return { ...f, bidId: await f.gateway.bidCount() };
  }

  it("a fee-on-transfer stablecoin is refused when a bid is posted", async function () {
    const { gateway, operator, token, feeToken, expiresAt } = await loadFixture(hostileFixture);
    const amount = 100n * ONE;
    await expect(
      gateway.connect(operator).postBid(token, feeToken, ethers.ZeroAddress, ONE / 100n, ONE, expiresAt, amount),
    )
      .to.be.revertedWithCustomError(gateway, "CashOutGatewayFeeOnTransfer")
      .withArgs(await feeToken.getAddress(), amount, amount - amount / 100n);
  });

  it("a fee-on-transfer stablecoin is refused when a bid is topped up", async function () {
    const { gateway, operator, token, feeToken, expiresAt } = await loadFixture(hostileFixture);
    await gateway.connect(operator).postBid(token, feeToken, ethers.ZeroAddress, ONE / 100n, ONE, expiresAt, 0n);
    await expect(gateway.connect(operator).topUp(1n, 1000n))
      .to.be.revertedWithCustomError(gateway, "CashOutGatewayFeeOnTransfer")
      .withArgs(await feeToken.getAddress(), 1000n, 990n);
    expect(await feeToken.balanceOf(await gateway.getAddress())).to.equal(0n);
  });

  it("a malicious token cannot be the points token: bids only buy factory tokens", async function () {
    const { gateway, operator, rogue, usdc, expiresAt } = await loadFixture(hostileFixture);
    await expect(gateway.connect(operator).postBid(rogue, usdc, ethers.ZeroAddress, 1n, ONE, expiresAt, 0n))
      .to.be.revertedWithCustomError(gateway, "CashOutGatewayUnknownToken")
      .withArgs(await rogue.getAddress());
  });

  describe("reentrancy through a malicious stablecoin during sell", function () {
    interface Context {
      bidId: bigint;
      deadline: bigint;
      token: string;
      coin: string;
    }
    const calls: [string, (c: Context) => unknown[]][] = [
      ["sell", (c) => [c.bidId, ONE, 0n, c.deadline]],
      ["sellWithPermit", (c) => [c.bidId, ONE, 0n, c.deadline, 27, ethers.ZeroHash, ethers.ZeroHash]],
      ["postBid", (c) => [c.token, c.coin, ethers.ZeroAddress, 1n, ONE, c.deadline, 0n]],
      ["topUp", (c) => [c.bidId, 1n]],
      ["reprice", (c) => [c.bidId, 1n]],
      ["withdraw", (c) => [c.bidId, 1n]],
      ["close", (c) => [c.bidId]],
    ];
    for (const [name, args] of calls) {
      it(`reverts a re-entrant ${name} with ReentrancyGuardReentrantCall and leaves the bid untouched`, async function () {
        const { gateway, alice, token, rogue, bidId, deadline } = await loadFixture(rogueBidFixture);
        const before = await gateway.bidOf(bidId);
        const context = { bidId, deadline, token: await token.getAddress(), coin: await rogue.getAddress() };
        const data = gateway.interface.encodeFunctionData(name as "sell", args(context) as never);
        await rogue.arm(await gateway.getAddress(), data);
        await expect(gateway.connect(alice).sell(bidId, 10n * ONE, 0n, deadline)).to.be.revertedWithCustomError(
          gateway,
          "ReentrancyGuardReentrantCall",
        );
        expect(await gateway.bidOf(bidId)).to.deep.equal(before);
        expect(await gateway.bidCount()).to.equal(bidId);
        expect(await rogue.balanceOf(alice.address)).to.equal(0n);
      });
    }
  });

  it("reverts a re-entrant withdraw during a top-up's transfer in", async function () {
    const { gateway, operator, rogue, bidId } = await loadFixture(rogueBidFixture);
    await rogue.arm(await gateway.getAddress(), gateway.interface.encodeFunctionData("withdraw", [bidId, 1n]));
    await expect(gateway.connect(operator).topUp(bidId, ONE)).to.be.revertedWithCustomError(
      gateway,
      "ReentrancyGuardReentrantCall",
    );
  });

  it("reverts a re-entrant sell during a withdrawal's transfer out", async function () {
    const { gateway, operator, rogue, bidId, deadline } = await loadFixture(rogueBidFixture);
    await rogue.arm(
      await gateway.getAddress(),
      gateway.interface.encodeFunctionData("sell", [bidId, ONE, 0n, deadline]),
    );
    await expect(gateway.connect(operator).withdraw(bidId, ONE)).to.be.revertedWithCustomError(
      gateway,
      "ReentrancyGuardReentrantCall",
    );
  });

  it("an unarmed re-entrant token works as a plain stablecoin", async function () {
    const { gateway, alice, rogue, bidId, deadline } = await loadFixture(rogueBidFixture);
    await expect(gateway.connect(alice).sell(bidId, 10n * ONE, 0n, deadline)).to.changeTokenBalance(
      rogue,
      alice,
      ONE / 10n,
    );
  });
});
