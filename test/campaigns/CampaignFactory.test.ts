import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { CampaignFactory } from "../../typechain-types";
import {
  CHANNEL,
  DAY,
  ONE,
  campaignParams,
  createCampaign,
  createToken,
  deployFactory,
  packRules,
  tokenParams,
  type CampaignParams,
} from "../helpers/fixtures";

const SALT = ethers.id("spring-2026");

/** A factory, a merchant with one token, campaign parameters for it, an attacker and a second merchant. */
async function factoryFixture() {
  const [deployer, merchant, issuer, alice, , , attacker, otherMerchant] = await ethers.getSigners();
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  const tokenAddress = await token.getAddress();
  const params = await campaignParams(tokenAddress, { issuers: [issuer.address, alice.address] });
  return { deployer, merchant, issuer, alice, attacker, otherMerchant, factory, token, tokenAddress, params };
}

/** A registry with tokens and campaigns of two merchants created in interleaved order. */
async function registryFixture() {
  const [, merchant, , , , , , otherMerchant] = await ethers.getSigners();
  const factory = await deployFactory();
  const order: [HardhatEthersSigner, string][] = [
    [merchant, "M1"],
    [otherMerchant, "O1"],
    [merchant, "M2"],
    [otherMerchant, "O2"],
    [merchant, "M3"],
  ];
  const tokens: Record<string, string> = {};
  for (const [who, symbol] of order) {
    tokens[symbol] = await (await createToken(factory, who, tokenParams({ symbol }))).getAddress();
  }
  const campaigns: Record<string, string> = {};
  for (const [who, symbol, salt] of [
    [merchant, "M1", "a"],
    [otherMerchant, "O1", "b"],
    [merchant, "M2", "c"],
  ] as const) {
    const params = await campaignParams(tokens[symbol]);
    campaigns[salt] = await (await createCampaign(factory, who, params, ethers.id(salt))).getAddress();
  }
  return { factory, merchant, otherMerchant, tokens, campaigns };
}

/** The CREATE2 address of a LoyaltyToken deployed by `factory` for `merchant`, computed off chain. */
async function create2TokenAddress(factory: CampaignFactory, merchant: string, params = tokenParams(), salt = SALT) {
  const artifact = await ethers.getContractFactory("LoyaltyToken");
  const initCode = ethers.concat([
    artifact.bytecode,
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["string", "string", "address", "uint256", "string", "address"],
      [params.name, params.symbol, merchant, params.faceValue, params.metadataURI, await factory.campaignImplementation()],
    ),
  ]);
  const salted = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [merchant, salt]));
  return ethers.getCreate2Address(await factory.getAddress(), salted, ethers.keccak256(initCode));
}

/** `count` tiers with rising thresholds and multipliers: all valid but for their number. */
function risingTiers(count: number) {
  return Array.from({ length: count }, (_, i) => ({ threshold: BigInt(i + 1), multiplierBps: 10_000 + i }));
}

function risingMilestones(count: number) {
  return Array.from({ length: count }, (_, i) => ({ claimNumber: i + 1, bonus: 1n }));
}

