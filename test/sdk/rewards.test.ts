import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Address, getAddress, zeroAddress } from "viem";
import { getAllowance, getBalance, mint } from "../../sdk/src/actions/token";
import {
  type RewardParams,
  RewardKind,
  RewardStatus,
  addReward,
  createCatalog,
  decodeVoucherUse,
  deliverCodes,
  editReward,
  encodeVoucherUse,
  getCatalog,
  getCatalogOf,
  getReward,
  getVoucherBalances,
  giveVoucher,
  listRedemptions,
  listRewards,
  readDeliveredCodes,
  redeemReward,
  retireReward,
  setPartnerRate,
  setRewardPaused,
  setTerminal,
  signVoucherUse,
  submitVoucherUse,
  useVoucher,
} from "../../sdk/src/actions/rewards";
import { CodeDecryptionError, generateDeliveryKeyPair } from "../../sdk/src/codeDelivery";
import { humanizeError } from "../../sdk/src/errors";
import { DAY, ONE } from "../helpers/fixtures";
import {
  HUMANIZE,
  clientsOf,
  factoryAddress,
  hardhatAccounts,
  latest,
  publicClient,
  rejection,
  sdkToken,
} from "./support";

const PRICE = 50n * ONE;

async function rewardParams(overrides: Partial<RewardParams> = {}): Promise<RewardParams> {
  const now = await latest();
  return {
    kind: RewardKind.DiscountPercent,
    value: 1_000n,
    price: PRICE,
    supply: 100,
    perWallet: 0,
    startsAt: now,
    endsAt: now + BigInt(30 * DAY),
    tierCampaign: zeroAddress,
    minTier: 0,
    acceptsPartners: true,
    metadataURI: "ipfs://ten-percent-off",
    ...overrides,
  };
}

/**
 * Alpha Coffee's catalog, made with the SDK: partner Beta Books' points accepted at 2 per point, a till terminal,
 * and reward 1 (10% off for 50 points). Alice holds 1 000 of both brands' points and approved nothing.
 */
async function rewardsFixture() {
  const [, merchant, partnerMerchant, terminal, alice, bob] = await hardhatAccounts();
  const factory = await factoryAddress();
  const token = await sdkToken(factory, merchant);
  const partnerToken = await sdkToken(factory, partnerMerchant, { name: "Beta Book Club", symbol: "PAGE" });
  const asMerchant = clientsOf(merchant);
  const catalog = getAddress((await (await createCatalog(asMerchant, { token, factory })).wait()).event.args.catalog);
  await (await setPartnerRate(asMerchant, { catalog, partnerToken, partnerAmount: 2n, ownAmount: 1n })).wait();
  await (await setTerminal(asMerchant, { catalog, terminal, allowed: true })).wait();
  const added = await addReward(asMerchant, { catalog, params: await rewardParams() });
  await added.wait();
  await (await mint(asMerchant, { token, to: alice, amount: 1000n * ONE })).wait();
  await (await mint(clientsOf(partnerMerchant), { token: partnerToken, to: alice, amount: 1000n * ONE })).wait();
  const { voucher } = await getCatalog(publicClient, { catalog });
  return { factory, merchant, terminal, alice, bob, token, partnerToken, catalog, voucher, rewardId: added.result };
}

