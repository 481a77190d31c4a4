import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { IRewardCatalog, RewardCatalog } from "../../typechain-types";
import { Fulfiller } from "../../scripts/fulfil";
import { deliveryContext, generateDeliveryKeyPair, openCodes, type DeliveryKeyPair } from "../../sdk/src/codeDelivery";
import { REWARD_KIND, addReward, rewardParams, rewardsFixture } from "../helpers/fixtures";

const MAX = ethers.MaxUint256;
const CODES = ["GIFT-AAAA-1111", "GIFT-BBBB-2222", "GIFT-CCCC-3333", "GIFT-DDDD-4444"];

/** The rewards fixture with a gift-card reward and an access-code reward listed. */
async function fulfilFixture() {
  const fixture = await rewardsFixture();
  const { catalog, merchant } = fixture;
  const giftId = await addReward(catalog, merchant, await rewardParams({ kind: REWARD_KIND.GiftCoupon, value: 0n }));
  const accessId = await addReward(catalog, merchant, await rewardParams({ kind: REWARD_KIND.AccessCode, value: 0n }));
  return { ...fixture, giftId, accessId };
}

function tempPool(codes: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "perks-fulfil-"));
  const codesFile = path.join(dir, "codes.txt");
  fs.writeFileSync(codesFile, `# gift cards bought in bulk\n${codes.join("\n")}\n\n`);
  return { dir, codesFile, ledgerFile: `${codesFile}.used.jsonl` };
}

/** The codes the customer's app reads from the CodeDelivered event of `redemptionId`, with its secret key. */
async function customerReads(catalog: RewardCatalog, redemptionId: bigint, keys: DeliveryKeyPair) {
  const events = await catalog.queryFilter(catalog.filters.CodeDelivered(redemptionId));
  expect(events).to.have.length(1);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const context = deliveryContext(chainId, await catalog.getAddress(), redemptionId);
  return openCodes(keys.secretKey, events[0].args.ciphertext as `0x${string}`, context);
}

async function redeem(
  catalog: RewardCatalog,
  customer: Parameters<RewardCatalog["connect"]>[0],
  rewardId: bigint,
  quantity: bigint,
  keys: Pick<DeliveryKeyPair, "publicKey">,
  token: string,
) {
  const id = await catalog.connect(customer).redeem.staticCall(rewardId, quantity, token, MAX, keys.publicKey);
  await (await catalog.connect(customer).redeem(rewardId, quantity, token, MAX, keys.publicKey)).wait();
  return id;
}

