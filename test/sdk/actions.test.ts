import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Address, createPublicClient, getAddress, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat, mainnet } from "viem/chains";
import {
  Channel,
  accountOf,
  channelMask,
  claimVoucher,
  decodePackedRules,
  getCampaign,
  getCampaignRules,
  isVoucherClaimed,
  issuePoints,
  quoteClaim,
  setIssuer,
  tierOf,
} from "../../sdk/src/actions/campaign";
import {
  type CampaignParams,
  type TokenParams,
  createCampaign,
  createToken,
  createTokenAndCampaign,
  listCampaigns,
  listTokens,
  predictCampaignAddress,
  predictTokenAddress,
  registryEntries,
} from "../../sdk/src/actions/factory";
import {
  getAllowance,
  getBalance,
  getLoyaltyToken,
  mint,
  permit,
  signPermit,
  transfer,
} from "../../sdk/src/actions/token";
import { signClaim, signVoucher } from "../../sdk/src/claimCode";
import { humanizeError } from "../../sdk/src/errors";
import { DAY, ONE, deployFactory } from "../helpers/fixtures";
import { HUMANIZE, clientsOf, hardhatAccounts, publicClient, transport } from "./support";

// The SDK's actions against the in-process Hardhat network, through viem clients over Hardhat's EIP-1193
// provider: what the dApp and the scripts do on a real chain.

const TOKEN: TokenParams = {
  name: "Alpha Coffee Beans",
  symbol: "BEAN",
  faceValue: 10_000n,
  metadataURI: "ipfs://alpha",
};

async function campaignParams(token: Address, overrides: Partial<CampaignParams> = {}): Promise<CampaignParams> {
  const now = BigInt(await time.latest());
  return {
    token,
    startsAt: now,
    endsAt: now + BigInt(30 * DAY),
    supplyCap: 1_000_000n * ONE,
    maxPerClaim: 0n,
    earnPoints: ONE,
    earnSpend: 500n,
    channels: channelMask(Channel.Direct, Channel.Voucher, Channel.Batch),
    tierPeriod: 7 * DAY,
    tiers: [{ threshold: 100n * ONE, multiplierBps: 15_000 }],
    milestones: [{ claimNumber: 2, bonus: 5n * ONE }],
    issuers: [],
    metadataURI: "ipfs://campaign",
    optionalDataFields: ["favourite drink"],
    ...overrides,
  };
}

async function sdkFixture() {
  const [till, merchant, alice, bob] = await hardhatAccounts();
  const factory = (await (await deployFactory()).getAddress()) as Address;
  // A terminal's key signs vouchers offline; a relayer's key pays for other people's claims.
  const terminal = privateKeyToAccount(generatePrivateKey());
  const relayer = privateKeyToAccount(generatePrivateKey());
  await network.provider.request({ method: "hardhat_setBalance", params: [relayer.address, toHex(ONE)] });
  const asMerchant = clientsOf(merchant);
  const created = await createToken(asMerchant, { params: TOKEN, factory });
  const token = getAddress((await created.wait()).event.args.token);
  const params = await campaignParams(token, { issuers: [terminal.address] });
  const campaign = getAddress(
    (await (await createCampaign(asMerchant, { params, factory })).wait()).event.args.campaign,
  );
  return { factory, till, merchant, alice, bob, terminal, relayer, asMerchant, token, campaign, params };
}

/** A voucher signed by `terminal` and a fresh claim key's signature naming `recipient`. */
async function signedVoucher(
  { campaign, terminal }: { campaign: Address; terminal: ReturnType<typeof privateKeyToAccount> },
  recipient: Address,
  voucher: { id: bigint; points: bigint; spend?: bigint; expiresAt: bigint },
) {
  const claimPrivateKey = generatePrivateKey();
  const full = { spend: 0n, ...voucher, claimKey: privateKeyToAccount(claimPrivateKey).address };
  return {
    campaign,
    voucher: full,
    issuerSignature: await signVoucher(terminal, campaign, hardhat.id, full),
    recipient,
    claimSignature: await signClaim(claimPrivateKey, campaign, hardhat.id, recipient),
  };
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected a rejection");
}

