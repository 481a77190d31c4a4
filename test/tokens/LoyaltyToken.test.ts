import { expect } from "chai";
import { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { LoyaltyToken } from "../../typechain-types";
import { SOLADY_ERC20_ERRORS, shouldBehaveLikeERC20 } from "../helpers/erc20.behaviour";
import {
  ONE,
  campaignParams,
  createCampaign,
  createToken,
  deployCampaignClone,
  packRules,
  tokenFixture,
  tokenParams,
} from "../helpers/fixtures";

/** Uniswap's canonical Permit2, to which Solady would give an infinite allowance unless switched off. */
const PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3";
const UINT112_MAX = 2n ** 112n - 1n;

async function erc20Fixture() {
  const { token, alice, bob, carol, stranger } = await tokenFixture();
  return { token, holder: alice, spender: bob, recipient: carol, other: stranger, balance: 1000n * ONE };
}

/** tokenFixture plus a campaign of the token and a second merchant's token with its own campaign. */
async function campaignsFixture() {
  const base = await tokenFixture();
  const [, , , , , , , otherMerchant] = await ethers.getSigners();
  const campaign = await createCampaign(base.factory, base.merchant, await campaignParams(await base.token.getAddress()));
  const otherToken = await createToken(base.factory, otherMerchant, tokenParams({ name: "Beta Tea", symbol: "LEAF" }));
  const otherCampaign = await createCampaign(
    base.factory,
    otherMerchant,
    await campaignParams(await otherToken.getAddress()),
  );
  return { ...base, campaign, otherMerchant, otherToken, otherCampaign };
}

/** A signer acting as `address` (a contract, here), funded for gas. */
async function actAs(address: string) {
  await impersonateAccount(address);
  await setBalance(address, ONE);
  return ethers.getSigner(address);
}

describe("LoyaltyToken", function () {
  shouldBehaveLikeERC20(erc20Fixture, { name: "Alpha Coffee Beans", symbol: "BEAN", errors: SOLADY_ERC20_ERRORS });

  describe("deployment", function () {
    it("records the factory, owner, face value and metadata URI, and makes the owner a minter", async function () {
      const { token, factory, merchant } = await loadFixture(tokenFixture);
      expect(await token.factory()).to.equal(await factory.getAddress());
      expect(await token.owner()).to.equal(merchant.address);
      expect(await token.faceValue()).to.equal(10_000n);
      expect(await token.metadataURI()).to.equal("ipfs://alpha");
      expect(await token.isMinter(merchant.address)).to.equal(true);
    });

    it("emits OwnershipTransferred from zero to the merchant, and no MinterSet: the owner mints as owner", async function () {
      const { factory, merchant } = await loadFixture(tokenFixture);
      const params = tokenParams({ symbol: "BEAN2" });
      const address = await factory.predictTokenAddress(merchant.address, params, ethers.ZeroHash);
      const token = await ethers.getContractAt("LoyaltyToken", address);
      const tx = factory.connect(merchant).createToken(params, ethers.ZeroHash);
      await expect(tx).to.emit(token, "OwnershipTransferred").withArgs(ethers.ZeroAddress, merchant.address);
      await expect(tx).not.to.emit(token, "MinterSet");
    });
  });

  describe("mint", function () {
    it("lets the owner mint to any address, emitting Transfer from zero", async function () {
      const { token, merchant, bob } = await loadFixture(tokenFixture);
      await expect(token.connect(merchant).mint(bob.address, 3n * ONE))
        .to.emit(token, "Transfer")
        .withArgs(ethers.ZeroAddress, bob.address, 3n * ONE);
      expect(await token.balanceOf(bob.address)).to.equal(3n * ONE);
      expect(await token.totalSupply()).to.equal(1003n * ONE);
    });

    it("lets a minter the owner added mint", async function () {
      const { token, merchant, bob, carol } = await loadFixture(tokenFixture);
      await token.connect(merchant).setMinter(bob.address, true);
      await token.connect(bob).mint(carol.address, 5n);
      expect(await token.balanceOf(carol.address)).to.equal(5n);
    });

    it("lets a campaign of this token mint", async function () {
      const { token, campaign, bob } = await loadFixture(campaignsFixture);
      const asCampaign = await actAs(await campaign.getAddress());
      await expect(token.connect(asCampaign).mint(bob.address, 7n))
        .to.emit(token, "Transfer")
        .withArgs(ethers.ZeroAddress, bob.address, 7n);
    });

    it("reverts when the caller's minter role was revoked", async function () {
      const { token, merchant, bob } = await loadFixture(tokenFixture);
      await token.connect(merchant).setMinter(bob.address, true);
      await token.connect(merchant).setMinter(bob.address, false);
      await expect(token.connect(bob).mint(bob.address, 1n))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenUnauthorizedMinter")
        .withArgs(bob.address);
    });

    it("reverts when the caller is a campaign of another token", async function () {
      const { token, otherCampaign } = await loadFixture(campaignsFixture);
      const asOtherCampaign = await actAs(await otherCampaign.getAddress());
      await expect(token.connect(asOtherCampaign).mint(asOtherCampaign.address, 1n))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenUnauthorizedMinter")
        .withArgs(await otherCampaign.getAddress());
    });

    it("reverts when the total supply would pass 2^112 - 1, the most a balance slot holds beside a record", async function () {
      const { token, merchant, bob } = await loadFixture(tokenFixture);
      const [supply, before] = [await token.totalSupply(), await token.balanceOf(bob.address)];
      await token.connect(merchant).mint(bob.address, UINT112_MAX - supply);
      expect(await token.totalSupply()).to.equal(UINT112_MAX);
      await expect(token.connect(merchant).mint(bob.address, 1n)).to.be.revertedWithCustomError(
        token,
        "TotalSupplyOverflow",
      );
      // An amount so large that the sum wraps around 2^256 is refused too, not taken for a small one.
      await expect(token.connect(merchant).mint(bob.address, ethers.MaxUint256)).to.be.revertedWithCustomError(
        token,
        "TotalSupplyOverflow",
      );
      expect(await token.balanceOf(bob.address)).to.equal(before + UINT112_MAX - supply);
    });
  });

  describe("mintWithRecord and recordOf", function () {
    /** A record naming campaign number `serial`, with `claims` claims (ICampaign.accountOf's layout). */
    const record = (serial: bigint, claims: bigint) => (serial << 112n) | (claims << 96n);

    it("mints like mint and keeps the record beside the balance, which balanceOf and totalSupply leave out", async function () {
      const { token, campaign, bob } = await loadFixture(campaignsFixture);
      const asCampaign = await actAs(await campaign.getAddress());
      const before = await token.totalSupply();
      expect(await token.recordOf(bob.address)).to.equal(0n);
      await expect(token.connect(asCampaign).mintWithRecord(bob.address, 5n * ONE, record(9n, 1n)))
        .to.emit(token, "Transfer")
        .withArgs(ethers.ZeroAddress, bob.address, 5n * ONE);
      expect(await token.recordOf(bob.address)).to.equal(record(9n, 1n));
      expect(await token.balanceOf(bob.address)).to.equal(5n * ONE);
      expect(await token.totalSupply()).to.equal(before + 5n * ONE);
      // The same campaign replaces its record; a plain mint leaves it.
      await token.connect(asCampaign).mintWithRecord(bob.address, ONE, record(9n, 2n));
      await token.connect(asCampaign).mint(bob.address, ONE);
      expect(await token.recordOf(bob.address)).to.equal(record(9n, 2n));
      expect(await token.balanceOf(bob.address)).to.equal(7n * ONE);
    });

    it("sets the record whatever the slot held: which campaign may keep it there is the campaigns' rule", async function () {
      // A campaign finding another live campaign's record keeps its own in its own storage, and takes a retired
      // campaign's over (Campaign tests, "wallet records"); the token trusts its campaigns with records as with points.
      const { token, factory, merchant, campaign, bob } = await loadFixture(campaignsFixture);
      const second = await createCampaign(
        factory,
        merchant,
        await campaignParams(await token.getAddress()),
        ethers.id("second"),
      );
      await token.connect(await actAs(await campaign.getAddress())).mintWithRecord(bob.address, ONE, record(9n, 1n));
      await token.connect(await actAs(await second.getAddress())).mintWithRecord(bob.address, ONE, record(10n, 1n));
      expect(await token.recordOf(bob.address)).to.equal(record(10n, 1n));
      expect(await token.balanceOf(bob.address)).to.equal(2n * ONE);
    });

    it("access control: only the token's campaigns, not its owner, a minter or another token's campaign: LoyaltyTokenUnauthorizedMinter", async function () {
      const { token, merchant, deployer: minter, stranger, otherCampaign, bob } = await loadFixture(campaignsFixture);
      await token.connect(merchant).setMinter(minter.address, true);
      const foreign = await actAs(await otherCampaign.getAddress());
      for (const caller of [merchant, minter, stranger, foreign]) {
        await expect(token.connect(caller).mintWithRecord(bob.address, ONE, record(1n, 1n)))
          .to.be.revertedWithCustomError(token, "LoyaltyTokenUnauthorizedMinter")
          .withArgs(caller.address);
      }
      expect(await token.recordOf(bob.address)).to.equal(0n);
    });

    it("refuses a record that names no campaign or does not fit 144 bits (LoyaltyTokenInvalidRecord), and the zero address", async function () {
      const { token, campaign, bob } = await loadFixture(campaignsFixture);
      const asCampaign = await actAs(await campaign.getAddress());
      for (const bad of [0n, (1n << 112n) - 1n, 1n << 144n, ethers.MaxUint256]) {
        await expect(token.connect(asCampaign).mintWithRecord(bob.address, ONE, bad))
          .to.be.revertedWithCustomError(token, "LoyaltyTokenInvalidRecord")
          .withArgs(bad);
      }
      await expect(token.connect(asCampaign).mintWithRecord(ethers.ZeroAddress, ONE, record(1n, 1n)))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenInvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      // The largest valid record: serial 2^32 - 1 and every record bit set.
      const largest = (1n << 144n) - 1n;
      await token.connect(asCampaign).mintWithRecord(bob.address, ONE, largest);
      expect(await token.recordOf(bob.address)).to.equal(largest);
      expect(await token.balanceOf(bob.address)).to.equal(ONE);
    });

    it("keeps balances whole next to a full record: a balance up to 2^112 - 1 moves without touching it", async function () {
      const { token, campaign, bob, carol } = await loadFixture(campaignsFixture);
      const full = (1n << 144n) - 1n;
      const most = UINT112_MAX - (await token.totalSupply());
      await token.connect(await actAs(await campaign.getAddress())).mintWithRecord(bob.address, most, full);
      expect(await token.balanceOf(bob.address)).to.equal(most);
      await token.connect(bob).transfer(carol.address, most);
      expect([await token.balanceOf(bob.address), await token.recordOf(bob.address)]).to.deep.equal([0n, full]);
      expect([await token.balanceOf(carol.address), await token.recordOf(carol.address)]).to.deep.equal([most, 0n]);
      await expect(token.connect(bob).transfer(carol.address, 1n)).to.be.revertedWithCustomError(
        token,
        "InsufficientBalance",
      );
      await expect(token.connect(bob).burn(1n)).to.be.revertedWithCustomError(token, "InsufficientBalance");
    });
  });

  describe("isMinter", function () {
    it("is true for the owner and the token's campaigns, false for others", async function () {
      const { token, merchant, stranger, campaign, otherCampaign } = await loadFixture(campaignsFixture);
      expect(await token.isMinter(merchant.address)).to.equal(true);
      expect(await token.isMinter(await campaign.getAddress())).to.equal(true);
      expect(await token.isMinter(await otherCampaign.getAddress())).to.equal(false);
      expect(await token.isMinter(stranger.address)).to.equal(false);
    });

    it("is false for a clone of the token's campaign nobody activated, true once the token's owner activates it", async function () {
      const { factory, token, merchant } = await loadFixture(tokenFixture);
      const tokenAddress = await token.getAddress();
      const rules = packRules(await campaignParams(tokenAddress, { issuers: [merchant.address] }), tokenAddress);
      const clone = await deployCampaignClone(factory, merchant, rules);
      expect(await token.isMinter(await clone.getAddress())).to.equal(false);
      await (await clone.connect(merchant).activate(0)).wait();
      expect(await token.isMinter(await clone.getAddress())).to.equal(true);
    });

    it("is false for a campaign clone when the token was deployed outside the factory", async function () {
      const { campaign, merchant } = await loadFixture(campaignsFixture);
      // A token that knows no campaign implementation recognises no clone, even one whose rules name it.
      const standalone = (await ethers.deployContract("LoyaltyToken", [
        "Standalone",
        "SOLO",
        merchant.address,
        0n,
        "",
        ethers.ZeroAddress,
      ])) as unknown as LoyaltyToken;
      expect(await standalone.isMinter(await campaign.getAddress())).to.equal(false);
      expect(await standalone.isMinter(merchant.address)).to.equal(true);
    });
  });

  describe("burn", function () {
    it("burns the caller's own points, emitting Transfer to zero", async function () {
      const { token, alice } = await loadFixture(tokenFixture);
      await expect(token.connect(alice).burn(400n * ONE))
        .to.emit(token, "Transfer")
        .withArgs(alice.address, ethers.ZeroAddress, 400n * ONE);
      expect(await token.balanceOf(alice.address)).to.equal(600n * ONE);
      expect(await token.totalSupply()).to.equal(600n * ONE);
    });

    it("reverts when the amount exceeds the caller's balance", async function () {
      const { token, alice } = await loadFixture(tokenFixture);
      await expect(token.connect(alice).burn(1000n * ONE + 1n)).to.be.revertedWithCustomError(
        token,
        "InsufficientBalance",
      );
    });
  });

  describe("burnFrom", function () {
    it("burns the holder's points with the caller's allowance, spending it", async function () {
      const { token, alice, bob } = await loadFixture(tokenFixture);
      await token.connect(alice).approve(bob.address, 10n * ONE);
      await expect(token.connect(bob).burnFrom(alice.address, 4n * ONE))
        .to.emit(token, "Transfer")
        .withArgs(alice.address, ethers.ZeroAddress, 4n * ONE);
      expect(await token.allowance(alice.address, bob.address)).to.equal(6n * ONE);
      expect(await token.balanceOf(alice.address)).to.equal(996n * ONE);
      expect(await token.totalSupply()).to.equal(996n * ONE);
    });

    it("does not decrement an infinite allowance", async function () {
      const { token, alice, bob } = await loadFixture(tokenFixture);
      await token.connect(alice).approve(bob.address, ethers.MaxUint256);
      await token.connect(bob).burnFrom(alice.address, ONE);
      expect(await token.allowance(alice.address, bob.address)).to.equal(ethers.MaxUint256);
      expect(await token.balanceOf(alice.address)).to.equal(999n * ONE);
    });

    it("reverts when the allowance is too small", async function () {
      const { token, alice, bob } = await loadFixture(tokenFixture);
      await token.connect(alice).approve(bob.address, ONE - 1n);
      await expect(token.connect(bob).burnFrom(alice.address, ONE)).to.be.revertedWithCustomError(
        token,
        "InsufficientAllowance",
      );
    });

    it("reverts when the amount exceeds the holder's balance", async function () {
      const { token, alice, bob } = await loadFixture(tokenFixture);
      await token.connect(alice).approve(bob.address, ethers.MaxUint256);
      await expect(token.connect(bob).burnFrom(alice.address, 1000n * ONE + 1n)).to.be.revertedWithCustomError(
        token,
        "InsufficientBalance",
      );
    });
  });

  describe("setMinter", function () {
    it("lets the owner allow and stop a minter, emitting MinterSet", async function () {
      const { token, merchant, bob } = await loadFixture(tokenFixture);
      await expect(token.connect(merchant).setMinter(bob.address, true))
        .to.emit(token, "MinterSet")
        .withArgs(bob.address, true);
      expect(await token.isMinter(bob.address)).to.equal(true);
      await expect(token.connect(merchant).setMinter(bob.address, false))
        .to.emit(token, "MinterSet")
        .withArgs(bob.address, false);
      expect(await token.isMinter(bob.address)).to.equal(false);
    });

    it("reverts with LoyaltyTokenCampaignMinter for a campaign of this token, which keeps minting", async function () {
      // Campaigns are recognised by their code, so the minter list cannot stop them: rather than emit a
      // MinterSet(campaign, false) that would be a lie, the token refuses and the campaign still mints.
      const { token, merchant, campaign } = await loadFixture(campaignsFixture);
      const campaignAddress = await campaign.getAddress();
      for (const allowed of [false, true]) {
        await expect(token.connect(merchant).setMinter(campaignAddress, allowed))
          .to.be.revertedWithCustomError(token, "LoyaltyTokenCampaignMinter")
          .withArgs(campaignAddress);
      }
      expect(await token.isMinter(campaignAddress)).to.equal(true);
      const asCampaign = await actAs(campaignAddress);
      await expect(token.connect(asCampaign).mint(merchant.address, 1n)).to.changeTokenBalance(token, merchant, 1n);
    });

    it("lets the factory that created the token set a minter", async function () {
      const { token, factory, bob } = await loadFixture(tokenFixture);
      const asFactory = await actAs(await factory.getAddress());
      await expect(token.connect(asFactory).setMinter(bob.address, true))
        .to.emit(token, "MinterSet")
        .withArgs(bob.address, true);
      expect(await token.isMinter(bob.address)).to.equal(true);
    });

    it("reverts when the minter is the zero address", async function () {
      const { token, merchant } = await loadFixture(tokenFixture);
      await expect(token.connect(merchant).setMinter(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenInvalidMinter")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("setFaceValue", function () {
    it("lets the owner set the face value, emitting FaceValueSet", async function () {
      const { token, merchant } = await loadFixture(tokenFixture);
      await expect(token.connect(merchant).setFaceValue(25_000n)).to.emit(token, "FaceValueSet").withArgs(25_000n);
      expect(await token.faceValue()).to.equal(25_000n);
    });

    it("reverts when the caller is not the owner", async function () {
      const { token, stranger } = await loadFixture(tokenFixture);
      await expect(token.connect(stranger).setFaceValue(1n))
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });

    it("reverts when the caller is the factory (it only adds minters)", async function () {
      const { token, factory } = await loadFixture(tokenFixture);
      const asFactory = await actAs(await factory.getAddress());
      await expect(token.connect(asFactory).setFaceValue(1n))
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(await factory.getAddress());
    });
  });

  describe("setMetadataURI", function () {
    it("lets the owner set the metadata URI, emitting MetadataURISet", async function () {
      const { token, merchant } = await loadFixture(tokenFixture);
      await expect(token.connect(merchant).setMetadataURI("ipfs://alpha-v2"))
        .to.emit(token, "MetadataURISet")
        .withArgs("ipfs://alpha-v2");
      expect(await token.metadataURI()).to.equal("ipfs://alpha-v2");
    });

    it("reverts when the caller is not the owner", async function () {
      const { token, stranger } = await loadFixture(tokenFixture);
      await expect(token.connect(stranger).setMetadataURI("ipfs://evil"))
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });
  });

  describe("transferOwnership", function () {
    it("hands the owner's rights to the new owner", async function () {
      const { token, merchant, bob } = await loadFixture(tokenFixture);
      await expect(token.connect(merchant).transferOwnership(bob.address))
        .to.emit(token, "OwnershipTransferred")
        .withArgs(merchant.address, bob.address);
      expect(await token.owner()).to.equal(bob.address);
      await token.connect(bob).setFaceValue(1n);
      await expect(token.connect(merchant).setFaceValue(2n))
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(merchant.address);
    });

    it("moves the right to mint with ownership: the previous owner can no longer mint", async function () {
      // A merchant moving its token to a Safe expects the old key to lose every power, minting included.
      const { token, merchant, bob } = await loadFixture(tokenFixture);
      await token.connect(merchant).transferOwnership(bob.address);
      expect(await token.isMinter(merchant.address)).to.equal(false);
      expect(await token.isMinter(bob.address)).to.equal(true);
      await expect(token.connect(merchant).mint(merchant.address, 1n))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenUnauthorizedMinter")
        .withArgs(merchant.address);
      await expect(token.connect(bob).mint(bob.address, 1n)).to.changeTokenBalance(token, bob, 1n);
    });
  });

  describe("transfer to the zero address", function () {
    it("reverts with LoyaltyTokenInvalidReceiver for transfer, transferFrom and mint: the points would be lost", async function () {
      const { token, merchant, alice, bob } = await loadFixture(tokenFixture);
      await expect(token.connect(alice).transfer(ethers.ZeroAddress, ONE))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenInvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await token.connect(alice).approve(bob.address, ONE);
      await expect(token.connect(bob).transferFrom(alice.address, ethers.ZeroAddress, ONE))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenInvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(token.connect(merchant).mint(ethers.ZeroAddress, ONE))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenInvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      expect(await token.totalSupply()).to.equal(1000n * ONE);
    });
  });

  describe("Permit2", function () {
    it("gets no automatic allowance (Solady's feature is switched off)", async function () {
      const { token, alice } = await loadFixture(tokenFixture);
      expect(await token.allowance(alice.address, PERMIT2)).to.equal(0n);
    });

    it("can be given a finite allowance like any spender", async function () {
      const { token, alice } = await loadFixture(tokenFixture);
      await expect(token.connect(alice).approve(PERMIT2, 5n)).to.emit(token, "Approval").withArgs(alice.address, PERMIT2, 5n);
      expect(await token.allowance(alice.address, PERMIT2)).to.equal(5n);
    });
  });

  // Each attack names the revert it must meet; together with the sections above they cover every revert of every
  // function.
  describe("attacks", function () {
    it("a campaign clone deployed by a stranger, with the stranger's issuer key in its rules, mints nothing: CampaignNotActive", async function () {
      // The token recognises the clone by its code, but the clone issues only once activated, which only the
      // factory or this token's owner can do; until then isMinter says no.
      const { factory, token, stranger } = await loadFixture(tokenFixture);
      const tokenAddress = await token.getAddress();
      const rules = packRules(
        await campaignParams(tokenAddress, { supplyCap: (1n << 128n) - 1n, issuers: [stranger.address] }),
        tokenAddress,
      );
      const rogue = await deployCampaignClone(factory, stranger, rules);
      expect(await token.isMinter(await rogue.getAddress())).to.equal(false);
      const supply = await token.totalSupply();
      await expect(
        rogue.connect(stranger).issue(stranger.address, 1_000_000n * ONE, 0, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(rogue, "CampaignNotActive");
      await expect(rogue.connect(stranger).activate(0))
        .to.be.revertedWithCustomError(rogue, "CampaignUnauthorizedMerchant")
        .withArgs(stranger.address);
      expect(await token.balanceOf(stranger.address)).to.equal(0n);
      expect(await token.totalSupply()).to.equal(supply);
    });

    it("minting without being a minter reverts with LoyaltyTokenUnauthorizedMinter", async function () {
      const { token, stranger } = await loadFixture(tokenFixture);
      await expect(token.connect(stranger).mint(stranger.address, 1_000_000n * ONE))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenUnauthorizedMinter")
        .withArgs(stranger.address);
      expect(await token.balanceOf(stranger.address)).to.equal(0n);
    });

    it("granting oneself the minter role reverts with LoyaltyTokenUnauthorizedAccount", async function () {
      const { token, stranger } = await loadFixture(tokenFixture);
      await expect(token.connect(stranger).setMinter(stranger.address, true))
        .to.be.revertedWithCustomError(token, "LoyaltyTokenUnauthorizedAccount")
        .withArgs(stranger.address);
    });

    it("the owner moving a holder's points without allowance reverts with InsufficientAllowance", async function () {
      const { token, merchant, alice } = await loadFixture(tokenFixture);
      await expect(
        token.connect(merchant).transferFrom(alice.address, merchant.address, 1n),
      ).to.be.revertedWithCustomError(token, "InsufficientAllowance");
    });

    it("the owner burning a holder's points without consent reverts with InsufficientAllowance", async function () {
      const { token, merchant, alice } = await loadFixture(tokenFixture);
      await expect(token.connect(merchant).burnFrom(alice.address, 1n)).to.be.revertedWithCustomError(
        token,
        "InsufficientAllowance",
      );
      expect(await token.balanceOf(alice.address)).to.equal(1000n * ONE);
    });

    it("Permit2 pulling points without an allowance reverts with InsufficientAllowance", async function () {
      const { token, alice } = await loadFixture(tokenFixture);
      const asPermit2 = await actAs(PERMIT2);
      await expect(token.connect(asPermit2).transferFrom(alice.address, PERMIT2, 1n)).to.be.revertedWithCustomError(
        token,
        "InsufficientAllowance",
      );
    });
  });
});
