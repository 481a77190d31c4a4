import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { FunctionFragment } from "ethers";
import type { Campaign } from "../../typechain-types";
import {
  CHANNEL,
  CLAIM_TYPES,
  CODE_LEAF_ENCODING,
  DAY,
  ONE,
  VOUCHER_TYPES,
  campaignFixture,
  campaignParams,
  codeBatch,
  codeClaimArgs,
  createCampaign,
  deployCampaignClone,
  domain,
  newVoucher,
  packRules,
  signClaim,
  signVoucher,
  voucherClaimArgs,
  type CampaignParams,
  type CodeLeaf,
  type Voucher,
} from "../helpers/fixtures";

const WEEK = 7 * DAY;
const REF = ethers.id("till-7/receipt-1042");
const UINT128_MAX = (1n << 128n) - 1n;
/** Order of secp256k1; OpenZeppelin's ECDSA accepts s up to n / 2. */
const N = ethers.N;
const TIERS = [
  { threshold: 100n * ONE, multiplierBps: 15_000 },
  { threshold: 500n * ONE, multiplierBps: 20_000 },
];

/** campaignFixture plus campaigns of the same token and issuer whose rules each isolate one behaviour. */
async function campaignsFixture() {
  const base = await campaignFixture();
  const { factory, merchant, issuer, token } = base;
  const tokenAddress = await token.getAddress();
  const now = BigInt(await time.latest());
  const make = async (salt: string, overrides: Partial<CampaignParams>) =>
    createCampaign(
      factory,
      merchant,
      await campaignParams(tokenAddress, { issuers: [issuer.address], ...overrides }),
      ethers.id(salt),
    );
  const implementation = await ethers.getContractAt("Campaign", await factory.campaignImplementation());
  return {
    ...base,
    implementation,
    /** Same rules as `campaign`, another address: vouchers of one must not work on the other. */
    sibling: await make("sibling", {}),
    future: await make("future", {
      startsAt: now + BigInt(DAY),
      endsAt: now + BigInt(10 * DAY),
      tierPeriod: WEEK,
      tiers: TIERS,
    }),
    capped: await make("capped", { supplyCap: 100n * ONE, maxPerClaim: 60n * ONE }),
    /** No supply cap (the dApp's create form with the cap left empty): it does not count `issued`. */
    uncapped: await make("uncapped", { supplyCap: UINT128_MAX }),
    directOnly: await make("directOnly", { channels: 1 << CHANNEL.Direct }),
    noDirect: await make("noDirect", { channels: (1 << CHANNEL.Voucher) | (1 << CHANNEL.Batch) }),
    noRate: await make("noRate", { earnPoints: 0n, earnSpend: 0n }),
    thirds: await make("thirds", { earnPoints: ONE, earnSpend: 3n }),
    tiered: await make("tiered", { tierPeriod: WEEK, tiers: TIERS, supplyCap: UINT128_MAX }),
    stampCard: await make("stampCard", { milestones: [{ claimNumber: 3, bonus: 50n * ONE }] }),
    loyalty: await make("loyalty", {
      tierPeriod: WEEK,
      tiers: TIERS,
      milestones: [{ claimNumber: 3, bonus: 50n * ONE }],
    }),
  };
}

type Fixture = Awaited<ReturnType<typeof campaignsFixture>>;

/** The issuer issues `points` (plus `spend`) to `recipient` directly. */
function issue(f: Fixture, campaign: Campaign, recipient: string, points: bigint, spend = 0n) {
  return campaign.connect(f.issuer).issue(recipient, points, spend, REF);
}

/** A fresh voucher signed by `signer` (the issuer unless told) and its claim into `recipient`, ready to submit. */
async function signedVoucher(
  campaign: Campaign,
  signer: HardhatEthersSigner,
  recipient: string,
  overrides: Partial<Voucher> = {},
) {
  const { voucher, claimKey } = await newVoucher(overrides);
  const args = await voucherClaimArgs(campaign, signer, voucher, claimKey, recipient);
  return { voucher, claimKey, args };
}

/** A signer acting as `address` (a contract, here), funded for gas. */
async function actAs(address: string) {
  await impersonateAccount(address);
  await setBalance(address, ONE);
  return ethers.getSigner(address);
}

/** Hundredths of a point, in base units: what a wallet's record counts earnings in (ICampaign.accountOf). */
const HUNDREDTH = ONE / 100n;
const MAX_EARNED = 0xffffffffn * HUNDREDTH;
/** Campaign's `_records` mapping: the slot after Status, the batch count and the four other mappings. */
const RECORDS_SLOT = 8n;
/** LoyaltyToken's balance slot seed (see `_BALANCE_SLOT_SEED`). */
const BALANCE_SLOT_SEED = 0x9b3a1e07;

/** Storage slot of `account`'s record in a campaign's own storage. */
function recordSlot(account: string) {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [account, RECORDS_SLOT]));
}

/** Storage slot of `account`'s balance (and the campaign record beside it) in a LoyaltyToken. */
function balanceSlot(account: string) {
  return ethers.solidityPackedKeccak256(["address", "uint64", "uint32"], [account, 0, BALANCE_SLOT_SEED]);
}

/** A record's fields: tier period, hundredths earned in it and in the one before, claims. */
function decodeRecord(record: bigint) {
  const mask32 = 0xffffffffn;
  return {
    period: record & mask32,
    current: (record >> 32n) & mask32,
    previous: (record >> 64n) & mask32,
    claims: (record >> 96n) & 0xffffn,
  };
}

/** Storage slot of Campaign's packed Status (after EIP712's two string fallbacks). */
const STATUS_SLOT = 2n;

/** The Status slot of an activated campaign that never counted or changed anything: `active` and its serial. */
async function activeStatus(campaign: Campaign) {
  return ethers.toBeHex((1n << 208n) | (BigInt(await campaign.serial()) << 216n), 32);
}

function batchRef(batchId: bigint, index: bigint) {
  return (batchId << 128n) | index;
}

