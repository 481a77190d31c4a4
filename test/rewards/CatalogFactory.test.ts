import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createToken, deployFactory, tokenParams } from "../helpers/fixtures";

/** EIP-3860: the most init code a creation transaction may carry. */
const MAX_INITCODE_SIZE = 49_152;

async function factoryFixture() {
  const [deployer, merchant, otherMerchant, treasury, stranger] = await ethers.getSigners();
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  const secondToken = await createToken(factory, merchant, tokenParams({ name: "Alpha Tea Leaves", symbol: "LEAF" }));
  return { deployer, merchant, otherMerchant, treasury, stranger, factory, token, secondToken };
}

describe("CampaignFactory (catalogs)", function () {
  it("deploys within the EIP-3860 init code limit", async function () {
    // Coverage instruments the bytecode, which makes it larger than what is deployed.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    const artifact = await ethers.getContractFactory("CampaignFactory");
    const campaignCode = (await ethers.getContractFactory("Campaign")).bytecode;
    const deployment = await artifact.getDeployTransaction(ethers.ZeroAddress, campaignCode);
    expect(ethers.dataLength(deployment.data)).to.be.at.most(MAX_INITCODE_SIZE);
  });

  it("names the catalog implementation it was given", async function () {
    const { factory } = await loadFixture(factoryFixture);
    const implementation = await ethers.getContractAt("RewardCatalog", await factory.catalogImplementation());
    expect(await ethers.provider.getCode(await implementation.voucherImplementation())).to.not.equal("0x");
  });

  describe("createCatalog", function () {
    it("creates the merchant's catalog and its vouchers at the predicted address and lists it", async function () {
      const { factory, merchant, treasury, token } = await loadFixture(factoryFixture);
      const predicted = await factory.predictCatalogAddress(merchant.address, token);
      expect(await factory.catalogOf(merchant.address)).to.equal(ethers.ZeroAddress);
      expect(await factory.isCatalog(predicted)).to.equal(false);
      const tx = factory.connect(merchant).createCatalog(token, treasury.address);
      await expect(tx).to.emit(factory, "CatalogCreated").withArgs(
        merchant.address,
        await token.getAddress(),
        predicted,
        (voucher: string) => ethers.isAddress(voucher) && voucher !== ethers.ZeroAddress,
        treasury.address,
      );
      const catalog = await ethers.getContractAt("RewardCatalog", predicted);
      await expect(tx).to.emit(catalog, "TreasurySet").withArgs(treasury.address);
      expect(await factory.catalogOf(merchant.address)).to.equal(predicted);
      expect(await factory.isCatalog(predicted)).to.equal(true);
      expect(await catalog.token()).to.equal(await token.getAddress());
      expect(await catalog.merchant()).to.equal(merchant.address);
      const voucher = await ethers.getContractAt("RewardVoucher", await catalog.voucher());
      expect(await voucher.catalog()).to.equal(predicted);
    });

    it("predicts a different address per merchant and per token", async function () {
      const { factory, merchant, otherMerchant, token, secondToken } = await loadFixture(factoryFixture);
      const addresses = new Set([
        await factory.predictCatalogAddress(merchant.address, token),
        await factory.predictCatalogAddress(merchant.address, secondToken),
        await factory.predictCatalogAddress(otherMerchant.address, token),
      ]);
      expect(addresses.size).to.equal(3);
    });

    it("reverts for a token the factory did not create", async function () {
      const { factory, merchant, treasury } = await loadFixture(factoryFixture);
      const outsider = await ethers.deployContract("MockStablecoin", ["USD Coin", "USDC", 6]);
      await expect(factory.connect(merchant).createCatalog(outsider, treasury.address))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryUnknownToken")
        .withArgs(await outsider.getAddress());
    });

    it("reverts for a token the caller does not own", async function () {
      const { factory, stranger, treasury, token } = await loadFixture(factoryFixture);
      await expect(factory.connect(stranger).createCatalog(token, treasury.address))
        .to.be.revertedWithCustomError(factory, "CampaignFactoryNotTokenOwner")
        .withArgs(await token.getAddress(), stranger.address);
    });

    it("reverts when the merchant already has a catalog, for any of its tokens", async function () {
      const { factory, merchant, treasury, token, secondToken } = await loadFixture(factoryFixture);
      await (await factory.connect(merchant).createCatalog(token, treasury.address)).wait();
      const existing = await factory.catalogOf(merchant.address);
      for (const candidate of [token, secondToken]) {
        await expect(factory.connect(merchant).createCatalog(candidate, treasury.address))
          .to.be.revertedWithCustomError(factory, "CampaignFactoryCatalogExists")
          .withArgs(merchant.address, existing);
      }
    });

    it("reverts for a zero treasury", async function () {
      const { factory, merchant, token } = await loadFixture(factoryFixture);
      const implementation = await ethers.getContractAt("RewardCatalog", await factory.catalogImplementation());
      await expect(factory.connect(merchant).createCatalog(token, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(implementation, "RewardCatalogInvalidTreasury")
        .withArgs(ethers.ZeroAddress);
    });
  });
});
