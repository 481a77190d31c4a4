/**
 * Gas benchmark: `npm run bench` (= `hardhat run scripts/bench/gas.ts`).
 *
 * In one run on the in-process Hardhat network it deploys our contracts and reference tokens built from npm
 * packages (contracts/bench/), averages receipts' gasUsed (21,000 base and calldata included) over many
 * operations, prints the table, writes it to bench/gas.md, and breaks a few transactions down by opcode category
 * and by Solidity source line (information for whoever optimises the contracts).
 *
 * Environment:
 *   PERKS_BENCH_STRICT=1    exit non-zero when a target fails (default: print and exit 0)
 *   PERKS_BENCH_SAMPLES=n   operations per row (default 256; bench/gas.md is only written with the default)
 *   PERKS_BENCH_TREE_DEPTH  Merkle batch of 2^depth codes (default 20; same rule for bench/gas.md)
 *   PERKS_BENCH_SECTIONS=0  skip the sibling modules' sections (below)
 *
 * Other contracts' benches plug in as sibling modules: every scripts/bench/*.ts (not starting with "_", not one of
 * this bench's own modules) whose source has `export async function bench<Name>(samples?: number)` resolving to
 * rows `{ operation, ours, samples, target?, reference?, referenceName? }` (target = most gas allowed) is run after
 * the rows above, in file-name order, with PERKS_BENCH_SAMPLES if set, else its own default; its rows get their
 * own table, count for PERKS_BENCH_STRICT, and a section that throws fails the strict run too.
 *
 * Only the public interfaces of our contracts are used (ICampaignFactory, ICampaign, ILoyaltyToken, IERC20),
 * so the bench keeps working while the contracts are optimised. Every key, address and amount is derived
 * deterministically, so two runs on the same contracts print the same numbers.
 */
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { createCipheriv } from "crypto";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "fs";
import path from "path";
import { Worker } from "worker_threads";
import type { ContractTransactionResponse, Wallet } from "ethers";
import type { ICampaign, ICampaignFactory, IERC20, ILoyaltyToken } from "../../typechain-types";
import {
  CLAIM_TYPES,
  DAY,
  ONE,
  VOUCHER_TYPES,
  campaignParams,
  compact,
  deployFactory,
  tokenParams,
} from "../../test/helpers/fixtures";
import { bytesToHex as toHex } from "viem";
import { NO_SUPPLY_CAP } from "../../sdk/src/actions/campaign";
import {
  CODE_LEAF_ENCODING,
  FastMerkleTree,
  type MerkleTreeParts,
  codeLeafHash,
  verifyMerkleProof as verifyProof,
} from "../../sdk/src/merkleTree";
import type { CodeTreeJob } from "./merkle-worker";
import { CATEGORIES, gasBreakdown, type GasBreakdown } from "./trace";
import { sourceLineMapper } from "./sourcemap";
import { type Evaluated, type Row, evaluate, gasFormat, markdownGrid, renderGrid, renderMarkdown, renderText } from "./table";

const DEFAULT_SAMPLES = 256;
const DEFAULT_TREE_DEPTH = 20;
const SAMPLES = Number(process.env.PERKS_BENCH_SAMPLES ?? DEFAULT_SAMPLES);
const TREE_DEPTH = Number(process.env.PERKS_BENCH_TREE_DEPTH ?? DEFAULT_TREE_DEPTH);
const STRICT = process.env.PERKS_BENCH_STRICT === "1";
const OUTPUT = path.join(__dirname, "..", "..", "bench", "gas.md");
/** The README's performance section holds the rows that have a target, between these markers. */
const README = path.join(__dirname, "..", "..", "README.md");
const README_START = "<!-- bench:targets (written by npm run bench) -->";
const README_END = "<!-- /bench:targets -->";

const TX = { gasLimit: 3_000_000 };
const DEPLOY_TX = { gasLimit: 10_000_000 };
const SPEND = 2_350n; // a 23.50 receipt: 4.7 points at the default 1 point per 5.00
/** The capped campaigns' supply cap: 10^12 points. The target rows measure campaigns without a cap (NO_SUPPLY_CAP). */
const CAP = 10n ** 12n * ONE;
const CODE_POINTS = 10n * ONE;
const TIERS = [
  { threshold: 100n * ONE, multiplierBps: 11_000 },
  { threshold: 1_000n * ONE, multiplierBps: 12_500 },
  { threshold: 5_000n * ONE, multiplierBps: 15_000 },
];

// ---------------------------------------------------------------- deterministic inputs

const utf8 = (s: string) => new TextEncoder().encode(s);

/** `length` pseudo-random bytes named by `label` (AES-256-CTR keystream keyed by keccak256(label)). */
function streamBytes(label: string, length: number): Uint8Array {
  const cipher = createCipheriv("aes-256-ctr", keccak_256(utf8(`perks-bench/${label}`)), new Uint8Array(16));
  return new Uint8Array(cipher.update(new Uint8Array(length)));
}

/** `count` distinct addresses nobody has used: fresh wallets. */
function freshAddresses(label: string, count: number): string[] {
  const bytes = streamBytes(label, count * 20);
  return Array.from({ length: count }, (_, i) => ethers.getAddress(toHex(bytes.subarray(i * 20, i * 20 + 20))));
}

/** A wallet whose key is keccak256(label/i). */
function wallet(label: string, i = 0): Wallet {
  return new ethers.Wallet(toHex(keccak_256(utf8(`perks-bench/${label}/${i}`))), ethers.provider);
}

// ---------------------------------------------------------------- measuring

let lastMark = Date.now();
function progress(message: string) {
  const now = Date.now();
  console.error(`  [${((now - started) / 1000).toFixed(1)}s, +${((now - lastMark) / 1000).toFixed(1)}s] ${message}`);
  lastMark = now;
}
const started = Date.now();

interface Measured {
  average: number;
  hashes: string[];
}

