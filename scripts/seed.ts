// Seeds the local chain with a demo: two merchants with a token and a campaign each, customers with history
// from every issuance channel, and unclaimed claim links to try. Run by `npm start` after the deployment:
//   hardhat run --network localhost scripts/seed.ts
// Writes the addresses, dev wallets and links to PERKS_STATE_FILE (default .perks/local.json) and prints them.
import fs from "node:fs";
import path from "node:path";
import hre, { ethers, network } from "hardhat";
import type { Signer } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import {
  type BatchClaimCode,
  type ClaimCode,
  CLAIM_CODE_VERSION,
  claimCall,
  createVoucher,
  encodeClaimLink,
  newClaimKey,
  voucherIdFor,
} from "../sdk/src/claimCode";
import { DEV_ACCOUNTS, type DevAccount, type DevRole, LOCAL_CHAIN_ID } from "../sdk/src/devAccounts";
import type { Campaign, CampaignFactory, LoyaltyToken } from "../typechain-types";
import type { ICampaignFactory } from "../typechain-types/contracts/campaigns/CampaignFactory";

const ONE = 10n ** 18n;
const DAY = 24n * 60n * 60n;
const ALL_CHANNELS = 0b111;
const DIRECT_AND_VOUCHER = 0b011;
const stateFile = path.resolve(process.env.PERKS_STATE_FILE ?? ".perks/local.json");
// The dApp's claim page (dapp/vite.config.ts serves on 127.0.0.1, PERKS_DAPP_PORT or 5173).
const claimBaseUrl = `http://127.0.0.1:${process.env.PERKS_DAPP_PORT ?? 5173}/claim`;
const deploymentId = process.env.PERKS_DEPLOYMENT_ID ?? `chain-${LOCAL_CHAIN_ID}`;

interface DevWallet extends DevAccount {
  /** The local key, for what a device signs offline (a terminal's vouchers). */
  account: PrivateKeyAccount;
  /** The node's unlocked account, for transactions. */
  signer: Signer;
}

interface DemoLink {
  merchant: string;
  kind: ClaimCode["kind"];
  description: string;
  link: string;
}

interface Merchant {
  name: string;
  wallet: DevWallet;
  terminal: DevWallet;
  token: LoyaltyToken;
  symbol: string;
  campaign: Campaign;
  /** Next voucher sequence of the merchant's terminal. */
  sequence: number;
}