describe("fulfil (scripts/fulfil.ts)", function () {
  it("redeem -> fulfil -> the customer decrypts the exact code", async function () {
    const { catalog, fulfiller, alice, token, giftId } = await loadFixture(fulfilFixture);
    const { codesFile } = tempPool(CODES);
    const keys = generateDeliveryKeyPair();
    const redemptionId = await redeem(catalog, alice, giftId, 1n, keys, await token.getAddress());

    const service = new Fulfiller({
      catalog: catalog.connect(fulfiller) as unknown as IRewardCatalog,
      codesFile,
      log: () => {},
    });
    const deliveries = await service.poll();
    expect(deliveries.map((d) => [d.redemptionId, d.codes])).to.deep.equal([[redemptionId, [CODES[0]]]]);
    expect(await customerReads(catalog, redemptionId, keys)).to.deep.equal([CODES[0]]);
    // Nothing is pending, and a second poll sends nothing.
    expect(service.pendingRedemptions()).to.deep.equal([]);
    expect(await service.poll()).to.deep.equal([]);
  });

  it("delivers one code per voucher, for access codes too, and ignores other kinds", async function () {
    const { catalog, merchant, alice, bob, token, giftId, accessId, rewardId } = await loadFixture(fulfilFixture);
    const { codesFile } = tempPool(CODES);
    const aliceKeys = generateDeliveryKeyPair();
    const bobKeys = generateDeliveryKeyPair();
    await (await catalog.connect(alice).redeem(rewardId, 1n, token, MAX, ethers.ZeroHash)).wait();
    const giftRedemption = await redeem(catalog, alice, giftId, 2n, aliceKeys, await token.getAddress());
    const accessRedemption = await redeem(catalog, bob, accessId, 1n, bobKeys, await token.getAddress());

    const service = new Fulfiller({ catalog: catalog.connect(merchant) as unknown as IRewardCatalog, codesFile, log: () => {} });
    expect((await service.poll()).map((d) => d.redemptionId)).to.deep.equal([giftRedemption, accessRedemption]);
    expect(await customerReads(catalog, giftRedemption, aliceKeys)).to.deep.equal([CODES[0], CODES[1]]);
    expect(await customerReads(catalog, accessRedemption, bobKeys)).to.deep.equal([CODES[2]]);
    // Bob cannot read alice's codes.
    await expect(customerReads(catalog, giftRedemption, bobKeys)).to.be.rejectedWith(/could not be decrypted/);
  });

  it("never sends a code twice across restarts, and answers an interrupted delivery with its recorded codes", async function () {
    const { catalog, fulfiller, alice, bob, token, giftId } = await loadFixture(fulfilFixture);
    const { codesFile, ledgerFile } = tempPool(CODES);
    const connected = catalog.connect(fulfiller) as unknown as IRewardCatalog;
    const first = generateDeliveryKeyPair();
    const firstId = await redeem(catalog, alice, giftId, 1n, first, await token.getAddress());
    await new Fulfiller({ catalog: connected, codesFile, log: () => {} }).poll();

    // A restart with the same files: the answered redemption is skipped, the next one gets the next code.
    const second = generateDeliveryKeyPair();
    const secondId = await redeem(catalog, bob, giftId, 1n, second, await token.getAddress());
    const restarted = new Fulfiller({ catalog: connected, codesFile, log: () => {} });
    expect((await restarted.poll()).map((d) => d.redemptionId)).to.deep.equal([secondId]);
    expect(await customerReads(catalog, firstId, first)).to.deep.equal([CODES[0]]);
    expect(await customerReads(catalog, secondId, second)).to.deep.equal([CODES[1]]);

    // The service stopped after recording codes for a redemption but before posting them: on restart the same
    // codes go to that redemption, and no fresh code is spent on it.
    const third = generateDeliveryKeyPair();
    const thirdId = await redeem(catalog, alice, giftId, 1n, third, await token.getAddress());
    fs.appendFileSync(ledgerFile, `${JSON.stringify({ redemptionId: thirdId.toString(), codes: [CODES[3]] })}\n`);
    await new Fulfiller({ catalog: connected, codesFile, log: () => {} }).poll();
    expect(await customerReads(catalog, thirdId, third)).to.deep.equal([CODES[3]]);

    const ledger = fs
      .readFileSync(ledgerFile, "utf8")
      .trim()
      .split("\n")
      .flatMap((line) => (JSON.parse(line) as { codes: string[] }).codes);
    expect(ledger).to.deep.equal([CODES[0], CODES[1], CODES[3]]);
    expect(new Set(ledger).size).to.equal(ledger.length);
  });

  it("waits when the pool runs dry and delivers once codes are added", async function () {
    const { catalog, fulfiller, alice, bob, token, giftId } = await loadFixture(fulfilFixture);
    const { codesFile } = tempPool([CODES[0]]);
    const messages: string[] = [];
    const service = new Fulfiller({
      catalog: catalog.connect(fulfiller) as unknown as IRewardCatalog,
      codesFile,
      log: (message) => messages.push(message),
    });
    const aliceKeys = generateDeliveryKeyPair();
    const bobKeys = generateDeliveryKeyPair();
    const aliceId = await redeem(catalog, alice, giftId, 2n, aliceKeys, await token.getAddress());
    const bobId = await redeem(catalog, bob, giftId, 1n, bobKeys, await token.getAddress());
    expect(await service.poll()).to.deep.equal([]);
    expect(service.pendingRedemptions().map((r) => r.redemptionId)).to.deep.equal([aliceId, bobId]);
    expect(messages.join("\n")).to.match(/waiting for 2 more code/);

    fs.appendFileSync(codesFile, `${CODES[1]}\n${CODES[2]}\n`);
    expect((await service.poll()).map((d) => d.redemptionId)).to.deep.equal([aliceId, bobId]);
    expect(await customerReads(catalog, aliceId, aliceKeys)).to.deep.equal([CODES[0], CODES[1]]);
    expect(await customerReads(catalog, bobId, bobKeys)).to.deep.equal([CODES[2]]);
  });

  it("skips a redemption whose key cannot be used, without spending a code", async function () {
    const { catalog, fulfiller, alice, bob, token, giftId } = await loadFixture(fulfilFixture);
    const { codesFile } = tempPool(CODES);
    // u = p - 1 is a point of order 2: no shared secret can be agreed with it.
    const lowOrder = { secretKey: new Uint8Array(32), publicKey: `0xec${"ff".repeat(30)}7f` as `0x${string}` };
    await redeem(catalog, alice, giftId, 1n, lowOrder, await token.getAddress());
    const bobKeys = generateDeliveryKeyPair();
    const bobId = await redeem(catalog, bob, giftId, 1n, bobKeys, await token.getAddress());
    const messages: string[] = [];
    const service = new Fulfiller({
      catalog: catalog.connect(fulfiller) as unknown as IRewardCatalog,
      codesFile,
      log: (message) => messages.push(message),
    });
    expect((await service.poll()).map((d) => d.redemptionId)).to.deep.equal([bobId]);
    expect(await customerReads(catalog, bobId, bobKeys)).to.deep.equal([CODES[0]]);
    expect(messages.join("\n")).to.match(/skipped, The public key is not a usable X25519 key/);
  });

  it("leaves redemptions answered by someone else alone", async function () {
    const { catalog, merchant, fulfiller, alice, token, giftId } = await loadFixture(fulfilFixture);
    const { codesFile } = tempPool(CODES);
    const keys = generateDeliveryKeyPair();
    const id = await redeem(catalog, alice, giftId, 1n, keys, await token.getAddress());
    await (await catalog.connect(merchant).deliverCode(id, "0x01")).wait();
    const service = new Fulfiller({ catalog: catalog.connect(fulfiller) as unknown as IRewardCatalog, codesFile, log: () => {} });
    expect(await service.poll()).to.deep.equal([]);
    expect(fs.existsSync(`${codesFile}.used.jsonl`)).to.equal(false);
  });
});