/** Sends `count` transactions one after the other (one block each) and averages their gasUsed. */
async function measure(count: number, send: (i: number) => Promise<ContractTransactionResponse>): Promise<Measured> {
  let total = 0n;
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) {
    const receipt = await (await send(i)).wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${i} failed`);
    total += receipt.gasUsed;
    hashes.push(receipt.hash);
  }
  return { average: Number(total) / count, hashes };
}

async function deployGas(name: "OZPermitToken" | "SoladyPermitToken", args: unknown[], count: number) {
  const [deployer] = await ethers.getSigners();
  const factory = await ethers.getContractFactory(name, deployer);
  let total = 0n;
  for (let i = 0; i < count; i++) {
    const contract = await factory.deploy(...args, DEPLOY_TX);
    const receipt = await contract.deploymentTransaction()!.wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`deploying ${name} failed`);
    total += receipt.gasUsed;
  }
  return Number(total) / count;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Builds the tree of `job` on a worker thread (merkle-worker.ts). */
function buildCodeTreeInWorker(job: CodeTreeJob): Promise<{ tree: FastMerkleTree; seconds: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, "merkle-worker.ts"), {
      workerData: job,
      transferList: [job.randomKeys.buffer as ArrayBuffer],
      // The worker loads TypeScript like this process does.
      execArgv: ["--require", "ts-node/register/transpile-only"],
    });
    worker.once("message", (message: { parts: MerkleTreeParts; seconds: number }) =>
      resolve({ tree: FastMerkleTree.fromParts(message.parts), seconds: message.seconds }),
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`Merkle worker exited with code ${code}`)));
  });
}

// ---------------------------------------------------------------- main

async function main() {
  const n = SAMPLES;
  if (!Number.isInteger(n) || n < 1) throw new Error("PERKS_BENCH_SAMPLES must be a positive integer");
  if (!Number.isInteger(TREE_DEPTH) || TREE_DEPTH < 9 || TREE_DEPTH > 24) throw new Error("tree depth 9..24");
  const codeCount = 2 ** TREE_DEPTH;
  if (n > codeCount / 16) throw new Error("too many samples for the tree");
  const hardfork = hre.config.networks.hardhat.hardfork;
  const { settings } = hre.config.solidity.compilers[0];
  console.error(`Perks gas benchmark: ${n} operations per row, hardfork ${hardfork}`);

  // The printed-code batch: leaves of unclaimed codes are the real encoding of random claim-key addresses (nobody
  // holds their keys); the claimed codes carry the addresses of keys we hold. Claimed indexes spread over the
  // batch, one per 4096 codes, so every claim sets a fresh word of the claimed bitmap, as the first caps found in
  // shops would; then a second claim in each of those words (the code next to the first), as later claims do.
  // Hashing 2^20 codes takes a while, so a worker thread builds the tree while the other rows are measured.
  // The target row claims n consecutive codes from the start of a bitmap word none of those touch: over a batch's
  // life each word is created once per 256 codes, so an honest average has one claim in 256 create it.
  const spacing = codeCount / n;
  const claimedIndexes = Array.from({ length: n }, (_, i) => i * spacing + ((i * 97) % spacing));
  const neighbourIndexes = claimedIndexes.map((index) => index ^ 1);
  const consecutiveIndexes = consecutiveRun(n, codeCount, [...claimedIndexes, ...neighbourIndexes]);
  const claimKeys = new Map([
    ...claimedIndexes.map((index, i) => [index, wallet("code-claim-key", i)] as const),
    ...neighbourIndexes.map((index, i) => [index, wallet("code-claim-key-2", i)] as const),
    ...consecutiveIndexes.map((index, i) => [index, wallet("code-claim-key-run", i)] as const),
  ]);
  const codeTree = buildCodeTreeInWorker({
    count: codeCount,
    points: CODE_POINTS,
    randomKeys: streamBytes("code-keys", codeCount * 20),
    heldIndexes: Uint32Array.from(claimKeys.keys()),
    heldKeys: concatBytes([...claimKeys.values()].map((key) => ethers.getBytes(key.address))),
  });
  codeTree.catch(() => undefined); // awaited below; do not let a failure go unhandled meanwhile

  const [deployer, merchant, relayer, holder] = await ethers.getSigners();
  const terminal = wallet("terminal"); // an issuer key: signs vouchers offline, and sends direct issues
  await ethers.provider.send("hardhat_setBalance", [terminal.address, "0x56BC75E2D63100000"]);

  // A fixed clock, so that schedule fields (calldata and clone code) are the same every run.
  const latest = await time.latest();
  const t0 = Math.max(2_000_000_000, Math.ceil((latest + 1) / 1e6) * 1e6);
  await time.increaseTo(t0);
  const schedule = { startsAt: BigInt(t0), endsAt: BigInt(t0 + 365 * DAY) };
  const expiresAt = BigInt(t0 + 400 * DAY);

  // ------------------------------------------------ our contracts, through their interfaces only
  // Deployed by the tests' own recipe (it follows constructor changes), then used through ICampaignFactory only.
  const factoryDeployment = await deployFactory();
  const factory: ICampaignFactory = await ethers.getContractAt("ICampaignFactory", await factoryDeployment.getAddress());
  const implementation = await factory.campaignImplementation();

  async function createToken(owner: typeof merchant | Wallet) {
    const params = tokenParams();
    const address = await factory.predictTokenAddress(owner.address, params, ethers.ZeroHash);
    const tx = await factory.connect(owner).createToken(params, ethers.ZeroHash, DEPLOY_TX);
    return { address, tx };
  }
  async function createCampaign(
    owner: typeof merchant | Wallet,
    params: ICampaignFactory.CampaignParamsStruct,
    salt = ethers.ZeroHash,
  ) {
    const address = await factory.predictCampaignAddress(owner.address, params, salt);
    const tx = await factory.connect(owner).createCampaign(params, salt, DEPLOY_TX);
    return { address, tx };
  }

  const ourToken = await createToken(merchant);
  await ourToken.tx.wait();
  const loyalty: ILoyaltyToken = await ethers.getContractAt("ILoyaltyToken", ourToken.address);
  // Each configuration twice: with a supply cap of 10^12 points (it counts `issued`), and without a cap (the
  // simplest campaign the dApp creates: the cap field left empty); the targets are measured without a cap.
  const offParams = (supplyCap: bigint) => campaignParams(ourToken.address, { ...schedule, supplyCap, issuers: [terminal.address] });
  const tiersParams = (supplyCap: bigint) =>
    campaignParams(ourToken.address, {
      ...schedule,
      supplyCap,
      issuers: [terminal.address],
      tierPeriod: 30 * DAY,
      tiers: TIERS,
      metadataURI: "ipfs://tiers",
    });
  const campaignOff = await createCampaign(merchant, await offParams(CAP));
  await campaignOff.tx.wait();
  const campaignTiers = await createCampaign(merchant, await tiersParams(CAP));
  await campaignTiers.tx.wait();
  const campaignOffNoCap = await createCampaign(merchant, await offParams(NO_SUPPLY_CAP));
  await campaignOffNoCap.tx.wait();
  const campaignTiersNoCap = await createCampaign(merchant, await tiersParams(NO_SUPPLY_CAP));
  await campaignTiersNoCap.tx.wait();
  // A second tiered campaign of the token, for wallets that already hold its points (info rows).
  const campaignTiersNoCap2 = await createCampaign(merchant, await tiersParams(NO_SUPPLY_CAP), ethers.id("second"));
  await campaignTiersNoCap2.tx.wait();
  const campaignTiersNoCap3 = await createCampaign(merchant, await tiersParams(NO_SUPPLY_CAP), ethers.id("third"));
  await campaignTiersNoCap3.tx.wait();
  const off: ICampaign = await ethers.getContractAt("ICampaign", campaignOff.address);
  const tiers: ICampaign = await ethers.getContractAt("ICampaign", campaignTiers.address);
  const offNoCap: ICampaign = await ethers.getContractAt("ICampaign", campaignOffNoCap.address);
  const tiersNoCap: ICampaign = await ethers.getContractAt("ICampaign", campaignTiersNoCap.address);
  const tiersNoCap2: ICampaign = await ethers.getContractAt("ICampaign", campaignTiersNoCap2.address);
  const tiersNoCap3: ICampaign = await ethers.getContractAt("ICampaign", campaignTiersNoCap3.address);

  // ------------------------------------------------ reference tokens
  const { name, symbol } = tokenParams();
  const ozDeployment = await ethers.deployContract("OZPermitToken", [name, symbol, merchant.address], DEPLOY_TX);
  const soladyDeployment = await ethers.deployContract("SoladyPermitToken", [name, symbol, merchant.address], DEPLOY_TX);
  await Promise.all([ozDeployment.waitForDeployment(), soladyDeployment.waitForDeployment()]);
  const oz = await ethers.getContractAt("OZPermitToken", await ozDeployment.getAddress());
  const solady = await ethers.getContractAt("SoladyPermitToken", await soladyDeployment.getAddress());
  progress("deployed");

  const erc20 = async (address: string) =>
    (await ethers.getContractAt("@openzeppelin/contracts/token/ERC20/IERC20.sol:IERC20", address)) as unknown as IERC20;
  const names = new Map<string, string>([
    [(await factory.getAddress()).toLowerCase(), "CampaignFactory"],
    [implementation.toLowerCase(), "Campaign (implementation)"],
    [campaignOff.address.toLowerCase(), "campaign clone"],
    [campaignTiers.address.toLowerCase(), "campaign clone (tiers)"],
    [campaignOffNoCap.address.toLowerCase(), "campaign clone (no cap)"],
    [campaignTiersNoCap.address.toLowerCase(), "campaign clone (tiers, no cap)"],
    [campaignTiersNoCap2.address.toLowerCase(), "campaign clone (tiers, no cap, second)"],
    [campaignTiersNoCap3.address.toLowerCase(), "campaign clone (tiers, no cap, third)"],
    [ourToken.address.toLowerCase(), "LoyaltyToken"],
  ]);

  const rows: Row[] = [];
  const merkleRows: Row[] = []; // measured last, shown after the voucher rows

  // ------------------------------------------------ token transfers
  // The same recipients and amounts for the three tokens, so calldata is identical and only execution differs.
  const transferRecipients = freshAddresses("transfer-recipients", n);
  const transferGas = new Map<string, { fresh: number; existing: number }>();
  for (const [label, address, mint] of [
    ["ours", ourToken.address, (to: string, amount: bigint) => loyalty.connect(merchant).mint(to, amount, TX)],
    ["oz", await oz.getAddress(), (to: string, amount: bigint) => oz.connect(merchant).mint(to, amount, TX)],
    ["solady", await solady.getAddress(), (to: string, amount: bigint) => solady.connect(merchant).mint(to, amount, TX)],
  ] as const) {
    await (await mint(holder.address, 1_000_000n * ONE)).wait();
    const token = (await erc20(address)).connect(holder);
    const fresh = await measure(n, (i) => token.transfer(transferRecipients[i], ONE, TX));
    const existing = await measure(n, (i) => token.transfer(transferRecipients[i], ONE, TX));
    transferGas.set(label, { fresh: fresh.average, existing: existing.average });
  }
  const tg = (label: string) => transferGas.get(label)!;
  rows.push(
    {
      operation: "transfer to a new holder",
      ours: tg("ours").fresh,
      samples: n,
      reference: { name: "OZ 5.7 ERC20Permit", gas: tg("oz").fresh },
      target: { kind: "ratio", max: 1.0 },
    },
    {
      operation: "transfer to a new holder",
      ours: tg("ours").fresh,
      samples: n,
      reference: { name: "Solady 0.1.26 ERC20", gas: tg("solady").fresh },
    },
    {
      operation: "transfer to an existing holder",
      ours: tg("ours").existing,
      samples: n,
      reference: { name: "OZ 5.7 ERC20Permit", gas: tg("oz").existing },
      target: { kind: "ratio", max: 1.0 },
    },
    {
      operation: "transfer to an existing holder",
      ours: tg("ours").existing,
      samples: n,
      reference: { name: "Solady 0.1.26 ERC20", gas: tg("solady").existing },
    },
  );
  progress(`transfers (${6 * n} transactions)`);

  // ------------------------------------------------ signed vouchers, submitted by a relayer
  const chainId = (await ethers.provider.getNetwork()).chainId;
  async function claimVouchers(
    campaign: ICampaign,
    label: string,
    idOf: (i: number) => bigint,
    recipients = freshAddresses(`${label}-recipients`, n),
  ): Promise<Measured> {
    const domain = { name: "Perks Campaign", version: "1", chainId, verifyingContract: await campaign.getAddress() };
    return measure(n, async (i) => {
      const claimKey = wallet(`${label}-claim-key`, i);
      const voucher = { id: idOf(i), points: 0n, spend: SPEND, expiresAt, claimKey: claimKey.address };
      const [issuerR, issuerVS] = compact(await terminal.signTypedData(domain, VOUCHER_TYPES, voucher));
      const [claimR, claimVS] = compact(await claimKey.signTypedData(domain, CLAIM_TYPES, { recipient: recipients[i] }));
      return campaign.connect(relayer).claimVoucher(voucher, issuerR, issuerVS, recipients[i], claimR, claimVS, TX);
    });
  }
  // Ids as the SDK's voucherIdFor(terminal, sequence) makes them: a terminal prefix above a 64-bit counter, so
  // consecutive receipts share one 256-bit word of the claimed bitmap and only the first of 256 creates it.
  const terminalPrefix = BigInt(toHex(keccak_256(ethers.getBytes(terminal.address)).subarray(0, 24))) << 64n;
  const voucherOff = await claimVouchers(off, "voucher", (i) => terminalPrefix + BigInt(i));
  // Ids in words nobody touched yet (what random ids would cost): every claim creates a bitmap word.
  const voucherSparse = await claimVouchers(off, "voucher-sparse", (i) => terminalPrefix + (BigInt(i + 1) << 8n));
  const voucherTiers = await claimVouchers(tiers, "voucher-tiers", (i) => terminalPrefix + BigInt(i));
  // The same claims on the campaigns without a cap (the targets).
  const voucherOffNoCap = await claimVouchers(offNoCap, "voucher-nocap", (i) => terminalPrefix + BigInt(i));
  const voucherTiersNoCap = await claimVouchers(tiersNoCap, "voucher-tiers-nocap", (i) => terminalPrefix + BigInt(i));
  // Wallets that hold the token already, claiming in a second tiered campaign: those of the tiers-off row (the
  // record goes beside their balance in the token), then those of the tiers-on row (the first tiered campaign holds
  // that place, so the record goes to the campaign's own storage). Ids in two words of their own.
  const holdersFirstTiers = await claimVouchers(
    tiersNoCap2,
    "voucher-holders-first-tiers",
    (i) => terminalPrefix + 1024n + BigInt(i),
    freshAddresses("voucher-nocap-recipients", n),
  );
  const holdersSecondTiers = await claimVouchers(
    tiersNoCap2,
    "voucher-holders-second-tiers",
    (i) => terminalPrefix + 2048n + BigInt(i),
    freshAddresses("voucher-tiers-nocap-recipients", n),
  );
  // The first tiered campaign ends (and so retires: LoyaltyToken.retireCampaign): a third one takes the same wallets'
  // slots over.
  await (await tiersNoCap.connect(merchant).end(TX)).wait();
  const holdersTakenOver = await claimVouchers(
    tiersNoCap3,
    "voucher-holders-taken-over",
    (i) => terminalPrefix + 3072n + BigInt(i),
    freshAddresses("voucher-tiers-nocap-recipients", n),
  );
  rows.push(
    {
      operation: "voucher claim, new wallet, tiers off, no supply cap (ids from a counter)",
      ours: voucherOffNoCap.average,
      samples: n,
      target: { kind: "absolute", max: 80_000 },
    },
    {
      operation: "voucher claim, new wallet, tiers off, 10^12-point supply cap (ids from a counter)",
      ours: voucherOff.average,
      samples: n,
    },
    {
      operation: "voucher claim, new wallet, tiers off, 10^12-point supply cap (each id in a fresh bitmap word)",
      ours: voucherSparse.average,
      samples: n,
    },
    {
      operation: `voucher claim, new wallet, tiers on (${TIERS.length} tiers), no supply cap (ids from a counter)`,
      ours: voucherTiersNoCap.average,
      samples: n,
      target: { kind: "absolute", max: 100_000 },
    },
    {
      operation: `voucher claim, new wallet, tiers on (${TIERS.length} tiers), 10^12-point supply cap (ids from a counter)`,
      ours: voucherTiers.average,
      samples: n,
    },
    {
      operation: `voucher claim, wallet holding the token, tiers on, no supply cap: its first tiered campaign (record beside the balance)`,
      ours: holdersFirstTiers.average,
      samples: n,
    },
    {
      operation: `voucher claim, wallet holding the token, tiers on, no supply cap: its second tiered campaign (record in the campaign's storage)`,
      ours: holdersSecondTiers.average,
      samples: n,
    },
    {
      operation: `voucher claim, wallet holding the token, tiers on, no supply cap: a later tiered campaign once the first ended and retired (slot taken over)`,
      ours: holdersTakenOver.average,
      samples: n,
    },
  );
  progress(`voucher claims (${8 * n})`);

  const afterVouchers = rows.length;

  // ------------------------------------------------ direct issue vs. an owner mint
  const issueAmount = (SPEND * ONE) / 500n; // what the campaign mints for SPEND
  const issueRecipients = freshAddresses("issue-recipients", n);
  const issue = await measure(n, (i) =>
    off.connect(terminal).issue(issueRecipients[i], 0n, SPEND, toHex(keccak_256(utf8(`sale/${i}`))), TX),
  );
  const ozMint = await measure(n, (i) => oz.connect(merchant).mint(issueRecipients[i], issueAmount, TX));
  const soladyMint = await measure(n, (i) => solady.connect(merchant).mint(issueRecipients[i], issueAmount, TX));
  rows.push(
    {
      operation: "direct issue (Campaign.issue) to a new wallet",
      ours: issue.average,
      samples: n,
      reference: { name: "OZ 5.7 onlyOwner mint", gas: ozMint.average },
      target: { kind: "ratio", max: 1.3 },
    },
    {
      operation: "direct issue (Campaign.issue) to a new wallet",
      ours: issue.average,
      samples: n,
      reference: { name: "Solady onlyOwner mint", gas: soladyMint.average },
    },
  );
  progress(`direct issues and mints (${3 * n})`);

  // ------------------------------------------------ creation: fresh merchants, each with its first token and campaign
  const merchants = Array.from({ length: n }, (_, i) => wallet("merchant", i));
  for (const m of merchants) await ethers.provider.send("hardhat_setBalance", [m.address, "0x56BC75E2D63100000"]);
  const issuerKeys = freshAddresses("campaign-issuers", n);
  const tokenAddresses: string[] = [];
  const tokenCreation = await measure(n, async (i) => {
    const created = await createToken(merchants[i]);
    tokenAddresses.push(created.address);
    return created.tx;
  });
  const campaignAddresses: string[] = [];
  const campaignCreation = await measure(n, async (i) => {
    const params = await campaignParams(tokenAddresses[i], { ...schedule, issuers: [issuerKeys[i]] });
    const created = await createCampaign(merchants[i], params);
    campaignAddresses.push(created.address);
    return created.tx;
  });
  progress(`token and campaign creation (${2 * n})`);
  const ozDeploy = await deployGas("OZPermitToken", [name, symbol, merchant.address], n);
  const soladyDeploy = await deployGas("SoladyPermitToken", [name, symbol, merchant.address], n);
  progress(`reference deployments (${2 * n})`);
  rows.push(
    {
      operation: "campaign creation (createCampaign, 1 issuer key, no tiers)",
      ours: campaignCreation.average,
      samples: n,
      target: { kind: "absolute", max: 250_000 },
    },
    {
      operation: "brand token creation (createToken)",
      ours: tokenCreation.average,
      samples: n,
      reference: { name: "OZ ERC20Permit deployed from an EOA", gas: ozDeploy },
      target: { kind: "ratio", max: 1.05 },
    },
    {
      operation: "brand token creation (createToken)",
      ours: tokenCreation.average,
      samples: n,
      reference: { name: "Solady ERC20 deployed from an EOA", gas: soladyDeploy },
    },
  );

  // ------------------------------------------------ Merkle batch of 2^20 printed codes (tree built on a worker meanwhile, so measured last)
  const { tree, seconds: treeSeconds } = await codeTree;
  checkAgainstOpenZeppelin(tree, claimedIndexes[1], claimKeys.get(claimedIndexes[1])!.address);
  progress(`Merkle tree of ${codeCount} codes ready (built in ${treeSeconds.toFixed(1)}s on a worker) and checked against OpenZeppelin's`);

  // The same batch is published on the capped campaign and on the one without a cap (claimed bitmaps are per
  // campaign, and claim signatures name the campaign).
  const claimCodes = async (campaign: ICampaign, indexes: number[], label: string) => {
    const campaignAddress = await campaign.getAddress();
    const batchId = await campaign.batchCount();
    if ((await campaign.batchRoot(batchId - 1n)) !== tree.root) throw new Error("batch not published");
    const domain = { name: "Perks Campaign", version: "1", chainId, verifyingContract: campaignAddress };
    const recipients = freshAddresses(label, n);
    return measure(n, async (i) => {
      const index = indexes[i];
      const claimKey = claimKeys.get(index)!;
      const [claimR, claimVS] = compact(await claimKey.signTypedData(domain, CLAIM_TYPES, { recipient: recipients[i] }));
      const claim = { batchId: batchId - 1n, index: BigInt(index), points: CODE_POINTS, claimKey: claimKey.address };
      return campaign.connect(relayer).claimCode(claim, tree.proof(index), recipients[i], claimR, claimVS, TX);
    });
  };
  await (await off.connect(merchant).publishBatch(tree.root, codeCount, TX)).wait();
  await (await offNoCap.connect(merchant).publishBatch(tree.root, codeCount, TX)).wait();
  // Capped campaign first, in the order the rows were measured before the uncapped ones were added.
  const merkle = await claimCodes(off, claimedIndexes, "code-recipients");
  const merkleNeighbours = await claimCodes(off, neighbourIndexes, "code-recipients-2");
  const merkleRun = await claimCodes(off, consecutiveIndexes, "code-recipients-run");
  const merkleRunNoCap = await claimCodes(offNoCap, consecutiveIndexes, "code-recipients-run-nocap");
  const merkleNoCap = await claimCodes(offNoCap, claimedIndexes, "code-recipients-nocap");
  const merkleNeighboursNoCap = await claimCodes(offNoCap, neighbourIndexes, "code-recipients-2-nocap");
  const batch = `batch of 2^${TREE_DEPTH} codes (${TREE_DEPTH}-hash proof)`;
  const run = `${n} consecutive codes: ${Math.ceil(n / 256)} of ${n} claims create${n > 256 ? "" : "s"} a bitmap word`;
  const sparse = `worst case, one code per ${spacing}: each claim creates a bitmap word`;
  const neighbours = "the neighbour of each of those: bitmap word already created";
  merkleRows.push(
    {
      operation: `Merkle claim, new wallet, no supply cap, ${batch}, ${run}`,
      ours: merkleRunNoCap.average,
      samples: n,
      target: { kind: "absolute", max: 90_000 },
    },
    { operation: `Merkle claim, new wallet, 10^12-point supply cap, same batch, ${run}`, ours: merkleRun.average, samples: n },
    { operation: `Merkle claim, new wallet, no supply cap, same batch, ${sparse}`, ours: merkleNoCap.average, samples: n },
    { operation: `Merkle claim, new wallet, 10^12-point supply cap, same batch, ${sparse}`, ours: merkle.average, samples: n },
    {
      operation: `Merkle claim, new wallet, no supply cap, same batch, ${neighbours}`,
      ours: merkleNeighboursNoCap.average,
      samples: n,
    },
    {
      operation: `Merkle claim, new wallet, 10^12-point supply cap, same batch, ${neighbours}`,
      ours: merkleNeighbours.average,
      samples: n,
    },
  );
  progress(`Merkle claims (${6 * n})`);

  rows.splice(afterVouchers, 0, ...merkleRows);

  // ------------------------------------------------ where the gas goes
  names.set(campaignAddresses[0].toLowerCase(), "new campaign clone");
  names.set(tokenAddresses[0].toLowerCase(), "LoyaltyToken (new)");
  const middle = Math.floor(n / 2); // not the first claim of a bitmap word (of a counter's vouchers or a run of codes)
  // The target rows' transactions (campaigns without a cap); the Merkle claim is one whose bitmap word exists.
  const traced: [string, string][] = [
    ["voucher claim, tiers off, no cap", voucherOffNoCap.hashes[middle]],
    ["voucher claim, tiers on, no cap", voucherTiersNoCap.hashes[middle]],
    ["Merkle claim, no cap", merkleRunNoCap.hashes[middle]],
    ["direct issue", issue.hashes[middle]],
    ["campaign creation", campaignCreation.hashes[0]],
    ["token creation", tokenCreation.hashes[0]],
  ];
  const breakdowns: [string, GasBreakdown][] = [];
  // Execution gas of our implementations by source line, where the artifacts allow (information only).
  const lineOf = new Map<string, (pc: number) => string>();
  for (const [display, fqn] of [
    ["Campaign (implementation)", "contracts/campaigns/Campaign.sol:Campaign"],
    ["LoyaltyToken", "contracts/tokens/LoyaltyToken.sol:LoyaltyToken"],
  ]) {
    try {
      lineOf.set(display, await sourceLineMapper(hre, fqn));
    } catch (error) {
      progress(`no source lines for ${fqn}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const [label, hash] of traced) breakdowns.push([label, await gasBreakdown(ethers.provider, hash, names, lineOf)]);
  progress("traced");

  // ------------------------------------------------ other contracts' benches (sibling modules)
  const sections = process.env.PERKS_BENCH_SECTIONS === "0" ? [] : await runSections();

  // ------------------------------------------------ report
  const evaluated = rows.map(evaluate);
  const notes = [
    `Gas = receipt gasUsed (21,000 base and calldata included), average of ${n} transactions per row, on the in-process Hardhat network (hardfork ${hardfork}); solc ${hre.config.solidity.compilers[0].version}, optimizer ${settings.optimizer?.runs ?? "?"} runs, evm ${settings.evmVersion}.`,
    "References are built from npm packages (contracts/bench/): OpenZeppelin 5.7 ERC20 + ERC20Permit + Ownable with an onlyOwner mint, and a Solady 0.1.26 ERC20 (permit built in) with an onlyOwner mint. Transfers send 1 point from a holder who keeps a balance, with the same recipients and calldata for the three tokens.",
    `Claims are submitted by a relayer account into fresh wallets; voucher and direct issue carry a spend of ${SPEND} cents converted by the earn rate (1 point per 500). "ids from a counter": ${n} consecutive voucher ids of one terminal (the SDK's voucherIdFor), so they share 256-bit words of the claimed bitmap and only the first claim of each word creates it; "each id in a fresh bitmap word": ids 256 apart, so every claim creates a word (what random ids would cost).`,
    `Supply cap: "no supply cap" rows (the targets) measure campaigns whose supplyCap is 2^128 - 1, the SDK's NO_SUPPLY_CAP and what the dApp creates when the cap is left empty: such a campaign does not count issued() and a claim does not write its status slot. "10^12-point supply cap" rows measure the same claims on a campaign with that cap, which counts issued() (one more storage write per claim: about 2,900 gas). Each configuration (tiers off; ${TIERS.length} tiers over 30-day periods) is a separate campaign of the same token and terminal; each row uses its own fresh wallets and claim keys. Direct issue is measured on the capped tiers-off campaign, after its voucher claims.`,
    `The Merkle batch is a real 2^${TREE_DEPTH}-leaf StandardMerkleTree (leaf = keccak256(keccak256(abi.encode(index, claimKey, points))), sorted pairs), published on the capped and on the uncapped tiers-off campaign. Its target row (no cap) averages ${n} consecutive codes (indexes ${consecutiveIndexes[0]}..${consecutiveIndexes[n - 1]}, starting a 256-code word no other row touches), so ${Math.ceil(n / 256)} of the ${n} claims create${n > 256 ? "" : "s"} a word of the claimed bitmap: over a batch's life each word is created once per 256 codes, whatever order the codes are claimed in. The worst-case rows claim one code per ${spacing}, each creating a word (as the very first claims of a big batch do); the next rows claim the neighbour of each (index ^ 1), whose word exists.`,
    "Tiers on: a wallet's tier record is written in the same storage slot as its balance in the token (LoyaltyToken.recordOf) for the first tiered campaign of the token it claims from, and in the campaign's own storage (a new slot, about 20,000 gas more) for any later one; the \"wallet holding the token\" rows measure both for wallets that already hold points (the tiers-off and tiers-on rows' recipients, in a second tiered campaign), and a third tiered campaign taking over the slots of the first once it ended (ending retires it: LoyaltyToken.retireCampaign).",
    "Creation: each of the fresh merchants creates its first token, then its first campaign, through the factory (registry writes included); the references are deployed by `new` from an EOA (initcode paid as calldata).",
    "Published references for a claim: thirdweb signature mint 183k-229k gas; Uniswap MerkleDistributor claim ~78.6k gas on average.",
  ];
  const sectionText = sections.flatMap((section) => [
    "",
    `${section.title} (scripts/bench/${section.file}, ${section.fn}):`,
    "",
    section.error ? `ERROR: ${section.error}` : renderText(section.rows),
  ]);
  const text = [
    "",
    renderText(evaluated),
    "",
    ...notes.map((note) => `* ${note}`),
    ...sectionText,
    "",
    breakdownText(breakdowns, false),
  ].join("\n");
  console.log(text);

  const everyRow = [...evaluated, ...sections.flatMap((section) => section.rows)];
  const failed = [
    ...everyRow.filter((row) => row.pass === false).map((row) => row.operation),
    ...sections.filter((section) => section.error).map((section) => `${section.fn} threw`),
  ];
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\n${everyRow.filter((r) => r.pass).length} targets passed, ${failed.length} failed${failed.length ? `: ${failed.join("; ")}` : ""}. ${seconds.toFixed(0)}s.`,
  );

  if (SAMPLES === DEFAULT_SAMPLES && TREE_DEPTH === DEFAULT_TREE_DEPTH) {
    mkdirSync(path.dirname(OUTPUT), { recursive: true });
    writeFileSync(OUTPUT, markdownReport(evaluated, notes, sections, breakdowns));
    console.log(`Wrote ${path.relative(process.cwd(), OUTPUT)}.`);
    const readme = readFileSync(README, "utf8");
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    if (start >= 0 && end > start) {
      writeFileSync(README, readme.slice(0, start + README_START.length) + "\n" + readmeTargets(evaluated, sections) + "\n" + readme.slice(end));
      console.log(`Wrote the targets into ${path.relative(process.cwd(), README)}.`);
    }
  } else {
    console.log(`Not writing ${path.relative(process.cwd(), OUTPUT)}: non-default samples or tree depth.`);
  }
  if (STRICT && failed.length > 0) process.exitCode = 1;
}

/**
 * `count` consecutive code indexes from the start of the first 256-code word of the claimed bitmap that none of
 * `taken` (or of the words the run covers) falls in.
 */
function consecutiveRun(count: number, codeCount: number, taken: number[]): number[] {
  const takenWords = new Set(taken.map((index) => index >> 8));
  const words = Math.ceil(count / 256);
  for (let word = 0; (word + words) * 256 <= codeCount; word++) {
    if (Array.from({ length: words }, (_, k) => word + k).every((w) => !takenWords.has(w))) {
      return Array.from({ length: count }, (_, i) => word * 256 + i);
    }
  }
  throw new Error(`no ${words} free bitmap words for ${count} consecutive codes`);
}

// ---------------------------------------------------------------- sections from sibling modules

/** A row as the sibling bench modules return it. */
interface SectionRow {
  operation: string;
  ours: number;
  samples: number;
  /** Most gas allowed; none for information. */
  target?: number;
  reference?: number;
  referenceName?: string;
}

interface Section {
  file: string;
  fn: string;
  title: string;
  rows: Evaluated[];
  error?: string;
}

/** This bench's own modules, never run as sections. */
const OWN_MODULES = new Set(["gas.ts", "merkle-worker.ts", "sourcemap.ts", "table.ts", "trace.ts"]);

async function runSections(): Promise<Section[]> {
  const sections: Section[] = [];
  const samples = process.env.PERKS_BENCH_SAMPLES === undefined ? undefined : SAMPLES;
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.startsWith("_") && !OWN_MODULES.has(file))
    .sort();
  for (const file of files) {
    // Only modules that declare a bench function are loaded at all.
    const source = readFileSync(path.join(__dirname, file), "utf8");
    for (const match of source.matchAll(/export async function (bench[A-Z]\w*)\s*\(/g)) {
      const fn = match[1];
      const title = fn.slice("bench".length);
      try {
        const module = require(path.join(__dirname, file)) as Record<string, unknown>;
        const bench = module[fn];
        if (typeof bench !== "function") throw new Error(`${fn} is not exported`);
        const sectionRows = (await (bench as (samples?: number) => Promise<SectionRow[]>)(samples)).map(toRow);
        sections.push({ file, fn, title, rows: sectionRows.map(evaluate) });
        progress(`${fn} (${file}): ${sectionRows.length} rows`);
      } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
        sections.push({ file, fn, title, rows: [], error: message });
        progress(`${fn} (${file}) failed: ${message}`);
      }
    }
  }
  return sections;
}

function toRow(row: SectionRow): Row {
  if (typeof row.operation !== "string" || typeof row.ours !== "number") throw new Error("malformed bench row");
  return {
    operation: row.operation,
    ours: row.ours,
    samples: row.samples,
    reference: row.reference === undefined ? undefined : { name: row.referenceName ?? "reference", gas: row.reference },
    target: row.target === undefined ? undefined : { kind: "absolute", max: row.target },
  };
}

/** The tree matches OpenZeppelin's StandardMerkleTree: on a small tree root and proofs, on the big one a proof. */
function checkAgainstOpenZeppelin(big: FastMerkleTree, index: number, claimKey: string) {
  const encoding = [...CODE_LEAF_ENCODING];
  const values: [bigint, string, bigint][] = Array.from({ length: 37 }, (_, i) => [
    BigInt(1000 + i),
    ethers.getAddress(toHex(keccak_256(utf8(`small/${i}`)).subarray(0, 20))),
    BigInt(i) * ONE,
  ]);
  const ours = FastMerkleTree.fromCodes(values.length, (i) => ({ index: values[i][0], claimKey: values[i][1], points: values[i][2] }));
  const theirs = StandardMerkleTree.of(values, encoding);
  if (ours.root !== theirs.root) throw new Error("Merkle root differs from StandardMerkleTree's");
  for (let i = 0; i < values.length; i++) {
    if (!StandardMerkleTree.verify(ours.root, encoding, values[i], ours.proof(i))) throw new Error(`proof ${i} rejected`);
    if (JSON.stringify(theirs.getProof(i)) !== JSON.stringify(ours.proof(i))) throw new Error(`proof ${i} differs`);
  }
  const value = [BigInt(index), claimKey, CODE_POINTS];
  if (!StandardMerkleTree.verify(big.root, encoding, value, big.proof(index))) throw new Error("big-tree proof rejected");
  const leaf = codeLeafHash({ index: BigInt(index), claimKey, points: CODE_POINTS });
  if (!verifyProof(big.root, leaf, big.proof(index))) throw new Error("big-tree proof rejected by verifyProof");
}

/** Source-line tables: for the first this many traced transactions, this many lines each. */
const LINE_TABLES = 3;
const LINE_ROWS = 12;

function breakdownGrid(breakdowns: [string, GasBreakdown][]): { header: string[]; body: string[][] } {
  const header = ["gas", ...breakdowns.map(([label]) => label)];
  const body = CATEGORIES.map((category) => [
    category,
    ...breakdowns.map(([, b]) => (b.byCategory[category] === 0 ? "" : gasFormat(b.byCategory[category]))),
  ]);
  body.push(["total (gasUsed)", ...breakdowns.map(([, b]) => gasFormat(b.gasUsed))]);
  return { header, body };
}

function breakdownDetails(breakdowns: [string, GasBreakdown][]): string[] {
  const lines: string[] = [];
  for (const [label, b] of breakdowns) {
    const byContract = [...b.otherByContract.entries()].map(([c, g]) => `${c} ${gasFormat(g)}`).join(", ");
    const ops = b.topOtherOps.map(([op, g]) => `${op} ${gasFormat(g)}`).join(", ");
    const counts = [...b.counts.entries()].map(([op, c]) => `${op} x${c}`).join(", ");
    lines.push(`${label}: other execution by code: ${byContract}; costliest other opcodes: ${ops}; counts: ${counts}.`);
  }
  return lines;
}

function breakdownText(breakdowns: [string, GasBreakdown][], markdown: boolean): string {
  const { header, body } = breakdownGrid(breakdowns);
  const numeric = header.map((_, c) => c > 0);
  const grid = markdown ? markdownGrid(header, body, numeric) : renderGrid(header, body, numeric);
  const explanation =
    "One transaction of each kind, traced with debug_traceTransaction. \"calls & account access\" is the CALL/DELEGATECALL/STATICCALL overhead and EXTCODESIZE, with EIP-2929 cold account access, not the callee's work (counted where it runs); \"ecrecover\" is the precompile call; \"CREATE2 + code deposit\" includes 200 gas per byte of deployed code; \"refund\" is whatever the steps do not explain (negative: storage refund).";
  const title = markdown ? `## Where the gas goes\n\n${explanation}` : `Where the gas goes. ${explanation}`;
  const lines: string[] = [];
  for (const [label, b] of breakdowns.filter(([, b]) => b.otherByLine.length > 0).slice(0, LINE_TABLES)) {
    const top = b.otherByLine.slice(0, LINE_ROWS);
    const rest = b.otherByLine.slice(LINE_ROWS).reduce((sum, [, gas]) => sum + gas, 0);
    const body = [...top.map(([line, gas]) => [gasFormat(gas), line]), [gasFormat(rest), "(all other lines)"]];
    const header = ["gas", `${label}: "other execution" of Campaign and LoyaltyToken by source line`];
    lines.push("", markdown ? markdownGrid(header, body, [true, false]) : renderGrid(header, body, [true, false]));
  }
  const generated =
    '"(generated)" is code solc maps to no source line: the function dispatcher, ABI decoding and validation of the calldata, checked-arithmetic and panic helpers.';
  return [title, "", grid, "", ...breakdownDetails(breakdowns).map((l) => `* ${l}`), ...lines, "", generated].join("\n");
}

/** Every row that has a target, from every section, as one Markdown table with the date of the run. */
function readmeTargets(rows: Evaluated[], sections: Section[]): string {
  const targeted = [...rows, ...sections.flatMap((section) => section.rows)].filter((row) => row.pass !== undefined);
  const day = new Date().toISOString().slice(0, 10);
  return [
    `Measured by \`npm run bench\` on ${day} (gas is receipt gasUsed averaged over 256 transactions; times in ms on this`,
    "2-core machine). Every row, reference and note: [bench/gas.md](bench/gas.md).",
    "",
    renderMarkdown(targeted),
  ].join("\n");
}

function markdownReport(
  rows: Evaluated[],
  notes: string[],
  sections: Section[],
  breakdowns: [string, GasBreakdown][],
): string {
  return [
    "# Gas benchmark",
    "",
    "Generated by `npm run bench` (scripts/bench/gas.ts); do not edit by hand. `PERKS_BENCH_STRICT=1 npm run bench` fails when a target is missed.",
    "",
    "## Tokens and campaigns",
    "",
    renderMarkdown(rows),
    "",
    ...notes.map((note) => `* ${note}`),
    ...sections.flatMap((section) => [
      "",
      `## ${section.title}`,
      "",
      `Measured by \`${section.fn}()\` in scripts/bench/${section.file}; its conditions are described there.`,
      "",
      section.error ? `**Error:** ${section.error}` : renderMarkdown(section.rows),
    ]),
    "",
    breakdownText(breakdowns, true),
    "",
  ].join("\n");
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
