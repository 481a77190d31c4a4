import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { ReentrantERC1155Receiver, RewardCatalog } from "../../typechain-types";
import {
  DAY,
  ONE,
  REWARD_KIND,
  REWARD_STATUS,
  addReward,
  campaignParams,
  createCampaign,
  createToken,
  rewardParams,
  rewardsFixture,
  signPermit,
  tokenParams,
  type RewardParams,
} from "../helpers/fixtures";

const KEY = ethers.id("a customer's fresh X25519 public key");
const NO_KEY = ethers.ZeroHash;
const MAX = ethers.MaxUint256;

function redemptionId(rewardId: bigint, serial: bigint) {
  return (rewardId << 32n) | serial;
}

async function expectReward(
  catalog: RewardCatalog,
  rewardId: bigint,
  params: RewardParams,
  redeemed: number,
  status: number,
) {
  const reward = await catalog.reward(rewardId);
  expect(reward.params.kind).to.equal(params.kind);
  expect(reward.params.value).to.equal(params.value);
  expect(reward.params.price).to.equal(params.price);
  expect(reward.params.supply).to.equal(params.supply);
  expect(reward.params.perWallet).to.equal(params.perWallet);
  expect(reward.params.startsAt).to.equal(params.startsAt);
  expect(reward.params.endsAt).to.equal(params.endsAt);
  expect(reward.params.tierCampaign).to.equal(params.tierCampaign);
  expect(reward.params.minTier).to.equal(params.minTier);
  expect(reward.params.acceptsPartners).to.equal(params.acceptsPartners);
  expect(reward.params.metadataURI).to.equal(params.metadataURI);
  expect(reward.redeemed).to.equal(redeemed);
  expect(reward.status).to.equal(status);
}

/** The reward fixture plus a campaign of the merchant's token with one tier (100 points earned) and an issuer. */
async function tierFixture() {
  const fixture = await rewardsFixture();
  const { factory, merchant, deployer, token } = fixture;
  const params = await campaignParams(await token.getAddress(), {
    tierPeriod: 30 * DAY,
    tiers: [
      { threshold: 100n * ONE, multiplierBps: 10_000 },
      { threshold: 500n * ONE, multiplierBps: 12_000 },
    ],
    issuers: [deployer.address],
  });
  const campaign = await createCampaign(factory, merchant, params);
  return { ...fixture, campaign };
}

