import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import {
  type Address,
  type Hex,
  encodeFunctionData,
  formatEther,
  getAddress,
  keccak256,
  parseEther,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getTransactionCount, prepareTransactionRequest, signTransaction } from "viem/actions";
import { hardhat } from "viem/chains";
import { Channel, channelMask, claimVoucher, publishBatch } from "../../sdk/src/actions/campaign";
import { createCampaign } from "../../sdk/src/actions/factory";
import { getBalance } from "../../sdk/src/actions/token";
import { type ClaimCode, claimCall, createVoucher } from "../../sdk/src/claimCode";
import { humanizeError } from "../../sdk/src/errors";
import { campaignAbi } from "../../sdk/src/generated/abis";
import { type RelayerOptions, createRelayer, fileStore } from "../../sdk/src/relayer";
import {
  type RelayerClaimPayload,
  RelayerCampaignNotServedError,
  RelayerClaimRefusedError,
  RelayerRateLimitedError,
  claimThroughRelayer,
  relayerClaimPayload,
} from "../../sdk/src/relayerClient";
import { DAY, ONE, codeBatch } from "../helpers/fixtures";
import {
  HUMANIZE,
  clientsOf,
  factoryAddress,
  hardhatAccounts,
  latest,
  publicClient,
  rejection,
  sdkToken,
  walletClientOf,
} from "./support";

/**
 * A campaign with a terminal's key (it signs vouchers offline) and a published batch of 4 printed codes, a second
 * campaign the relayer does not serve, and the relayer's fresh key holding 1 ETH.
 */
async function relayerFixture() {
  const [, merchant] = await hardhatAccounts();
  const factory = await factoryAddress();
  const token = await sdkToken(factory, merchant);
  const terminal = privateKeyToAccount(generatePrivateKey());
  const asMerchant = clientsOf(merchant);
  const now = await latest();
  const params = {
    token,
    startsAt: now,
    endsAt: now + BigInt(30 * DAY),
    supplyCap: 1_000_000n * ONE,
    maxPerClaim: 0n,
    earnPoints: ONE,
    earnSpend: 500n,
    channels: channelMask(Channel.Voucher, Channel.Batch),
    tierPeriod: 0,
    tiers: [],
    milestones: [],
    issuers: [terminal.address],
    metadataURI: "ipfs://campaign",
    optionalDataFields: [],
  };
  const campaign = getAddress(
    (await (await createCampaign(asMerchant, { params, factory })).wait()).event.args.campaign,
  );
  const other = getAddress(
    (await (await createCampaign(asMerchant, { params, salt: keccak256(toHex("other")), factory })).wait()).event.args
      .campaign,
  );
  const batch = codeBatch(4, 2n * ONE, "relayer");
  await (await publishBatch(asMerchant, { campaign, root: batch.tree.root as Hex, codeCount: 4n })).wait();
  const relayer = privateKeyToAccount(generatePrivateKey());
  await network.provider.request({ method: "hardhat_setBalance", params: [relayer.address, toHex(parseEther("1"))] });
  return { factory, token, terminal, campaign, other, batch, relayer };
}

type Fixture = Awaited<ReturnType<typeof relayerFixture>>;

/** A receipt's voucher for 10 points, as its QR code carries it. */
function voucherCode({ terminal, campaign }: Fixture, id: bigint, onCampaign = campaign): Promise<ClaimCode> {
  return createVoucher({
    issuer: terminal,
    campaign: onCampaign,
    chainId: hardhat.id,
    id,
    points: 10n * ONE,
    expiresAt: 2n ** 40n,
  });
}

/** Printed code `index` of the fixture's batch (batch 0). */
function batchCode({ campaign, batch }: Fixture, index: number): ClaimCode {
  const [, claimKey, points] = batch.tree.at(index)!;
  return {
    version: 1,
    kind: "batch",
    chainId: hardhat.id,
    campaign,
    claimPrivateKey: batch.claimKeys[index].privateKey as Hex,
    code: { batchId: 0n, index: BigInt(index), points, claimKey: getAddress(claimKey) },
    proof: batch.tree.getProof(index) as Hex[],
  };
}

/** A customer's fresh wallet: no ETH. */
const customer = () => privateKeyToAccount(generatePrivateKey()).address;

const servers: { close(): Promise<void> }[] = [];

/** Starts a relayer for the fixture's first campaign on a free port and returns its URL. */
async function startRelayer(fixture: Fixture, options: Partial<RelayerOptions> = {}) {
  const relayer = createRelayer({
    ...clientsOf(fixture.relayer),
    campaigns: [fixture.campaign],
    limits: { perClient: { max: 100, windowMs: 60_000 } },
    ...options,
  });
  servers.push(relayer);
  return { relayer, url: await relayer.listen(0) };
}