describe("Campaign", function () {
  describe("views", function () {
    it("report the factory, token, rules' end and an untouched state", async function () {
      const { campaign, factory, token, params, issuer, merchant } = await loadFixture(campaignsFixture);
      expect(await campaign.factory()).to.equal(await factory.getAddress());
      expect(await campaign.token()).to.equal(await token.getAddress());
      expect(await campaign.endsAt()).to.equal(params.endsAt);
      expect(await campaign.issued()).to.equal(0n);
      expect(await campaign.paused()).to.equal(false);
      expect(await campaign.isActive()).to.equal(true);
      expect(await campaign.batchCount()).to.equal(0n);
      expect(await campaign.batchRoot(0)).to.equal(ethers.ZeroHash);
      expect(await campaign.isIssuer(issuer.address)).to.equal(true);
      expect(await campaign.isIssuer(merchant.address)).to.equal(false);
      expect(await campaign.isVoucherClaimed(1)).to.equal(false);
      expect(await campaign.isCodeClaimed(0, 0)).to.equal(false);
    });

    it("rules() returns the rules fixed at creation", async function () {
      const { campaign, params, token } = await loadFixture(campaignsFixture);
      const r = await campaign.rules();
      expect([r.token, r.startsAt, r.endsAt, r.supplyCap, r.maxPerClaim, r.earnPoints, r.earnSpend]).to.deep.equal([
        await token.getAddress(),
        params.startsAt,
        params.endsAt,
        params.supplyCap,
        params.maxPerClaim,
        params.earnPoints,
        params.earnSpend,
      ]);
      expect([r.channels, r.tierPeriod, r.tiers.length, r.milestones.length]).to.deep.equal([7n, 0n, 0, 0]);
    });

    it("eip712Domain() names the clone as the verifying contract", async function () {
      const { campaign } = await loadFixture(campaignsFixture);
      const [fields, name, version, chainId, verifyingContract, salt, extensions] = await campaign.eip712Domain();
      expect(fields).to.equal("0x0f");
      expect([name, version]).to.deep.equal(["Perks Campaign", "1"]);
      expect(chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(verifyingContract).to.equal(await campaign.getAddress());
      expect(salt).to.equal(ethers.ZeroHash);
      expect(extensions).to.deep.equal([]);
    });

    for (const [name, call] of [
      ["rules", (c: Campaign) => c.rules()],
      ["token", (c: Campaign) => c.token()],
      ["endsAt", (c: Campaign) => c.endsAt()],
      ["tierOf", (c: Campaign) => c.tierOf(ethers.ZeroAddress)],
      ["accountOf", (c: Campaign) => c.accountOf(ethers.ZeroAddress)],
      ["pointsForSpend", (c: Campaign) => c.pointsForSpend(1)],
      ["quote", (c: Campaign) => c.quote(ethers.ZeroAddress, 1, 0)],
    ] as const) {
      it(`${name}() reverts when called on the implementation`, async function () {
        const { implementation } = await loadFixture(campaignsFixture);
        await expect(call(implementation)).to.be.revertedWithCustomError(implementation, "CampaignNotAClone");
      });
    }
  });

  describe("pointsForSpend", function () {
    it("converts spend with the earn rate: 1234 at 1e18 per 500 is 2.468e18", async function () {
      const { campaign } = await loadFixture(campaignsFixture);
      expect(await campaign.pointsForSpend(1234)).to.equal(2_468_000_000_000_000_000n);
    });

    it("rounds down: 2 at 1e18 per 3 is 666…666, not 666…667", async function () {
      const { thirds } = await loadFixture(campaignsFixture);
      expect(await thirds.pointsForSpend(1)).to.equal(333_333_333_333_333_333n);
      expect(await thirds.pointsForSpend(2)).to.equal(666_666_666_666_666_666n);
    });

    it("returns zero for no spend, even without an earn rate", async function () {
      const { noRate } = await loadFixture(campaignsFixture);
      expect(await noRate.pointsForSpend(0)).to.equal(0n);
    });

    it("reverts when the campaign has no earn rate", async function () {
      const { noRate } = await loadFixture(campaignsFixture);
      await expect(noRate.pointsForSpend(500))
        .to.be.revertedWithCustomError(noRate, "CampaignSpendNotAccepted")
        .withArgs(500n);
    });
  });

  describe("issue", function () {
    it("mints to the recipient, counts it as issued and emits PointsIssued with the reference", async function () {
      const f = await loadFixture(campaignsFixture);
      const { campaign, token, alice } = f;
      const tx = issue(f, campaign, alice.address, 10n * ONE);
      await expect(tx)
        .to.emit(campaign, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 10n * ONE, 0n);
      await expect(tx).to.emit(token, "Transfer").withArgs(ethers.ZeroAddress, alice.address, 10n * ONE);
      expect(await token.balanceOf(alice.address)).to.equal(10n * ONE);
      expect(await campaign.issued()).to.equal(10n * ONE);
    });

    it("adds the converted spend to the points", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(issue(f, f.campaign, f.alice.address, ONE, 1234n))
        .to.emit(f.campaign, "PointsIssued")
        .withArgs(f.alice.address, CHANNEL.Direct, BigInt(REF), ONE + 2_468_000_000_000_000_000n, 0n);
    });

    it("issues exactly the maximum per claim and up to exactly the supply cap", async function () {
      const f = await loadFixture(campaignsFixture);
      await issue(f, f.capped, f.alice.address, 60n * ONE);
      await issue(f, f.capped, f.bob.address, 40n * ONE);
      expect(await f.capped.issued()).to.equal(100n * ONE);
    });

    it("issues from the first second of the campaign to the last", async function () {
      const f = await loadFixture(campaignsFixture);
      const { startsAt, endsAt } = await f.future.rules();
      await time.setNextBlockTimestamp(startsAt);
      await issue(f, f.future, f.alice.address, ONE);
      await time.setNextBlockTimestamp(endsAt - 1n);
      await issue(f, f.future, f.alice.address, ONE);
      expect(await f.token.balanceOf(f.alice.address)).to.equal(2n * ONE);
    });

    it("reverts when the issuer was revoked", async function () {
      const f = await loadFixture(campaignsFixture);
      await f.campaign.connect(f.merchant).setIssuer(f.issuer.address, false);
      await expect(issue(f, f.campaign, f.alice.address, ONE))
        .to.be.revertedWithCustomError(f.campaign, "CampaignUnauthorizedIssuer")
        .withArgs(f.issuer.address);
    });

    it("reverts when the campaign has not started", async function () {
      const f = await loadFixture(campaignsFixture);
      const { startsAt } = await f.future.rules();
      await time.setNextBlockTimestamp(startsAt - 1n);
      await expect(issue(f, f.future, f.alice.address, ONE))
        .to.be.revertedWithCustomError(f.future, "CampaignNotStarted")
        .withArgs(startsAt);
    });

    it("reverts when the rules' end has come", async function () {
      const f = await loadFixture(campaignsFixture);
      const { endsAt } = await f.future.rules();
      await time.setNextBlockTimestamp(endsAt);
      await expect(issue(f, f.future, f.alice.address, ONE))
        .to.be.revertedWithCustomError(f.future, "CampaignEnded")
        .withArgs(endsAt);
    });

    it("reverts when the merchant ended the campaign early", async function () {
      const f = await loadFixture(campaignsFixture);
      const endedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(endedAt);
      await f.campaign.connect(f.merchant).end();
      await expect(issue(f, f.campaign, f.alice.address, ONE))
        .to.be.revertedWithCustomError(f.campaign, "CampaignEnded")
        .withArgs(endedAt);
    });

    it("reverts when paused", async function () {
      const f = await loadFixture(campaignsFixture);
      await f.campaign.connect(f.merchant).setPaused(true);
      await expect(issue(f, f.campaign, f.alice.address, ONE)).to.be.revertedWithCustomError(
        f.campaign,
        "CampaignPaused",
      );
    });

    it("reverts when the direct channel is closed", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(issue(f, f.noDirect, f.alice.address, ONE))
        .to.be.revertedWithCustomError(f.noDirect, "CampaignChannelClosed")
        .withArgs(CHANNEL.Direct);
    });

    it("reverts when the recipient is the zero address", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(issue(f, f.campaign, ethers.ZeroAddress, ONE))
        .to.be.revertedWithCustomError(f.campaign, "CampaignInvalidRecipient")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts when the claim issues no points", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(issue(f, f.campaign, f.alice.address, 0n)).to.be.revertedWithCustomError(
        f.campaign,
        "CampaignZeroAmount",
      );
    });

    it("reverts when the claim is above the maximum per claim", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(issue(f, f.capped, f.alice.address, 60n * ONE + 1n))
        .to.be.revertedWithCustomError(f.capped, "CampaignAboveMaximumPerClaim")
        .withArgs(60n * ONE + 1n, 60n * ONE);
    });

    it("reverts when the supply cap would be exceeded", async function () {
      const f = await loadFixture(campaignsFixture);
      await issue(f, f.capped, f.alice.address, 60n * ONE);
      await expect(issue(f, f.capped, f.alice.address, 40n * ONE + 1n))
        .to.be.revertedWithCustomError(f.capped, "CampaignSupplyCapExceeded")
        .withArgs(60n * ONE, 40n * ONE + 1n, 100n * ONE);
    });

    it("reverts when a spend is given to a campaign without an earn rate", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(issue(f, f.noRate, f.alice.address, ONE, 700n))
        .to.be.revertedWithCustomError(f.noRate, "CampaignSpendNotAccepted")
        .withArgs(700n);
    });

    it("reverts when called on the implementation", async function () {
      const { implementation, issuer, alice } = await loadFixture(campaignsFixture);
      await expect(implementation.connect(issuer).issue(alice.address, ONE, 0, REF)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });
  });

  describe("claimVoucher", function () {
    it("lets anyone submit the claim into the recipient the claim key signed", async function () {
      const { campaign, token, issuer, alice, stranger } = await loadFixture(campaignsFixture);
      const { voucher, args } = await signedVoucher(campaign, issuer, alice.address, { id: 42n, points: 7n * ONE });
      await expect(campaign.connect(stranger).claimVoucher(...args))
        .to.emit(campaign, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Voucher, 42n, 7n * ONE, 0n);
      expect(await token.balanceOf(alice.address)).to.equal(7n * ONE);
      expect(await token.balanceOf(stranger.address)).to.equal(0n);
      expect(await campaign.isVoucherClaimed(voucher.id)).to.equal(true);
      expect(await campaign.issued()).to.equal(7n * ONE);
    });

    it("adds the voucher's converted spend to its points", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(campaign, issuer, alice.address, { points: ONE, spend: 1234n });
      await expect(campaign.claimVoucher(...args))
        .to.emit(campaign, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Voucher, 1n, ONE + 2_468_000_000_000_000_000n, 0n);
    });

    it("accepts the claim in the block whose timestamp is the voucher's expiry", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher, args } = await signedVoucher(campaign, issuer, alice.address);
      await time.setNextBlockTimestamp(voucher.expiresAt);
      await expect(campaign.claimVoucher(...args)).to.emit(campaign, "PointsIssued");
    });

    it("reverts when the recipient was signed by another key than the voucher's claim key", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher } = await newVoucher();
      const otherKey = ethers.Wallet.createRandom();
      const args = await voucherClaimArgs(campaign, issuer, voucher, otherKey, alice.address);
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidClaimSignature")
        .withArgs(voucher.claimKey, otherKey.address);
    });

    it("reverts when the issuer signature does not recover (r = 0)", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(campaign, issuer, alice.address);
      const [voucher, , issuerVS, recipient, claimR, claimVS] = args;
      await expect(
        campaign.claimVoucher(voucher, ethers.ZeroHash, issuerVS, recipient, claimR, claimVS),
      ).to.be.revertedWithCustomError(campaign, "ECDSAInvalidSignature");
    });

    it("reverts when the claim-key signature does not recover (r = 0)", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(campaign, issuer, alice.address);
      const [voucher, issuerR, issuerVS, recipient, , claimVS] = args;
      await expect(
        campaign.claimVoucher(voucher, issuerR, issuerVS, recipient, ethers.ZeroHash, claimVS),
      ).to.be.revertedWithCustomError(campaign, "ECDSAInvalidSignature");
    });

    it("reverts when the voucher channel is closed, leaving the voucher unclaimed", async function () {
      const { directOnly, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher, args } = await signedVoucher(directOnly, issuer, alice.address);
      await expect(directOnly.claimVoucher(...args))
        .to.be.revertedWithCustomError(directOnly, "CampaignChannelClosed")
        .withArgs(CHANNEL.Voucher);
      expect(await directOnly.isVoucherClaimed(voucher.id)).to.equal(false);
    });

    it("reverts when the voucher carries a spend and the campaign has no earn rate", async function () {
      const { noRate, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(noRate, issuer, alice.address, { spend: 250n });
      await expect(noRate.claimVoucher(...args))
        .to.be.revertedWithCustomError(noRate, "CampaignSpendNotAccepted")
        .withArgs(250n);
    });

    it("reverts when called on the implementation", async function () {
      const { implementation, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(implementation, issuer, alice.address);
      await expect(implementation.claimVoucher(...args)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });
  });

  describe("publishBatch", function () {
    it("publishes batches with ids from 0 and emits BatchPublished", async function () {
      const { campaign, merchant } = await loadFixture(campaignsFixture);
      const first = codeBatch(4, ONE, "first");
      const second = codeBatch(2, ONE, "second");
      expect(await campaign.connect(merchant).publishBatch.staticCall(first.tree.root, 4)).to.equal(0n);
      await expect(campaign.connect(merchant).publishBatch(first.tree.root, 4))
        .to.emit(campaign, "BatchPublished")
        .withArgs(0n, first.tree.root, 4n);
      await expect(campaign.connect(merchant).publishBatch(second.tree.root, 2))
        .to.emit(campaign, "BatchPublished")
        .withArgs(1n, second.tree.root, 2n);
      expect(await campaign.batchCount()).to.equal(2n);
      expect(await campaign.batchRoot(0)).to.equal(first.tree.root);
      expect(await campaign.batchRoot(1)).to.equal(second.tree.root);
    });

    it("reverts when the root is zero", async function () {
      const { campaign, merchant } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(merchant).publishBatch(ethers.ZeroHash, 5))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidBatch")
        .withArgs(ethers.ZeroHash, 5n);
    });

    it("reverts when the batch has no codes", async function () {
      const { campaign, merchant } = await loadFixture(campaignsFixture);
      const root = ethers.id("root");
      await expect(campaign.connect(merchant).publishBatch(root, 0))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidBatch")
        .withArgs(root, 0n);
    });

    it("reverts when the caller is not the token's owner, even an issuer", async function () {
      const { campaign, issuer } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(issuer).publishBatch(ethers.id("root"), 1))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedMerchant")
        .withArgs(issuer.address);
    });

    it("follows the token's ownership", async function () {
      const { campaign, token, merchant, bob } = await loadFixture(campaignsFixture);
      await token.connect(merchant).transferOwnership(bob.address);
      await expect(campaign.connect(merchant).publishBatch(ethers.id("root"), 1))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedMerchant")
        .withArgs(merchant.address);
      await expect(campaign.connect(bob).publishBatch(ethers.id("root"), 1)).to.emit(campaign, "BatchPublished");
    });

    it("reverts when called on the implementation", async function () {
      const { implementation, merchant } = await loadFixture(campaignsFixture);
      await expect(implementation.connect(merchant).publishBatch(ethers.id("root"), 1)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });
  });

  describe("claimCode", function () {
    async function publishedBatchFixture() {
      const f = await campaignsFixture();
      const batch = codeBatch(8, 3n * ONE);
      await f.campaign.connect(f.merchant).publishBatch(batch.tree.root, 8);
      return { ...f, batch };
    }

    it("lets anyone submit the claim into the recipient the code's key signed", async function () {
      const { campaign, token, batch, alice, stranger } = await loadFixture(publishedBatchFixture);
      const args = await codeClaimArgs(campaign, 0n, batch, 5, alice.address);
      await expect(campaign.connect(stranger).claimCode(...args))
        .to.emit(campaign, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Batch, batchRef(0n, 5n), 3n * ONE, 0n);
      expect(await token.balanceOf(alice.address)).to.equal(3n * ONE);
      expect(await campaign.isCodeClaimed(0, 5)).to.equal(true);
      expect(await campaign.isCodeClaimed(0, 4)).to.equal(false);
    });

    it("refers to codes of later batches by batch id and index", async function () {
      const { campaign, merchant, alice } = await loadFixture(publishedBatchFixture);
      const second = codeBatch(3, ONE, "second");
      await campaign.connect(merchant).publishBatch(second.tree.root, 3);
      await expect(campaign.claimCode(...(await codeClaimArgs(campaign, 1n, second, 2, alice.address))))
        .to.emit(campaign, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Batch, batchRef(1n, 2n), ONE, 0n);
      expect(await campaign.isCodeClaimed(1, 2)).to.equal(true);
      expect(await campaign.isCodeClaimed(0, 2)).to.equal(false);
    });

    it("reverts when the batch does not exist", async function () {
      const { campaign, batch, alice } = await loadFixture(publishedBatchFixture);
      const [code, ...rest] = await codeClaimArgs(campaign, 0n, batch, 1, alice.address);
      await expect(campaign.claimCode({ ...code, batchId: 7n }, ...rest))
        .to.be.revertedWithCustomError(campaign, "CampaignUnknownBatch")
        .withArgs(7n);
    });

    it("reverts when the code's points differ from the committed ones", async function () {
      const { campaign, batch, alice } = await loadFixture(publishedBatchFixture);
      const [code, ...rest] = await codeClaimArgs(campaign, 0n, batch, 1, alice.address);
      await expect(campaign.claimCode({ ...code, points: 300n * ONE }, ...rest))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidProof")
        .withArgs(0n, 1n);
    });

    it("reverts when the claim-key signature names another recipient", async function () {
      const { campaign, batch, alice, bob } = await loadFixture(publishedBatchFixture);
      const [code, proof, , claimR, claimVS] = await codeClaimArgs(campaign, 0n, batch, 1, alice.address);
      const recovered = ethers.verifyTypedData(await domain(campaign), CLAIM_TYPES, { recipient: bob.address }, {
        r: claimR,
        yParityAndS: claimVS,
      });
      await expect(campaign.claimCode(code, proof, bob.address, claimR, claimVS))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidClaimSignature")
        .withArgs(code.claimKey, recovered);
    });

    it("reverts when called on the implementation", async function () {
      const { implementation, batch, alice } = await loadFixture(publishedBatchFixture);
      const args = await codeClaimArgs(implementation, 0n, batch, 0, alice.address);
      await expect(implementation.claimCode(...args)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });
  });

  describe("setIssuer", function () {
    it("lets the merchant add and revoke issuer keys, emitting IssuerSet", async function () {
      const { campaign, merchant, bob } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(merchant).setIssuer(bob.address, true))
        .to.emit(campaign, "IssuerSet")
        .withArgs(bob.address, true);
      expect(await campaign.isIssuer(bob.address)).to.equal(true);
      await campaign.connect(bob).issue(bob.address, ONE, 0, REF);
      await expect(campaign.connect(merchant).setIssuer(bob.address, false))
        .to.emit(campaign, "IssuerSet")
        .withArgs(bob.address, false);
      expect(await campaign.isIssuer(bob.address)).to.equal(false);
    });

    it("revokes and restores an issuer key named in the rules without touching the others", async function () {
      // Keys named at creation live in the clone's code; their revocation is a bit in the status slot.
      const { factory, merchant, issuer, bob, token } = await loadFixture(campaignsFixture);
      const params = await campaignParams(await token.getAddress(), { issuers: [issuer.address, bob.address] });
      const campaign = await createCampaign(factory, merchant, params, ethers.id("two issuers"));
      await expect(campaign.connect(merchant).setIssuer(issuer.address, false))
        .to.emit(campaign, "IssuerSet")
        .withArgs(issuer.address, false);
      expect(await campaign.isIssuer(issuer.address)).to.equal(false);
      expect(await campaign.isIssuer(bob.address)).to.equal(true);
      await expect(campaign.connect(issuer).issue(bob.address, ONE, 0, REF))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(issuer.address);
      await campaign.connect(bob).issue(bob.address, ONE, 0, REF);
      await campaign.connect(merchant).setIssuer(issuer.address, true);
      expect(await campaign.isIssuer(issuer.address)).to.equal(true);
      await expect(campaign.connect(issuer).issue(bob.address, ONE, 0, REF)).to.changeTokenBalance(token, bob, ONE);
      expect((await campaign.rules()).issuers).to.deep.equal([issuer.address, bob.address]);
    });

    it("lets the factory set issuer keys", async function () {
      const { campaign, factory, bob } = await loadFixture(campaignsFixture);
      const asFactory = await actAs(await factory.getAddress());
      await expect(campaign.connect(asFactory).setIssuer(bob.address, true))
        .to.emit(campaign, "IssuerSet")
        .withArgs(bob.address, true);
    });

    it("reverts when the caller is neither the merchant nor the factory, even an issuer", async function () {
      const { campaign, issuer, bob } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(issuer).setIssuer(bob.address, true))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedMerchant")
        .withArgs(issuer.address);
    });

    it("reverts when called on the implementation", async function () {
      const { implementation, merchant } = await loadFixture(campaignsFixture);
      await expect(implementation.connect(merchant).setIssuer(merchant.address, true)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });
  });

  describe("setPaused", function () {
    it("pauses and resumes issuance, emitting PausedSet", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(f.campaign.connect(f.merchant).setPaused(true)).to.emit(f.campaign, "PausedSet").withArgs(true);
      expect(await f.campaign.paused()).to.equal(true);
      await expect(f.campaign.connect(f.merchant).setPaused(false)).to.emit(f.campaign, "PausedSet").withArgs(false);
      expect(await f.campaign.paused()).to.equal(false);
      await expect(issue(f, f.campaign, f.alice.address, ONE)).to.emit(f.campaign, "PointsIssued");
    });

    it("never touches issued points: holders transfer while paused", async function () {
      const f = await loadFixture(campaignsFixture);
      await issue(f, f.campaign, f.alice.address, ONE);
      await f.campaign.connect(f.merchant).setPaused(true);
      await f.token.connect(f.alice).transfer(f.bob.address, ONE);
      expect(await f.token.balanceOf(f.bob.address)).to.equal(ONE);
    });

    it("reverts when the caller is not the merchant", async function () {
      const { campaign, stranger } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(stranger).setPaused(true))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedMerchant")
        .withArgs(stranger.address);
    });

    it("reverts when called on the implementation", async function () {
      const { implementation, merchant } = await loadFixture(campaignsFixture);
      await expect(implementation.connect(merchant).setPaused(true)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });
  });

  describe("end", function () {
    it("ends issuance now, emitting CampaignEndedEarly, and issued points stay usable", async function () {
      const f = await loadFixture(campaignsFixture);
      await issue(f, f.campaign, f.alice.address, ONE);
      const endedAt = BigInt(await time.latest()) + 5n;
      await time.setNextBlockTimestamp(endedAt);
      await expect(f.campaign.connect(f.merchant).end()).to.emit(f.campaign, "CampaignEndedEarly").withArgs(endedAt);
      expect(await f.campaign.endsAt()).to.equal(endedAt);
      await f.token.connect(f.alice).transfer(f.bob.address, ONE);
      expect(await f.token.balanceOf(f.bob.address)).to.equal(ONE);
    });

    it("can end a campaign before it starts", async function () {
      const { future, merchant } = await loadFixture(campaignsFixture);
      const endedAt = BigInt(await time.latest()) + 5n;
      await time.setNextBlockTimestamp(endedAt);
      await future.connect(merchant).end();
      expect(await future.endsAt()).to.equal(endedAt);
      await time.increaseTo((await future.rules()).startsAt);
      await expect(future.connect(merchant).end())
        .to.be.revertedWithCustomError(future, "CampaignEnded")
        .withArgs(endedAt);
    });

    it("reverts when the merchant already ended it", async function () {
      const { campaign, merchant } = await loadFixture(campaignsFixture);
      const endedAt = BigInt(await time.latest()) + 5n;
      await time.setNextBlockTimestamp(endedAt);
      await campaign.connect(merchant).end();
      await expect(campaign.connect(merchant).end())
        .to.be.revertedWithCustomError(campaign, "CampaignEnded")
        .withArgs(endedAt);
    });

    it("reverts when the rules' end has passed", async function () {
      const { campaign, merchant, params } = await loadFixture(campaignsFixture);
      await time.increaseTo(params.endsAt);
      await expect(campaign.connect(merchant).end())
        .to.be.revertedWithCustomError(campaign, "CampaignEnded")
        .withArgs(params.endsAt);
    });

    it("reverts when the caller is not the merchant", async function () {
      const { campaign, issuer } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(issuer).end())
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedMerchant")
        .withArgs(issuer.address);
    });

    it("reverts when called on the implementation", async function () {
      const { implementation, merchant } = await loadFixture(campaignsFixture);
      await expect(implementation.connect(merchant).end()).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });
  });

  describe("tiers (tierOf, accountOf)", function () {
    it("apply the tier multiplier to a claim once the wallet qualifies, not to the qualifying claim", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, alice } = f;
      expect(await tiered.tierOf(alice.address)).to.equal(0n);
      await expect(issue(f, tiered, alice.address, 100n * ONE))
        .to.emit(tiered, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 100n * ONE, 0n);
      expect(await tiered.tierOf(alice.address)).to.equal(1n);
      await expect(issue(f, tiered, alice.address, 10n * ONE))
        .to.emit(tiered, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 15n * ONE, 0n);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([115n * ONE, 0n, 2n]);
      expect(await f.token.balanceOf(alice.address)).to.equal(115n * ONE);
    });

    it("reach the next tier on multiplied points", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, alice } = f;
      await issue(f, tiered, alice.address, 100n * ONE);
      // 260 at x1.5 is 390: 100 + 390 = 490 < 500; 10 more at x1.5 makes 505.
      await issue(f, tiered, alice.address, 260n * ONE);
      expect(await tiered.tierOf(alice.address)).to.equal(1n);
      await issue(f, tiered, alice.address, 10n * ONE);
      expect(await tiered.tierOf(alice.address)).to.equal(2n);
      await expect(issue(f, tiered, alice.address, 10n * ONE))
        .to.emit(tiered, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 20n * ONE, 0n);
    });

    it("round the multiplied amount down", async function () {
      const f = await loadFixture(campaignsFixture);
      await issue(f, f.tiered, f.alice.address, 100n * ONE);
      await expect(issue(f, f.tiered, f.alice.address, 3n))
        .to.emit(f.tiered, "PointsIssued")
        .withArgs(f.alice.address, CHANNEL.Direct, BigInt(REF), 4n, 0n);
    });

    it("keep the tier through the next period and drop it after two periods without earning", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, alice } = f;
      const { startsAt } = await tiered.rules();
      await issue(f, tiered, alice.address, 100n * ONE);
      await time.increaseTo(startsAt + BigInt(WEEK));
      expect(await tiered.tierOf(alice.address)).to.equal(1n);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([0n, 100n * ONE, 1n]);
      await time.increaseTo(startsAt + BigInt(2 * WEEK));
      expect(await tiered.tierOf(alice.address)).to.equal(0n);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([0n, 0n, 1n]);
      await expect(issue(f, tiered, alice.address, 10n * ONE))
        .to.emit(tiered, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 10n * ONE, 0n);
    });

    it("roll the current period into the previous one on a claim in the next period", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, alice } = f;
      const { startsAt } = await tiered.rules();
      await issue(f, tiered, alice.address, 100n * ONE);
      await time.setNextBlockTimestamp(startsAt + BigInt(WEEK) + 1n);
      await expect(issue(f, tiered, alice.address, 10n * ONE))
        .to.emit(tiered, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 15n * ONE, 0n);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([15n * ONE, 100n * ONE, 2n]);
    });

    it("forget the earlier period when a whole period passed without a claim", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, alice } = f;
      const { startsAt } = await tiered.rules();
      await issue(f, tiered, alice.address, 100n * ONE);
      await time.setNextBlockTimestamp(startsAt + BigInt(2 * WEEK) + 1n);
      await issue(f, tiered, alice.address, 10n * ONE);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([10n * ONE, 0n, 2n]);
      expect(await tiered.tierOf(alice.address)).to.equal(0n);
    });

    it("count periods from the start: period 0 runs from the first second to one period later", async function () {
      const f = await loadFixture(campaignsFixture);
      const { future, alice } = f;
      const { startsAt } = await future.rules();
      expect(await future.tierOf(alice.address)).to.equal(0n);
      await time.setNextBlockTimestamp(startsAt);
      await issue(f, future, alice.address, 100n * ONE);
      expect(await future.accountOf(alice.address)).to.deep.equal([100n * ONE, 0n, 1n]);
      await time.increaseTo(startsAt + BigInt(WEEK) - 1n);
      expect(await future.accountOf(alice.address)).to.deep.equal([100n * ONE, 0n, 1n]);
      await time.increaseTo(startsAt + BigInt(WEEK));
      expect(await future.accountOf(alice.address)).to.deep.equal([0n, 100n * ONE, 1n]);
      expect(await future.tierOf(alice.address)).to.equal(1n);
    });

    it("are zero in a campaign without tiers or milestones, which keeps no per-wallet record", async function () {
      const f = await loadFixture(campaignsFixture);
      await issue(f, f.campaign, f.alice.address, 1000n * ONE);
      expect(await f.campaign.tierOf(f.alice.address)).to.equal(0n);
      expect(await f.campaign.accountOf(f.alice.address)).to.deep.equal([0n, 0n, 0n]);
    });
  });

  describe("milestones", function () {
    it("add the bonus on exactly the Nth claim of the wallet", async function () {
      const f = await loadFixture(campaignsFixture);
      const { stampCard, alice, bob } = f;
      for (const expectedBonus of [0n, 0n, 50n * ONE, 0n]) {
        await expect(issue(f, stampCard, alice.address, ONE))
          .to.emit(stampCard, "PointsIssued")
          .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), ONE, expectedBonus);
      }
      expect(await f.token.balanceOf(alice.address)).to.equal(54n * ONE);
      expect(await stampCard.issued()).to.equal(54n * ONE);
      // Claims are counted per wallet; tiers are off, so only the count is kept.
      expect(await stampCard.accountOf(alice.address)).to.deep.equal([0n, 0n, 4n]);
      expect(await stampCard.accountOf(bob.address)).to.deep.equal([0n, 0n, 0n]);
    });

    it("count the bonus against the supply cap", async function () {
      const f = await loadFixture(campaignsFixture);
      const { stampCard, alice } = f;
      await issue(f, stampCard, alice.address, 999_900n * ONE);
      await issue(f, stampCard, alice.address, 40n * ONE);
      // 11 alone would fit (999 951 <= 1 000 000); with the third claim's bonus it is 61.
      await expect(issue(f, stampCard, alice.address, 11n * ONE))
        .to.be.revertedWithCustomError(stampCard, "CampaignSupplyCapExceeded")
        .withArgs(999_940n * ONE, 61n * ONE, 1_000_000n * ONE);
    });

    it("count the bonus towards the wallet's tier", async function () {
      const f = await loadFixture(campaignsFixture);
      const { loyalty, alice } = f;
      await issue(f, loyalty, alice.address, 10n * ONE);
      await issue(f, loyalty, alice.address, 10n * ONE);
      await issue(f, loyalty, alice.address, 30n * ONE);
      // 10 + 10 + 30 + 50 bonus = 100: the threshold of tier 1.
      expect(await loyalty.accountOf(alice.address)).to.deep.equal([100n * ONE, 0n, 3n]);
      expect(await loyalty.tierOf(alice.address)).to.equal(1n);
    });
  });

  describe("wallet records (accountOf, LoyaltyToken.recordOf)", function () {
    it("count earnings in hundredths of a point, each claim rounded down; the points issued are exact", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, token, alice } = f;
      const claimed = 1_239n * 10n ** 15n; // 1.239 points: counts 1.23
      await issue(f, tiered, alice.address, claimed);
      await issue(f, tiered, alice.address, claimed);
      expect(await token.balanceOf(alice.address)).to.equal(2n * claimed);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([246n * HUNDREDTH, 0n, 2n]);
      // Tier 1 needs 100 points: 99.99 counted is not enough, whatever the exact sum.
      await issue(f, tiered, alice.address, 97_535n * 10n ** 15n); // 97.535: counts 97.53, total 99.99
      expect(await tiered.accountOf(alice.address)).to.deep.equal([9_999n * HUNDREDTH, 0n, 3n]);
      expect(await tiered.tierOf(alice.address)).to.equal(0n);
      await issue(f, tiered, alice.address, HUNDREDTH);
      expect(await tiered.tierOf(alice.address)).to.equal(1n);
    });

    it("stop counting a period at 42,949,672.95 points, the highest threshold, and never refuse a claim for it", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, token, alice } = f;
      await issue(f, tiered, alice.address, 50_000_000n * ONE);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([MAX_EARNED, 0n, 1n]);
      expect(await tiered.tierOf(alice.address)).to.equal(2n);
      // Still the top tier's 2x, and the count stays where it stopped.
      await expect(issue(f, tiered, alice.address, ONE))
        .to.emit(tiered, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 2n * ONE, 0n);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([MAX_EARNED, 0n, 2n]);
      expect(await token.balanceOf(alice.address)).to.equal(50_000_002n * ONE);
    });

    it("stop counting claims at 65,535, past the last milestone the factory accepts (65,534), which pays once", async function () {
      const f = await loadFixture(campaignsFixture);
      const { factory, merchant, issuer, token, alice, bob } = f;
      const params = await campaignParams(await token.getAddress(), {
        issuers: [issuer.address],
        milestones: [{ claimNumber: 65_534, bonus: 7n * ONE }],
      });
      const card = await createCampaign(factory, merchant, params, ethers.id("long card"));
      const serial = BigInt(await card.serial());
      // Alice's record is in the token (bits 112..255 of her balance slot), Bob's in the campaign: 65,533 claims each.
      await ethers.provider.send("hardhat_setStorageAt", [
        await token.getAddress(),
        balanceSlot(alice.address),
        ethers.toBeHex((serial << 224n) | (65_533n << 208n), 32),
      ]);
      await ethers.provider.send("hardhat_setStorageAt", [
        await token.getAddress(),
        balanceSlot(bob.address),
        ethers.toBeHex(((serial + 1000n) << 224n) | (5n << 208n), 32),
      ]);
      await ethers.provider.send("hardhat_setStorageAt", [
        await card.getAddress(),
        recordSlot(bob.address),
        ethers.toBeHex(65_533n << 96n, 32),
      ]);
      for (const wallet of [alice, bob]) {
        for (const [bonus, claims] of [
          [7n * ONE, 65_534n],
          [0n, 65_535n],
          [0n, 65_535n],
        ]) {
          await expect(issue(f, card, wallet.address, ONE))
            .to.emit(card, "PointsIssued")
            .withArgs(wallet.address, CHANNEL.Direct, BigInt(REF), ONE, bonus);
          expect((await card.accountOf(wallet.address))[2]).to.equal(claims);
        }
        expect(await token.balanceOf(wallet.address)).to.equal(10n * ONE);
      }
      // Bob's slot in the token still names the other campaign, with its own count.
      expect(decodeRecord(await token.recordOf(bob.address)).claims).to.equal(5n);
      expect((await token.recordOf(bob.address)) >> 112n).to.equal(serial + 1000n);
    });

    it("live beside the balance in the token for the first campaign with records a wallet claims from; the others keep theirs", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, loyalty, token, alice, bob } = f;
      const [tieredSerial, loyaltySerial] = [BigInt(await tiered.serial()), BigInt(await loyalty.serial())];
      expect(tieredSerial).to.not.equal(loyaltySerial);
      expect(await token.recordOf(alice.address)).to.equal(0n);

      await issue(f, tiered, alice.address, 30n * ONE);
      const held = await token.recordOf(alice.address);
      expect(held >> 112n).to.equal(tieredSerial);
      expect(decodeRecord(held)).to.deep.include({ current: 3_000n, previous: 0n, claims: 1n });
      expect(await ethers.provider.getStorage(await tiered.getAddress(), recordSlot(alice.address))).to.equal(ethers.ZeroHash);

      // The loyalty campaign finds Alice's slot taken: her record there is in its own storage.
      await issue(f, loyalty, alice.address, 20n * ONE);
      expect(await token.recordOf(alice.address)).to.equal(held);
      expect(await loyalty.accountOf(alice.address)).to.deep.equal([20n * ONE, 0n, 1n]);
      const own = BigInt(await ethers.provider.getStorage(await loyalty.getAddress(), recordSlot(alice.address)));
      expect(decodeRecord(own)).to.deep.include({ current: 2_000n, claims: 1n });

      // Each keeps counting where its record is.
      await issue(f, tiered, alice.address, 80n * ONE);
      await issue(f, loyalty, alice.address, 10n * ONE);
      expect(await tiered.accountOf(alice.address)).to.deep.equal([110n * ONE, 0n, 2n]);
      expect(await tiered.tierOf(alice.address)).to.equal(1n);
      expect(await loyalty.accountOf(alice.address)).to.deep.equal([30n * ONE, 0n, 2n]);
      expect(decodeRecord(await token.recordOf(alice.address))).to.deep.include({ current: 11_000n, claims: 2n });

      // Bob met the loyalty campaign first: the token holds its record of him, and the tiered campaign keeps its own.
      await issue(f, loyalty, bob.address, 5n * ONE);
      await issue(f, tiered, bob.address, 7n * ONE);
      expect((await token.recordOf(bob.address)) >> 112n).to.equal(loyaltySerial);
      expect(await tiered.accountOf(bob.address)).to.deep.equal([7n * ONE, 0n, 1n]);
      expect(await loyalty.accountOf(bob.address)).to.deep.equal([5n * ONE, 0n, 1n]);
      expect(await token.balanceOf(alice.address)).to.equal(140n * ONE);
      expect(await token.balanceOf(bob.address)).to.equal(12n * ONE);
    });

    it("are the same whichever path claims: vouchers and codes keep them in the token too", async function () {
      const f = await loadFixture(campaignsFixture);
      const { loyalty, merchant, issuer, token, carol } = f;
      const { args } = await signedVoucher(loyalty, issuer, carol.address, { points: 10n * ONE });
      await expect(loyalty.claimVoucher(...args)).to.emit(loyalty, "PointsIssued");
      const batch = codeBatch(2, 20n * ONE, "loyalty-records");
      await loyalty.connect(merchant).publishBatch(batch.tree.root, 2);
      await expect(loyalty.claimCode(...(await codeClaimArgs(loyalty, 0n, batch, 1, carol.address)))).to.emit(
        loyalty,
        "PointsIssued",
      );
      // The third claim earns the milestone's 50: 10 + 20 + 20 + 50 = 100, tier 1.
      await issue(f, loyalty, carol.address, 20n * ONE);
      expect(await loyalty.accountOf(carol.address)).to.deep.equal([100n * ONE, 0n, 3n]);
      expect(await loyalty.tierOf(carol.address)).to.equal(1n);
      expect((await token.recordOf(carol.address)) >> 112n).to.equal(BigInt(await loyalty.serial()));
      expect(await token.balanceOf(carol.address)).to.equal(100n * ONE);
    });

    it("do not move with the points: transfers, burns and plain mints keep both wallets' records and tiers", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, token, merchant, alice, bob, carol } = f;
      await issue(f, tiered, alice.address, 150n * ONE);
      const held = await token.recordOf(alice.address);
      expect(await tiered.tierOf(alice.address)).to.equal(1n);

      await token.connect(alice).transfer(bob.address, 150n * ONE);
      await token.connect(merchant).mint(alice.address, 40n * ONE);
      await token.connect(alice).burn(15n * ONE);
      await token.connect(alice).approve(carol.address, 10n * ONE);
      await token.connect(carol).transferFrom(alice.address, carol.address, 10n * ONE);
      await token.connect(alice).approve(carol.address, 5n * ONE);
      await token.connect(carol).burnFrom(alice.address, 5n * ONE);

      expect(await token.recordOf(alice.address)).to.equal(held);
      expect(await token.balanceOf(alice.address)).to.equal(10n * ONE);
      // Points earned, not held: Alice keeps her tier, Bob gets none.
      expect(await tiered.tierOf(alice.address)).to.equal(1n);
      expect(await token.recordOf(bob.address)).to.equal(0n);
      expect(await tiered.tierOf(bob.address)).to.equal(0n);
      expect(await token.balanceOf(bob.address)).to.equal(150n * ONE);
      expect(await token.totalSupply()).to.equal(170n * ONE);
      // All of a balance can go, and comes back, without touching the record.
      await token.connect(alice).transfer(bob.address, 10n * ONE);
      expect(await token.balanceOf(alice.address)).to.equal(0n);
      expect(await token.recordOf(alice.address)).to.equal(held);
      await expect(token.connect(alice).transfer(bob.address, 1n)).to.be.revertedWithCustomError(
        token,
        "InsufficientBalance",
      );
    });

    it("are taken over from a retired campaign at the wallet's next claim, from what the campaign kept itself", async function () {
      const f = await loadFixture(campaignsFixture);
      const { tiered, loyalty, token, factory, merchant, alice, bob } = f;
      const [tieredSerial, loyaltySerial] = [BigInt(await tiered.serial()), BigInt(await loyalty.serial())];
      // Both wallets meet the tiered campaign first; Alice then claims in the loyalty one, which keeps her record.
      await issue(f, tiered, alice.address, 30n * ONE);
      await issue(f, tiered, bob.address, 10n * ONE);
      await issue(f, loyalty, alice.address, 40n * ONE);
      await issue(f, loyalty, alice.address, 20n * ONE);
      const kept = await ethers.provider.getStorage(await loyalty.getAddress(), recordSlot(alice.address));
      expect(decodeRecord(BigInt(kept))).to.deep.include({ current: 6_000n, claims: 2n });

      // The merchant ends the tiered campaign early: it retires itself in the token.
      await expect(tiered.connect(merchant).end())
        .to.emit(factory, "CampaignRetired")
        .withArgs(await tiered.getAddress(), tieredSerial);
      expect(await factory.isRetired(tieredSerial)).to.equal(true);

      // Alice's third claim in the loyalty campaign earns its milestone on the count it kept, and moves her record
      // into the token: 40 + 20 + 10 + 50 = 120 points, tier 1.
      await expect(issue(f, loyalty, alice.address, 10n * ONE))
        .to.emit(loyalty, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 10n * ONE, 50n * ONE);
      const held = await token.recordOf(alice.address);
      expect(held >> 112n).to.equal(loyaltySerial);
      expect(decodeRecord(held)).to.deep.include({ current: 12_000n, claims: 3n });
      expect(await loyalty.accountOf(alice.address)).to.deep.equal([120n * ONE, 0n, 3n]);
      expect(await loyalty.tierOf(alice.address)).to.equal(1n);
      // quote reads the record where it now is: tier 1's 1.5x, no milestone on the fourth claim.
      expect(await loyalty.quote(alice.address, 10n * ONE, 0n)).to.deep.equal([15n * ONE, 0n]);
      // Bob's slot is the retired campaign's: a quote for him starts from the loyalty campaign's own (empty) record.
      expect(await loyalty.quote(bob.address, 10n * ONE, 0n)).to.deep.equal([10n * ONE, 0n]);
      // From now on the token's copy is the one: the campaign's own is left as it was, and no longer read.
      expect(await ethers.provider.getStorage(await loyalty.getAddress(), recordSlot(alice.address))).to.equal(kept);
      // Tier 1 earns 1.5x: 5 points issue 7.5.
      await issue(f, loyalty, alice.address, 5n * ONE);
      expect(await loyalty.accountOf(alice.address)).to.deep.equal([1_275n * ONE / 10n, 0n, 4n]);

      // Bob is new to the loyalty campaign: it takes his slot over without writing a slot of its own.
      await issue(f, loyalty, bob.address, 7n * ONE);
      expect((await token.recordOf(bob.address)) >> 112n).to.equal(loyaltySerial);
      expect(await loyalty.accountOf(bob.address)).to.deep.equal([7n * ONE, 0n, 1n]);
      expect(await ethers.provider.getStorage(await loyalty.getAddress(), recordSlot(bob.address))).to.equal(ethers.ZeroHash);
      // The retired campaign issues nothing any more, and reads 0 for the wallets taken over.
      expect(await tiered.accountOf(bob.address)).to.deep.equal([0n, 0n, 0n]);
      await expect(issue(f, tiered, bob.address, ONE)).to.be.revertedWithCustomError(tiered, "CampaignEnded");
      expect(await token.balanceOf(alice.address)).to.equal(1_575n * ONE / 10n);
      expect(await token.balanceOf(bob.address)).to.equal(17n * ONE);
    });

    it("front-running a takeover: a campaign keeps its slots until it is retired, which only an ended one can be", async function () {
      const f = await loadFixture(campaignsFixture);
      const { future, loyalty, token, factory, bob } = f;
      const [futureSerial, loyaltySerial] = [BigInt(await future.serial()), BigInt(await loyalty.serial())];
      // `future` runs from tomorrow for 9 days; Bob meets it first.
      await time.increase(2 * DAY);
      await issue(f, future, bob.address, ONE);
      await expect(future.retire()).to.be.revertedWithCustomError(future, "CampaignStillRunning").withArgs(await future.endsAt());
      await time.increase(9 * DAY);
      // Ended by its schedule but not retired: its slot stays, and the loyalty campaign keeps Bob's record itself.
      await issue(f, loyalty, bob.address, 2n * ONE);
      expect((await token.recordOf(bob.address)) >> 112n).to.equal(futureSerial);
      expect(decodeRecord(BigInt(await ethers.provider.getStorage(await loyalty.getAddress(), recordSlot(bob.address))))).to.deep.include({ claims: 1n });
      // Anyone may retire it now; Bob's next claim moves the loyalty campaign's record into the slot.
      await expect(future.connect(bob).retire()).to.emit(factory, "CampaignRetired").withArgs(await future.getAddress(), futureSerial);
      await issue(f, loyalty, bob.address, 3n * ONE);
      expect((await token.recordOf(bob.address)) >> 112n).to.equal(loyaltySerial);
      expect(await loyalty.accountOf(bob.address)).to.deep.equal([5n * ONE, 0n, 2n]);
      // The loyalty campaign (30 days) still issues: it cannot be retired.
      await expect(loyalty.retire()).to.be.revertedWithCustomError(loyalty, "CampaignStillRunning").withArgs(await loyalty.endsAt());
    });

    it("a campaign numbered 0 (activated by the token's owner) keeps every record in its own storage", async function () {
      const f = await loadFixture(campaignsFixture);
      const { token, merchant, issuer, alice } = f;
      const params = await campaignParams(await token.getAddress(), {
        issuers: [issuer.address],
        tierPeriod: WEEK,
        tiers: TIERS,
      });
      const own = await deployCampaignClone(f.factory, merchant, packRules(params, await token.getAddress()));
      await own.connect(merchant).activate(0);
      await issue(f, own, alice.address, 120n * ONE);
      expect(await token.recordOf(alice.address)).to.equal(0n);
      expect(await own.accountOf(alice.address)).to.deep.equal([120n * ONE, 0n, 1n]);
      expect(await own.tierOf(alice.address)).to.equal(1n);
      // The token's slot stays free for a numbered campaign.
      await issue(f, f.tiered, alice.address, ONE);
      expect((await token.recordOf(alice.address)) >> 112n).to.equal(BigInt(await f.tiered.serial()));
    });
  });

  describe("retire", function () {
    it("lets anyone retire an ended campaign numbered by the factory, once: the factory's CampaignRetired", async function () {
      const { campaign, factory, stranger } = await loadFixture(campaignsFixture);
      const serial = await campaign.serial();
      expect(serial).to.be.greaterThan(0n);
      expect(await factory.isRetired(serial)).to.equal(false);
      await time.increaseTo(await campaign.endsAt());
      await expect(campaign.connect(stranger).retire())
        .to.emit(factory, "CampaignRetired")
        .withArgs(await campaign.getAddress(), serial);
      expect(await factory.isRetired(serial)).to.equal(true);
      expect(await factory.isRetired(serial + 1n)).to.equal(false);
      // Again: nothing changes, nothing is announced.
      await expect(campaign.connect(stranger).retire()).to.not.emit(factory, "CampaignRetired");
    });

    it("is the clones' own: the implementation refuses it (CampaignNotAClone); ending a campaign numbered 0 retires nothing", async function () {
      const { implementation, token, factory, merchant, stranger } = await loadFixture(campaignsFixture);
      await expect(implementation.connect(stranger).retire()).to.be.revertedWithCustomError(implementation, "CampaignNotAClone");
      const tokenAddress = await token.getAddress();
      const rules = packRules(await campaignParams(tokenAddress, { issuers: [merchant.address] }), tokenAddress);
      const own = await deployCampaignClone(factory, merchant, rules);
      await own.connect(merchant).activate(0);
      await expect(own.connect(merchant).end()).to.emit(own, "CampaignEndedEarly").and.to.not.emit(factory, "CampaignRetired");
    });

    it("refuses a campaign that still issues: CampaignStillRunning(endsAt)", async function () {
      const { campaign, factory, stranger } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(stranger).retire())
        .to.be.revertedWithCustomError(campaign, "CampaignStillRunning")
        .withArgs(await campaign.endsAt());
      expect(await factory.isRetired(await campaign.serial())).to.equal(false);
    });

    it("access control: a campaign the owner numbered 0 keeps its records (CampaignNotNumbered); only the factory's campaigns report to it (CampaignFactoryUnknownCampaign)", async function () {
      const { token, factory, merchant, stranger } = await loadFixture(campaignsFixture);
      const tokenAddress = await token.getAddress();
      const rules = packRules(await campaignParams(tokenAddress, { issuers: [merchant.address] }), tokenAddress);
      const own = await deployCampaignClone(factory, merchant, rules);
      await own.connect(merchant).activate(0);
      await time.increaseTo(await own.endsAt());
      await expect(own.connect(stranger).retire()).to.be.revertedWithCustomError(own, "CampaignNotNumbered");
      // Nobody else may mark a number retired: an account, the token, or a clone the factory did not create.
      for (const caller of [stranger, await actAs(tokenAddress), await actAs(await own.getAddress())]) {
        await expect(factory.connect(caller).retire(1))
          .to.be.revertedWithCustomError(factory, "CampaignFactoryUnknownCampaign")
          .withArgs(caller.address);
      }
      expect(await factory.isRetired(1n)).to.equal(false);
    });
  });

  describe("without a supply cap (supplyCap = 2^128 - 1)", function () {
    it("issues on every channel, leaves issued() at 0 and never writes the status slot", async function () {
      const f = await loadFixture(campaignsFixture);
      const { uncapped, merchant, issuer, token, alice, bob, carol } = f;
      const address = await uncapped.getAddress();
      expect(await ethers.provider.getStorage(address, STATUS_SLOT)).to.equal(await activeStatus(uncapped));
      await expect(issue(f, uncapped, alice.address, 10n * ONE, 2350n))
        .to.emit(uncapped, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), 10n * ONE + 4_700_000_000_000_000_000n, 0n);
      const { args } = await signedVoucher(uncapped, issuer, bob.address, { id: 7n });
      await expect(uncapped.claimVoucher(...args))
        .to.emit(uncapped, "PointsIssued")
        .withArgs(bob.address, CHANNEL.Voucher, 7n, 10n * ONE, 0n);
      const batch = codeBatch(4, 3n * ONE, "uncapped");
      await uncapped.connect(merchant).publishBatch(batch.tree.root, 4);
      await expect(uncapped.claimCode(...(await codeClaimArgs(uncapped, 0n, batch, 1, carol.address))))
        .to.emit(uncapped, "PointsIssued")
        .withArgs(carol.address, CHANNEL.Batch, batchRef(0n, 1n), 3n * ONE, 0n);
      expect(await token.balanceOf(alice.address)).to.equal(14_700_000_000_000_000_000n);
      expect(await token.balanceOf(bob.address)).to.equal(10n * ONE);
      expect(await token.balanceOf(carol.address)).to.equal(3n * ONE);
      expect(await uncapped.issued()).to.equal(0n);
      expect(await ethers.provider.getStorage(address, STATUS_SLOT)).to.equal(await activeStatus(uncapped));
      // Pausing and resuming still write the slot, and leave `issued` at 0.
      await uncapped.connect(merchant).setPaused(true);
      await expect(issue(f, uncapped, alice.address, ONE)).to.be.revertedWithCustomError(uncapped, "CampaignPaused");
      await uncapped.connect(merchant).setPaused(false);
      await expect(issue(f, uncapped, alice.address, ONE)).to.emit(uncapped, "PointsIssued");
      expect(await uncapped.issued()).to.equal(0n);
    });

    it("never refuses on the cap, however much was issued before (up to what the token holds: 2^112 - 1)", async function () {
      // A capped campaign counts: the same claims pass its cap on the second one (see the capped test below).
      // Three claims of 2^110 each: 3 * 2^110 fits the token's 2^112 - 1.
      const big = 1n << 110n;
      const f = await loadFixture(campaignsFixture);
      const { uncapped, merchant, issuer, token, alice } = f;
      await expect(issue(f, uncapped, alice.address, big))
        .to.emit(uncapped, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), big, 0n);
      const { args } = await signedVoucher(uncapped, issuer, alice.address, { points: big });
      await expect(uncapped.claimVoucher(...args)).to.emit(uncapped, "PointsIssued");
      const batch = codeBatch(2, big, "uncapped-big");
      await uncapped.connect(merchant).publishBatch(batch.tree.root, 2);
      await expect(uncapped.claimCode(...(await codeClaimArgs(uncapped, 0n, batch, 0, alice.address))))
        .to.emit(uncapped, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Batch, batchRef(0n, 0n), big, 0n);
      expect(await token.balanceOf(alice.address)).to.equal(3n * big);
      expect(await uncapped.issued()).to.equal(0n);
    });

    it("refuses a single claim above 2^128 - 1 with CampaignSupplyCapExceeded(0, amount, 2^128 - 1), on every channel", async function () {
      // Such a base is the reference path's (the hand-written path takes bases below 2^128 only).
      const f = await loadFixture(campaignsFixture);
      const { uncapped, merchant, issuer, alice } = f;
      await expect(issue(f, uncapped, alice.address, UINT128_MAX + 1n))
        .to.be.revertedWithCustomError(uncapped, "CampaignSupplyCapExceeded")
        .withArgs(0n, UINT128_MAX + 1n, UINT128_MAX);
      const { args } = await signedVoucher(uncapped, issuer, alice.address, { points: UINT128_MAX, spend: 500n });
      await expect(uncapped.claimVoucher(...args))
        .to.be.revertedWithCustomError(uncapped, "CampaignSupplyCapExceeded")
        .withArgs(0n, UINT128_MAX + ONE, UINT128_MAX);
      const batch = codeBatch(2, UINT128_MAX + 1n, "uncapped-above");
      await uncapped.connect(merchant).publishBatch(batch.tree.root, 2);
      await expect(uncapped.claimCode(...(await codeClaimArgs(uncapped, 0n, batch, 1, alice.address))))
        .to.be.revertedWithCustomError(uncapped, "CampaignSupplyCapExceeded")
        .withArgs(0n, UINT128_MAX + 1n, UINT128_MAX);
      // A milestone bonus can take a claim below 2^128 above it: the hand-written path declines, the reference
      // path refuses the same way.
      const stamped = await createCampaign(
        f.factory,
        merchant,
        await campaignParams(await f.token.getAddress(), {
          issuers: [issuer.address],
          supplyCap: UINT128_MAX,
          milestones: [{ claimNumber: 1, bonus: 1n }],
        }),
        ethers.id("uncapped stamp card"),
      );
      await expect(stamped.connect(issuer).issue(alice.address, UINT128_MAX, 0, REF))
        .to.be.revertedWithCustomError(stamped, "CampaignSupplyCapExceeded")
        .withArgs(0n, 1n << 128n, UINT128_MAX);
      expect(await uncapped.issued()).to.equal(0n);
      expect(await uncapped.isVoucherClaimed(args[0].id)).to.equal(false);
      expect(await uncapped.isCodeClaimed(0, 1)).to.equal(false);
    });

    it("a capped campaign still counts and refuses past its cap with the same error and values", async function () {
      const f = await loadFixture(campaignsFixture);
      const { campaign, issuer, alice } = f;
      const cap = 1_000_000n * ONE;
      await issue(f, campaign, alice.address, 600_000n * ONE);
      expect(await campaign.issued()).to.equal(600_000n * ONE);
      await expect(issue(f, campaign, alice.address, 400_000n * ONE + 1n))
        .to.be.revertedWithCustomError(campaign, "CampaignSupplyCapExceeded")
        .withArgs(600_000n * ONE, 400_000n * ONE + 1n, cap);
      const { args } = await signedVoucher(campaign, issuer, alice.address, { points: UINT128_MAX });
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignSupplyCapExceeded")
        .withArgs(600_000n * ONE, UINT128_MAX, cap);
      await expect(issue(f, campaign, alice.address, UINT128_MAX + 1n))
        .to.be.revertedWithCustomError(campaign, "CampaignSupplyCapExceeded")
        .withArgs(600_000n * ONE, UINT128_MAX + 1n, cap);
      await issue(f, campaign, alice.address, 400_000n * ONE);
      expect(await campaign.issued()).to.equal(cap);
      await expect(issue(f, campaign, alice.address, 1n))
        .to.be.revertedWithCustomError(campaign, "CampaignSupplyCapExceeded")
        .withArgs(cap, 1n, cap);
    });
  });

  describe("quote", function () {
    it("equals what the claim then issues, through tiers, spend and milestones", async function () {
      const f = await loadFixture(campaignsFixture);
      const { loyalty, alice } = f;
      const steps: [bigint, bigint][] = [
        [100n * ONE, 0n],
        [0n, 1234n],
        [10n * ONE, 3n],
        [ONE, 0n],
      ];
      const quotes: [bigint, bigint][] = [];
      for (const [points, spend] of steps) {
        const [amount, bonus] = await loyalty.quote(alice.address, points, spend);
        quotes.push([amount, bonus]);
        await expect(issue(f, loyalty, alice.address, points, spend))
          .to.emit(loyalty, "PointsIssued")
          .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), amount, bonus);
      }
      expect(quotes).to.deep.equal([
        [100n * ONE, 0n],
        [3_702_000_000_000_000_000n, 0n],
        [15_009_000_000_000_000_000n, 50n * ONE],
        [(ONE * 15_000n) / 10_000n, 0n],
      ]);
    });

    it("is the plain points plus converted spend without tiers or milestones", async function () {
      const { campaign, alice } = await loadFixture(campaignsFixture);
      expect(await campaign.quote(alice.address, ONE, 1234n)).to.deep.equal([ONE + 2_468_000_000_000_000_000n, 0n]);
    });

    it("reverts when a spend is given to a campaign without an earn rate", async function () {
      const { noRate, alice } = await loadFixture(campaignsFixture);
      await expect(noRate.quote(alice.address, ONE, 1n))
        .to.be.revertedWithCustomError(noRate, "CampaignSpendNotAccepted")
        .withArgs(1n);
    });
  });

  // Each attack names the revert it must meet; together with the sections above they cover every revert of every
  // function.
  describe("attacks", function () {
    it("voucher replay on the same campaign reverts with CampaignVoucherAlreadyClaimed", async function () {
      const { campaign, issuer, alice, bob, stranger } = await loadFixture(campaignsFixture);
      const { voucher, claimKey, args } = await signedVoucher(campaign, issuer, alice.address, { id: 77n });
      await campaign.claimVoucher(...args);
      // Even with a fresh claim-key signature for another recipient.
      const again = await voucherClaimArgs(campaign, issuer, voucher, claimKey, bob.address);
      await expect(campaign.connect(stranger).claimVoucher(...again))
        .to.be.revertedWithCustomError(campaign, "CampaignVoucherAlreadyClaimed")
        .withArgs(77n);
    });

    it("voucher replay on another campaign of the same merchant reverts with CampaignUnauthorizedIssuer", async function () {
      const { campaign, sibling, issuer, alice } = await loadFixture(campaignsFixture);
      expect(await sibling.isIssuer(issuer.address)).to.equal(true);
      const { voucher, claimKey, args } = await signedVoucher(campaign, issuer, alice.address);
      await campaign.claimVoucher(...args);
      const [, issuerR, issuerVS] = args;
      const [claimR, claimVS] = await signClaim(sibling, claimKey, alice.address);
      // Under the sibling's domain (its own verifying contract) the signature recovers to an unrelated address.
      const recovered = ethers.verifyTypedData(await domain(sibling), VOUCHER_TYPES, voucher, {
        r: issuerR,
        yParityAndS: issuerVS,
      });
      expect(recovered).to.not.equal(issuer.address);
      await expect(sibling.claimVoucher(voucher, issuerR, issuerVS, alice.address, claimR, claimVS))
        .to.be.revertedWithCustomError(sibling, "CampaignUnauthorizedIssuer")
        .withArgs(recovered);
    });

    it("voucher replay from another chain id reverts with CampaignUnauthorizedIssuer", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher, claimKey } = await newVoucher();
      const foreign = { ...(await domain(campaign)), chainId: 10n };
      const signature = ethers.Signature.from(await issuer.signTypedData(foreign, VOUCHER_TYPES, voucher));
      const recovered = ethers.verifyTypedData(await domain(campaign), VOUCHER_TYPES, voucher, signature);
      expect(recovered).to.not.equal(issuer.address);
      const [claimR, claimVS] = await signClaim(campaign, claimKey, alice.address);
      await expect(
        campaign.claimVoucher(voucher, signature.r, signature.yParityAndS, alice.address, claimR, claimVS),
      )
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(recovered);
    });

    it("malleable high-s signature (s' = n - s, v flipped) reverts with CampaignUnauthorizedIssuer", async function () {
      // The contract takes only EIP-2098 compact signatures, where vs = yParity << 255 | s. A malleated s' = n - s
      // is above n / 2, and for all but a 2^-128 share of signatures it is also at or above 2^255, so its top bit
      // collides with the yParity bit: OpenZeppelin's ECDSA.recover(hash, r, vs) reads v = 28 and
      // s = s' - 2^255 (a low s, so ECDSAInvalidSignatureS never fires) and recovers some unrelated address.
      // The malleated signature is therefore not even expressible; it fails as a signature by a stranger.
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher, claimKey } = await newVoucher();
      const signature = ethers.Signature.from(await issuer.signTypedData(await domain(campaign), VOUCHER_TYPES, voucher));
      const sHigh = N - BigInt(signature.s);
      expect(sHigh).to.be.greaterThanOrEqual(1n << 255n);
      const malleableVS = ethers.toBeHex((BigInt(1 - signature.yParity) << 255n) | sHigh, 32);
      const readS = BigInt(malleableVS) & ((1n << 255n) - 1n);
      const readV = 27 + Number(BigInt(malleableVS) >> 255n);
      expect(readS).to.be.lessThanOrEqual(N / 2n);
      const digest = ethers.TypedDataEncoder.hash(await domain(campaign), VOUCHER_TYPES, voucher);
      const recovered = ethers.recoverAddress(digest, { r: signature.r, s: ethers.toBeHex(readS, 32), v: readV });
      expect(recovered).to.not.equal(issuer.address);
      const [claimR, claimVS] = await signClaim(campaign, claimKey, alice.address);
      await expect(campaign.claimVoucher(voucher, signature.r, malleableVS, alice.address, claimR, claimVS))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(recovered);
    });

    it("malleable high-s value that fits the vs encoding (n/2 < s < 2^255) reverts with ECDSAInvalidSignatureS", async function () {
      // The only high-s values a compact signature can carry are in (n / 2, 2^255): OpenZeppelin rejects them.
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher, claimKey } = await newVoucher();
      const [issuerR] = await signVoucher(campaign, issuer, voucher);
      const [claimR, claimVS] = await signClaim(campaign, claimKey, alice.address);
      const highS = ethers.toBeHex(N / 2n + 1n, 32);
      await expect(campaign.claimVoucher(voucher, issuerR, highS, alice.address, claimR, claimVS))
        .to.be.revertedWithCustomError(campaign, "ECDSAInvalidSignatureS")
        .withArgs(highS);
    });

    it("claim redirected to another recipient by a front-runner reverts with CampaignInvalidClaimSignature", async function () {
      const { campaign, token, issuer, alice, stranger } = await loadFixture(campaignsFixture);
      const { voucher, args } = await signedVoucher(campaign, issuer, alice.address);
      const [, issuerR, issuerVS, , claimR, claimVS] = args;
      const recovered = ethers.verifyTypedData(await domain(campaign), CLAIM_TYPES, { recipient: stranger.address }, {
        r: claimR,
        yParityAndS: claimVS,
      });
      await expect(
        campaign.connect(stranger).claimVoucher(voucher, issuerR, issuerVS, stranger.address, claimR, claimVS),
      )
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidClaimSignature")
        .withArgs(voucher.claimKey, recovered);
      // The customer's own transaction still lands.
      await campaign.claimVoucher(...args);
      expect(await token.balanceOf(alice.address)).to.equal(voucher.points);
    });

    it("expired voucher reverts with CampaignVoucherExpired", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const expiresAt = BigInt(await time.latest()) + 60n;
      const { args } = await signedVoucher(campaign, issuer, alice.address, { expiresAt });
      await time.setNextBlockTimestamp(expiresAt + 1n);
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignVoucherExpired")
        .withArgs(expiresAt);
    });

    it("voucher signed by a key that is not an issuer reverts with CampaignUnauthorizedIssuer", async function () {
      const { campaign, alice } = await loadFixture(campaignsFixture);
      const rogueTerminal = ethers.Wallet.createRandom();
      const { voucher, claimKey } = await newVoucher({ points: 1_000n * ONE });
      const args = await voucherClaimArgs(campaign, rogueTerminal, voucher, claimKey, alice.address);
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(rogueTerminal.address);
    });

    it("issuer revoked after signing: its voucher reverts with CampaignUnauthorizedIssuer", async function () {
      const { campaign, merchant, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(campaign, issuer, alice.address);
      await campaign.connect(merchant).setIssuer(issuer.address, false);
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(issuer.address);
    });

    it("Merkle internal node presented as a leaf reverts with CampaignInvalidProof", async function () {
      const { campaign, merchant, alice } = await loadFixture(campaignsFixture);
      const batch = codeBatch(8);
      await campaign.connect(merchant).publishBatch(batch.tree.root, 8);
      // Node 1 of the heap-ordered tree is an internal node whose proof is its sibling, node 2: a contract that took
      // a raw leaf would accept it. Here the leaf is hashed from the code's fields (twice), so the attacker can only
      // shape those fields from the node's 64-byte preimage, and no 96-byte code encoding hashes to the node.
      const nodes = batch.tree.dump().tree;
      const hashPair = (a: string, b: string) => ethers.keccak256(ethers.concat([a, b].sort()));
      expect(hashPair(nodes[1], nodes[2])).to.equal(batch.tree.root);
      const [left, right] = [nodes[3], nodes[4]].sort();
      expect(hashPair(left, right)).to.equal(nodes[1]);
      const attackerKey = ethers.Wallet.createRandom();
      const code = { batchId: 0n, index: BigInt(left), points: BigInt(right), claimKey: attackerKey.address };
      const [claimR, claimVS] = await signClaim(campaign, attackerKey, alice.address);
      await expect(campaign.claimCode(code, [nodes[2]], alice.address, claimR, claimVS))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidProof")
        .withArgs(0n, BigInt(left));
    });

    it("proof reused at another index reverts with CampaignInvalidProof", async function () {
      const { campaign, merchant, alice } = await loadFixture(campaignsFixture);
      const batch = codeBatch(8);
      await campaign.connect(merchant).publishBatch(batch.tree.root, 8);
      const [code, proof, recipient, claimR, claimVS] = await codeClaimArgs(campaign, 0n, batch, 3, alice.address);
      await campaign.claimCode(code, proof, recipient, claimR, claimVS);
      await expect(campaign.claimCode({ ...code, index: 5n }, proof, recipient, claimR, claimVS))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidProof")
        .withArgs(0n, 5n);
      expect(await campaign.isCodeClaimed(0, 5)).to.equal(false);
    });

    it("double claim of a code reverts with CampaignCodeAlreadyClaimed", async function () {
      const { campaign, merchant, alice, bob } = await loadFixture(campaignsFixture);
      const batch = codeBatch(4);
      await campaign.connect(merchant).publishBatch(batch.tree.root, 4);
      await campaign.claimCode(...(await codeClaimArgs(campaign, 0n, batch, 2, alice.address)));
      await expect(campaign.claimCode(...(await codeClaimArgs(campaign, 0n, batch, 2, bob.address))))
        .to.be.revertedWithCustomError(campaign, "CampaignCodeAlreadyClaimed")
        .withArgs(0n, 2n);
    });

    it("bitmap boundaries for voucher ids 0, 255, 256 and 2^256 - 1: each claims once, neighbours stay unclaimed", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const ids = [0n, 255n, 256n, ethers.MaxUint256];
      const claims = [];
      for (const id of ids) {
        const { args } = await signedVoucher(campaign, issuer, alice.address, { id });
        await expect(campaign.claimVoucher(...args))
          .to.emit(campaign, "PointsIssued")
          .withArgs(alice.address, CHANNEL.Voucher, id, 10n * ONE, 0n);
        claims.push(args);
      }
      for (const id of ids) expect(await campaign.isVoucherClaimed(id)).to.equal(true, `id ${id}`);
      for (const id of [1n, 254n, 257n, 512n, ethers.MaxUint256 - 1n, ethers.MaxUint256 - 255n]) {
        expect(await campaign.isVoucherClaimed(id)).to.equal(false, `id ${id}`);
      }
      for (const [i, args] of claims.entries()) {
        await expect(campaign.claimVoucher(...args))
          .to.be.revertedWithCustomError(campaign, "CampaignVoucherAlreadyClaimed")
          .withArgs(ids[i]);
      }
    });

    it("bitmap boundaries for code indexes 0, 255, 256 and the tree's last: each claims once, neighbours stay unclaimed", async function () {
      const { campaign, merchant, alice } = await loadFixture(campaignsFixture);
      const batch = codeBatch(300);
      const last = 299;
      await campaign.connect(merchant).publishBatch(batch.tree.root, 300);
      const indexes = [0, 255, 256, last];
      for (const index of indexes) {
        await expect(campaign.claimCode(...(await codeClaimArgs(campaign, 0n, batch, index, alice.address))))
          .to.emit(campaign, "PointsIssued")
          .withArgs(alice.address, CHANNEL.Batch, batchRef(0n, BigInt(index)), ONE, 0n);
      }
      for (const index of indexes) expect(await campaign.isCodeClaimed(0, index)).to.equal(true, `index ${index}`);
      for (const index of [1, 254, 257, last - 1, last + 1]) {
        expect(await campaign.isCodeClaimed(0, index)).to.equal(false, `index ${index}`);
      }
      expect(await campaign.isCodeClaimed(1, 0)).to.equal(false);
      for (const index of indexes) {
        await expect(campaign.claimCode(...(await codeClaimArgs(campaign, 0n, batch, index, alice.address))))
          .to.be.revertedWithCustomError(campaign, "CampaignCodeAlreadyClaimed")
          .withArgs(0n, BigInt(index));
      }
    });

    it("calling the implementation directly reverts with CampaignNotAClone", async function () {
      const { implementation, factory, merchant } = await loadFixture(campaignsFixture);
      // Even the factory, which may set issuers on clones, cannot configure the implementation.
      const asFactory = await actAs(await factory.getAddress());
      await expect(implementation.connect(asFactory).setIssuer(merchant.address, true)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
      await expect(implementation.connect(merchant).issue(merchant.address, ONE, 0, REF)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
      // Nor activate it, whoever asks.
      for (const caller of [asFactory, merchant]) {
        await expect(implementation.connect(caller).activate(0)).to.be.revertedWithCustomError(
          implementation,
          "CampaignNotAClone",
        );
      }
      expect(await implementation.isActive()).to.equal(false);
      await expect(implementation.isIssuer(merchant.address)).to.be.revertedWithCustomError(
        implementation,
        "CampaignNotAClone",
      );
    });

    it("configuring a clone a second time (setIssuer by a stranger) reverts with CampaignUnauthorizedMerchant", async function () {
      // There is no initializer to call again: the rules are the immutable arguments in the clone's own code, and
      // the only writes are issuance, the merchant's settings, setIssuer and activate (merchant or factory only), and
      // retire.
      const { campaign, params, token, stranger } = await loadFixture(campaignsFixture);
      const writes = campaign.interface.fragments
        .filter((f): f is FunctionFragment => f.type === "function")
        .filter((f) => !f.constant)
        .map((f) => f.name);
      expect(writes).to.not.include("initialize");
      expect(writes).to.have.members([
        "issue",
        "claimVoucher",
        "claimCode",
        "publishBatch",
        "setIssuer",
        "setPaused",
        "end",
        "activate",
        // Anyone's, once the campaign ended: it only frees the wallet records' slots in the token for later campaigns.
        "retire",
      ]);
      await expect(campaign.connect(stranger).setIssuer(stranger.address, true))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedMerchant")
        .withArgs(stranger.address);
      expect(await campaign.isIssuer(stranger.address)).to.equal(false);
      const code = await ethers.provider.getCode(await campaign.getAddress());
      expect(ethers.dataSlice(code, 45)).to.equal(packRules(params, await token.getAddress()).toLowerCase());
    });

    // Anyone can deploy a clone of the implementation whose rules name the merchant's token and any issuer keys (up
    // to 8 live in the rules, so in the clone's code), and the token recognises such a clone as its campaign
    // (ILoyaltyToken.isMinter). What stops it minting is activation: only the factory (at creation) or the token's
    // owner can activate a clone, and every issuance path refuses one not activated. Issue and voucher claims of
    // these rogue clones pass every other check, so they also hold the hand-written path to declining them.
    describe("clones deployed without the factory", function () {
      /** A clone of the merchant's token deployed by `deployer`, naming `issuerKeys` in its rules. */
      async function handDeployed(f: Fixture, deployer: HardhatEthersSigner, issuerKeys: string[]) {
        const tokenAddress = await f.token.getAddress();
        const rules = packRules(
          await campaignParams(tokenAddress, { supplyCap: UINT128_MAX, issuers: issuerKeys }),
          tokenAddress,
        );
        return deployCampaignClone(f.factory, deployer, rules);
      }

      it("rogue clone with the attacker's issuer key in its rules cannot issue: CampaignNotActive", async function () {
        const f = await loadFixture(campaignsFixture);
        const { factory, token, stranger } = f;
        const rogue = await handDeployed(f, stranger, [stranger.address]);
        expect(await rogue.token()).to.equal(await token.getAddress());
        expect(await rogue.isIssuer(stranger.address)).to.equal(true);
        expect(await rogue.isActive()).to.equal(false);
        expect(await token.isMinter(await rogue.getAddress())).to.equal(false);
        expect(await factory.isCampaign(await rogue.getAddress())).to.equal(false);
        await expect(rogue.connect(stranger).issue(stranger.address, 1_000_000n * ONE, 0, REF)).to.be.revertedWithCustomError(
          rogue,
          "CampaignNotActive",
        );
        await expect(rogue.connect(stranger).issue(stranger.address, ONE, 2350n, REF)).to.be.revertedWithCustomError(
          rogue,
          "CampaignNotActive",
        );
        expect(await token.balanceOf(stranger.address)).to.equal(0n);
        expect(await token.totalSupply()).to.equal(0n);
        expect(await rogue.issued()).to.equal(0n);
      });

      it("rogue clone with the attacker's issuer key in its rules cannot claim a voucher it signed: CampaignNotActive", async function () {
        const f = await loadFixture(campaignsFixture);
        const { token, stranger, alice } = f;
        const rogue = await handDeployed(f, stranger, [stranger.address]);
        for (const [recipient, submitter] of [[stranger, stranger], [alice, alice]] as const) {
          const { voucher, args } = await signedVoucher(rogue, stranger, recipient.address, { points: 1_000_000n * ONE });
          await expect(rogue.connect(submitter).claimVoucher(...args)).to.be.revertedWithCustomError(rogue, "CampaignNotActive");
          expect(await rogue.isVoucherClaimed(voucher.id)).to.equal(false);
        }
        expect(await token.totalSupply()).to.equal(0n);
      });

      it("rogue clone with the attacker's issuer key in its rules cannot claim a Merkle code: CampaignNotActive", async function () {
        const f = await loadFixture(campaignsFixture);
        const { token, stranger } = f;
        const rogue = await handDeployed(f, stranger, [stranger.address]);
        const batch = codeBatch(4, 1_000_000n * ONE, "rogue");
        // The attacker cannot publish the batch (merchant only) and the claim is refused before any batch lookup.
        await expect(rogue.connect(stranger).publishBatch(batch.tree.root, 4))
          .to.be.revertedWithCustomError(rogue, "CampaignUnauthorizedMerchant")
          .withArgs(stranger.address);
        await expect(
          rogue.claimCode(...(await codeClaimArgs(rogue, 0n, batch, 1, stranger.address))),
        ).to.be.revertedWithCustomError(rogue, "CampaignNotActive");
        expect(await rogue.isCodeClaimed(0, 1)).to.equal(false);
        expect(await token.totalSupply()).to.equal(0n);
      });

      it("rogue clone cannot be activated by its deployer, nor configured: CampaignUnauthorizedMerchant", async function () {
        const f = await loadFixture(campaignsFixture);
        const { token, merchant, issuer, stranger, alice } = f;
        const rogue = await handDeployed(f, stranger, [stranger.address]);
        await expect(rogue.connect(stranger).activate(0))
          .to.be.revertedWithCustomError(rogue, "CampaignUnauthorizedMerchant")
          .withArgs(stranger.address);
        // Nor by the merchant's issuer keys, which do not own the token.
        await expect(rogue.connect(issuer).activate(0))
          .to.be.revertedWithCustomError(rogue, "CampaignUnauthorizedMerchant")
          .withArgs(issuer.address);
        expect(await rogue.isActive()).to.equal(false);
        await expect(rogue.connect(stranger).setIssuer(stranger.address, true))
          .to.be.revertedWithCustomError(rogue, "CampaignUnauthorizedMerchant")
          .withArgs(stranger.address);
        await expect(rogue.connect(stranger).setPaused(false))
          .to.be.revertedWithCustomError(rogue, "CampaignUnauthorizedMerchant")
          .withArgs(stranger.address);
        // The merchant's issuer keys belong to the merchant's campaigns, and this one is not active anyway.
        const merchantKeyed = await handDeployed(f, stranger, [issuer.address]);
        await expect(merchantKeyed.connect(issuer).issue(stranger.address, ONE, 0, REF)).to.be.revertedWithCustomError(
          merchantKeyed,
          "CampaignNotActive",
        );
        const { args } = await signedVoucher(merchantKeyed, issuer, alice.address);
        await expect(merchantKeyed.claimVoucher(...args)).to.be.revertedWithCustomError(merchantKeyed, "CampaignNotActive");
        expect(await token.totalSupply()).to.equal(0n);
        expect(await token.owner()).to.equal(merchant.address);
      });

      it("the token's owner can activate a clone it deployed without the factory, which then issues on every channel", async function () {
        // Intended: a merchant may deploy campaigns without the factory (its rules are not validated by the factory,
        // and it is not in the factory's registry, so the dApp and the relayer do not serve it). It is inert until
        // the merchant activates it; the merchant may configure it before.
        const f = await loadFixture(campaignsFixture);
        const { token, merchant, issuer, alice, bob, carol } = f;
        const own = await handDeployed(f, merchant, [issuer.address]);
        const batch = codeBatch(4, 3n * ONE, "own");
        await expect(own.connect(merchant).publishBatch(batch.tree.root, 4)).to.emit(own, "BatchPublished");
        await expect(own.connect(merchant).setIssuer(bob.address, true)).to.emit(own, "IssuerSet");
        // Before activation, even a published batch and the merchant's issuer keys issue nothing.
        await expect(own.connect(issuer).issue(alice.address, ONE, 0, REF)).to.be.revertedWithCustomError(
          own,
          "CampaignNotActive",
        );
        await expect(own.connect(bob).issue(alice.address, ONE, 0, REF)).to.be.revertedWithCustomError(
          own,
          "CampaignNotActive",
        );
        await expect(
          own.claimCode(...(await codeClaimArgs(own, 0n, batch, 2, carol.address))),
        ).to.be.revertedWithCustomError(own, "CampaignNotActive");

        // Only the factory numbers campaigns (numbers must be unique among the token's campaigns).
        await expect(own.connect(merchant).activate(1))
          .to.be.revertedWithCustomError(own, "CampaignSerialReserved")
          .withArgs(1);
        expect(await own.isActive()).to.equal(false);
        await expect(own.connect(merchant).activate(0)).to.not.emit(own, "PausedSet");
        expect(await own.isActive()).to.equal(true);
        expect(await own.serial()).to.equal(0);
        // Idempotent: a second call changes nothing.
        await own.connect(merchant).activate(0);
        expect(await own.isActive()).to.equal(true);

        await expect(own.connect(issuer).issue(alice.address, ONE, 0, REF))
          .to.emit(own, "PointsIssued")
          .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), ONE, 0n);
        await expect(own.connect(bob).issue(alice.address, ONE, 0, REF)).to.emit(own, "PointsIssued");
        const { args } = await signedVoucher(own, issuer, bob.address);
        await expect(own.claimVoucher(...args))
          .to.emit(own, "PointsIssued")
          .withArgs(bob.address, CHANNEL.Voucher, 1n, 10n * ONE, 0n);
        await expect(own.claimCode(...(await codeClaimArgs(own, 0n, batch, 2, carol.address))))
          .to.emit(own, "PointsIssued")
          .withArgs(carol.address, CHANNEL.Batch, batchRef(0n, 2n), 3n * ONE, 0n);
        expect(await token.balanceOf(alice.address)).to.equal(2n * ONE);
        expect(await token.balanceOf(bob.address)).to.equal(10n * ONE);
        expect(await token.balanceOf(carol.address)).to.equal(3n * ONE);
        // Its rules have no supply cap: it does not count what it issues.
        expect(await own.issued()).to.equal(0n);
        // Pausing and ending keep the flag: they stop issuance on their own.
        await own.connect(merchant).setPaused(true);
        expect(await own.isActive()).to.equal(true);
        await expect(own.connect(issuer).issue(alice.address, ONE, 0, REF)).to.be.revertedWithCustomError(
          own,
          "CampaignPaused",
        );
      });

      it("a new owner of the token can activate a clone; the previous owner no longer can", async function () {
        const f = await loadFixture(campaignsFixture);
        const { token, merchant, issuer, alice, bob } = f;
        const clone = await handDeployed(f, alice, [issuer.address]);
        await token.connect(merchant).transferOwnership(bob.address);
        await expect(clone.connect(merchant).activate(0))
          .to.be.revertedWithCustomError(clone, "CampaignUnauthorizedMerchant")
          .withArgs(merchant.address);
        await clone.connect(bob).activate(0);
        await expect(clone.connect(issuer).issue(alice.address, ONE, 0, REF)).to.emit(clone, "PointsIssued");
      });
    });

    it("factory-created campaigns are active at once; the factory and the merchant may activate them again, to no effect", async function () {
      const { campaign, factory, merchant, issuer, stranger, alice } = await loadFixture(campaignsFixture);
      expect(await campaign.isActive()).to.equal(true);
      // Numbered by its place in the factory's registry.
      const [all] = await factory.campaigns(0, 100);
      const serial = all.indexOf(await campaign.getAddress()) + 1;
      expect(serial).to.be.greaterThan(0);
      expect(await campaign.serial()).to.equal(serial);
      await campaign.connect(await actAs(await factory.getAddress())).activate(serial + 7);
      await campaign.connect(merchant).activate(0);
      await expect(campaign.connect(stranger).activate(0))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedMerchant")
        .withArgs(stranger.address);
      expect(await campaign.isActive()).to.equal(true);
      // The number is kept: the records in the token name it.
      expect(await campaign.serial()).to.equal(serial);
      await expect(issue({ issuer } as Fixture, campaign, alice.address, ONE)).to.emit(campaign, "PointsIssued");
    });

    it("issuing without the issuer role reverts with CampaignUnauthorizedIssuer", async function () {
      const { campaign, token, merchant, stranger } = await loadFixture(campaignsFixture);
      await expect(campaign.connect(stranger).issue(stranger.address, 1_000n * ONE, 0, REF))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(stranger.address);
      expect(await token.balanceOf(stranger.address)).to.equal(0n);
      // Owning the token does not make the merchant an issuer key of its campaigns.
      await expect(campaign.connect(merchant).issue(merchant.address, ONE, 0, REF))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(merchant.address);
    });

    it("supply cap exceeded by a voucher reverts with CampaignSupplyCapExceeded", async function () {
      const f = await loadFixture(campaignsFixture);
      const { capped, issuer, alice } = f;
      await issue(f, capped, alice.address, 55n * ONE);
      const { args } = await signedVoucher(capped, issuer, alice.address, { points: 45n * ONE + 1n });
      await expect(capped.claimVoucher(...args))
        .to.be.revertedWithCustomError(capped, "CampaignSupplyCapExceeded")
        .withArgs(55n * ONE, 45n * ONE + 1n, 100n * ONE);
    });

    it("campaign not started: a voucher reverts with CampaignNotStarted", async function () {
      const { future, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(future, issuer, alice.address);
      await expect(future.claimVoucher(...args))
        .to.be.revertedWithCustomError(future, "CampaignNotStarted")
        .withArgs((await future.rules()).startsAt);
    });

    it("campaign ended (rules' end): a voucher reverts with CampaignEnded", async function () {
      const { campaign, params, issuer, alice } = await loadFixture(campaignsFixture);
      const endsAt = BigInt(params.endsAt);
      const { args } = await signedVoucher(campaign, issuer, alice.address, { expiresAt: endsAt + BigInt(DAY) });
      await time.increaseTo(endsAt);
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignEnded")
        .withArgs(endsAt);
    });

    it("campaign ended early with end(): a voucher and a code revert with CampaignEnded", async function () {
      const { campaign, merchant, issuer, alice } = await loadFixture(campaignsFixture);
      const batch = codeBatch(2);
      await campaign.connect(merchant).publishBatch(batch.tree.root, 2);
      const { args } = await signedVoucher(campaign, issuer, alice.address);
      const endedAt = BigInt(await time.latest()) + 5n;
      await time.setNextBlockTimestamp(endedAt);
      await campaign.connect(merchant).end();
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignEnded")
        .withArgs(endedAt);
      await expect(campaign.claimCode(...(await codeClaimArgs(campaign, 0n, batch, 1, alice.address))))
        .to.be.revertedWithCustomError(campaign, "CampaignEnded")
        .withArgs(endedAt);
    });

    it("campaign paused: a voucher reverts with CampaignPaused and stays claimable after resuming", async function () {
      const { campaign, merchant, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher, args } = await signedVoucher(campaign, issuer, alice.address);
      await campaign.connect(merchant).setPaused(true);
      await expect(campaign.claimVoucher(...args)).to.be.revertedWithCustomError(campaign, "CampaignPaused");
      expect(await campaign.isVoucherClaimed(voucher.id)).to.equal(false);
      await campaign.connect(merchant).setPaused(false);
      await expect(campaign.claimVoucher(...args)).to.emit(campaign, "PointsIssued");
    });

    it("channel closed: a code on a direct-only campaign reverts with CampaignChannelClosed", async function () {
      const { directOnly, merchant, alice } = await loadFixture(campaignsFixture);
      const batch = codeBatch(2);
      await directOnly.connect(merchant).publishBatch(batch.tree.root, 2);
      await expect(directOnly.claimCode(...(await codeClaimArgs(directOnly, 0n, batch, 0, alice.address))))
        .to.be.revertedWithCustomError(directOnly, "CampaignChannelClosed")
        .withArgs(CHANNEL.Batch);
      expect(await directOnly.isCodeClaimed(0, 0)).to.equal(false);
    });

    it("above max per claim: a voucher reverts with CampaignAboveMaximumPerClaim", async function () {
      const { capped, issuer, alice } = await loadFixture(campaignsFixture);
      // 59 points plus a spend worth 1.002 points: the maximum applies to the converted total.
      const { args } = await signedVoucher(capped, issuer, alice.address, { points: 59n * ONE, spend: 501n });
      await expect(capped.claimVoucher(...args))
        .to.be.revertedWithCustomError(capped, "CampaignAboveMaximumPerClaim")
        .withArgs(60n * ONE + 2_000_000_000_000_000n, 60n * ONE);
    });

    it("zero amount: a voucher worth nothing reverts with CampaignZeroAmount", async function () {
      const { campaign, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(campaign, issuer, alice.address, { points: 0n, spend: 0n });
      await expect(campaign.claimVoucher(...args)).to.be.revertedWithCustomError(campaign, "CampaignZeroAmount");
    });

    it("zero recipient: a voucher claimed into address(0) reverts with CampaignInvalidRecipient", async function () {
      const { campaign, issuer } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(campaign, issuer, ethers.ZeroAddress);
      await expect(campaign.claimVoucher(...args))
        .to.be.revertedWithCustomError(campaign, "CampaignInvalidRecipient")
        .withArgs(ethers.ZeroAddress);
    });
  });

  // Issuance first runs a hand-written path (Campaign.sol, "fast paths") that declines, having written nothing,
  // whatever the reference path must decide; the reference path then runs. These tests hold the hand-written path to
  // taking the common claims (by gas: the reference path costs thousands more), to refusing what the reference path
  // refuses, and to the reference path's outcome where it declines a claim the reference path accepts.
  describe("hand-written path", function () {
    /**
     * Between the two paths' gas for each of these claims. When written, the reference path alone (the hand-written
     * one switched off) took 69,358, 86,894, 111,435, 112,251, 110,635 and 85,370; the hand-written path at most
     * 67,063, 81,897, 104,882, 104,973, 104,442 and 81,544. With the activation check (and activate and isActive in
     * the dispatcher) the hand-written path took 67,112, 81,969, 104,948, 105,051, 104,498 and 81,549; the reference
     * path only got dearer (it reads the status slot once more). Once campaigns without a supply cap stopped counting
     * `issued`, the tiered campaign (without a cap) took 102,058, and a voucher of a campaign without a cap 79,079
     * (81,985 with one). With the wallet's record beside its balance in the token, the hand-written path took
     * 67,141, 81,986, 81,282, 84,291, 83,758, 79,068 and 81,566 for the rows below; the reference path 69,439,
     * 87,025, 87,528, 91,449, 89,684, 83,893 and 85,785.
     */
    const BELOW = {
      issue: 68_300,
      voucher: 84_500,
      tieredVoucher: 84_500,
      loyaltyVoucher: 88_000,
      stampCardVoucher: 86_500,
      uncappedVoucher: 80_000,
      code: 83_500,
    };

    async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) {
      return Number((await (await tx).wait())!.gasUsed);
    }

    /** A voucher claim into a wallet nobody used, after a first claim (which creates the bitmap word both ids share;
     * the status slot exists from activation). */
    async function voucherGas(campaign: Campaign, issuer: HardhatEthersSigner, id: bigint) {
      const first = await signedVoucher(campaign, issuer, ethers.Wallet.createRandom().address, { id: id - 1n, spend: 2350n });
      await (await campaign.claimVoucher(...first.args)).wait();
      const { args } = await signedVoucher(campaign, issuer, ethers.Wallet.createRandom().address, { id, spend: 2350n });
      return gasOf(campaign.claimVoucher(...args));
    }

    it("takes direct issues, vouchers and codes into new wallets", async function () {
      // Instrumented coverage runs change every gas figure.
      if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
      const f = await loadFixture(campaignsFixture);
      const measured: Record<keyof typeof BELOW, number> = {
        issue: 0,
        voucher: await voucherGas(f.campaign, f.issuer, 1001n),
        tieredVoucher: await voucherGas(f.tiered, f.issuer, 1001n),
        loyaltyVoucher: await voucherGas(f.loyalty, f.issuer, 1001n),
        stampCardVoucher: await voucherGas(f.stampCard, f.issuer, 1001n),
        uncappedVoucher: await voucherGas(f.uncapped, f.issuer, 1001n),
        code: 0,
      };
      await (await issue(f, f.campaign, ethers.Wallet.createRandom().address, ONE, 2350n)).wait();
      measured.issue = await gasOf(issue(f, f.campaign, ethers.Wallet.createRandom().address, ONE, 2350n));
      const batch = codeBatch(8, 3n * ONE);
      await (await f.campaign.connect(f.merchant).publishBatch(batch.tree.root, 8)).wait();
      await (await f.campaign.claimCode(...(await codeClaimArgs(f.campaign, 0n, batch, 2, ethers.Wallet.createRandom().address)))).wait();
      measured.code = await gasOf(f.campaign.claimCode(...(await codeClaimArgs(f.campaign, 0n, batch, 3, ethers.Wallet.createRandom().address))));
      for (const [claim, gas] of Object.entries(measured)) {
        expect(gas, claim).to.be.below(BELOW[claim as keyof typeof BELOW]);
      }
      // Without a supply cap the hand-written path leaves the status slot unwritten (2,900 gas of a dirty SSTORE).
      expect(measured.voucher - measured.uncappedVoucher, "capped - uncapped voucher").to.be.above(2_800);
    });

    it("takes claims wherever the wallet's record is: beside the balance, in the campaign, taken over", async function () {
      if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
      const f = await loadFixture(campaignsFixture);
      const { tiered, loyalty, merchant } = f;
      const [held, kept, takenOver] = [0, 1, 2].map(() => ethers.Wallet.createRandom().address);
      // Every wallet holds points already and is new to the loyalty campaign.
      await (await issue(f, f.campaign, held, ONE)).wait();
      for (const wallet of [kept, takenOver]) await (await issue(f, tiered, wallet, ONE)).wait();
      const measured = {
        // A direct issue into a wallet whose slot is free: the record goes beside the balance.
        beside: await gasOf(issue(f, loyalty, held, ONE, 2350n)),
        // The tiered campaign holds the slot: a new slot of the loyalty campaign's own.
        kept: await gasOf(issue(f, loyalty, kept, ONE, 2350n)),
        taken: 0,
      };
      await (await tiered.connect(merchant).end()).wait();
      // The tiered campaign retired when it ended: the slot is taken over, and no slot of its own is written.
      measured.taken = await gasOf(issue(f, loyalty, takenOver, ONE, 2350n));
      // When written, the hand-written path took 52,283, 79,344 and 59,721; the reference path 56,698, 84,017 and
      // 64,349 (the last two ask the factory, a cold account, whether the slot's campaign retired). The hand-written
      // path once declined every record in the token on a direct issue: it read the return data size before its
      // call, as Yul evaluates arguments right to left.
      expect(measured.beside, "beside").to.be.below(54_500);
      expect(measured.kept, "kept").to.be.below(81_500);
      expect(measured.taken, "taken").to.be.below(62_000);
    });

    it("refuses a zero claim key whose claim signature recovers nothing: ECDSAInvalidSignature, voucher and code", async function () {
      // The precompile answers nothing for an unrecoverable signature; the hand-written path must not read that as
      // the zero address and match a zero claim key.
      const { campaign, merchant, issuer, alice } = await loadFixture(campaignsFixture);
      const { voucher } = await newVoucher({ claimKey: ethers.ZeroAddress });
      const [issuerR, issuerVS] = await signVoucher(campaign, issuer, voucher);
      const [, claimVS] = await signClaim(campaign, ethers.Wallet.createRandom(), alice.address);
      await expect(
        campaign.claimVoucher(voucher, issuerR, issuerVS, alice.address, ethers.ZeroHash, claimVS),
      ).to.be.revertedWithCustomError(campaign, "ECDSAInvalidSignature");
      const tree = StandardMerkleTree.of<CodeLeaf>([[0n, ethers.ZeroAddress, ONE], [1n, ethers.ZeroAddress, ONE]], CODE_LEAF_ENCODING);
      await campaign.connect(merchant).publishBatch(tree.root, 2);
      const code = { batchId: 0n, index: 0n, points: ONE, claimKey: ethers.ZeroAddress };
      await expect(
        campaign.claimCode(code, tree.getProof(0), alice.address, ethers.ZeroHash, claimVS),
      ).to.be.revertedWithCustomError(campaign, "ECDSAInvalidSignature");
      expect(await campaign.isVoucherClaimed(voucher.id)).to.equal(false);
      expect(await campaign.isCodeClaimed(0, 0)).to.equal(false);
    });

    it("refuses a high-s claim-key signature: ECDSAInvalidSignatureS, voucher and code", async function () {
      const { campaign, merchant, issuer, alice } = await loadFixture(campaignsFixture);
      const highS = ethers.toBeHex(N / 2n + 1n, 32);
      const { args } = await signedVoucher(campaign, issuer, alice.address);
      const [voucher, issuerR, issuerVS, recipient, claimR] = args;
      await expect(campaign.claimVoucher(voucher, issuerR, issuerVS, recipient, claimR, highS))
        .to.be.revertedWithCustomError(campaign, "ECDSAInvalidSignatureS")
        .withArgs(highS);
      const batch = codeBatch(2);
      await campaign.connect(merchant).publishBatch(batch.tree.root, 2);
      const [code, proof, , codeR] = await codeClaimArgs(campaign, 0n, batch, 1, alice.address);
      await expect(campaign.claimCode(code, proof, alice.address, codeR, highS))
        .to.be.revertedWithCustomError(campaign, "ECDSAInvalidSignatureS")
        .withArgs(highS);
    });

    it("refuses calldata the ABI decoder refuses: dirty expiresAt, claimKey or recipient words, short calldata", async function () {
      const { campaign, merchant, issuer, alice } = await loadFixture(campaignsFixture);
      const { args } = await signedVoucher(campaign, issuer, alice.address);
      const data = campaign.interface.encodeFunctionData("claimVoucher", [...args]);
      const campaignAddress = await campaign.getAddress();
      // Word w of the arguments starts at byte 4 + 32 w; each patch sets one bit above the field's type.
      const patched = (word: number, bit: number) => {
        const bytes = ethers.getBytes(data);
        bytes[4 + 32 * word + 31 - Math.floor(bit / 8)] |= 1 << bit % 8;
        return ethers.hexlify(bytes);
      };
      for (const [word, bit] of [[3, 64], [4, 160], [7, 160]]) {
        await expect(merchant.sendTransaction({ to: campaignAddress, data: patched(word, bit) })).to.be.reverted;
      }
      await expect(merchant.sendTransaction({ to: campaignAddress, data: ethers.dataSlice(data, 0, 4 + 32 * 10 - 1) }))
        .to.be.reverted;
      expect(await campaign.isVoucherClaimed(args[0].id)).to.equal(false);
      // The untouched calldata claims.
      await expect(merchant.sendTransaction({ to: campaignAddress, data })).to.emit(campaign, "PointsIssued");
    });

    it("refuses malformed claimCode calldata: dirty claim key, proof offset or length past the end", async function () {
      const { campaign, merchant, alice } = await loadFixture(campaignsFixture);
      const batch = codeBatch(4);
      await campaign.connect(merchant).publishBatch(batch.tree.root, 4);
      const args = await codeClaimArgs(campaign, 0n, batch, 1, alice.address);
      const data = ethers.getBytes(campaign.interface.encodeFunctionData("claimCode", [...args]));
      const campaignAddress = await campaign.getAddress();
      const withWord = (word: number, value: bigint) => {
        const bytes = new Uint8Array(data);
        bytes.set(ethers.getBytes(ethers.toBeHex(value, 32)), 4 + 32 * word);
        return ethers.hexlify(bytes);
      };
      const claimKey = BigInt(args[0].claimKey);
      const proofOffset = 32n * 8n; // after the 4-word code, the offset, the recipient and the signature
      expect(BigInt(ethers.hexlify(data.slice(4 + 32 * 4, 4 + 32 * 5)))).to.equal(proofOffset);
      for (const bad of [
        withWord(3, claimKey | (1n << 160n)),
        withWord(4, BigInt(data.length)), // proof offset past the end
        withWord(8, 3n), // proof length: one element more than the calldata holds
        withWord(8, 1n << 64n),
      ]) {
        await expect(merchant.sendTransaction({ to: campaignAddress, data: bad })).to.be.reverted;
      }
      expect(await campaign.isCodeClaimed(0, 1)).to.equal(false);
      await expect(merchant.sendTransaction({ to: campaignAddress, data: ethers.hexlify(data) })).to.emit(
        campaign,
        "PointsIssued",
      );
    });

    it("refuses a proof of the wrong length: none, or one sibling too many", async function () {
      const { campaign, merchant, alice } = await loadFixture(campaignsFixture);
      const batch = codeBatch(4);
      await campaign.connect(merchant).publishBatch(batch.tree.root, 4);
      const [code, proof, recipient, claimR, claimVS] = await codeClaimArgs(campaign, 0n, batch, 2, alice.address);
      for (const wrong of [[], [...proof, proof[0]], proof.slice(1)]) {
        await expect(campaign.claimCode(code, wrong, recipient, claimR, claimVS))
          .to.be.revertedWithCustomError(campaign, "CampaignInvalidProof")
          .withArgs(0n, 2n);
      }
      await expect(campaign.claimCode(code, proof, recipient, claimR, claimVS)).to.emit(campaign, "PointsIssued");
    });

    it("leaves a spend of 2^128 or more to the reference path, which converts it exactly and keeps the records", async function () {
      const { factory, merchant, issuer, token, alice } = await loadFixture(campaignsFixture);
      const spend = (1n << 130n) + 5n; // at 3 points per 2^127: 24, rounded down
      const kinds: [string, Partial<CampaignParams>, bigint, bigint][] = [
        // name, rules, bonus on the first claim, claims kept; each without a supply cap and with one
        ["plain", {}, 0n, 0n],
        ["tiered", { tierPeriod: WEEK, tiers: TIERS }, 0n, 1n],
        ["stamp card", { milestones: [{ claimNumber: 1, bonus: ONE }] }, ONE, 1n],
      ].flatMap(([name, rules, bonus, claims]) => [
        [`${name}, no cap`, { supplyCap: UINT128_MAX, ...(rules as object) }, bonus, claims],
        [`${name}, capped`, { supplyCap: 1_000_000n * ONE, ...(rules as object) }, bonus, claims],
      ]) as [string, Partial<CampaignParams>, bigint, bigint][];
      for (const [name, rules, bonus, claims] of kinds) {
        const params = await campaignParams(await token.getAddress(), {
          issuers: [issuer.address],
          earnPoints: 3n,
          earnSpend: 1n << 127n,
          ...rules,
        });
        const wide = await createCampaign(factory, merchant, params, ethers.id(`wide ${name}`));
        await expect(wide.connect(issuer).issue(alice.address, ONE, spend, REF), name)
          .to.emit(wide, "PointsIssued")
          .withArgs(alice.address, CHANNEL.Direct, BigInt(REF), ONE + 24n, bonus);
        const [current, , claimed] = await wide.accountOf(alice.address);
        // The record counts hundredths of a point: ONE + 24 base units count as ONE.
        expect([current, claimed], name).to.deep.equal([rules.tierPeriod ? ONE : 0n, claims]);
        const { args } = await signedVoucher(wide, issuer, alice.address, { points: 0n, spend });
        await expect(wide.claimVoucher(...args), name)
          .to.emit(wide, "PointsIssued")
          .withArgs(alice.address, CHANNEL.Voucher, 1n, 24n, 0n);
        // Counted only with a cap; without one the status slot was never written, as on the hand-written path.
        const uncapped = rules.supplyCap === UINT128_MAX;
        expect(await wide.issued(), name).to.equal(uncapped ? 0n : ONE + 2n * 24n + bonus);
        if (uncapped) {
          expect(await ethers.provider.getStorage(await wide.getAddress(), STATUS_SLOT), name).to.equal(
            await activeStatus(wide),
          );
        }
      }
    });

    it("leaves an overflowing points + spend to the reference path: Panic 0x11", async function () {
      const f = await loadFixture(campaignsFixture);
      await expect(issue(f, f.campaign, f.alice.address, ethers.MaxUint256, 500n)).to.be.revertedWithPanic(0x11);
      const { args } = await signedVoucher(f.campaign, f.issuer, f.alice.address, { points: ethers.MaxUint256, spend: 500n });
      await expect(f.campaign.claimVoucher(...args)).to.be.revertedWithPanic(0x11);
    });

    it("accepts vouchers of an issuer key added with setIssuer, and refuses them once it is revoked", async function () {
      const { campaign, merchant, alice, bob, stranger } = await loadFixture(campaignsFixture);
      await campaign.connect(merchant).setIssuer(stranger.address, true);
      const { args } = await signedVoucher(campaign, stranger, alice.address, { id: 5n });
      await expect(campaign.claimVoucher(...args))
        .to.emit(campaign, "PointsIssued")
        .withArgs(alice.address, CHANNEL.Voucher, 5n, 10n * ONE, 0n);
      await campaign.connect(merchant).setIssuer(stranger.address, false);
      const again = await signedVoucher(campaign, stranger, bob.address, { id: 6n });
      await expect(campaign.claimVoucher(...again.args))
        .to.be.revertedWithCustomError(campaign, "CampaignUnauthorizedIssuer")
        .withArgs(stranger.address);
    });

    it("passes a failing mint's revert on as is", async function () {
      // The merchant minted all but one point of the 2^112 - 1 a token holds: the total supply cannot take the claim.
      const { campaign, loyalty, token, merchant, issuer, alice, bob } = await loadFixture(campaignsFixture);
      await token.connect(merchant).mint(bob.address, 2n ** 112n - 1n - (await token.totalSupply()) - ONE);
      const { args } = await signedVoucher(campaign, issuer, alice.address);
      await expect(campaign.claimVoucher(...args)).to.be.revertedWithCustomError(token, "TotalSupplyOverflow");
      await expect(campaign.connect(issuer).issue(alice.address, 2n * ONE, 0, REF)).to.be.revertedWithCustomError(
        token,
        "TotalSupplyOverflow",
      );
      expect(await campaign.issued()).to.equal(0n);
      // The same through mintWithRecord (a campaign keeping records in the token), and nothing is recorded.
      await expect(loyalty.connect(issuer).issue(alice.address, 2n * ONE, 0, REF)).to.be.revertedWithCustomError(
        token,
        "TotalSupplyOverflow",
      );
      expect(await token.recordOf(alice.address)).to.equal(0n);
      expect(await loyalty.accountOf(alice.address)).to.deep.equal([0n, 0n, 0n]);
    });
  });
});