describe("CampaignFactory", function () {
  describe("constructor", function () {
    it("deploys the campaign implementation, bound to this factory", async function () {
      const { factory } = await loadFixture(factoryFixture);
      const implementation = await ethers.getContractAt("Campaign", await factory.campaignImplementation());
      expect(await implementation.factory()).to.equal(await factory.getAddress());
      expect(await factory.isCampaign(await implementation.getAddress())).to.equal(false);
    });

    it("reverts with CampaignFactoryInvalidCampaignCode when the campaign code deploys nothing or another contract", async function () {
      const factoryArtifact = await ethers.getContractFactory("CampaignFactory");
      const someOtherContract = (await ethers.getContractFactory("MockStablecoin")).bytecode;
      for (const code of ["0x", "0xfe", someOtherContract]) {
        await expect(factoryArtifact.deploy(ethers.ZeroAddress, code)).to.be.revertedWithCustomError(
          factoryArtifact,
          "CampaignFactoryInvalidCampaignCode",
        );
      }
    });
  });

  describe("createToken", function () {
    it("deploys the token owned by the caller at the predicted address and emits TokenCreated", async function () {
      const { factory, merchant } = await loadFixture(factoryFixture);
      const params = tokenParams({ name: "Gamma Bakery", symbol: "CRUMB", faceValue: 5_000n, metadataURI: "ipfs://g" });
      const predicted = await factory.predictTokenAddress(merchant.address, params, SALT);
      expect(await factory.connect(merchant).createToken.staticCall(params, SALT)).to.equal(predicted);
      await expect(factory.connect(merchant).createToken(params, SALT))
        .to.emit(factory, "TokenCreated")
        .withArgs(merchant.address, predicted, "Gamma Bakery", "CRUMB", 5_000n, "ipfs://g");
      const token = await ethers.getContractAt("LoyaltyToken", predicted);
      expect(await token.owner()).to.equal(merchant.address);
      expect(await token.name()).to.equal("Gamma Bakery");
      expect(await token.symbol()).to.equal("CRUMB");
      expect(await token.faceValue()).to.equal(5_000n);
      expect(await token.metadataURI()).to.equal("ipfs://g");
      expect(await token.factory()).to.equal(await factory.getAddress());
      expect(await factory.isToken(predicted)).to.equal(true);
    });

    it("deploys elsewhere with another salt or other parameters", async function () {
      const { factory, merchant, tokenAddress } = await loadFixture(factoryFixture);
      const other = await createToken(factory, merchant, tokenParams(), SALT);
      const renamed = await createToken(factory, merchant, tokenParams({ symbol: "BEAN2" }));
      const addresses = new Set([tokenAddress, await other.getAddress(), await renamed.getAddress()]);
      expect(addresses.size).to.equal(3);
    });

  });

  describe("createCampaign", function () {
    it("deploys the clone at the predicted address and emits CampaignCreated with the packed rules", async function () {
      const { factory, merchant, tokenAddress, params } = await loadFixture(factoryFixture);
      const withData = { ...params, optionalDataFields: ["birthday month", "favourite drink"] };
      const predicted = await factory.predictCampaignAddress(merchant.address, withData, SALT);
      expect(await factory.connect(merchant).createCampaign.staticCall(withData, SALT)).to.equal(predicted);
      await expect(factory.connect(merchant).createCampaign(withData, SALT))
        .to.emit(factory, "CampaignCreated")
        .withArgs(
          merchant.address,
          tokenAddress,
          predicted,
          packRules(withData, tokenAddress),
          "ipfs://campaign",
          ["birthday month", "favourite drink"],
        );
      expect(await factory.isCampaign(predicted)).to.equal(true);
    });

    it("stores the rules in the clone, readable through rules()", async function () {
      const { factory, merchant, params } = await loadFixture(factoryFixture);
      const full: CampaignParams = {
        ...params,
        maxPerClaim: 77n * ONE,
        channels: 0b101,
        tierPeriod: 7 * DAY,
        tiers: [
          { threshold: 100n * ONE, multiplierBps: 12_500 },
          { threshold: 500n * ONE, multiplierBps: 15_000 },
        ],
        milestones: [
          { claimNumber: 3, bonus: 5n * ONE },
          { claimNumber: 10, bonus: 20n * ONE },
        ],
      };
      const campaign = await createCampaign(factory, merchant, full, SALT);
      const rules = await campaign.rules();
      expect(rules.token).to.equal(full.token);
      expect(rules.startsAt).to.equal(full.startsAt);
      expect(rules.endsAt).to.equal(full.endsAt);
      expect(rules.supplyCap).to.equal(full.supplyCap);
      expect(rules.maxPerClaim).to.equal(77n * ONE);
      expect(rules.earnPoints).to.equal(full.earnPoints);
      expect(rules.earnSpend).to.equal(full.earnSpend);
      expect(rules.channels).to.equal(0b101);
      expect(rules.tierPeriod).to.equal(7 * DAY);
      expect(rules.tiers.map((t) => [t.threshold, t.multiplierBps])).to.deep.equal([
        [100n * ONE, 12_500n],
        [500n * ONE, 15_000n],
      ]);
      expect(rules.milestones.map((m) => [m.claimNumber, m.bonus])).to.deep.equal([
        [3n, 5n * ONE],
        [10n, 20n * ONE],
      ]);
    });

    it("activates the campaign: it issues in the transaction after its creation", async function () {
      // A clone issues nothing until activated (Campaign.activate), which the factory does as it creates one.
      const { factory, merchant, issuer, alice, token, params } = await loadFixture(factoryFixture);
      const campaign = await createCampaign(factory, merchant, params, SALT);
      expect(await campaign.isActive()).to.equal(true);
      await expect(campaign.connect(issuer).issue(alice.address, ONE, 0, ethers.ZeroHash)).to.emit(campaign, "PointsIssued");
      expect(await token.balanceOf(alice.address)).to.equal(ONE);
    });

    it("numbers each campaign by its place in the registry (ICampaign.serial), which keys its records in the token", async function () {
      const { factory, merchant, params } = await loadFixture(factoryFixture);
      const before = (await factory.campaigns(0, 0))[1];
      const first = await createCampaign(factory, merchant, params, ethers.id("first"));
      const second = await createCampaign(factory, merchant, params, ethers.id("second"));
      expect(await first.serial()).to.equal(before + 1n);
      expect(await second.serial()).to.equal(before + 2n);
      const [all] = await factory.campaigns(0, before + 2n);
      expect(all[Number(before)]).to.equal(await first.getAddress());
      expect(all[Number(before) + 1]).to.equal(await second.getAddress());
    });

    it("makes the campaign a minter of the token and names its first issuer keys in the rules", async function () {
      // The first eight keys are part of the clone's rules (no storage write, no IssuerSet: CampaignCreated carries
      // them); any further key is set in storage and announced with IssuerSet.
      const { factory, merchant, issuer, alice, token, params } = await loadFixture(factoryFixture);
      const predicted = await factory.predictCampaignAddress(merchant.address, params, SALT);
      const campaign = await ethers.getContractAt("Campaign", predicted);
      const tx = factory.connect(merchant).createCampaign(params, SALT);
      await expect(tx).not.to.emit(campaign, "IssuerSet");
      expect(await token.isMinter(predicted)).to.equal(true);
      expect((await campaign.rules()).issuers).to.deep.equal([issuer.address, alice.address]);
      expect(await campaign.isIssuer(issuer.address)).to.equal(true);
      expect(await campaign.isIssuer(alice.address)).to.equal(true);
      expect(await campaign.isIssuer(merchant.address)).to.equal(false);
    });

    it("keeps issuer keys beyond the first eight in storage, announced with IssuerSet", async function () {
      const { factory, merchant, tokenAddress } = await loadFixture(factoryFixture);
      const keys = Array.from({ length: 10 }, () => ethers.Wallet.createRandom().address);
      const params = await campaignParams(tokenAddress, { issuers: keys });
      const predicted = await factory.predictCampaignAddress(merchant.address, params, SALT);
      const campaign = await ethers.getContractAt("Campaign", predicted);
      const tx = factory.connect(merchant).createCampaign(params, SALT);
      await expect(tx).to.emit(campaign, "IssuerSet").withArgs(keys[8], true);
      await expect(tx).to.emit(campaign, "IssuerSet").withArgs(keys[9], true);
      expect((await campaign.rules()).issuers).to.deep.equal(keys.slice(0, 8));
      for (const key of keys) expect(await campaign.isIssuer(key)).to.equal(true);
    });

    it("accepts a start in the past, a single channel and one tier at exactly 10 000 bps", async function () {
      const { factory, merchant, tokenAddress } = await loadFixture(factoryFixture);
      const now = BigInt(await time.latest());
      const params = await campaignParams(tokenAddress, {
        startsAt: now - BigInt(DAY),
        channels: 1 << CHANNEL.Batch,
        tierPeriod: DAY,
        tiers: [
          { threshold: 1n, multiplierBps: 10_000 },
          { threshold: 2n, multiplierBps: 10_000 },
        ],
      });
      const campaign = await createCampaign(factory, merchant, params, SALT);
      expect((await campaign.rules()).tiers.length).to.equal(2);
    });

    // 255 of each in one campaign also works, but packing the rules is quadratic in their number (about 16.7M
    // gas for 255 + 255), which instrumented coverage runs cannot afford: the two limits are checked apart.
    it("accepts 255 tiers", async function () {
      const { factory, merchant, tokenAddress } = await loadFixture(factoryFixture);
      const params = await campaignParams(tokenAddress, { tierPeriod: DAY, tiers: risingTiers(255) });
      const rules = await (await createCampaign(factory, merchant, params, SALT)).rules();
      expect(rules.tiers.length).to.equal(255);
      expect([rules.tiers[254].threshold, rules.tiers[254].multiplierBps]).to.deep.equal([255n, 10_254n]);
    });

    it("accepts 255 milestones", async function () {
      const { factory, merchant, tokenAddress } = await loadFixture(factoryFixture);
      const params = await campaignParams(tokenAddress, { milestones: risingMilestones(255) });
      const rules = await (await createCampaign(factory, merchant, params, SALT)).rules();
      expect(rules.milestones.length).to.equal(255);
      expect([rules.milestones[254].claimNumber, rules.milestones[254].bonus]).to.deep.equal([255n, 1n]);
    });

    it("accepts the highest threshold (42,949,672.95 points) and the highest milestone (claim 65,534)", async function () {
      const { factory, merchant, tokenAddress } = await loadFixture(factoryFixture);
      const params = await campaignParams(tokenAddress, {
        tierPeriod: DAY,
        tiers: [{ threshold: 0xffffffffn * 10n ** 16n, multiplierBps: 10_000 }],
        milestones: [{ claimNumber: 65_534, bonus: 1n }],
      });
      const rules = await (await createCampaign(factory, merchant, params, SALT)).rules();
      expect(rules.tiers[0].threshold).to.equal(0xffffffffn * 10n ** 16n);
      expect(rules.milestones[0].claimNumber).to.equal(65_534n);
    });

    it("follows the token's ownership", async function () {
      const { factory, merchant, otherMerchant, token, params } = await loadFixture(factoryFixture);
      await token.connect(merchant).transferOwnership(otherMerchant.address);
      await expect(factory.connect(merchant).createCampaign(params, SALT))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryNotTokenOwner")
        .withArgs(await token.getAddress(), merchant.address);
      const campaign = await createCampaign(factory, otherMerchant, params, SALT);
      expect(await factory.isCampaign(await campaign.getAddress())).to.equal(true);
    });

    describe("validation", function () {
      type Case = [title: string, overrides: (now: bigint) => Partial<CampaignParams>, error: string, args: unknown[]];
      const cases: Case[] = [
        ["it ends before it starts", (now) => ({ startsAt: now + 10n, endsAt: now + 5n }), "CampaignFactoryInvalidSchedule", ["startsAt", "endsAt"]],
        ["it ends when it starts", (now) => ({ startsAt: now + 10n, endsAt: now + 10n }), "CampaignFactoryInvalidSchedule", ["startsAt", "endsAt"]],
        ["it ended already", (now) => ({ startsAt: now - 10n * BigInt(DAY), endsAt: now - 1n }), "CampaignFactoryInvalidSchedule", ["startsAt", "endsAt"]],
        ["the supply cap is zero", () => ({ supplyCap: 0n }), "CampaignFactoryZeroSupplyCap", []],
        ["no channel is open (mask 0)", () => ({ channels: 0 }), "CampaignFactoryInvalidChannels", [0]],
        ["an unknown channel is open (mask 8)", () => ({ channels: 8 }), "CampaignFactoryInvalidChannels", [8]],
        ["a known channel comes with an unknown one (mask 9)", () => ({ channels: 9 }), "CampaignFactoryInvalidChannels", [9]],
        ["the earn rate has points but no spend", () => ({ earnPoints: ONE, earnSpend: 0n }), "CampaignFactoryInvalidEarnRate", [ONE, 0n]],
        ["the earn rate has spend but no points", () => ({ earnPoints: 0n, earnSpend: 500n }), "CampaignFactoryInvalidEarnRate", [0n, 500n]],
        ["tiers come without a tier period", () => ({ tiers: [{ threshold: 1n, multiplierBps: 15_000 }] }), "CampaignFactoryTiersWithoutPeriod", []],
        // The index of the first tier that does not fit, as for milestones.
        ["there are 256 tiers", () => ({ tierPeriod: DAY, tiers: risingTiers(256) }), "CampaignFactoryInvalidTier", [255n]],
        ["a tier's threshold is zero", () => ({ tierPeriod: DAY, tiers: [{ threshold: 0n, multiplierBps: 15_000 }] }), "CampaignFactoryInvalidTier", [0n]],
        ["a tier's multiplier is below 10 000 bps", () => ({ tierPeriod: DAY, tiers: [{ threshold: 1n, multiplierBps: 9_999 }] }), "CampaignFactoryInvalidTier", [0n]],
        [
          "a tier's threshold equals the previous one",
          () => ({ tierPeriod: DAY, tiers: [{ threshold: 5n, multiplierBps: 11_000 }, { threshold: 5n, multiplierBps: 12_000 }] }),
          "CampaignFactoryInvalidTier",
          [1n],
        ],
        [
          "a tier's threshold falls",
          () => ({ tierPeriod: DAY, tiers: [{ threshold: 5n, multiplierBps: 11_000 }, { threshold: 4n, multiplierBps: 12_000 }] }),
          "CampaignFactoryInvalidTier",
          [1n],
        ],
        [
          "a tier's multiplier falls",
          () => ({ tierPeriod: DAY, tiers: [{ threshold: 5n, multiplierBps: 12_000 }, { threshold: 6n, multiplierBps: 11_000 }] }),
          "CampaignFactoryInvalidTier",
          [1n],
        ],
        [
          "the third tier is the first invalid one",
          () => ({ tierPeriod: DAY, tiers: [...risingTiers(2), { threshold: 2n, multiplierBps: 10_002 }] }),
          "CampaignFactoryInvalidTier",
          [2n],
        ],
        ["a tier period comes without tiers", () => ({ tierPeriod: DAY }), "CampaignFactoryTierPeriodWithoutTiers", [DAY]],
        [
          // A wallet's record counts hundredths of a point up to 2^32 - 1 a period (ICampaign.accountOf).
          "a tier's threshold is above 42,949,672.95 points",
          () => ({ tierPeriod: DAY, tiers: [...risingTiers(1), { threshold: 0xffffffffn * 10n ** 16n + 1n, multiplierBps: 20_000 }] }),
          "CampaignFactoryInvalidTier",
          [1n],
        ],
        ["a milestone's claim number is zero", () => ({ milestones: [{ claimNumber: 0, bonus: 1n }] }), "CampaignFactoryInvalidMilestone", [0n]],
        [
          // The record's claim count stops at 65,535, where a milestone would pay on every later claim.
          "a milestone's claim number is above 65,534",
          () => ({ milestones: [{ claimNumber: 3, bonus: 1n }, { claimNumber: 65_535, bonus: 1n }] }),
          "CampaignFactoryInvalidMilestone",
          [1n],
        ],
        ["a milestone's bonus is zero", () => ({ milestones: [{ claimNumber: 1, bonus: 1n }, { claimNumber: 2, bonus: 0n }] }), "CampaignFactoryInvalidMilestone", [1n]],
        [
          "a milestone's claim number equals the previous one",
          () => ({ milestones: [{ claimNumber: 2, bonus: 1n }, { claimNumber: 2, bonus: 1n }] }),
          "CampaignFactoryInvalidMilestone",
          [1n],
        ],
        [
          "a milestone's claim number falls",
          () => ({ milestones: [{ claimNumber: 3, bonus: 1n }, { claimNumber: 2, bonus: 1n }] }),
          "CampaignFactoryInvalidMilestone",
          [1n],
        ],
        ["there are 256 milestones", () => ({ milestones: risingMilestones(256) }), "CampaignFactoryInvalidMilestone", [255n]],
      ];

      for (const [title, overrides, error, args] of cases) {
        it(`reverts when ${title}`, async function () {
          const { factory, merchant, params } = await loadFixture(factoryFixture);
          const invalid = { ...params, ...overrides(BigInt(await time.latest())) };
          const expectedArgs = args.map((a) => (a === "startsAt" ? invalid.startsAt : a === "endsAt" ? invalid.endsAt : a));
          await expect(factory.connect(merchant).createCampaign(invalid, SALT))
            .to.be.revertedWithCustomError(factory, error)
            .withArgs(...expectedArgs);
        });
      }

      it("reverts when it ends in the very block that creates it", async function () {
        const { factory, merchant, params } = await loadFixture(factoryFixture);
        const blockTime = BigInt(await time.latest()) + 60n;
        const invalid = { ...params, endsAt: blockTime };
        await time.setNextBlockTimestamp(blockTime);
        await expect(factory.connect(merchant).createCampaign(invalid, SALT))
          .to.be.revertedWithCustomError(factory, "CampaignFactoryInvalidSchedule")
          .withArgs(params.startsAt, blockTime);
      });

      it("accepts an end one second after the creating block", async function () {
        const { factory, merchant, params } = await loadFixture(factoryFixture);
        const blockTime = BigInt(await time.latest()) + 60n;
        const valid = { ...params, endsAt: blockTime + 1n };
        await time.setNextBlockTimestamp(blockTime);
        await expect(factory.connect(merchant).createCampaign(valid, SALT)).to.emit(factory, "CampaignCreated");
      });
    });
  });

  describe("createTokenAndCampaign", function () {
    it("creates the token and its first campaign at the predicted addresses, ignoring params.token", async function () {
      const { factory, merchant, otherMerchant, tokenAddress, params } = await loadFixture(factoryFixture);
      const tParams = tokenParams({ symbol: "DUO" });
      // The token field names another merchant's token: it must be ignored, not trusted.
      const cParams = { ...params, token: tokenAddress };
      const predictedToken = await factory.predictTokenAddress(otherMerchant.address, tParams, SALT);
      const predictedCampaign = await factory.predictCampaignAddress(
        otherMerchant.address,
        { ...cParams, token: predictedToken },
        SALT,
      );
      const [token, campaign] = await factory
        .connect(otherMerchant)
        .createTokenAndCampaign.staticCall(tParams, cParams, SALT);
      expect([token, campaign]).to.deep.equal([predictedToken, predictedCampaign]);
      const tx = factory.connect(otherMerchant).createTokenAndCampaign(tParams, cParams, SALT);
      await expect(tx)
        .to.emit(factory, "TokenCreated")
        .withArgs(otherMerchant.address, predictedToken, tParams.name, "DUO", tParams.faceValue, tParams.metadataURI);
      await expect(tx)
        .to.emit(factory, "CampaignCreated")
        .withArgs(
          otherMerchant.address,
          predictedToken,
          predictedCampaign,
          packRules(cParams, predictedToken),
          "ipfs://campaign",
          [],
        );
      const created = await ethers.getContractAt("Campaign", predictedCampaign);
      expect(await created.token()).to.equal(predictedToken);
      expect(await (await ethers.getContractAt("LoyaltyToken", predictedToken)).owner()).to.equal(otherMerchant.address);
      expect(await (await ethers.getContractAt("LoyaltyToken", predictedToken)).isMinter(predictedCampaign)).to.equal(
        true,
      );
      expect(await created.isIssuer(params.issuers[0] as string)).to.equal(true);
      expect(await created.isActive()).to.equal(true);
      expect(await factory.isToken(predictedToken)).to.equal(true);
      expect(await factory.isCampaign(predictedCampaign)).to.equal(true);
      expect((await factory.tokensOf(merchant.address, 0, 0))[1]).to.equal(1n);
    });

    it("reverts when the caller already created that token", async function () {
      const { factory, merchant, params } = await loadFixture(factoryFixture);
      await expect(factory.connect(merchant).createTokenAndCampaign(tokenParams(), params, ethers.ZeroHash))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryTokenExists")
        .withArgs(merchant.address, ethers.ZeroHash);
    });

    it("reverts, creating no token, when the campaign parameters are invalid", async function () {
      const { factory, otherMerchant, params } = await loadFixture(factoryFixture);
      const tParams = tokenParams({ symbol: "DUO" });
      const predictedToken = await factory.predictTokenAddress(otherMerchant.address, tParams, SALT);
      await expect(
        factory.connect(otherMerchant).createTokenAndCampaign(tParams, { ...params, supplyCap: 0n }, SALT),
      ).to.be.revertedWithCustomError(factory, "CampaignFactoryZeroSupplyCap");
      expect(await factory.isToken(predictedToken)).to.equal(false);
      expect(await ethers.provider.getCode(predictedToken)).to.equal("0x");
    });
  });

  describe("predictTokenAddress", function () {
    it("is the CREATE2 address of the token's init code under keccak(merchant, salt)", async function () {
      const { factory, merchant, attacker } = await loadFixture(factoryFixture);
      const params = tokenParams();
      expect(await factory.predictTokenAddress(merchant.address, params, SALT)).to.equal(
        await create2TokenAddress(factory, merchant.address, params, SALT),
      );
      expect(await factory.predictTokenAddress(attacker.address, params, SALT)).to.equal(
        await create2TokenAddress(factory, attacker.address, params, SALT),
      );
      expect(await factory.predictTokenAddress(merchant.address, params, SALT)).to.not.equal(
        await factory.predictTokenAddress(attacker.address, params, SALT),
      );
    });
  });

  describe("predictCampaignAddress", function () {
    it("depends on the merchant, the salt and every rule", async function () {
      const { factory, merchant, attacker, params } = await loadFixture(factoryFixture);
      const base = await factory.predictCampaignAddress(merchant.address, params, SALT);
      const variants = [
        await factory.predictCampaignAddress(attacker.address, params, SALT),
        await factory.predictCampaignAddress(merchant.address, params, ethers.ZeroHash),
        await factory.predictCampaignAddress(merchant.address, { ...params, supplyCap: 1n }, SALT),
      ];
      expect(new Set([base, ...variants]).size).to.equal(4);
      // The first issuer keys are part of the rules, so they move the address; metadata and optional data fields
      // are not rules and do not.
      expect(await factory.predictCampaignAddress(merchant.address, { ...params, issuers: [] }, SALT)).to.not.equal(base);
      expect(
        await factory.predictCampaignAddress(
          merchant.address,
          { ...params, metadataURI: "ipfs://other", optionalDataFields: ["email"] },
          SALT,
        ),
      ).to.equal(base);
    });

    it("reverts like createCampaign when the parameters are invalid", async function () {
      const { factory, merchant, params } = await loadFixture(factoryFixture);
      await expect(factory.predictCampaignAddress(merchant.address, { ...params, channels: 8 }, SALT))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryInvalidChannels")
        .withArgs(8);
    });
  });

  describe("isToken and isCampaign", function () {
    it("are false for anything the factory did not create", async function () {
      const { factory, merchant, tokenAddress } = await loadFixture(factoryFixture);
      expect(await factory.isToken(tokenAddress)).to.equal(true);
      expect(await factory.isToken(merchant.address)).to.equal(false);
      expect(await factory.isCampaign(tokenAddress)).to.equal(false);
      expect(await factory.isToken(await factory.campaignImplementation())).to.equal(false);
    });
  });

  describe("registry", function () {
    describe("tokens", function () {
      it("lists every token oldest first with the total", async function () {
        const { factory, tokens } = await loadFixture(registryFixture);
        const [page, total] = await factory.tokens(0, 10);
        expect(page).to.deep.equal([tokens.M1, tokens.O1, tokens.M2, tokens.O2, tokens.M3]);
        expect(total).to.equal(5n);
      });

      it("returns a middle page, a partial last page and empty pages", async function () {
        const { factory, tokens } = await loadFixture(registryFixture);
        expect(await factory.tokens(1, 2)).to.deep.equal([[tokens.O1, tokens.M2], 5n]);
        expect(await factory.tokens(3, 5)).to.deep.equal([[tokens.O2, tokens.M3], 5n]);
        expect(await factory.tokens(5, 1)).to.deep.equal([[], 5n]);
        expect(await factory.tokens(99, 10)).to.deep.equal([[], 5n]);
        expect(await factory.tokens(0, 0)).to.deep.equal([[], 5n]);
      });

      it("returns everything when the limit is the largest uint256 from offset 0", async function () {
        const { factory, tokens } = await loadFixture(registryFixture);
        expect(await factory.tokens(0, ethers.MaxUint256)).to.deep.equal([
          [tokens.M1, tokens.O1, tokens.M2, tokens.O2, tokens.M3],
          5n,
        ]);
      });

      it("returns the rest when the limit is the largest uint256 from a non-zero offset", async function () {
        // "All from here" is a natural request for a client; `offset + limit` must not overflow.
        const { factory, tokens } = await loadFixture(registryFixture);
        expect(await factory.tokens(3, ethers.MaxUint256)).to.deep.equal([[tokens.O2, tokens.M3], 5n]);
      });
    });

    describe("tokensOf", function () {
      it("pages through one merchant's tokens", async function () {
        const { factory, merchant, otherMerchant, tokens } = await loadFixture(registryFixture);
        expect(await factory.tokensOf(merchant.address, 0, 10)).to.deep.equal([[tokens.M1, tokens.M2, tokens.M3], 3n]);
        expect(await factory.tokensOf(merchant.address, 2, 2)).to.deep.equal([[tokens.M3], 3n]);
        expect(await factory.tokensOf(merchant.address, 3, 2)).to.deep.equal([[], 3n]);
        expect(await factory.tokensOf(merchant.address, 1, 0)).to.deep.equal([[], 3n]);
        expect(await factory.tokensOf(otherMerchant.address, 1, 1)).to.deep.equal([[tokens.O2], 2n]);
        expect(await factory.tokensOf(ethers.ZeroAddress, 0, 10)).to.deep.equal([[], 0n]);
      });
    });

    describe("campaigns", function () {
      it("pages through every campaign oldest first", async function () {
        const { factory, campaigns } = await loadFixture(registryFixture);
        expect(await factory.campaigns(0, 10)).to.deep.equal([[campaigns.a, campaigns.b, campaigns.c], 3n]);
        expect(await factory.campaigns(1, 1)).to.deep.equal([[campaigns.b], 3n]);
        expect(await factory.campaigns(2, 5)).to.deep.equal([[campaigns.c], 3n]);
        expect(await factory.campaigns(3, 5)).to.deep.equal([[], 3n]);
        expect(await factory.campaigns(0, 0)).to.deep.equal([[], 3n]);
      });
    });

    describe("campaignsOf", function () {
      it("pages through one merchant's campaigns", async function () {
        const { factory, merchant, otherMerchant, campaigns } = await loadFixture(registryFixture);
        expect(await factory.campaignsOf(merchant.address, 0, 10)).to.deep.equal([[campaigns.a, campaigns.c], 2n]);
        expect(await factory.campaignsOf(merchant.address, 1, 10)).to.deep.equal([[campaigns.c], 2n]);
        expect(await factory.campaignsOf(merchant.address, 7, 10)).to.deep.equal([[], 2n]);
        expect(await factory.campaignsOf(merchant.address, 0, 0)).to.deep.equal([[], 2n]);
        expect(await factory.campaignsOf(otherMerchant.address, 0, 1)).to.deep.equal([[campaigns.b], 1n]);
      });
    });
  });

  // Each attack names the revert it must meet; together with the sections above they cover every revert of every
  // function.
  describe("attacks", function () {
    it("token address squatting by a front-runner with the same params and salt leaves the merchant's address free", async function () {
      const { factory, merchant, attacker } = await loadFixture(factoryFixture);
      const params = tokenParams({ symbol: "HOT" });
      const merchantsAddress = await factory.predictTokenAddress(merchant.address, params, SALT);
      const squatted = await createToken(factory, attacker, params, SALT);
      expect(await squatted.getAddress()).to.not.equal(merchantsAddress);
      expect(await squatted.owner()).to.equal(attacker.address);
      expect(await ethers.provider.getCode(merchantsAddress)).to.equal("0x");
      await expect(factory.connect(merchant).createToken(params, SALT))
        .to.emit(factory, "TokenCreated")
        .withArgs(merchant.address, merchantsAddress, params.name, "HOT", params.faceValue, params.metadataURI);
      expect(await (await ethers.getContractAt("LoyaltyToken", merchantsAddress)).owner()).to.equal(merchant.address);
    });

    it("campaign address squatting by a front-runner of createTokenAndCampaign leaves both merchant addresses free", async function () {
      const { factory, merchant, attacker, params } = await loadFixture(factoryFixture);
      const tParams = tokenParams({ symbol: "HOT" });
      const token = await factory.predictTokenAddress(merchant.address, tParams, SALT);
      const campaign = await factory.predictCampaignAddress(merchant.address, { ...params, token }, SALT);
      const [squattedToken, squattedCampaign] = await factory
        .connect(attacker)
        .createTokenAndCampaign.staticCall(tParams, params, SALT);
      await factory.connect(attacker).createTokenAndCampaign(tParams, params, SALT);
      expect([squattedToken, squattedCampaign]).to.not.include(token);
      expect([squattedToken, squattedCampaign]).to.not.include(campaign);
      expect(await ethers.provider.getCode(campaign)).to.equal("0x");
      await expect(factory.connect(merchant).createTokenAndCampaign(tParams, params, SALT))
        .to.emit(factory, "CampaignCreated")
        .withArgs(merchant.address, token, campaign, packRules(params, token), "ipfs://campaign", []);
    });

    it("campaign squatting on the merchant's token by a front-runner reverts with CampaignFactoryNotTokenOwner", async function () {
      const { factory, merchant, attacker, tokenAddress, params } = await loadFixture(factoryFixture);
      await expect(factory.connect(attacker).createCampaign(params, SALT))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryNotTokenOwner")
        .withArgs(tokenAddress, attacker.address);
      const predicted = await factory.predictCampaignAddress(merchant.address, params, SALT);
      expect(await (await createCampaign(factory, merchant, params, SALT)).getAddress()).to.equal(predicted);
    });

    it("token salt reuse by the same merchant reverts with CampaignFactoryTokenExists", async function () {
      const { factory, merchant } = await loadFixture(factoryFixture);
      await factory.connect(merchant).createToken(tokenParams({ symbol: "X" }), SALT);
      await expect(factory.connect(merchant).createToken(tokenParams({ symbol: "X" }), SALT))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryTokenExists")
        .withArgs(merchant.address, SALT);
    });

    it("campaign salt reuse by the same merchant reverts with FailedDeployment (OpenZeppelin Errors)", async function () {
      const { factory, merchant, params } = await loadFixture(factoryFixture);
      await createCampaign(factory, merchant, params, SALT);
      await expect(factory.connect(merchant).createCampaign(params, SALT)).to.be.revertedWithCustomError(
        factory,
        "FailedDeployment",
      );
    });

    it("campaign for a token not from the factory reverts with CampaignFactoryUnknownToken", async function () {
      const { factory, attacker } = await loadFixture(factoryFixture);
      const fake = await ethers.deployContract("LoyaltyToken", [
        "Fake",
        "FAKE",
        attacker.address,
        0n,
        "",
        await factory.campaignImplementation(),
      ]);
      await expect(factory.connect(attacker).createCampaign(await campaignParams(await fake.getAddress()), SALT))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryUnknownToken")
        .withArgs(await fake.getAddress());
    });
  });
});