/** POSTs `body` (JSON unless a string) to `/claims`. */
function post(url: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
  return fetch(`${url}/claims`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** POSTs a claim from another client address (127.0.0.2) with node:http, which can pick the source address. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/claims`,
      { method: "POST", localAddress, headers: { "content-type": "application/json" } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, json: JSON.parse(text) }));
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

const blockNumber = () => publicClient.getBlockNumber({ cacheTime: 0 });

describe("relayer (sdk/src/relayer)", function () {
  afterEach(async function () {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("sends a voucher claim and a printed-code claim into wallets without gas, paying for both", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture);
    const [alice, bob] = [customer(), customer()];

    const voucher = await claimThroughRelayer(url, await relayerClaimPayload(await voucherCode(fixture, 1n), alice));
    const printed = await claimThroughRelayer(url, await relayerClaimPayload(batchCode(fixture, 2), bob));

    expect(voucher.alreadySent).to.equal(false);
    for (const { hash } of [voucher, printed]) {
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      expect(receipt).to.deep.include({ status: "success", from: fixture.relayer.address.toLowerCase() });
    }
    expect(await getBalance(publicClient, { token: fixture.token, account: alice })).to.equal(10n * ONE);
    expect(await getBalance(publicClient, { token: fixture.token, account: bob })).to.equal(2n * ONE);
    expect(await publicClient.getBalance({ address: alice })).to.equal(0n);
  });

  it("sends claims that arrive together one after another, with consecutive nonces", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture);
    const payloads = await Promise.all(
      [1n, 2n, 3n, 4n, 5n].map(async (id) => relayerClaimPayload(await voucherCode(fixture, id), customer())),
    );

    const claims = await Promise.all(payloads.map((payload) => claimThroughRelayer(url, payload)));

    const nonces = await Promise.all(
      claims.map(async ({ hash }) => (await publicClient.getTransaction({ hash })).nonce),
    );
    expect([...nonces].sort()).to.deep.equal([0, 1, 2, 3, 4]);
    for (const { hash } of claims) {
      expect((await publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
    }
  });

  it("refuses a claim for a campaign it does not serve, and a claim signed for another chain", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture);
    const payload = await relayerClaimPayload(await voucherCode(fixture, 1n, fixture.other), customer());

    const response = await post(url, payload);
    expect(response.status).to.equal(403);
    expect((await response.json()).error).to.deep.include({ code: "CampaignNotServed" });
    const error = await rejection(claimThroughRelayer(url, payload));
    expect(error).to.be.instanceOf(RelayerCampaignNotServedError);

    const otherChain = { ...(await relayerClaimPayload(await voucherCode(fixture, 2n), customer())), chainId: 1 };
    expect((await (await post(url, otherChain)).json()).error).to.deep.include({ code: "WrongChain" });
  });

  it("serves every campaign of its factory when told to (the local demo), and no other contract", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url, relayer } = await startRelayer(fixture, { campaigns: { factory: fixture.factory } });
    const stranger = privateKeyToAccount(generatePrivateKey()).address;

    const sent = await claimThroughRelayer(
      url,
      await relayerClaimPayload(await voucherCode(fixture, 1n, fixture.other), customer()),
    );
    const refused = await post(url, await relayerClaimPayload(await voucherCode(fixture, 1n, stranger), customer()));

    expect((await publicClient.waitForTransactionReceipt({ hash: sent.hash })).status).to.equal("success");
    expect(refused.status).to.equal(403);
    expect((await relayer.health()).campaigns).to.deep.equal({ factory: fixture.factory });
  });

  it("refuses a claim that would fail, with the contract's reason, without sending anything", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture);
    const code = await voucherCode(fixture, 7n);
    const [alice] = await hardhatAccounts();
    const direct = await claimCall(code, alice);
    const { args } = direct as Extract<typeof direct, { functionName: "claimVoucher" }>;
    await (
      await claimVoucher(clientsOf(alice), {
        campaign: fixture.campaign,
        voucher: args[0],
        issuerSignature: { r: args[1], yParityAndS: args[2] },
        recipient: alice,
        claimSignature: { r: args[4], yParityAndS: args[5] },
      })
    ).wait();
    const before = await blockNumber();

    const error = await rejection(claimThroughRelayer(url, await relayerClaimPayload(code, customer())));

    expect(error).to.be.instanceOf(RelayerClaimRefusedError);
    expect(error).to.deep.include({ status: 422, reason: "CampaignVoucherAlreadyClaimed" });
    expect(humanizeError(error, HUMANIZE)).to.deep.equal({
      code: "CampaignVoucherAlreadyClaimed",
      title: "Voucher already claimed",
      message: "This voucher (no. 7) has already been claimed.",
    });
    expect(await blockNumber()).to.equal(before);
  });

  it("rejects malformed bodies with 400, 413 or 415, naming the field", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture);
    const valid = (await relayerClaimPayload(await voucherCode(fixture, 1n), customer())) as Extract<
      RelayerClaimPayload,
      { kind: "voucher" }
    >;
    const { claimKey: _, ...voucherWithoutKey } = valid.voucher;
    const cases: [string, Response, number, Record<string, unknown>][] = [
      ["not JSON", await post(url, "{ kind: voucher"), 400, { code: "InvalidJson" }],
      ["not an object", await post(url, "[1, 2]"), 400, { code: "InvalidField" }],
      [
        "missing field",
        await post(url, { ...valid, voucher: voucherWithoutKey }),
        400,
        { code: "MissingField", field: "voucher.claimKey" },
      ],
      [
        "bad hex",
        await post(url, { ...valid, claimSignature: { ...valid.claimSignature, r: "0x12zz" } }),
        400,
        { code: "InvalidField", field: "claimSignature.r" },
      ],
      [
        "bad checksum",
        await post(url, { ...valid, recipient: valid.recipient.replace(/[a-f]/, (c) => c.toUpperCase()) }),
        400,
        { field: "recipient" },
      ],
      [
        "number as JSON number",
        await post(url, { ...valid, voucher: { ...valid.voucher, id: 1 } }),
        400,
        { field: "voucher.id" },
      ],
      [
        "unknown field",
        await post(url, { ...valid, claimPrivateKey: generatePrivateKey() }),
        400,
        { code: "UnknownField", field: "claimPrivateKey" },
      ],
      [
        "wrong media type",
        await post(url, valid, { "content-type": "text/plain" }),
        415,
        { code: "UnsupportedMediaType" },
      ],
      ["huge body", await post(url, { ...valid, padding: "x".repeat(100_000) }), 413, { code: "BodyTooLarge" }],
    ];

    for (const [name, response, status, error] of cases) {
      expect(response.status, name).to.equal(status);
      expect((await response.json()).error, name).to.deep.include(error);
    }
    const health = await (await fetch(`${url}/health`)).json();
    expect(health.counts).to.deep.include({ received: cases.length, rejected: cases.length, sent: 0 });
  });

  it("answers a flood from one client with 429 after its limit while another client still gets through", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture, { limits: { perClient: { max: 3, windowMs: 60_000 } } });
    const payloads = await Promise.all(
      [1n, 2n, 3n, 4n, 5n].map(async (id) => relayerClaimPayload(await voucherCode(fixture, id), customer())),
    );

    const flood = await Promise.all(payloads.slice(0, 4).map((payload) => post(url, payload)));
    const statuses = flood.map(({ status }) => status).sort();

    expect(statuses).to.deep.equal([202, 202, 202, 429]);
    const limited = flood.find(({ status }) => status === 429)!;
    expect(Number(limited.headers.get("retry-after"))).to.be.within(1, 20);
    expect(limited.headers.get("access-control-allow-origin")).to.equal("*");
    expect(await rejection(claimThroughRelayer(url, payloads[4]))).to.be.instanceOf(RelayerRateLimitedError);
    const other = await postFrom("127.0.0.2", url, payloads[4]);
    expect(other.status).to.equal(202);
    expect(other.json.status).to.equal("sent");
  });

  it("limits each campaign too, whoever sends its claims", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture, {
      limits: { perClient: { max: 100, windowMs: 60_000 }, perCampaign: { max: 2, windowMs: 60_000 } },
    });
    const payloads = await Promise.all(
      [1n, 2n, 3n].map(async (id) => relayerClaimPayload(await voucherCode(fixture, id), customer())),
    );
    expect((await post(url, payloads[0])).status).to.equal(202);
    expect((await postFrom("127.0.0.3", url, payloads[1])).status).to.equal(202);

    const third = await postFrom("127.0.0.4", url, payloads[2]);

    expect(third.status).to.equal(429);
    expect(third.json.error.code).to.equal("CampaignBusy");
  });

  it("after a restart with the same store, returns the earlier hash for a resubmitted claim and sends nothing", async function () {
    const fixture = await loadFixture(relayerFixture);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "perks-relayer-")), "claims.jsonl");
    const payload = await relayerClaimPayload(await voucherCode(fixture, 1n), customer());
    const first = await startRelayer(fixture, { store: fileStore(file) });
    const sent = await claimThroughRelayer(first.url, payload);
    await first.relayer.close();
    const before = await blockNumber();

    const second = await startRelayer(fixture, { store: fileStore(file) });
    const again = await claimThroughRelayer(second.url, payload);

    expect(again).to.deep.equal({ hash: sent.hash, alreadySent: true });
    expect(await blockNumber()).to.equal(before);
    expect(await getTransactionCount(publicClient, { address: fixture.relayer.address })).to.equal(1);
  });

  it("broadcasts on restart a claim it signed but stopped before sending, once", async function () {
    const fixture = await loadFixture(relayerFixture);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "perks-relayer-")), "claims.jsonl");
    const recipient = customer();
    const code = await voucherCode(fixture, 1n);
    // What a relayer that stopped between recording and broadcasting leaves in its store.
    const walletClient = walletClientOf(fixture.relayer);
    const call = await claimCall(code, recipient);
    const prepared = await prepareTransactionRequest(walletClient, {
      to: fixture.campaign,
      data: encodeFunctionData({ abi: campaignAbi, ...call } as Parameters<typeof encodeFunctionData>[0]),
      nonce: 0,
    });
    const raw = await signTransaction(walletClient, prepared);
    const key = `${fixture.campaign.toLowerCase()}:voucher:1`;
    const crashed = fileStore(file);
    await crashed.put({
      key,
      campaign: fixture.campaign,
      recipient,
      hash: keccak256(raw),
      nonce: 0,
      raw,
      status: "signed",
      signedAt: 0,
    });
    await crashed.close();
    fs.appendFileSync(file, '{"key":"torn'); // and a line cut short by the crash

    const { url } = await startRelayer(fixture, { store: fileStore(file) });
    const again = await claimThroughRelayer(url, await relayerClaimPayload(code, recipient));

    expect(again).to.deep.equal({ hash: keccak256(raw), alreadySent: true });
    expect((await publicClient.waitForTransactionReceipt({ hash: again.hash })).status).to.equal("success");
    expect(await getBalance(publicClient, { token: fixture.token, account: recipient })).to.equal(10n * ONE);
    expect(await getTransactionCount(publicClient, { address: fixture.relayer.address })).to.equal(1);
  });

  it("sends again a claim whose recorded transaction the chain does not know (a local chain restarted)", async function () {
    const fixture = await loadFixture(relayerFixture);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "perks-relayer-")), "claims.jsonl");
    const recipient = customer();
    const stale = keccak256(toHex("a transaction of the chain before the restart"));
    const store = fileStore(file);
    const key = `${fixture.campaign.toLowerCase()}:voucher:1`;
    await store.put({
      key,
      campaign: fixture.campaign,
      recipient,
      hash: stale,
      nonce: 0,
      raw: "0x",
      status: "sent",
      signedAt: 0,
    });

    const { url } = await startRelayer(fixture, { store });
    const sent = await claimThroughRelayer(url, await relayerClaimPayload(await voucherCode(fixture, 1n), recipient));

    expect(sent.alreadySent).to.equal(false);
    expect(sent.hash).to.not.equal(stale);
    expect((await publicClient.waitForTransactionReceipt({ hash: sent.hash })).status).to.equal("success");
    expect(store.get(key)?.hash).to.equal(sent.hash);
  });

  it("reports its address, balance, queue and counts on /health, with CORS for the dApp", async function () {
    const fixture = await loadFixture(relayerFixture);
    const { url } = await startRelayer(fixture);
    await claimThroughRelayer(url, await relayerClaimPayload(await voucherCode(fixture, 1n), customer()));
    const payload = await relayerClaimPayload(await voucherCode(fixture, 2n), customer());
    await claimThroughRelayer(url, payload);
    await claimThroughRelayer(url, payload);
    await post(url, "nonsense");

    const response = await fetch(`${url}/health`);
    const health = await response.json();

    const balance = await publicClient.getBalance({ address: fixture.relayer.address });
    expect(balance < parseEther("1")).to.equal(true);
    expect(response.headers.get("access-control-allow-origin")).to.equal("*");
    expect(health).to.deep.equal({
      status: "ok",
      chainId: hardhat.id,
      address: fixture.relayer.address,
      balance: balance.toString(),
      balanceEth: formatEther(balance),
      queue: { length: 0, max: 100 },
      counts: { received: 4, sent: 2, alreadySent: 1, refused: 0, rejected: 1, rateLimited: 0, failed: 0 },
      stored: 2,
      campaigns: [fixture.campaign],
    });
    const preflight = await fetch(`${url}/claims`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-methods")).to.equal("POST, OPTIONS");
    expect(preflight.headers.get("access-control-allow-headers")).to.equal("Content-Type");
    expect((await fetch(`${url}/nowhere`)).status).to.equal(404);
    expect((await fetch(`${url}/claims`)).status).to.equal(405);
  });
});
