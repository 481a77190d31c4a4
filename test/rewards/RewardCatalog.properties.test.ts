import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ONE, rewardsFixture } from "../helpers/fixtures";
import { NUM_RUNS, PROPERTY_TIMEOUT_MS } from "../properties/support";

const MAX = ethers.MaxUint256;
const NO_KEY = ethers.ZeroHash;
/**
 * What each customer holds of both tokens: more than any generated sequence can spend (at most 32 vouchers of
 * 10^22 base units, times a partner rate of at most 10^9: about 2^108), and both customers together within the
 * 2^112 - 1 base units a token holds.
 */
const PLENTY = 2n ** 110n;

/** The rewards fixture with alice and bob holding plenty of both tokens. */
async function plentyFixture() {
  const fixture = await rewardsFixture();
  const { merchant, partnerMerchant, token, partnerToken, alice, bob } = fixture;
  for (const customer of [alice, bob]) {
    await (await token.connect(merchant).mint(customer.address, PLENTY)).wait();
    await (await partnerToken.connect(partnerMerchant).mint(customer.address, PLENTY)).wait();
  }
  return fixture;
}

const price = fc.oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.bigInt({ min: 1n, max: 10_000n }).map((n) => n * ONE));
const rateAmount = fc.oneof(fc.bigInt({ min: 1n, max: 10n }), fc.bigInt({ min: 1n, max: 10n ** 9n }));
const step = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("redeem" as const),
      customer: fc.integer({ min: 0, max: 1 }),
      quantity: fc.bigInt({ min: 1n, max: 4n }),
      partner: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reprice" as const), price }) },
);

function ceilDiv(a: bigint, b: bigint) {
  return (a + b - 1n) / b;
}

describe("RewardCatalog properties", function () {
  this.timeout(PROPERTY_TIMEOUT_MS);

  // Vouchers minted times their price in the token paid equals own points burned plus partner points moved.
  it("vouchers minted times price equals points burned plus points moved", async function () {
    await fc.assert(
      fc.asyncProperty(
        price,
        rateAmount,
        rateAmount,
        fc.integer({ min: 1, max: 12 }),
        fc.array(step, { minLength: 1, maxLength: 8 }),
        async (initialPrice, partnerAmount, ownAmount, supply, steps) => {
          const fixture = await loadFixture(plentyFixture);
          const { catalog, voucher, merchant, treasury, token, partnerToken, alice, bob, rewardId, params } = fixture;
          const customers = [alice, bob];
          await (await catalog.connect(merchant).setPartnerRate(partnerToken, partnerAmount, ownAmount)).wait();
          let current = { ...params, price: initialPrice, supply };
          await (await catalog.connect(merchant).editReward(rewardId, current)).wait();

          const supplyBefore = await token.totalSupply();
          const treasuryBefore = await partnerToken.balanceOf(treasury.address);
          let minted = 0n;
          let owedBurned = 0n;
          let owedMoved = 0n;

          for (const s of steps) {
            if (s.op === "reprice") {
              current = { ...current, price: s.price };
              await (await catalog.connect(merchant).editReward(rewardId, current)).wait();
              continue;
            }
            const payToken = s.partner ? partnerToken : token;
            const unitPrice = s.partner ? ceilDiv(current.price * partnerAmount, ownAmount) : current.price;
            expect(await catalog.priceIn(rewardId, payToken)).to.equal(unitPrice);
            const redeem = () => catalog.connect(customers[s.customer]).redeem(rewardId, s.quantity, payToken, MAX, NO_KEY);
            if (minted + s.quantity > BigInt(supply)) {
              await expect(redeem())
                .to.be.revertedWithCustomError(catalog, "RewardCatalogSupplyExceeded")
                .withArgs(rewardId, minted, s.quantity, supply);
              continue;
            }
            await expect(redeem())
              .to.emit(catalog, "RewardRedeemed")
              .withArgs(
                rewardId,
                customers[s.customer].address,
                (rewardId << 32n) | minted,
                s.quantity,
                await payToken.getAddress(),
                s.quantity * unitPrice,
                NO_KEY,
              );
            minted += s.quantity;
            if (s.partner) owedMoved += s.quantity * unitPrice;
            else owedBurned += s.quantity * unitPrice;
          }

          const burned = supplyBefore - (await token.totalSupply());
          const moved = (await partnerToken.balanceOf(treasury.address)) - treasuryBefore;
          expect(burned).to.equal(owedBurned);
          expect(moved).to.equal(owedMoved);
          expect(burned + moved).to.equal(owedBurned + owedMoved);
          const held = (await voucher.balanceOf(alice.address, rewardId)) + (await voucher.balanceOf(bob.address, rewardId));
          expect(held).to.equal(minted);
          expect((await catalog.reward(rewardId)).redeemed).to.equal(minted);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