describe("SDK actions", function () {
  describe("factory", function () {
    it("creates a token at the address predicted for the preview, with the metadata asked for", async function () {
      const { factory, merchant, asMerchant } = await loadFixture(sdkFixture);
      const params = { ...TOKEN, symbol: "BEAN2" };
      const salt = keccak256(toHex("second brand"));
      const predicted = await predictTokenAddress(publicClient, { merchant, params, salt, factory });

      const sent = await createToken(asMerchant, { params, salt, factory });
      const { receipt, event } = await sent.wait();

      expect(receipt.status).to.equal("success");
      expect(sent.result).to.equal(predicted);
      expect(event.args).to.deep.include({ merchant, token: predicted, symbol: "BEAN2", faceValue: 10_000n });
      expect(await getLoyaltyToken(publicClient, { token: predicted })).to.deep.equal({
        address: predicted,
        name: TOKEN.name,
        symbol: "BEAN2",
        decimals: 18,
        totalSupply: 0n,
        owner: merchant,
        factory,
        faceValue: 10_000n,
        metadataURI: TOKEN.metadataURI,
      });
    });

    it("creates a campaign at the predicted address whose packed rules decode to the rules it reads back", async function () {
      const { factory, merchant, asMerchant, token } = await loadFixture(sdkFixture);
      const params = await campaignParams(token, { metadataURI: "ipfs://summer" });
      const predicted = await predictCampaignAddress(publicClient, { merchant, params, factory });

      const { event } = await (await createCampaign(asMerchant, { params, factory })).wait();

      expect(event.args.campaign).to.equal(predicted);
      const rules = await getCampaignRules(publicClient, { campaign: predicted });
      expect(decodePackedRules(event.args.rules)).to.deep.equal(rules);
      expect(rules).to.deep.include({ token, supplyCap: params.supplyCap, tierPeriod: 7 * DAY });
      expect(rules.tiers).to.deep.equal([{ threshold: 100n * ONE, multiplierBps: 15_000 }]);
    });

    it("creates a token and its first campaign in one transaction", async function () {
      const { factory, merchant, asMerchant, token } = await loadFixture(sdkFixture);
      const sent = await createTokenAndCampaign(asMerchant, {
        token: { ...TOKEN, symbol: "CUP" },
        campaign: await campaignParams(token),
        factory,
      });
      const [newToken, newCampaign] = sent.result;
      const { event } = await sent.wait();

      expect(event.args).to.deep.include({ merchant, token: newToken, campaign: newCampaign });
      expect((await getCampaign(publicClient, { campaign: newCampaign })).rules.token).to.equal(newToken);
    });

    it("pages through the registry, all merchants' or one merchant's", async function () {
      const { factory, merchant, bob, asMerchant } = await loadFixture(sdkFixture);
      await (await createToken(clientsOf(bob), { params: { ...TOKEN, symbol: "BOB" }, factory })).wait();
      await (await createToken(asMerchant, { params: { ...TOKEN, symbol: "BEAN2" }, factory })).wait();

      const first = await listTokens(publicClient, { factory, limit: 2n });
      const last = await listTokens(publicClient, { factory, limit: 2n, offset: first.nextOffset });
      expect(first).to.deep.include({ total: 3n, nextOffset: 2n });
      expect(last).to.deep.include({ total: 3n, nextOffset: undefined });
      const all: Address[] = [];
      for await (const token of registryEntries(publicClient, listTokens, { factory, merchant, limit: 1n }))
        all.push(token);
      expect(all).to.have.length(2);
      expect(all).to.include(first.items[0]);
      expect((await listCampaigns(publicClient, { factory, merchant: bob })).items).to.deep.equal([]);
    });
  });

  describe("campaign", function () {
    it("issues at the till, counts the wallet's tier and milestone, and quotes the next claim", async function () {
      const { asMerchant, till, alice, campaign, token } = await loadFixture(sdkFixture);
      await (await setIssuer(asMerchant, { campaign, issuer: till, allowed: true })).wait();

      const { event } = await (
        await issuePoints(clientsOf(till), { campaign, recipient: alice, spend: 60_000n })
      ).wait();

      expect(event.args).to.deep.include({ recipient: alice, channel: Channel.Direct, amount: 120n * ONE, bonus: 0n });
      expect(await getBalance(publicClient, { token, account: alice })).to.equal(120n * ONE);
      expect(await accountOf(publicClient, { campaign, account: alice })).to.deep.equal({
        current: 120n * ONE,
        previous: 0n,
        claims: 1n,
      });
      expect(await tierOf(publicClient, { campaign, account: alice })).to.equal(1);
      // Tier 1 multiplies by 1.5, and the second claim reaches the stamp-card bonus.
      expect(await quoteClaim(publicClient, { campaign, account: alice, points: 10n * ONE })).to.deep.equal({
        amount: 15n * ONE,
        bonus: 5n * ONE,
      });
    });

    it("claims a voucher signed offline through a relayer without gas in the customer's wallet", async function () {
      const fixture = await loadFixture(sdkFixture);
      const { campaign, token, relayer } = fixture;
      const customer = privateKeyToAccount(generatePrivateKey()).address;
      const claim = await signedVoucher(fixture, customer, {
        id: 7n,
        points: 10n * ONE,
        expiresAt: BigInt(await time.latest()) + BigInt(DAY),
      });

      const { event } = await (await claimVoucher(clientsOf(relayer), claim)).wait();

      expect(event.args).to.deep.include({ recipient: customer, channel: Channel.Voucher, ref: 7n, amount: 10n * ONE });
      expect(await getBalance(publicClient, { token, account: customer })).to.equal(10n * ONE);
      expect(await isVoucherClaimed(publicClient, { campaign, id: 7n })).to.equal(true);
    });
  });

  describe("token", function () {
    it("transfers, and approves with a signed permit someone else submits", async function () {
      const { asMerchant, alice, bob, token, relayer } = await loadFixture(sdkFixture);
      await (await mint(asMerchant, { token, to: alice, amount: 50n * ONE })).wait();
      await (await transfer(clientsOf(alice), { token, to: bob, amount: 20n * ONE })).wait();

      const signed = await signPermit(clientsOf(alice), {
        token,
        spender: bob,
        value: 30n * ONE,
        deadline: BigInt(await time.latest()) + 3600n,
      });
      const { event } = await (await permit(clientsOf(relayer), signed)).wait();

      expect(event.args).to.deep.equal({ owner: alice, spender: bob, amount: 30n * ONE });
      expect(await getBalance(publicClient, { token, account: bob })).to.equal(20n * ONE);
      expect(await getAllowance(publicClient, { token, owner: alice, spender: bob })).to.equal(30n * ONE);
    });
  });

  describe("errors on real reverts", function () {
    it("refuses a used voucher in the simulation, before anything is sent, with the voucher's id", async function () {
      const fixture = await loadFixture(sdkFixture);
      const claim = await signedVoucher(fixture, fixture.alice, {
        id: 42n,
        points: ONE,
        expiresAt: BigInt(await time.latest()) + BigInt(DAY),
      });
      await (await claimVoucher(clientsOf(fixture.relayer), claim)).wait();
      const block = await publicClient.getBlockNumber();

      const error = await rejection(claimVoucher(clientsOf(fixture.bob), claim));

      expect(await publicClient.getBlockNumber()).to.equal(block);
      expect(humanizeError(error, HUMANIZE)).to.deep.equal({
        code: "CampaignVoucherAlreadyClaimed",
        title: "Voucher already claimed",
        message: "This voucher (no. 42) has already been claimed.",
      });
    });

    it("gives the expiry date of an expired voucher", async function () {
      const fixture = await loadFixture(sdkFixture);
      const expiresAt = BigInt(await time.latest()) + 3600n;
      const claim = await signedVoucher(fixture, fixture.alice, { id: 1n, points: ONE, expiresAt });
      await time.increaseTo(expiresAt + 1n);

      const error = await rejection(claimVoucher(clientsOf(fixture.relayer), claim));

      const expiry = new Date(Number(expiresAt) * 1000);
      const { message } = humanizeError(error, HUMANIZE);
      expect(message).to.match(/^This voucher expired on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\.$/);
      expect(message).to.contain(`${expiry.getUTCFullYear()}, ${String(expiry.getUTCHours()).padStart(2, "0")}:`);
    });

    it("explains why a stranger cannot create a campaign for the merchant's token", async function () {
      const { factory, alice, token } = await loadFixture(sdkFixture);
      const error = await rejection(createCampaign(clientsOf(alice), { params: await campaignParams(token), factory }));
      expect(humanizeError(error)).to.deep.include({
        code: "CampaignFactoryNotTokenOwner",
        message: "Only the merchant who owns this token can create campaigns for it.",
      });
    });

    it("refuses to send from a wallet on another chain than the one simulated on, naming both", async function () {
      const { asMerchant, campaign } = await loadFixture(sdkFixture);
      const onMainnet = { ...asMerchant, publicClient: createPublicClient({ chain: mainnet, transport }) };

      const error = await rejection(setIssuer(onMainnet, { campaign, issuer: campaign, allowed: true }));

      expect(humanizeError(error)).to.deep.equal({
        code: "WrongChain",
        title: "Wrong network",
        message: "Your wallet is on Hardhat (chain 31337). Switch it to Ethereum (chain 1) and try again.",
      });
    });

    it("tells a wallet without gas money to claim through the relayer", async function () {
      const fixture = await loadFixture(sdkFixture);
      const broke = privateKeyToAccount(generatePrivateKey());
      const claim = await signedVoucher(fixture, broke.address, {
        id: 3n,
        points: ONE,
        expiresAt: BigInt(await time.latest()) + BigInt(DAY),
      });
      expect(humanizeError(await rejection(claimVoucher(clientsOf(broke), claim)))).to.deep.include({
        code: "InsufficientFunds",
      });
    });
  });
});