function metadataURI(document: Record<string, string>): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(document))}`;
}

/** The demo's dev accounts (sdk/src/devAccounts.ts), checked against the accounts the node unlocked. */
async function devWallets(): Promise<Record<DevRole, DevWallet>> {
  const signers = await ethers.getSigners();
  const wallets = DEV_ACCOUNTS.map((dev): [DevRole, DevWallet] => {
    if (signers[dev.index]?.address !== dev.address) {
      throw new Error(`The node's account ${dev.index} is not ${dev.address}: start it with Hardhat's default accounts.`);
    }
    return [dev.role, { ...dev, account: privateKeyToAccount(dev.privateKey), signer: signers[dev.index] }];
  });
  return Object.fromEntries(wallets) as Record<DevRole, DevWallet>;
}

/** The contracts Ignition deployed, by future id without the module's prefix ("CampaignFactory", …). */
function deployedContracts(): Record<string, string> {
  const file = path.join(hre.config.paths.ignition, "deployments", deploymentId, "deployed_addresses.json");
  if (!fs.existsSync(file)) throw new Error(`No deployment at ${file}: run hardhat ignition deploy first.`);
  const futures = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  return Object.fromEntries(Object.entries(futures).map(([id, address]) => [id.slice(id.indexOf("#") + 1), address]));
}

async function createMerchant(
  factory: CampaignFactory,
  name: string,
  wallet: DevWallet,
  terminal: DevWallet,
  token: ICampaignFactory.TokenParamsStruct,
  campaign: Omit<ICampaignFactory.CampaignParamsStruct, "token" | "issuers">,
): Promise<Merchant> {
  const params = { ...campaign, token: ethers.ZeroAddress, issuers: [wallet.address, terminal.address] };
  const receipt = await (await factory.connect(wallet.signer).createTokenAndCampaign(token, params, ethers.ZeroHash)).wait();
  const created = receipt!.logs
    .map((log) => factory.interface.parseLog(log))
    .find((event) => event?.name === "CampaignCreated");
  if (!created) throw new Error(`${name}: no CampaignCreated event.`);
  return {
    name,
    wallet,
    terminal,
    token: (await ethers.getContractAt("LoyaltyToken", created.args.token)) as unknown as LoyaltyToken,
    symbol: String(token.symbol),
    campaign: (await ethers.getContractAt("Campaign", created.args.campaign)) as unknown as Campaign,
    sequence: 0,
  };
}

/** Direct issuance from the merchant's terminal: `spend` in cents, converted by the campaign's earn rate. */
async function issue(merchant: Merchant, customer: DevWallet, spend: bigint, receipt: string) {
  const campaign = merchant.campaign.connect(merchant.terminal.signer);
  await (await campaign.issue(customer.address, 0n, spend, ethers.encodeBytes32String(receipt))).wait();
}

/** Submits a claim the way a relayer does: the claim key signed the recipient, anyone pays the gas. */
async function claim(merchant: Merchant, code: ClaimCode, recipient: DevWallet, relayer: DevWallet) {
  const campaign = merchant.campaign.connect(relayer.signer);
  const call = await claimCall(code, recipient.address);
  const tx =
    call.functionName === "claimVoucher" ? await campaign.claimVoucher(...call.args) : await campaign.claimCode(...call.args);
  await tx.wait();
}

async function basePoints(merchant: Merchant, points: bigint, spend: bigint): Promise<string> {
  const total = points + (spend === 0n ? 0n : await merchant.campaign.pointsForSpend(spend));
  return `${ethers.formatUnits(total, 18)} ${merchant.symbol}`;
}

/** A receipt voucher signed by the merchant's terminal with its local key, offline as at a real till. */
async function voucher(merchant: Merchant, chainId: number, expiresAt: bigint, spend: bigint, points = 0n) {
  const issuer = merchant.terminal.account;
  return createVoucher({
    issuer,
    campaign: (await merchant.campaign.getAddress()) as Address,
    chainId,
    id: voucherIdFor(issuer.address, merchant.sequence++),
    points,
    spend,
    expiresAt,
  });
}

/** Publishes a batch of printed codes (cup sleeves) and returns the codes with their proofs. */
async function publishBatch(merchant: Merchant, chainId: number, points: bigint[]): Promise<BatchClaimCode[]> {
  const keys = points.map(() => newClaimKey());
  const tree = StandardMerkleTree.of(
    points.map((amount, index) => [BigInt(index), keys[index].address, amount] as [bigint, string, bigint]),
    ["uint256", "address", "uint256"],
  );
  const campaign = merchant.campaign.connect(merchant.wallet.signer);
  const batchId = await campaign.batchCount();
  await (await campaign.publishBatch(tree.root, points.length)).wait();
  const address = (await campaign.getAddress()) as Address;
  return points.map((amount, index) => ({
    version: CLAIM_CODE_VERSION,
    kind: "batch",
    chainId,
    campaign: address,
    claimPrivateKey: keys[index].privateKey,
    code: { batchId, index: BigInt(index), points: amount, claimKey: keys[index].address },
    proof: tree.getProof(index) as `0x${string}`[],
  }));
}

async function main() {
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  if (chainId !== LOCAL_CHAIN_ID) throw new Error(`The demo seed uses public dev keys: chain ${chainId} refused.`);
  const wallets = await devWallets();
  const contracts = deployedContracts();
  if (!contracts.CampaignFactory) throw new Error(`Deployment ${deploymentId} has no CampaignFactory.`);
  const factory = (await ethers.getContractAt("CampaignFactory", contracts.CampaignFactory)) as unknown as CampaignFactory;
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const { alice, bob, carol, relayer } = wallets;

  const alpha = await createMerchant(
    factory,
    "Alpha Coffee",
    wallets.alphaMerchant,
    wallets.alphaTerminal,
    {
      name: "Alpha Coffee Beans",
      symbol: "BEAN",
      faceValue: 10_000n, // 0.01 USD per point, in millionths
      metadataURI: metadataURI({ name: "Alpha Coffee Beans", description: "Points of Alpha Coffee" }),
    },
    {
      startsAt: now,
      endsAt: now + 90n * DAY,
      supplyCap: 1_000_000n * ONE,
      maxPerClaim: 500n * ONE,
      earnPoints: ONE, // 1 point per 1.00 spent (spend in cents)
      earnSpend: 100n,
      channels: ALL_CHANNELS,
      tierPeriod: 30n * DAY,
      tiers: [
        { threshold: 40n * ONE, multiplierBps: 11_000 }, // Silver: +10 %
        { threshold: 200n * ONE, multiplierBps: 12_500 }, // Gold: +25 %
      ],
      milestones: [
        { claimNumber: 5, bonus: 10n * ONE }, // stamp card: the 5th visit earns 10 more
        { claimNumber: 10, bonus: 25n * ONE },
      ],
      metadataURI: metadataURI({ name: "Alpha Coffee stamp card", description: "Earn on every coffee" }),
      optionalDataFields: ["favourite drink"],
    },
  );
  const beta = await createMerchant(
    factory,
    "Beta Books",
    wallets.betaMerchant,
    wallets.betaTerminal,
    {
      name: "Beta Books Pages",
      symbol: "PAGE",
      faceValue: 0n,
      metadataURI: metadataURI({ name: "Beta Books Pages", description: "Points of Beta Books" }),
    },
    {
      startsAt: now,
      endsAt: now + 180n * DAY,
      supplyCap: 500_000n * ONE,
      maxPerClaim: 0n,
      earnPoints: ONE, // 1 point per 5.00 spent (spend in cents)
      earnSpend: 500n,
      channels: DIRECT_AND_VOUCHER,
      tierPeriod: 0n,
      tiers: [],
      milestones: [],
      metadataURI: metadataURI({ name: "Beta Books readers' rewards", description: "1 page per 5.00 spent" }),
      optionalDataFields: [],
    },
  );

  // Direct issuance at the till: Alice comes often enough for the stamp-card bonus and the Silver tier.
  for (const [i, spend] of [450n, 320n, 1280n, 560n, 990n, 700n].entries()) {
    await issue(alpha, alice, spend, `ALPHA-${1001 + i}`);
  }
  await issue(alpha, bob, 380n, "ALPHA-1007");
  await issue(beta, alice, 2350n, "BETA-5001");
  await issue(beta, carol, 4500n, "BETA-5002");

  // Receipt vouchers signed offline by the terminals; a relayer submits the claims of some of them.
  const expiresAt = now + 30n * DAY;
  const alphaVouchers = [
    await voucher(alpha, chainId, expiresAt, 640n),
    await voucher(alpha, chainId, expiresAt, 1150n),
    await voucher(alpha, chainId, expiresAt, 480n),
    await voucher(alpha, chainId, expiresAt, 0n, 15n * ONE),
  ];
  const betaVouchers = [
    await voucher(beta, chainId, expiresAt, 3000n),
    await voucher(beta, chainId, expiresAt, 5500n),
    await voucher(beta, chainId, expiresAt, 0n, 20n * ONE),
  ];
  await claim(alpha, alphaVouchers[0], bob, relayer);
  await claim(alpha, alphaVouchers[1], carol, relayer);
  await claim(beta, betaVouchers[0], bob, relayer);

  // Printed codes on cup sleeves: one Merkle root commits them all; Carol scratched the first one.
  const sleeves = await publishBatch(alpha, chainId, [5n, 5n, 5n, 5n, 10n, 10n, 25n, 50n].map((p) => p * ONE));
  await claim(alpha, sleeves[0], carol, relayer);

  const links: DemoLink[] = [];
  for (const [merchant, codes] of [
    [alpha, alphaVouchers.slice(2)],
    [beta, betaVouchers.slice(1)],
    [alpha, sleeves.slice(1)],
  ] as const) {
    for (const code of codes) {
      const points =
        code.kind === "voucher"
          ? await basePoints(merchant, code.voucher.points, code.voucher.spend)
          : await basePoints(merchant, code.code.points, 0n);
      const what = code.kind === "voucher" ? "receipt voucher" : `printed code #${code.code.index}`;
      const link = encodeClaimLink(code, claimBaseUrl);
      links.push({ merchant: merchant.name, kind: code.kind, description: `${what}, ${points}`, link });
    }
  }

  const merchants = await Promise.all(
    [alpha, beta].map(async (merchant) => ({
      name: merchant.name,
      account: merchant.wallet.address,
      terminal: merchant.terminal.address,
      token: { address: await merchant.token.getAddress(), symbol: merchant.symbol, name: await merchant.token.name() },
      campaigns: [await merchant.campaign.getAddress()],
    })),
  );
  const state = {
    note: "Local demo only: these are Hardhat's public dev keys. Never send real funds to them.",
    chainId,
    rpcUrl: (network.config as { url: string }).url,
    contracts,
    merchants,
    devWallets: DEV_ACCOUNTS,
    demoClaimLinks: links,
  };
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);

  await printSummary(state, [alpha, beta], Object.values(wallets));
}