describe("RewardCatalog", function () {
  describe("initialize", function () {
    it("sets the treasury and deploys the catalog's voucher contract", async function () {
      const { catalog, voucher, treasury, factory, token } = await loadFixture(rewardsFixture);
      expect(await catalog.treasury()).to.equal(treasury.address);
      expect(await catalog.factory()).to.equal(await factory.getAddress());
      expect(await catalog.token()).to.equal(await token.getAddress());
      expect(await voucher.catalog()).to.equal(await catalog.getAddress());
      expect(await ethers.provider.getCode(await catalog.voucher())).to.not.equal("0x");
    });

    it("reverts when called again", async function () {
      const { catalog, factory, treasury } = await loadFixture(rewardsFixture);
      await expect(catalog.initialize(treasury.address)).to.be.revertedWithCustomError(catalog, "InvalidInitialization");
      // Not even the factory can initialize twice.
      await ethers.provider.send("hardhat_impersonateAccount", [await factory.getAddress()]);
      await ethers.provider.send("hardhat_setBalance", [await factory.getAddress(), "0xde0b6b3a7640000"]);
      const asFactory = await ethers.getSigner(await factory.getAddress());
      await expect(catalog.connect(asFactory).initialize(treasury.address)).to.be.revertedWithCustomError(
        catalog,
        "InvalidInitialization",
      );
    });

    it("reverts on the implementation", async function () {
      const { factory, treasury } = await loadFixture(rewardsFixture);
      const implementation = await ethers.getContractAt("RewardCatalog", await factory.catalogImplementation());
      await expect(implementation.initialize(treasury.address)).to.be.revertedWithCustomError(
        implementation,
        "InvalidInitialization",
      );
    });

    it("reverts when the caller is not the factory", async function () {
      const { factory, token, stranger, catalog } = await loadFixture(rewardsFixture);
      // A clone of the implementation with the same arguments, deployed by someone else and not yet initialized.
      const args = ethers.solidityPacked(["address", "address"], [await token.getAddress(), await factory.getAddress()]);
      const initCode = ethers.concat([
        "0x61",
        ethers.toBeHex(45 + 40, 2),
        "0x3d81600a3d39f3363d3d373d3d3d363d73",
        await factory.catalogImplementation(),
        "0x5af43d82803e903d91602b57fd5bf3",
        args,
      ]);
      const receipt = await (await stranger.sendTransaction({ data: initCode })).wait();
      const clone = await ethers.getContractAt("RewardCatalog", receipt!.contractAddress!);
      expect(await clone.token()).to.equal(await token.getAddress());
      await expect(clone.connect(stranger).initialize(stranger.address))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedInitializer")
        .withArgs(stranger.address);
    });
  });

  describe("views", function () {
    it("name the merchant, following the token's owner", async function () {
      const { catalog, token, merchant, stranger } = await loadFixture(rewardsFixture);
      expect(await catalog.merchant()).to.equal(merchant.address);
      await (await token.connect(merchant).transferOwnership(stranger.address)).wait();
      expect(await catalog.merchant()).to.equal(stranger.address);
    });

    it("show the voucher implementation", async function () {
      const { catalog, factory } = await loadFixture(rewardsFixture);
      const implementation = await ethers.getContractAt("RewardCatalog", await factory.catalogImplementation());
      expect(await catalog.voucherImplementation()).to.equal(await implementation.voucherImplementation());
    });

    it("show an unknown reward as empty", async function () {
      const { catalog } = await loadFixture(rewardsFixture);
      const reward = await catalog.reward(99n);
      expect(reward.status).to.equal(REWARD_STATUS.None);
      expect(reward.params.price).to.equal(0n);
      expect(await catalog.metadataURI(99n)).to.equal("");
    });

    it("list partners and rates", async function () {
      const { catalog, partnerToken, stranger } = await loadFixture(rewardsFixture);
      expect(await catalog.partners()).to.deep.equal([await partnerToken.getAddress()]);
      const rate = await catalog.partnerRate(await partnerToken.getAddress());
      expect([rate.partnerAmount, rate.ownAmount]).to.deep.equal([2n, 1n]);
      const none = await catalog.partnerRate(stranger.address);
      expect([none.partnerAmount, none.ownAmount]).to.deep.equal([0n, 0n]);
    });

    it("count the merchant as fulfiller and terminal", async function () {
      const { catalog, merchant, fulfiller, terminal, stranger } = await loadFixture(rewardsFixture);
      expect(await catalog.isFulfiller(merchant.address)).to.equal(true);
      expect(await catalog.isFulfiller(fulfiller.address)).to.equal(true);
      expect(await catalog.isFulfiller(terminal.address)).to.equal(false);
      expect(await catalog.isTerminal(merchant.address)).to.equal(true);
      expect(await catalog.isTerminal(terminal.address)).to.equal(true);
      expect(await catalog.isTerminal(fulfiller.address)).to.equal(false);
      expect(await catalog.isFulfiller(stranger.address)).to.equal(false);
      expect(await catalog.isTerminal(stranger.address)).to.equal(false);
    });
  });

  describe("addReward", function () {
    it("lists a reward with the next id", async function () {
      const { catalog, merchant, params } = await loadFixture(rewardsFixture);
      await expectReward(catalog, 1n, params, 0, REWARD_STATUS.Active);
      const ticket = await rewardParams({ kind: REWARD_KIND.Ticket, value: 0n, metadataURI: "ipfs://ticket" });
      await expect(catalog.connect(merchant).addReward(ticket)).to.emit(catalog, "RewardAdded").withArgs(2n, anyValue);
      expect(await catalog.rewardCount()).to.equal(2n);
      await expectReward(catalog, 2n, ticket, 0, REWARD_STATUS.Active);
      expect(await catalog.metadataURI(2n)).to.equal("ipfs://ticket");
    });

    it("emits every parameter", async function () {
      const { catalog, merchant } = await loadFixture(rewardsFixture);
      const params = await rewardParams({ kind: REWARD_KIND.DiscountAmount, value: 500n, perWallet: 2 });
      const receipt = await (await catalog.connect(merchant).addReward(params)).wait();
      const event = catalog.interface.parseLog(receipt!.logs[0])!;
      expect(event.name).to.equal("RewardAdded");
      expect(event.args.params.value).to.equal(500n);
      expect(event.args.params.perWallet).to.equal(2n);
      expect(event.args.params.metadataURI).to.equal(params.metadataURI);
    });

    it("accepts every kind, a 100% discount, and a tier of another merchant's campaign", async function () {
      const { catalog, merchant, partnerMerchant, partnerToken, factory } = await loadFixture(rewardsFixture);
      const partnerCampaign = await createCampaign(
        factory,
        partnerMerchant,
        await campaignParams(await partnerToken.getAddress(), {
          tierPeriod: DAY,
          tiers: [{ threshold: ONE, multiplierBps: 10_000 }],
        }),
      );
      for (const kind of Object.values(REWARD_KIND)) {
        const value = kind === REWARD_KIND.DiscountPercent ? 10_000n : kind === REWARD_KIND.DiscountAmount ? 1n : 0n;
        await (await catalog.connect(merchant).addReward(await rewardParams({ kind, value }))).wait();
      }
      const tiered = await rewardParams({ tierCampaign: await partnerCampaign.getAddress(), minTier: 1 });
      await expect(catalog.connect(merchant).addReward(tiered)).to.emit(catalog, "RewardAdded");
    });

    it("reverts when the caller is not the merchant", async function () {
      const { catalog, stranger } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(stranger).addReward(await rewardParams()))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(stranger.address);
    });

    it("reverts when the reward ends before it starts or before now", async function () {
      const { catalog, merchant } = await loadFixture(rewardsFixture);
      const now = BigInt(await time.latest());
      for (const [startsAt, endsAt] of [
        [now + 10n, now + 10n],
        [now + 10n, now + 5n],
        [now - 100n, now - 1n],
      ]) {
        await expect(catalog.connect(merchant).addReward(await rewardParams({ startsAt, endsAt })))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidSchedule")
          .withArgs(startsAt, endsAt);
      }
    });

    it("reverts on a zero price or supply", async function () {
      const { catalog, merchant } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).addReward(await rewardParams({ price: 0n })))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidPriceOrSupply")
        .withArgs(0n, 100n);
      await expect(catalog.connect(merchant).addReward(await rewardParams({ supply: 0 })))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidPriceOrSupply")
        .withArgs(50n * ONE, 0n);
    });

    it("reverts on a percentage of 0 or above 10 000 bps, and a zero amount", async function () {
      const { catalog, merchant } = await loadFixture(rewardsFixture);
      for (const [kind, value] of [
        [REWARD_KIND.DiscountPercent, 0n],
        [REWARD_KIND.DiscountPercent, 10_001n],
        [REWARD_KIND.DiscountAmount, 0n],
      ] as const) {
        await expect(catalog.connect(merchant).addReward(await rewardParams({ kind, value })))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidValue")
          .withArgs(kind, value);
      }
    });

    it("reverts on half a tier requirement or a campaign the factory did not create", async function () {
      const { catalog, merchant, token, campaign } = await loadFixture(tierFixture);
      const campaignAddress = await campaign.getAddress();
      for (const [tierCampaign, minTier] of [
        [ethers.ZeroAddress, 1],
        [campaignAddress, 0],
        [await token.getAddress(), 1],
      ] as const) {
        await expect(catalog.connect(merchant).addReward(await rewardParams({ tierCampaign, minTier })))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidTierRequirement")
          .withArgs(tierCampaign, minTier);
      }
    });
  });

  describe("editReward", function () {
    it("changes price, supply, limits, schedule, partners and metadata, and keeps the count and status", async function () {
      const { catalog, merchant, alice, token, rewardId, params } = await loadFixture(rewardsFixture);
      await (await catalog.connect(alice).redeem(rewardId, 2n, token, MAX, NO_KEY)).wait();
      await (await catalog.connect(merchant).setRewardPaused(rewardId, true)).wait();
      const edited = {
        ...params,
        price: 80n * ONE,
        supply: 2,
        perWallet: 1,
        endsAt: BigInt(params.endsAt) + BigInt(DAY),
        acceptsPartners: false,
        metadataURI: "ipfs://edited",
      };
      await expect(catalog.connect(merchant).editReward(rewardId, edited))
        .to.emit(catalog, "RewardEdited")
        .withArgs(rewardId, anyValue);
      await expectReward(catalog, rewardId, edited, 2, REWARD_STATUS.Paused);
    });

    it("reverts when the caller is not the merchant", async function () {
      const { catalog, stranger, rewardId, params } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(stranger).editReward(rewardId, params))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(stranger.address);
    });

    it("reverts for an unknown or retired reward", async function () {
      const { catalog, merchant, rewardId, params } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).editReward(7n, params))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnknownReward")
        .withArgs(7n);
      await (await catalog.connect(merchant).retireReward(rewardId)).wait();
      await expect(catalog.connect(merchant).editReward(rewardId, params))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardRetired")
        .withArgs(rewardId);
    });

    it("reverts when the kind or value would change: they are what redeemed vouchers promise", async function () {
      const { catalog, merchant, rewardId, params } = await loadFixture(rewardsFixture);
      for (const change of [{ kind: REWARD_KIND.DiscountAmount }, { value: 2_000n }]) {
        await expect(catalog.connect(merchant).editReward(rewardId, { ...params, ...change }))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogTermsFixed")
          .withArgs(rewardId);
      }
    });

    it("reverts when the supply would fall below the vouchers redeemed", async function () {
      const { catalog, merchant, alice, token, rewardId, params } = await loadFixture(rewardsFixture);
      await (await catalog.connect(alice).redeem(rewardId, 3n, token, MAX, NO_KEY)).wait();
      await expect(catalog.connect(merchant).editReward(rewardId, { ...params, supply: 2 }))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogSupplyBelowRedeemed")
        .withArgs(2n, 3n);
      await expect(catalog.connect(merchant).editReward(rewardId, { ...params, supply: 3 })).to.emit(
        catalog,
        "RewardEdited",
      );
    });

    it("reverts on invalid parameters", async function () {
      const { catalog, merchant, rewardId, params } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).editReward(rewardId, { ...params, price: 0n }))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidPriceOrSupply")
        .withArgs(0n, params.supply);
    });
  });

  describe("setRewardPaused", function () {
    it("pauses and resumes a reward", async function () {
      const { catalog, merchant, rewardId, params } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).setRewardPaused(rewardId, true))
        .to.emit(catalog, "RewardPausedSet")
        .withArgs(rewardId, true);
      await expectReward(catalog, rewardId, params, 0, REWARD_STATUS.Paused);
      await expect(catalog.connect(merchant).setRewardPaused(rewardId, false))
        .to.emit(catalog, "RewardPausedSet")
        .withArgs(rewardId, false);
      await expectReward(catalog, rewardId, params, 0, REWARD_STATUS.Active);
    });

    it("reverts when the caller is not the merchant", async function () {
      const { catalog, stranger, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(stranger).setRewardPaused(rewardId, true))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(stranger.address);
    });

    it("reverts for an unknown or retired reward", async function () {
      const { catalog, merchant, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).setRewardPaused(0n, true))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnknownReward")
        .withArgs(0n);
      await (await catalog.connect(merchant).retireReward(rewardId)).wait();
      await expect(catalog.connect(merchant).setRewardPaused(rewardId, false))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardRetired")
        .withArgs(rewardId);
    });
  });

  describe("retireReward", function () {
    it("retires a reward for good and leaves its vouchers with their holders", async function () {
      const { catalog, voucher, merchant, alice, token, rewardId, params } = await loadFixture(rewardsFixture);
      await (await catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY)).wait();
      await expect(catalog.connect(merchant).retireReward(rewardId)).to.emit(catalog, "RewardRetired").withArgs(rewardId);
      await expectReward(catalog, rewardId, params, 1, REWARD_STATUS.Retired);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(1n);
      await expect(voucher.connect(alice).use(rewardId)).to.emit(voucher, "VoucherUsed");
    });

    it("reverts when the caller is not the merchant", async function () {
      const { catalog, stranger, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(stranger).retireReward(rewardId))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(stranger.address);
    });

    it("reverts for an unknown or already retired reward", async function () {
      const { catalog, merchant, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).retireReward(2n))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnknownReward")
        .withArgs(2n);
      await (await catalog.connect(merchant).retireReward(rewardId)).wait();
      await expect(catalog.connect(merchant).retireReward(rewardId))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardRetired")
        .withArgs(rewardId);
    });
  });

  describe("setPartnerRate", function () {
    it("accepts a partner token, changes its rate and stops accepting it", async function () {
      const { catalog, merchant, partnerToken, factory, deployer } = await loadFixture(rewardsFixture);
      const partner = await partnerToken.getAddress();
      const third = await createToken(factory, deployer, tokenParams({ name: "Gamma", symbol: "GAM" }));
      await expect(catalog.connect(merchant).setPartnerRate(third, 3n, 7n))
        .to.emit(catalog, "PartnerRateSet")
        .withArgs(await third.getAddress(), 3n, 7n);
      expect(await catalog.partners()).to.deep.equal([partner, await third.getAddress()]);
      await (await catalog.connect(merchant).setPartnerRate(partner, 5n, 4n)).wait();
      const rate = await catalog.partnerRate(partner);
      expect([rate.partnerAmount, rate.ownAmount]).to.deep.equal([5n, 4n]);
      await expect(catalog.connect(merchant).setPartnerRate(partner, 0n, 0n))
        .to.emit(catalog, "PartnerRateSet")
        .withArgs(partner, 0n, 0n);
      expect(await catalog.partners()).to.deep.equal([await third.getAddress()]);
      const removed = await catalog.partnerRate(partner);
      expect([removed.partnerAmount, removed.ownAmount]).to.deep.equal([0n, 0n]);
    });

    it("reverts for the catalog's own token and for tokens the factory did not create", async function () {
      const { catalog, merchant, token } = await loadFixture(rewardsFixture);
      const outsider = await ethers.deployContract("MockStablecoin", ["USD Coin", "USDC", 6]);
      for (const partnerToken of [await token.getAddress(), await outsider.getAddress()]) {
        await expect(catalog.connect(merchant).setPartnerRate(partnerToken, 1n, 1n))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidPartner")
          .withArgs(partnerToken);
      }
    });

    it("reverts on a rate with one zero amount", async function () {
      const { catalog, merchant, partnerToken } = await loadFixture(rewardsFixture);
      for (const [partnerAmount, ownAmount] of [
        [0n, 1n],
        [1n, 0n],
      ]) {
        await expect(catalog.connect(merchant).setPartnerRate(partnerToken, partnerAmount, ownAmount))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidRate")
          .withArgs(partnerAmount, ownAmount);
      }
    });

    it("reverts when the caller is not the merchant", async function () {
      const { catalog, partnerMerchant, partnerToken } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(partnerMerchant).setPartnerRate(partnerToken, 1n, 1n))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(partnerMerchant.address);
    });
  });

  describe("setTreasury", function () {
    it("sets where partner points go", async function () {
      const { catalog, merchant, stranger, alice, partnerToken, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).setTreasury(stranger.address))
        .to.emit(catalog, "TreasurySet")
        .withArgs(stranger.address);
      expect(await catalog.treasury()).to.equal(stranger.address);
      await expect(catalog.connect(alice).redeem(rewardId, 1n, partnerToken, MAX, NO_KEY)).to.changeTokenBalance(
        partnerToken,
        stranger,
        100n * ONE,
      );
    });

    it("reverts on the zero address", async function () {
      const { catalog, merchant } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).setTreasury(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogInvalidTreasury")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts when the caller is not the merchant", async function () {
      const { catalog, stranger } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(stranger).setTreasury(stranger.address))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(stranger.address);
    });
  });

  describe("setFulfiller and setTerminal", function () {
    it("allow and stop keys", async function () {
      const { catalog, merchant, stranger } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(merchant).setFulfiller(stranger.address, true))
        .to.emit(catalog, "FulfillerSet")
        .withArgs(stranger.address, true);
      expect(await catalog.isFulfiller(stranger.address)).to.equal(true);
      await expect(catalog.connect(merchant).setFulfiller(stranger.address, false))
        .to.emit(catalog, "FulfillerSet")
        .withArgs(stranger.address, false);
      expect(await catalog.isFulfiller(stranger.address)).to.equal(false);
      await expect(catalog.connect(merchant).setTerminal(stranger.address, true))
        .to.emit(catalog, "TerminalSet")
        .withArgs(stranger.address, true);
      expect(await catalog.isTerminal(stranger.address)).to.equal(true);
      await expect(catalog.connect(merchant).setTerminal(stranger.address, false))
        .to.emit(catalog, "TerminalSet")
        .withArgs(stranger.address, false);
      expect(await catalog.isTerminal(stranger.address)).to.equal(false);
    });

    it("revert when the caller is not the merchant", async function () {
      const { catalog, fulfiller, terminal } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(fulfiller).setFulfiller(fulfiller.address, true))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(fulfiller.address);
      await expect(catalog.connect(terminal).setTerminal(terminal.address, true))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedMerchant")
        .withArgs(terminal.address);
    });
  });

  describe("paymentOptions and priceIn", function () {
    it("list the own price first, then each partner's price rounded up", async function () {
      const { catalog, merchant, token, partnerToken, factory, deployer, rewardId } = await loadFixture(rewardsFixture);
      const third = await createToken(factory, deployer, tokenParams({ name: "Gamma", symbol: "GAM" }));
      // 3 GAM per 7 points: 50 points cost 150/7 = 21.43 GAM, rounded up to the smallest unit.
      await (await catalog.connect(merchant).setPartnerRate(third, 3n, 7n)).wait();
      const thirdPrice = (50n * ONE * 3n + 6n) / 7n;
      const options = await catalog.paymentOptions(rewardId);
      expect(options.map((o) => [o.token, o.price])).to.deep.equal([
        [await token.getAddress(), 50n * ONE],
        [await partnerToken.getAddress(), 100n * ONE],
        [await third.getAddress(), thirdPrice],
      ]);
      expect(await catalog.priceIn(rewardId, token)).to.equal(50n * ONE);
      expect(await catalog.priceIn(rewardId, partnerToken)).to.equal(100n * ONE);
      expect(await catalog.priceIn(rewardId, third)).to.equal(thirdPrice);
    });

    it("list only the own price when the reward takes no partner points", async function () {
      const { catalog, merchant, token, partnerToken } = await loadFixture(rewardsFixture);
      const rewardId = await addReward(catalog, merchant, await rewardParams({ acceptsPartners: false }));
      const options = await catalog.paymentOptions(rewardId);
      expect(options.map((o) => [o.token, o.price])).to.deep.equal([[await token.getAddress(), 50n * ONE]]);
      await expect(catalog.priceIn(rewardId, partnerToken))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogPaymentNotAccepted")
        .withArgs(rewardId, await partnerToken.getAddress());
    });

    it("revert for an unknown reward or a token not accepted", async function () {
      const { catalog, token, stranger, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.paymentOptions(5n)).to.be.revertedWithCustomError(catalog, "RewardCatalogUnknownReward").withArgs(5n);
      await expect(catalog.priceIn(5n, token)).to.be.revertedWithCustomError(catalog, "RewardCatalogUnknownReward").withArgs(5n);
      await expect(catalog.priceIn(rewardId, stranger.address))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogPaymentNotAccepted")
        .withArgs(rewardId, stranger.address);
    });
  });

  describe("redeem", function () {
    it("burns the customer's own points and mints the vouchers", async function () {
      const { catalog, voucher, alice, token, rewardId } = await loadFixture(rewardsFixture);
      const supplyBefore = await token.totalSupply();
      await expect(catalog.connect(alice).redeem(rewardId, 2n, token, 100n * ONE, NO_KEY))
        .to.emit(catalog, "RewardRedeemed")
        .withArgs(rewardId, alice.address, redemptionId(rewardId, 0n), 2n, await token.getAddress(), 100n * ONE, NO_KEY)
        .and.to.emit(voucher, "TransferSingle")
        .withArgs(await catalog.getAddress(), ethers.ZeroAddress, alice.address, rewardId, 2n)
        .and.to.emit(token, "Transfer")
        .withArgs(alice.address, ethers.ZeroAddress, 100n * ONE);
      expect(await token.balanceOf(alice.address)).to.equal(900n * ONE);
      expect(await token.totalSupply()).to.equal(supplyBefore - 100n * ONE);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(2n);
      expect(await voucher.redeemedBy(alice.address, rewardId)).to.equal(2n);
      expect((await catalog.reward(rewardId)).redeemed).to.equal(2n);
    });

    it("numbers redemptions by the vouchers of the reward redeemed before", async function () {
      const { catalog, alice, bob, token, rewardId } = await loadFixture(rewardsFixture);
      await (await catalog.connect(alice).redeem(rewardId, 3n, token, MAX, NO_KEY)).wait();
      expect(await catalog.connect(bob).redeem.staticCall(rewardId, 1n, token, MAX, NO_KEY)).to.equal(
        redemptionId(rewardId, 3n),
      );
      await expect(catalog.connect(bob).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.emit(catalog, "RewardRedeemed")
        .withArgs(rewardId, bob.address, redemptionId(rewardId, 3n), 1n, anyValue, anyValue, anyValue);
    });

    it("moves accepted partner points to the treasury at the stated rate", async function () {
      const { catalog, voucher, alice, treasury, token, partnerToken, rewardId } = await loadFixture(rewardsFixture);
      const supplyBefore = await token.totalSupply();
      const tx = catalog.connect(alice).redeem(rewardId, 1n, partnerToken, 100n * ONE, NO_KEY);
      await expect(tx).to.changeTokenBalances(partnerToken, [alice, treasury], [-100n * ONE, 100n * ONE]);
      await expect(tx)
        .to.emit(catalog, "RewardRedeemed")
        .withArgs(rewardId, alice.address, redemptionId(rewardId, 0n), 1n, await partnerToken.getAddress(), 100n * ONE, NO_KEY);
      expect(await token.totalSupply()).to.equal(supplyBefore);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(1n);
    });

    it("passes the customer's encryption key on for gift coupons and access codes", async function () {
      const { catalog, merchant, alice, token } = await loadFixture(rewardsFixture);
      for (const kind of [REWARD_KIND.GiftCoupon, REWARD_KIND.AccessCode]) {
        const rewardId = await addReward(catalog, merchant, await rewardParams({ kind, value: 0n }));
        await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, KEY))
          .to.emit(catalog, "RewardRedeemed")
          .withArgs(rewardId, alice.address, redemptionId(rewardId, 0n), 1n, anyValue, anyValue, KEY);
      }
    });

    it("reverts for a gift coupon or access code without an encryption key", async function () {
      const { catalog, merchant, alice, token } = await loadFixture(rewardsFixture);
      for (const kind of [REWARD_KIND.GiftCoupon, REWARD_KIND.AccessCode]) {
        const rewardId = await addReward(catalog, merchant, await rewardParams({ kind, value: 0n }));
        await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogMissingEncryptionKey")
          .withArgs(rewardId);
      }
    });

    it("reverts for an unknown reward", async function () {
      const { catalog, alice, token } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(alice).redeem(2n, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogUnknownReward")
        .withArgs(2n);
    });

    it("attack: redeeming a paused reward reverts, and works again once resumed", async function () {
      const { catalog, merchant, alice, token, rewardId } = await loadFixture(rewardsFixture);
      await (await catalog.connect(merchant).setRewardPaused(rewardId, true)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardPaused")
        .withArgs(rewardId);
      await (await catalog.connect(merchant).setRewardPaused(rewardId, false)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY)).to.emit(catalog, "RewardRedeemed");
    });

    it("attack: redeeming a retired reward reverts", async function () {
      const { catalog, merchant, alice, token, rewardId } = await loadFixture(rewardsFixture);
      await (await catalog.connect(merchant).retireReward(rewardId)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardRetired")
        .withArgs(rewardId);
    });

    it("attack: redeeming a reward before it starts or from its end on reverts", async function () {
      const { catalog, merchant, alice, token } = await loadFixture(rewardsFixture);
      const now = BigInt(await time.latest());
      const params = await rewardParams({ startsAt: now + 100n, endsAt: now + 200n });
      const rewardId = await addReward(catalog, merchant, params);
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardNotStarted")
        .withArgs(rewardId, now + 100n);
      await time.setNextBlockTimestamp(now + 100n);
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY)).to.emit(catalog, "RewardRedeemed");
      await time.setNextBlockTimestamp(now + 199n);
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY)).to.emit(catalog, "RewardRedeemed");
      await time.setNextBlockTimestamp(now + 200n);
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardEnded")
        .withArgs(rewardId, now + 200n);
    });

    it("reverts for zero vouchers", async function () {
      const { catalog, alice, token, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(alice).redeem(rewardId, 0n, token, MAX, NO_KEY)).to.be.revertedWithCustomError(
        catalog,
        "RewardCatalogZeroQuantity",
      );
    });

    it("attack: redeeming beyond the supply reverts, up to the supply works", async function () {
      const { catalog, merchant, alice, bob, token } = await loadFixture(rewardsFixture);
      const rewardId = await addReward(catalog, merchant, await rewardParams({ supply: 5, price: ONE }));
      await (await catalog.connect(alice).redeem(rewardId, 3n, token, MAX, NO_KEY)).wait();
      await expect(catalog.connect(bob).redeem(rewardId, 3n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogSupplyExceeded")
        .withArgs(rewardId, 3n, 3n, 5n);
      await (await catalog.connect(bob).redeem(rewardId, 2n, token, MAX, NO_KEY)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogSupplyExceeded")
        .withArgs(rewardId, 5n, 1n, 5n);
      // A quantity far beyond uint32, or the largest uint256, can neither wrap the counter nor overflow the check.
      for (const quantity of [2n ** 32n, MAX]) {
        await expect(catalog.connect(alice).redeem(rewardId, quantity, token, MAX, NO_KEY))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogSupplyExceeded")
          .withArgs(rewardId, 5n, quantity, 5n);
      }
    });

    it("attack: redeeming beyond the per-wallet limit reverts, even after giving the vouchers away", async function () {
      const { catalog, voucher, merchant, alice, bob, token } = await loadFixture(rewardsFixture);
      const rewardId = await addReward(catalog, merchant, await rewardParams({ perWallet: 2 }));
      await expect(catalog.connect(alice).redeem(rewardId, 3n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherWalletLimitReached")
        .withArgs(alice.address, rewardId, 0n, 3n, 2n);
      await (await catalog.connect(alice).redeem(rewardId, 2n, token, MAX, NO_KEY)).wait();
      await (await voucher.connect(alice).safeTransferFrom(alice.address, bob.address, rewardId, 2n, "0x")).wait();
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(0n);
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherWalletLimitReached")
        .withArgs(alice.address, rewardId, 2n, 1n, 2n);
      // Receiving vouchers as a gift does not count against bob's own limit.
      await (await catalog.connect(bob).redeem(rewardId, 2n, token, MAX, NO_KEY)).wait();
      expect(await voucher.balanceOf(bob.address, rewardId)).to.equal(4n);
    });

    it("attack: paying with a partner token the catalog does not accept reverts", async function () {
      const { catalog, alice, factory, deployer, rewardId } = await loadFixture(rewardsFixture);
      const unlisted = await createToken(factory, deployer, tokenParams({ name: "Gamma", symbol: "GAM" }));
      await (await unlisted.connect(deployer).mint(alice.address, 1000n * ONE)).wait();
      await (await unlisted.connect(alice).approve(catalog, MAX)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, unlisted, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogPaymentNotAccepted")
        .withArgs(rewardId, await unlisted.getAddress());
      expect(await unlisted.balanceOf(alice.address)).to.equal(1000n * ONE);
    });

    it("attack: paying with an accepted partner token for a reward that takes no partner points reverts", async function () {
      const { catalog, merchant, alice, partnerToken } = await loadFixture(rewardsFixture);
      const rewardId = await addReward(catalog, merchant, await rewardParams({ acceptsPartners: false }));
      await expect(catalog.connect(alice).redeem(rewardId, 1n, partnerToken, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogPaymentNotAccepted")
        .withArgs(rewardId, await partnerToken.getAddress());
    });

    it("attack: a partner removed from the coalition is no longer accepted", async function () {
      const { catalog, merchant, alice, partnerToken, rewardId } = await loadFixture(rewardsFixture);
      await (await catalog.connect(merchant).setPartnerRate(partnerToken, 0n, 0n)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, partnerToken, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogPaymentNotAccepted")
        .withArgs(rewardId, await partnerToken.getAddress());
    });

    it("attack: a price raised in front of the redemption reverts it (maximum cost)", async function () {
      const { catalog, merchant, alice, token, partnerToken, rewardId, params } = await loadFixture(rewardsFixture);
      await (await catalog.connect(merchant).editReward(rewardId, { ...params, price: 60n * ONE })).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 2n, token, 100n * ONE, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogCostAboveMaximum")
        .withArgs(120n * ONE, 100n * ONE);
      await (await catalog.connect(merchant).setPartnerRate(partnerToken, 3n, 1n)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, partnerToken, 120n * ONE, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogCostAboveMaximum")
        .withArgs(180n * ONE, 120n * ONE);
    });

    it("attack: redeeming below the required tier reverts, at the tier works", async function () {
      const { catalog, merchant, alice, token, campaign, deployer } = await loadFixture(tierFixture);
      const rewardId = await addReward(
        catalog,
        merchant,
        await rewardParams({ tierCampaign: await campaign.getAddress(), minTier: 2 }),
      );
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogTierTooLow")
        .withArgs(rewardId, 0n, 2n);
      await (await campaign.connect(deployer).issue(alice.address, 100n * ONE, 0n, ethers.ZeroHash)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogTierTooLow")
        .withArgs(rewardId, 1n, 2n);
      await (await campaign.connect(deployer).issue(alice.address, 400n * ONE, 0n, ethers.ZeroHash)).wait();
      await expect(catalog.connect(alice).redeem(rewardId, 1n, token, MAX, NO_KEY)).to.emit(catalog, "RewardRedeemed");
    });

    it("reverts without an allowance or enough points, and then changes nothing", async function () {
      const { catalog, voucher, carol, stranger, token, rewardId } = await loadFixture(rewardsFixture);
      await expect(catalog.connect(carol).redeem(rewardId, 1n, token, MAX, NO_KEY)).to.be.revertedWithCustomError(
        token,
        "InsufficientAllowance",
      );
      await (await token.connect(stranger).approve(catalog, MAX)).wait();
      await expect(catalog.connect(stranger).redeem(rewardId, 1n, token, MAX, NO_KEY)).to.be.revertedWithCustomError(
        token,
        "InsufficientBalance",
      );
      expect((await catalog.reward(rewardId)).redeemed).to.equal(0n);
      expect(await voucher.balanceOf(carol.address, rewardId)).to.equal(0n);
    });

    describe("from a contract wallet", function () {
      async function receiverFixture() {
        const fixture = await rewardsFixture();
        const { merchant, token, catalog } = fixture;
        const receiver = (await ethers.deployContract("ReentrantERC1155Receiver")) as unknown as ReentrantERC1155Receiver;
        await (await token.connect(merchant).mint(receiver, 1000n * ONE)).wait();
        await (
          await receiver.execute(token, token.interface.encodeFunctionData("approve", [await catalog.getAddress(), MAX]))
        ).wait();
        return { ...fixture, receiver };
      }

      it("redeems into a contract that accepts ERC-1155 tokens", async function () {
        const { catalog, voucher, token, receiver, rewardId } = await loadFixture(receiverFixture);
        const redeem = catalog.interface.encodeFunctionData("redeem", [rewardId, 1n, await token.getAddress(), MAX, NO_KEY]);
        await (await receiver.execute(catalog, redeem)).wait();
        expect(await voucher.balanceOf(receiver, rewardId)).to.equal(1n);
      });

      it("attack: re-entering redeem from the ERC-1155 hook reverts with ReentrancyGuardReentrantCall", async function () {
        const { catalog, voucher, token, receiver, rewardId } = await loadFixture(receiverFixture);
        const redeem = catalog.interface.encodeFunctionData("redeem", [rewardId, 1n, await token.getAddress(), MAX, NO_KEY]);
        await (await receiver.arm(catalog, redeem)).wait();
        await expect(receiver.execute(catalog, redeem)).to.be.revertedWithCustomError(
          catalog,
          "ReentrancyGuardReentrantCall",
        );
        expect(await voucher.balanceOf(receiver, rewardId)).to.equal(0n);
        expect(await token.balanceOf(receiver)).to.equal(1000n * ONE);
        expect((await catalog.reward(rewardId)).redeemed).to.equal(0n);
      });

      it("attack: re-entering redeemWithPermit from the ERC-1155 hook reverts with ReentrancyGuardReentrantCall", async function () {
        const { catalog, token, receiver, rewardId } = await loadFixture(receiverFixture);
        const redeem = catalog.interface.encodeFunctionData("redeem", [rewardId, 1n, await token.getAddress(), MAX, NO_KEY]);
        const again = catalog.interface.encodeFunctionData("redeemWithPermit", [
          rewardId,
          1n,
          await token.getAddress(),
          MAX,
          NO_KEY,
          0n,
          27,
          ethers.ZeroHash,
          ethers.ZeroHash,
        ]);
        await (await receiver.arm(catalog, again)).wait();
        await expect(receiver.execute(catalog, redeem)).to.be.revertedWithCustomError(
          catalog,
          "ReentrancyGuardReentrantCall",
        );
      });

      it("reverts for a contract wallet that does not accept ERC-1155 tokens", async function () {
        const { catalog, voucher, merchant, token, rewardId } = await loadFixture(rewardsFixture);
        // Any contract without the ERC-1155 hook, acting as a wallet that holds points and approved the catalog.
        const wallet = await ethers.deployContract("MockStablecoin", ["Not a wallet", "NAW", 6]);
        const walletAddress = await wallet.getAddress();
        await (await token.connect(merchant).mint(walletAddress, 100n * ONE)).wait();
        await ethers.provider.send("hardhat_impersonateAccount", [walletAddress]);
        await ethers.provider.send("hardhat_setBalance", [walletAddress, "0xde0b6b3a7640000"]);
        const asWallet = await ethers.getSigner(walletAddress);
        await (await token.connect(asWallet).approve(catalog, MAX)).wait();
        await expect(catalog.connect(asWallet).redeem(rewardId, 1n, token, MAX, NO_KEY))
          .to.be.revertedWithCustomError(voucher, "ERC1155InvalidReceiver")
          .withArgs(walletAddress);
      });
    });
  });

  describe("redeemWithPermit", function () {
    it("redeems with a permit instead of an approval", async function () {
      const { catalog, voucher, carol, token, rewardId } = await loadFixture(rewardsFixture);
      const deadline = BigInt(await time.latest()) + BigInt(DAY);
      const { v, r, s } = await signPermit(token, carol, await catalog.getAddress(), 50n * ONE, deadline);
      await expect(catalog.connect(carol).redeemWithPermit(rewardId, 1n, token, 50n * ONE, NO_KEY, deadline, v, r, s))
        .to.emit(catalog, "RewardRedeemed")
        .withArgs(rewardId, carol.address, redemptionId(rewardId, 0n), 1n, await token.getAddress(), 50n * ONE, NO_KEY);
      expect(await token.balanceOf(carol.address)).to.equal(950n * ONE);
      expect(await voucher.balanceOf(carol.address, rewardId)).to.equal(1n);
      expect(await token.allowance(carol.address, catalog)).to.equal(0n);
    });

    it("redeems with partner points and a permit", async function () {
      const { catalog, partnerMerchant, partnerToken, treasury, carol, rewardId } = await loadFixture(rewardsFixture);
      await (await partnerToken.connect(partnerMerchant).mint(carol.address, 500n * ONE)).wait();
      const deadline = BigInt(await time.latest()) + BigInt(DAY);
      const { v, r, s } = await signPermit(partnerToken, carol, await catalog.getAddress(), 100n * ONE, deadline);
      await expect(
        catalog.connect(carol).redeemWithPermit(rewardId, 1n, partnerToken, 100n * ONE, NO_KEY, deadline, v, r, s),
      ).to.changeTokenBalances(partnerToken, [carol, treasury], [-100n * ONE, 100n * ONE]);
    });

    it("still redeems when someone submitted the permit first", async function () {
      const { catalog, carol, stranger, token, rewardId } = await loadFixture(rewardsFixture);
      const deadline = BigInt(await time.latest()) + BigInt(DAY);
      const { v, r, s } = await signPermit(token, carol, await catalog.getAddress(), 50n * ONE, deadline);
      await (await token.connect(stranger).permit(carol.address, catalog, 50n * ONE, deadline, v, r, s)).wait();
      await expect(
        catalog.connect(carol).redeemWithPermit(rewardId, 1n, token, 50n * ONE, NO_KEY, deadline, v, r, s),
      ).to.emit(catalog, "RewardRedeemed");
    });

    it("reverts when the permit is invalid and there is no allowance", async function () {
      const { catalog, carol, stranger, token, rewardId } = await loadFixture(rewardsFixture);
      const deadline = BigInt(await time.latest()) + BigInt(DAY);
      const { v, r, s } = await signPermit(token, stranger, await catalog.getAddress(), 50n * ONE, deadline);
      await expect(
        catalog.connect(carol).redeemWithPermit(rewardId, 1n, token, 50n * ONE, NO_KEY, deadline, v, r, s),
      ).to.be.revertedWithCustomError(token, "InsufficientAllowance");
    });

    it("reverts for a token the catalog does not accept before calling it", async function () {
      const { catalog, carol, rewardId } = await loadFixture(rewardsFixture);
      const outsider = await ethers.deployContract("ReentrantToken");
      await expect(
        catalog
          .connect(carol)
          .redeemWithPermit(rewardId, 1n, outsider, MAX, NO_KEY, 0n, 27, ethers.ZeroHash, ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(catalog, "RewardCatalogPaymentNotAccepted")
        .withArgs(rewardId, await outsider.getAddress());
    });

    it("reverts like redeem when the reward is not redeemable", async function () {
      const { catalog, merchant, carol, token, rewardId } = await loadFixture(rewardsFixture);
      await (await catalog.connect(merchant).retireReward(rewardId)).wait();
      const deadline = BigInt(await time.latest()) + BigInt(DAY);
      const { v, r, s } = await signPermit(token, carol, await catalog.getAddress(), 50n * ONE, deadline);
      await expect(catalog.connect(carol).redeemWithPermit(rewardId, 1n, token, 50n * ONE, NO_KEY, deadline, v, r, s))
        .to.be.revertedWithCustomError(catalog, "RewardCatalogRewardRetired")
        .withArgs(rewardId);
    });
  });

  describe("deliverCode", function () {
    async function giftFixture() {
      const fixture = await rewardsFixture();
      const { catalog, merchant, alice, token } = fixture;
      const giftId = await addReward(catalog, merchant, await rewardParams({ kind: REWARD_KIND.GiftCoupon, value: 0n }));
      await (await catalog.connect(alice).redeem(giftId, 2n, token, MAX, KEY)).wait();
      return { ...fixture, giftId };
    }

    it("posts the ciphertext for the merchant or a fulfiller", async function () {
      const { catalog, merchant, fulfiller, giftId } = await loadFixture(giftFixture);
      const id = redemptionId(giftId, 0n);
      await expect(catalog.connect(fulfiller).deliverCode(id, "0xc0ffee"))
        .to.emit(catalog, "CodeDelivered")
        .withArgs(id, "0xc0ffee");
      await expect(catalog.connect(merchant).deliverCode(id, "0xbeef")).to.emit(catalog, "CodeDelivered").withArgs(id, "0xbeef");
    });

    it("reverts for anyone else, terminals included", async function () {
      const { catalog, terminal, alice, stranger, giftId } = await loadFixture(giftFixture);
      for (const caller of [terminal, alice, stranger]) {
        await expect(catalog.connect(caller).deliverCode(redemptionId(giftId, 0n), "0x00"))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogUnauthorizedFulfiller")
          .withArgs(caller.address);
      }
    });

    it("reverts for a redemption that did not happen", async function () {
      const { catalog, fulfiller, giftId } = await loadFixture(giftFixture);
      // Serials from the reward's count of vouchers on, and rewards never redeemed, name no redemption.
      for (const id of [redemptionId(giftId, 2n), redemptionId(giftId + 1n, 0n), redemptionId(0n, 0n)]) {
        await expect(catalog.connect(fulfiller).deliverCode(id, "0x00"))
          .to.be.revertedWithCustomError(catalog, "RewardCatalogUnknownRedemption")
          .withArgs(id);
      }
    });
  });
});
