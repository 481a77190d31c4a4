import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, getAddress } from "viem";
import { hardhat } from "viem/chains";
import { Channel, channelMask, claimBatchCode, isCodeClaimed, publishBatch } from "../../sdk/src/actions/campaign";
import { createCampaign, createToken } from "../../sdk/src/actions/factory";
import { getBalance } from "../../sdk/src/actions/token";
import { batchProofsUrl, findBatchId, parseBatchLink, resolveBatchLink } from "../../sdk/src/batchLink";
import { generateBatchKeys } from "../../sdk/src/batchKeys";
import { type ClaimCode, encodeClaimLink, parseClaimCode, signClaim } from "../../sdk/src/claimCode";
import { humanizeError } from "../../sdk/src/errors";
import { batchClaimCode, batchFiles, batchLinks, buildMerkleBatch } from "../../sdk/src/merkleBatch";
import { CODE_LEAF_ENCODING } from "../../sdk/src/merkleTree";
import { DAY, ONE, deployFactory } from "../helpers/fixtures";
import { clientsOf, hardhatAccounts, publicClient } from "./support";

// A batch made by the SDK's generator (merkleBatch.ts) is claimed on chain: its proofs verify with OpenZeppelin's
// MerkleProof inside Campaign.claimCode, whether the code arrives as a full claim link or as a short link whose
// proof comes from the batch's shards.

const APP = "http://127.0.0.1:5173/claim";
const CODES = 300;
const POINTS = 10n * ONE;

async function batchFixture() {
  const [merchant, alice, bob] = await hardhatAccounts();
  const factory = getAddress(await (await deployFactory()).getAddress());
  const asMerchant = clientsOf(merchant);
  const createdToken = await createToken(asMerchant, {
    params: { name: "Alpha Caps", symbol: "CAP", faceValue: 10_000n, metadataURI: "" },
    factory,
  });
  const token = getAddress((await createdToken.wait()).event.args.token);
  const now = BigInt(await time.latest());
  const createdCampaign = await createCampaign(asMerchant, {
    params: {
      token,
      startsAt: now,
      endsAt: now + BigInt(30 * DAY),
      supplyCap: 1_000_000n * ONE,
      maxPerClaim: 0n,
      earnPoints: ONE,
      earnSpend: 500n,
      channels: channelMask(Channel.Batch),
      tierPeriod: 0,
      tiers: [],
      milestones: [],
      issuers: [],
      metadataURI: "",
      optionalDataFields: [],
    },
    factory,
  });
  const campaign = getAddress((await createdCampaign.wait()).event.args.campaign);
  const batch = buildMerkleBatch({
    chainId: hardhat.id,
    campaign,
    keys: generateBatchKeys(0, CODES, POINTS),
    points: POINTS,
  });
  const published = await publishBatch(asMerchant, { campaign, root: batch.manifest.root, codeCount: BigInt(CODES) });
  const batchId = (await published.wait()).event.args.batchId;
  return { merchant, alice, bob, token, campaign, batch, batchId };
}

/** Claims `code` into `recipient`, sent by `sender` (a relayer or the customer). */
async function claim(code: ClaimCode, recipient: Address, sender: Address) {
  if (code.kind !== "batch") throw new Error("expected a batch code");
  const sent = await claimBatchCode(clientsOf(sender), {
    campaign: code.campaign,
    code: code.code,
    proof: code.proof,
    recipient,
    claimSignature: await signClaim(code.claimPrivateKey, code.campaign, code.chainId, recipient),
  });
  return (await sent.wait()).receipt;
}

describe("Merkle batches from the SDK, claimed on chain", () => {
  it("a code's full claim link claims its points, and its proof verifies with StandardMerkleTree.verify", async () => {
    const { alice, bob, token, campaign, batch, batchId } = await loadFixture(batchFixture);
    const code = batchClaimCode(batch, 137, batchId);
    const value = [code.code.index, code.code.claimKey, code.code.points];
    expect(StandardMerkleTree.verify(batch.manifest.root, [...CODE_LEAF_ENCODING], value, [...code.proof])).to.equal(
      true,
    );

    const parsed = parseClaimCode(encodeClaimLink(code, APP), { chainId: hardhat.id, knownCampaigns: [campaign] });
    const receipt = await claim(parsed, alice, bob);
    expect(receipt.status).to.equal("success");
    expect(await getBalance(publicClient, { token, account: alice })).to.equal(POINTS);
    expect(await isCodeClaimed(publicClient, { campaign, batchId, index: 137n })).to.equal(true);
  });

  it("a short link resolves from the shards (batch id found on chain) and claims; a second claim is refused", async () => {
    const { alice, bob, token, campaign, batch, batchId } = await loadFixture(batchFixture);
    const files = new Map([...batchFiles(batch)].map((file) => [file.path, JSON.parse(file.contents) as unknown]));
    const links = [...batchLinks(batch, { baseUrl: APP })];
    const fetched: string[] = [];
    const fetchJson = async (url: string) => {
      fetched.push(url);
      const file = url.slice(url.indexOf("/batches/") + "/batches/".length + 17);
      if (!files.has(file)) throw new Error(`404 ${url}`);
      return files.get(file);
    };

    for (const index of [0, 151, CODES - 1]) {
      const short = parseBatchLink(links[index], { chainId: hardhat.id, knownCampaigns: [campaign] });
      const proofsUrl = batchProofsUrl(short, "http://127.0.0.1:5173/");
      const code = await resolveBatchLink(short, { proofsUrl, fetchJson, client: publicClient });
      expect(code).to.deep.equal(batchClaimCode(batch, index, batchId));
      await claim(code, alice, bob);
    }
    expect(fetched).to.have.length(6);
    expect(await getBalance(publicClient, { token, account: alice })).to.equal(3n * POINTS);

    const again = await resolveBatchLink(parseBatchLink(links[151], { chainId: hardhat.id }), {
      proofsUrl: batchProofsUrl(parseBatchLink(links[151], { chainId: hardhat.id }), "http://127.0.0.1:5173/"),
      fetchJson,
      client: publicClient,
    });
    const error = await claim(again, bob, bob).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(humanizeError(error).title).to.match(/already/i);
  });

  it("a manifest whose expected batch id went to another batch is corrected from the chain", async () => {
    const { campaign, batch, batchId } = await loadFixture(batchFixture);
    const files = new Map([...batchFiles(batch)].map((file) => [file.path, JSON.parse(file.contents) as unknown]));
    files.set("manifest.json", { ...(files.get("manifest.json") as object), batchId: (batchId + 5n).toString() });
    const fetchJson = async (url: string) => files.get(url.slice("https://cdn.example/caps/".length));
    const [link] = batchLinks(batch, { baseUrl: APP, proofsUrl: "https://cdn.example/caps/" });
    const short = parseBatchLink(link, { chainId: hardhat.id, knownCampaigns: [campaign] });
    const code = await resolveBatchLink(short, { proofsUrl: short.proofsUrl!, fetchJson, client: publicClient });
    expect(code.kind === "batch" && code.code.batchId).to.equal(batchId);
    const offline = await resolveBatchLink(short, { proofsUrl: short.proofsUrl!, fetchJson });
    expect(offline.kind === "batch" && offline.code.batchId).to.equal(batchId + 5n);
  });

  it("findBatchId finds a published root and nothing for another", async () => {
    const { campaign, batch, batchId } = await loadFixture(batchFixture);
    expect(await findBatchId(publicClient, { campaign, root: batch.manifest.root })).to.equal(batchId);
    expect(await findBatchId(publicClient, { campaign, root: `0x${"11".repeat(32)}` })).to.equal(undefined);
  });
});