async function printSummary(
  state: { rpcUrl: string; chainId: number; contracts: Record<string, string>; demoClaimLinks: DemoLink[] },
  merchants: Merchant[],
  wallets: DevWallet[],
) {
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(30)}${value}`);
  console.log("\nPerks local chain");
  line("RPC URL", state.rpcUrl);
  line("Chain id", String(state.chainId));
  for (const [name, address] of Object.entries(state.contracts)) line(name, address);
  for (const merchant of merchants) {
    console.log(`\n${merchant.name} (merchant: dev account ${merchant.wallet.index}, terminal: ${merchant.terminal.index})`);
    line(`Token ${merchant.symbol}`, await merchant.token.getAddress());
    line("Campaign", await merchant.campaign.getAddress());
  }
  console.log("\nDev wallets (Hardhat's public keys: local use only)");
  for (const wallet of wallets) {
    const balances = await Promise.all(
      merchants.map(async (m) => `${ethers.formatUnits(await m.token.balanceOf(wallet.address), 18)} ${m.symbol}`),
    );
    const holdings = balances.filter((b) => !b.startsWith("0.0 ")).join(", ");
    line(`#${wallet.index} ${wallet.role}`, `${wallet.address}  ${wallet.privateKey}${holdings ? `  (${holdings})` : ""}`);
  }
  console.log(`\nUnclaimed demo claim links (all ${state.demoClaimLinks.length} in ${path.relative(process.cwd(), stateFile)})`);
  const vouchers = state.demoClaimLinks.filter((demo) => demo.kind === "voucher");
  const printed = state.demoClaimLinks.filter((demo) => demo.kind === "batch");
  const shown = [...vouchers, ...printed.slice(0, 3)];
  for (const demo of shown) {
    console.log(`  ${demo.merchant}, ${demo.description}\n    ${demo.link}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