describe("SDK rewards", function () {
  describe("catalog", function () {
    it("finds the merchant's catalog and lists each reward with every way to pay for it", async function () {
      const { factory, merchant, token, partnerToken, catalog, voucher, rewardId } = await loadFixture(rewardsFixture);

      expect(rewardId).to.equal(1n);
      expect(await getCatalogOf(publicClient, { merchant, factory })).to.equal(catalog);
      expect(await getCatalogOf(publicClient, { merchant: partnerToken, factory })).to.equal(undefined);
      expect(await getCatalog(publicClient, { catalog })).to.deep.equal({
        address: catalog,
        token,
        merchant,
        voucher,
        treasury: merchant,
        rewardCount: 1n,
        partners: [{ token: partnerToken, partnerAmount: 2n, ownAmount: 1n }],
      });
      const [reward] = await listRewards(publicClient, { catalog });
      expect(reward).to.deep.include({
        id: 1n,
        redeemed: 0,
        remaining: 100,
        status: RewardStatus.Active,
        available: true,
      });
      expect(reward.paymentOptions).to.deep.equal([
        { token, price: PRICE },
        { token: partnerToken, price: 2n * PRICE },
      ]);
    });

    it("lets the merchant edit, pause and retire a reward, and stop accepting a partner", async function () {
      const { merchant, token, partnerToken, catalog, rewardId } = await loadFixture(rewardsFixture);
      const asMerchant = clientsOf(merchant);

      const params = await rewardParams({ price: 40n * ONE, acceptsPartners: false, metadataURI: "ipfs://v2" });
      await (await editReward(asMerchant, { catalog, rewardId, params })).wait();
      expect((await getReward(publicClient, { catalog, rewardId })).paymentOptions).to.deep.equal([
        { token, price: 40n * ONE },
      ]);

      const { event } = await (await setRewardPaused(asMerchant, { catalog, rewardId, paused: true })).wait();
      expect(event.args).to.deep.equal({ rewardId, paused: true });
      expect(await getReward(publicClient, { catalog, rewardId })).to.deep.include({
        status: RewardStatus.Paused,
        available: false,
      });
      expect(await listRewards(publicClient, { catalog, activeOnly: true })).to.deep.equal([]);

      await (await retireReward(asMerchant, { catalog, rewardId })).wait();
      expect((await getReward(publicClient, { catalog, rewardId })).status).to.equal(RewardStatus.Retired);

      await (await setPartnerRate(asMerchant, { catalog, partnerToken, partnerAmount: 0n, ownAmount: 0n })).wait();
      expect((await getCatalog(publicClient, { catalog })).partners).to.deep.equal([]);
    });

    it("tells a stranger only the merchant can list rewards", async function () {
      const { alice, catalog } = await loadFixture(rewardsFixture);
      const error = await rejection(addReward(clientsOf(alice), { catalog, params: await rewardParams() }));
      expect(humanizeError(error)).to.deep.equal({
        code: "RewardCatalogUnauthorizedMerchant",
        title: "Merchant only",
        message: "Only the merchant who owns this catalog can do this.",
      });
    });
  });

  describe("redeeming", function () {
    it("burns own points after approving exactly the price", async function () {
      const { alice, token, catalog, rewardId } = await loadFixture(rewardsFixture);

      const sent = await redeemReward(clientsOf(alice), { catalog, rewardId, quantity: 2n });
      const { event } = await sent.wait();

      expect(sent.result).to.equal(rewardId << 32n);
      expect(event.args).to.deep.include({ rewardId, account: alice, quantity: 2n, payToken: token, cost: 2n * PRICE });
      expect(await getBalance(publicClient, { token, account: alice })).to.equal(1000n * ONE - 2n * PRICE);
      expect(await getAllowance(publicClient, { token, owner: alice, spender: catalog })).to.equal(0n);
      expect(await getVoucherBalances(publicClient, { catalog, account: alice })).to.deep.equal([
        { rewardId, balance: 2n },
      ]);
    });

    it("redeems with a permit in the redemption's own transaction", async function () {
      const { alice, token, catalog, rewardId } = await loadFixture(rewardsFixture);
      const before = await publicClient.getBlockNumber({ cacheTime: 0 });

      await (await redeemReward(clientsOf(alice), { catalog, rewardId, approval: "permit" })).wait();

      expect(await publicClient.getBlockNumber({ cacheTime: 0 })).to.equal(before + 1n);
      expect(await getBalance(publicClient, { token, account: alice })).to.equal(1000n * ONE - PRICE);
    });

    it("pays with a partner's points, which go to the merchant's treasury", async function () {
      const { merchant, alice, partnerToken, catalog, rewardId } = await loadFixture(rewardsFixture);

      await (await redeemReward(clientsOf(alice), { catalog, rewardId, payToken: partnerToken })).wait();

      expect(await getBalance(publicClient, { token: partnerToken, account: merchant })).to.equal(2n * PRICE);
      const [redemption] = await listRedemptions(publicClient, { catalog, account: alice });
      expect(redemption).to.deep.include({ rewardId, payToken: partnerToken, cost: 2n * PRICE, quantity: 1n });
    });

    it("refuses a price raised after the customer saw it, with both amounts", async function () {
      const { merchant, alice, catalog, rewardId } = await loadFixture(rewardsFixture);
      await (
        await editReward(clientsOf(merchant), { catalog, rewardId, params: await rewardParams({ price: 60n * ONE }) })
      ).wait();

      const error = await rejection(redeemReward(clientsOf(alice), { catalog, rewardId, maxCost: PRICE }));

      expect(humanizeError(error)).to.deep.equal({
        code: "RewardCatalogCostAboveMaximum",
        title: "Price changed",
        message: "This now costs 60 points, more than the 50 points you agreed to.",
      });
    });
  });

  describe("private codes", function () {
    it("delivers a gift code only the redeeming app can read", async function () {
      const { merchant, alice, catalog } = await loadFixture(rewardsFixture);
      const asMerchant = clientsOf(merchant);
      const gift = await addReward(asMerchant, {
        catalog,
        params: await rewardParams({ kind: RewardKind.GiftCoupon, value: 0n }),
      });
      await gift.wait();
      const keys = generateDeliveryKeyPair();
      const redeemed = await redeemReward(clientsOf(alice), {
        catalog,
        rewardId: gift.result,
        encryptionKey: keys.publicKey,
      });
      const redemptionId = redeemed.result;
      const { event } = await redeemed.wait();
      const read = { catalog, redemptionId, secretKey: keys.secretKey };
      expect(await readDeliveredCodes(publicClient, read)).to.equal(undefined);

      await (
        await deliverCodes(asMerchant, {
          catalog,
          redemptionId,
          encryptionKey: event.args.encryptionKey,
          codes: ["GIFT-1234"],
        })
      ).wait();

      expect(await readDeliveredCodes(publicClient, read)).to.deep.equal(["GIFT-1234"]);
      const stranger = generateDeliveryKeyPair();
      const error = await rejection(readDeliveredCodes(publicClient, { ...read, secretKey: stranger.secretKey }));
      expect(error).to.be.instanceOf(CodeDecryptionError);
    });
  });

  describe("vouchers", function () {
    it("gives a voucher away, and the new holder's signed use is submitted from the till's QR code", async function () {
      const { alice, bob, terminal, catalog, voucher, rewardId } = await loadFixture(rewardsFixture);
      await (await redeemReward(clientsOf(alice), { catalog, rewardId })).wait();
      await (await giveVoucher(clientsOf(alice), { voucher, rewardId, to: bob })).wait();
      expect(await getVoucherBalances(publicClient, { catalog, account: bob })).to.deep.equal([
        { rewardId, balance: 1n },
      ]);

      const signed = await signVoucherUse(clientsOf(bob), { voucher, rewardId });
      const scanned = decodeVoucherUse(encodeVoucherUse(signed), { chainId: 31337 });
      expect(scanned).to.deep.equal(signed);
      const { event } = await (await submitVoucherUse(clientsOf(terminal), scanned)).wait();

      expect(event.args).to.deep.equal({ holder: bob, id: rewardId, submitter: terminal });
      expect(await getVoucherBalances(publicClient, { catalog, account: bob })).to.deep.equal([]);
    });

    it("uses a voucher directly, and refuses a signed use shown twice", async function () {
      const { alice, terminal, catalog, voucher, rewardId } = await loadFixture(rewardsFixture);
      await (await redeemReward(clientsOf(alice), { catalog, rewardId, quantity: 3n })).wait();
      await (await useVoucher(clientsOf(alice), { voucher, rewardId })).wait();
      const signed = await signVoucherUse(clientsOf(alice), { voucher, rewardId });
      await (await submitVoucherUse(clientsOf(terminal), signed)).wait();
      expect(await getVoucherBalances(publicClient, { catalog, account: alice })).to.deep.equal([
        { rewardId, balance: 1n },
      ]);

      const error = await rejection(submitVoucherUse(clientsOf(terminal), signed));

      expect(humanizeError(error, HUMANIZE)).to.deep.equal({
        code: "RewardVoucherNonceUsed",
        title: "Code already used",
        message: "This voucher code was already used. Show a fresh one.",
      });
    });

    it("refuses a till code past its deadline, with the date", async function () {
      const { alice, terminal, catalog, voucher, rewardId } = await loadFixture(rewardsFixture);
      await (await redeemReward(clientsOf(alice), { catalog, rewardId })).wait();
      const signed = await signVoucherUse(clientsOf(alice), { voucher, rewardId });
      await time.increaseTo(signed.deadline + 1n);

      const { code, message } = humanizeError(await rejection(submitVoucherUse(clientsOf(terminal), signed)), HUMANIZE);

      expect(code).to.equal("RewardVoucherSignatureExpired");
      expect(message).to.match(/^This voucher code expired on .* UTC\. Show a fresh one\.$/);
    });
  });
});
