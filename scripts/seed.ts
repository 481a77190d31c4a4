// Seeds the local chain with a demo of every feature and five weeks of history: two merchants (Alpha Coffee, Beta
// Books) with a token, a campaign and a reward catalog each, partner acceptance between them, customers who earn
// through every issuance channel and redeem, give away and use vouchers, orders between the two brands (and a
// stablecoin) on the PointsExchange, stablecoin bids on the CashOutGateway, and unclaimed claim links to try.
// Run by `npm start` after the deployment, with the node's URL in PERKS_RPC_URL (default http://127.0.0.1:8545, or
// PERKS_PORT) and the Ignition deployment in PERKS_DEPLOYMENT_ID (default chain-31337):
//   node_modules/.bin/ts-node --transpile-only scripts/seed.ts
// Writes the addresses, dev wallets, catalogs, orders, bids and links to PERKS_STATE_FILE (default
// .perks/local.json) and prints them. Every transaction goes through the SDK's actions, as the dApp's do.
//
// History: `npm start` starts its chain five weeks in the past (PERKS_CHAIN_START, see hardhat.config.ts). The
// seed moves the chain's clock forward between rounds of activity (evm_setNextBlockTimestamp, then a block mined
// there, so that every round has an exact date): Alice's 5th and 10th visits reach the stamp card's milestones,
// Alpha's 30-day tier period rolls over on day 30, and the merchants' statistics get weeks of issuance,
// redemptions and trades. It ends by catching the clock up with today, so that what the dApp signs next (vouchers
// at the till, permits) carries dates the chain agrees with. On a chain started today, the history runs five weeks
// into the future instead, and the seed says so.
//
// Speed: the node automines, answering each transaction once it is mined (with an error if it reverted), so the
// seed never waits for receipts; customers who do not depend on each other act side by side within a round.
import fs from "node:fs";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  type Address,
  type Hex,
  type Transport,
  createPublicClient,
  createTestClient,
  createWalletClient,
  formatUnits,
  http,
  isAddressEqual,
  parseUnits,
  zeroAddress,
  stringToHex,
} from "viem";
import { readContract } from "viem/actions";
import { hardhat } from "viem/chains";
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
import { campaignAbi, mockStablecoinAbi, pointsExchangeAbi, rewardCatalogAbi } from "../sdk/src/generated/abis";
import { type Sent, type WriteClients, simulateAndWrite } from "../sdk/src/actions/write";
import { type CampaignParams, type TokenParams, createTokenAndCampaign } from "../sdk/src/actions/factory";
import { issuePoints, pointsForSpend, publishBatch, tierOf } from "../sdk/src/actions/campaign";
import { getBalance } from "../sdk/src/actions/token";
import {
  type RewardParams,
  RewardKind,
  addReward,
  createCatalog,
  getCatalog,
  getVoucherBalances,
  giveVoucher,
  listRewards,
  redeemReward,
  setPartnerRate,
  setTerminal,
  signVoucherUse,
  submitVoucherUse,
} from "../sdk/src/actions/rewards";
import { type Order, createOrder, fillOrder, getOrder } from "../sdk/src/actions/market";
import { getBid, postBid, sellPoints } from "../sdk/src/actions/gateway";

const ONE = 10n ** 18n;
const HOUR = 60n * 60n;
const DAY = 24n * HOUR;
/** Length of the seeded history. `npm start` starts the chain a day earlier than this (scripts/start.mjs). */
const HISTORY_DAYS = 35n;
/** 0.01 USD per BEAN, in millionths of a dollar. */
const ALPHA_FACE_VALUE = 10_000n;
const ALL_CHANNELS = 0b111;
const DIRECT_AND_VOUCHER = 0b011;
const stateFile = path.resolve(process.env.PERKS_STATE_FILE ?? ".perks/local.json");
// The dApp's claim page (dapp/vite.config.ts serves on 127.0.0.1, PERKS_DAPP_PORT or 5173).
const claimBaseUrl = `http://127.0.0.1:${process.env.PERKS_DAPP_PORT ?? 5173}/claim`;
const deploymentId = process.env.PERKS_DEPLOYMENT_ID ?? `chain-${LOCAL_CHAIN_ID}`;
const rpcUrl = process.env.PERKS_RPC_URL ?? `http://127.0.0.1:${process.env.PERKS_PORT ?? 8545}`;

/** Whole points (18 decimals) from a decimal string or number. */
const points = (amount: number | string) => parseUnits(String(amount), 18);
/** Whole units of the 6-decimal demo USDC. */
const dollars = (amount: number | string) => parseUnits(String(amount), 6);

/**
 * The node, over HTTP, with the requests a moment brings together sent as one JSON-RPC batch; the chain id, which
 * viem asks for before every transaction, is answered here (main() checks it once).
 */
const rpc = http(rpcUrl, { batch: true });
const transport: Transport = (options) => {
  const node = rpc(options);
  const chainId = `0x${LOCAL_CHAIN_ID.toString(16)}`;
  return {
    ...node,
    request: (async (args, requestOptions) =>
      args.method === "eth_chainId" && checkedChainId
        ? chainId
        : node.request(args, requestOptions)) as typeof node.request,
  };
};
let checkedChainId = false;
const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 50 });
const testClient = createTestClient({ chain: hardhat, mode: "hardhat", transport });

interface DevWallet extends DevAccount {
  /** The local key, for what a device signs offline (a terminal's vouchers). */
  account: PrivateKeyAccount;
  /** The node's unlocked account, for the SDK's actions (the node signs). */
  clients: WriteClients;
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
  token: Address;
  tokenName: string;
  symbol: string;
  campaign: Address;
  /** Next voucher sequence of the merchant's terminal. */
  sequence: number;
  /** Next number printed on a till receipt. */
  receipt: number;
  /** The reward catalog and its voucher contract. */
  catalog: Address;
  voucher: Address;
  rewards: { id: bigint; name: string; kind: keyof typeof RewardKind }[];
}

interface SeededOrder {
  order: Order;
  maker: DevRole;
}

interface SeededBid {
  bidId: bigint;
  operator: DevRole;
  note: string;
}

/** Symbol and decimals of every token the demo handles, by lower-case address. */
const tokenInfo = new Map<string, { symbol: string; decimals: number }>();
const symbolOf = (token: Address) => tokenInfo.get(token.toLowerCase())?.symbol ?? token;
const describe = (token: Address, amount: bigint) => {
  const info = tokenInfo.get(token.toLowerCase());
  return info ? `${formatUnits(amount, info.decimals)} ${info.symbol}` : `${amount} of ${token}`;
};

function metadataURI(document: Record<string, string>): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(document))}`;
}

// ------------------------------------------------------------------------------------------------ transactions

/** Whether the node mines each transaction as it arrives (as `hardhat node` does by default). */
let automine = true;

/**
 * The result of an SDK write. The SDK simulated it first; an automining node answers `eth_sendTransaction` once
 * the transaction is mined, and with an error if it reverted, so there is no receipt to wait for. On a node that
 * does not automine, the write waits for its receipt like any other client.
 */
async function done<result>(sending: Promise<Sent<result, unknown>>): Promise<result> {
  const sent = await sending;
  if (!automine) await sent.wait();
  return sent.result;
}

async function latestTimestamp(): Promise<bigint> {
  return (await publicClient.getBlock({ blockTag: "latest" })).timestamp;
}

/** Moves the chain's clock forward to `timestamp` (never back) and mines a block there. */
async function advanceTo(timestamp: bigint) {
  if (timestamp <= (await latestTimestamp())) return;
  await testClient.setNextBlockTimestamp({ timestamp });
  await testClient.mine({ blocks: 1 });
}

/**
 * When the history happens: the `HISTORY_DAYS` up to today if the chain's clock is far enough behind (npm start
 * starts it in the past), otherwise from the chain's present on (a chain started today ends up ahead of the clock).
 */
async function planHistory() {
  const latest = await latestTimestamp();
  const today = BigInt(Math.floor(Date.now() / 1000));
  const start = today - HISTORY_DAYS * DAY > latest ? today - HISTORY_DAYS * DAY : latest + 1n;
  return { start, end: start + HISTORY_DAYS * DAY, aheadOfClock: start + HISTORY_DAYS * DAY > today };
}

// ------------------------------------------------------------------------------------------------ set-up

/** The demo's dev accounts (sdk/src/devAccounts.ts), checked against the accounts the node unlocked. */
async function devWallets(): Promise<Record<DevRole, DevWallet>> {
  const unlocked = await createWalletClient({ chain: hardhat, transport }).getAddresses();
  const wallets = DEV_ACCOUNTS.map((dev): [DevRole, DevWallet] => {
    if (unlocked[dev.index] === undefined || !isAddressEqual(unlocked[dev.index], dev.address)) {
      throw new Error(
        `The node's account ${dev.index} is not ${dev.address}: start it with Hardhat's default accounts.`,
      );
    }
    const walletClient = createWalletClient({ account: dev.address, chain: hardhat, transport, pollingInterval: 50 });
    return [
      dev.role,
      { ...dev, account: privateKeyToAccount(dev.privateKey), clients: { publicClient, walletClient } },
    ];
  });
  return Object.fromEntries(wallets) as Record<DevRole, DevWallet>;
}

/** The contracts Ignition deployed, by future id without the module's prefix ("CampaignFactory", …). */
function deployedContracts(): Record<string, Address> {
  const file = path.join(__dirname, "..", "ignition", "deployments", deploymentId, "deployed_addresses.json");
  if (!fs.existsSync(file)) throw new Error(`No deployment at ${file}: run hardhat ignition deploy first.`);
  const futures = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Address>;
  return Object.fromEntries(Object.entries(futures).map(([id, address]) => [id.slice(id.indexOf("#") + 1), address]));
}

async function createMerchant(
  factory: Address,
  name: string,
  wallet: DevWallet,
  terminal: DevWallet,
  token: TokenParams,
  campaign: Omit<CampaignParams, "token" | "issuers">,
): Promise<Merchant> {
  const params = { ...campaign, token: zeroAddress, issuers: [wallet.address, terminal.address] };
  const [tokenAddress, campaignAddress] = await done(
    createTokenAndCampaign(wallet.clients, { token, campaign: params, factory }),
  );
  tokenInfo.set(tokenAddress.toLowerCase(), { symbol: token.symbol, decimals: 18 });
  return {
    name,
    wallet,
    terminal,
    token: tokenAddress,
    tokenName: token.name,
    symbol: token.symbol,
    campaign: campaignAddress,
    sequence: 0,
    receipt: 1001,
    catalog: zeroAddress,
    voucher: zeroAddress,
    rewards: [],
  };
}

type RewardDefinition = Omit<RewardParams, "metadataURI" | "kind" | "tierCampaign" | "minTier"> & {
  kind: keyof typeof RewardKind;
  name: string;
  description: string;
  /** Least tier in the merchant's campaign; none by default. */
  minTier?: number;
};

/**
 * The merchant's catalog (through the factory; partner points go to the merchant's own account as treasury), its
 * rewards, the partner token it accepts and its till terminal.
 */
async function openCatalog(
  merchant: Merchant,
  factory: Address,
  rewards: RewardDefinition[],
  partner: { token: Address; partnerAmount: bigint; ownAmount: bigint },
) {
  const clients = merchant.wallet.clients;
  merchant.catalog = await done(
    createCatalog(clients, { token: merchant.token, treasury: merchant.wallet.address, factory }),
  );
  for (const { name, description, kind, minTier = 0, ...terms } of rewards) {
    const params: RewardParams = {
      ...terms,
      kind: RewardKind[kind],
      tierCampaign: minTier > 0 ? merchant.campaign : zeroAddress,
      minTier,
      metadataURI: metadataURI({ name, description }),
    };
    // One after the other: each reward's id is what the simulation returns, so the previous one must be mined.
    const id = await done(addReward(clients, { catalog: merchant.catalog, params }));
    merchant.rewards.push({ id, name, kind });
  }
  const catalog = merchant.catalog;
  const [voucher] = await Promise.all([
    readContract(publicClient, { address: catalog, abi: rewardCatalogAbi, functionName: "voucher" }),
    done(setPartnerRate(clients, { catalog, partnerToken: partner.token, ...partner })),
    done(setTerminal(clients, { catalog, terminal: merchant.terminal.address, allowed: true })),
  ]);
  merchant.voucher = voucher;
}

function reward(merchant: Merchant, name: string): bigint {
  const found = merchant.rewards.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${merchant.name} has no reward "${name}".`);
  return found.id;
}

// ------------------------------------------------------------------------------------------------ issuance

/** Direct issuance from the merchant's terminal at the till: `spend` in the currency's units ("4.50"). */
function visit(merchant: Merchant, customer: DevWallet, spend: string) {
  const ref = stringToHex(`${merchant.symbol}-${merchant.receipt++}`, { size: 32 });
  return done(
    issuePoints(merchant.terminal.clients, {
      campaign: merchant.campaign,
      recipient: customer.address,
      spend: parseUnits(spend, 2),
      ref,
    }),
  );
}

/** Submits a claim the way a relayer does: the claim key signed the recipient, anyone pays the gas. */
async function claim(code: ClaimCode, recipient: DevWallet, relayer: DevWallet) {
  const call = await claimCall(code, recipient.address);
  return done(
    simulateAndWrite(relayer.clients, { address: code.campaign, abi: campaignAbi, ...call, eventName: "PointsIssued" }),
  );
}

/** A receipt voucher signed by the merchant's terminal with its local key, offline as at a real till. */
function voucher(merchant: Merchant, expiresAt: bigint, spend: string, bonus = 0n) {
  const issuer = merchant.terminal.account;
  return createVoucher({
    issuer,
    campaign: merchant.campaign,
    chainId: LOCAL_CHAIN_ID,
    id: voucherIdFor(issuer.address, merchant.sequence++),
    points: bonus,
    spend: parseUnits(spend, 2),
    expiresAt,
  });
}

/** Publishes a batch of printed codes (cup sleeves) and returns the codes with their proofs. */
async function printCodes(merchant: Merchant, amounts: bigint[]): Promise<BatchClaimCode[]> {
  const keys = amounts.map(() => newClaimKey());
  const tree = StandardMerkleTree.of(
    amounts.map((amount, index) => [BigInt(index), keys[index].address, amount] as [bigint, string, bigint]),
    ["uint256", "address", "uint256"],
  );
  const batchId = await done(
    publishBatch(merchant.wallet.clients, {
      campaign: merchant.campaign,
      root: tree.root as Hex,
      codeCount: BigInt(amounts.length),
    }),
  );
  return amounts.map((amount, index) => ({
    version: CLAIM_CODE_VERSION,
    kind: "batch",
    chainId: LOCAL_CHAIN_ID,
    campaign: merchant.campaign,
    claimPrivateKey: keys[index].privateKey,
    code: { batchId, index: BigInt(index), points: amount, claimKey: keys[index].address },
    proof: tree.getProof(index) as Hex[],
  }));
}

// ------------------------------------------------------------------------------------------------ the demo

async function main() {
  const chainId = await publicClient.getChainId();
  if (chainId !== LOCAL_CHAIN_ID) throw new Error(`The demo seed uses public dev keys: chain ${chainId} refused.`);
  checkedChainId = true;
  automine = await testClient.getAutomine();
  const wallets = await devWallets();
  const contracts = deployedContracts();
  for (const name of ["CampaignFactory", "PointsExchange", "CashOutGateway", "MockStablecoin"]) {
    if (!contracts[name])
      throw new Error(`Deployment ${deploymentId} has no ${name}: deploy ignition/modules/LocalTools.ts.`);
  }
  const {
    CampaignFactory: factory,
    PointsExchange: exchange,
    CashOutGateway: gateway,
    MockStablecoin: usdc,
  } = contracts;
  tokenInfo.set(usdc.toLowerCase(), { symbol: "USDC", decimals: 6 });
  const { alice, bob, carol, relayer, exchange: desk } = wallets;

  const history = await planHistory();
  /** Moves the clock to `hour` o'clock past the start of history day `day`. */
  const on = (day: number, hour = 0) => advanceTo(history.start + BigInt(day) * DAY + BigInt(hour) * HOUR);
  await on(0);

  // ---------------------------------------------------------------- day 0: the merchants open
  // One after the other where the factory lists what is created, so that the demo is the same on every run.
  const alpha = await createMerchant(
    factory,
    "Alpha Coffee",
    wallets.alphaMerchant,
    wallets.alphaTerminal,
    {
      name: "Alpha Coffee Beans",
      symbol: "BEAN",
      faceValue: ALPHA_FACE_VALUE,
      metadataURI: metadataURI({ name: "Alpha Coffee Beans", description: "Points of Alpha Coffee" }),
    },
    {
      startsAt: history.start,
      endsAt: history.start + 90n * DAY,
      supplyCap: 1_000_000n * ONE,
      maxPerClaim: 500n * ONE,
      earnPoints: ONE, // 1 point per 1.00 spent (spend in cents)
      earnSpend: 100n,
      channels: ALL_CHANNELS,
      tierPeriod: Number(30n * DAY),
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
      startsAt: history.start,
      endsAt: history.start + 180n * DAY,
      supplyCap: 500_000n * ONE,
      maxPerClaim: 0n,
      earnPoints: ONE, // 1 point per 5.00 spent (spend in cents)
      earnSpend: 500n,
      channels: DIRECT_AND_VOUCHER,
      tierPeriod: 0,
      tiers: [],
      milestones: [],
      metadataURI: metadataURI({ name: "Beta Books readers' rewards", description: "1 page per 5.00 spent" }),
      optionalDataFields: [],
    },
  );

  // Catalogs: Alpha accepts PAGE at 1 PAGE for 4 BEAN of a price, Beta accepts BEAN at 5 BEAN for 1 PAGE.
  const listed = { startsAt: history.start, supply: 1_000, perWallet: 0 };
  const catalogs = openCatalog(
    alpha,
    factory,
    [
      {
        ...listed,
        kind: "Other",
        value: 0n,
        price: points(40),
        endsAt: history.start + 120n * DAY,
        acceptsPartners: true,
        name: "Free coffee",
        description: "Any coffee on the menu, any size, at any Alpha Coffee.",
      },
      {
        ...listed,
        kind: "DiscountPercent",
        value: 1_000n, // 10 %, in basis points
        price: points(25),
        supply: 500,
        perWallet: 3,
        endsAt: history.start + 120n * DAY,
        acceptsPartners: true,
        name: "10% off",
        description: "10% off everything on one receipt, food included.",
      },
      {
        ...listed,
        kind: "GiftCoupon",
        value: 500n, // 5.00, in cents
        price: points(150),
        supply: 50,
        perWallet: 1,
        endsAt: history.start + 120n * DAY,
        acceptsPartners: false,
        minTier: 1,
        name: "5.00 gift coupon",
        description:
          "A 5.00 code for the Alpha Coffee online shop, for Silver members; delivered privately to your app.",
      },
      {
        ...listed,
        kind: "AccessCode",
        value: 0n,
        price: points(60),
        supply: 100,
        perWallet: 1,
        endsAt: history.start + 120n * DAY,
        acceptsPartners: false,
        name: "Home-brewing masterclass",
        description: "An access code to our online home-brewing masterclass; delivered privately to your app.",
      },
    ],
    { token: beta.token, partnerAmount: points(1), ownAmount: points(4) },
  ).then(() =>
    openCatalog(
      beta,
      factory,
      [
        {
          ...listed,
          kind: "FreeShipping",
          value: 0n,
          price: points(4),
          supply: 10_000,
          endsAt: history.start + 180n * DAY,
          acceptsPartners: true,
          name: "Free shipping",
          description: "Free delivery of one online order from Beta Books.",
        },
        {
          ...listed,
          kind: "Ticket",
          value: 0n,
          price: points(10),
          supply: 40,
          perWallet: 2,
          endsAt: history.end + 14n * DAY, // the evening is in two weeks
          acceptsPartners: true,
          name: "Author evening ticket",
          description: "A seat at our author evening in the shop, with a signed copy to take home.",
        },
      ],
      { token: alpha.token, partnerAmount: points(5), ownAmount: points(1) },
    ),
  );
  // The exchange's and the merchants' stablecoin (the mock's faucet is open to anyone; the deployer pays the gas).
  const mint = (to: DevWallet, amount: bigint) =>
    done(
      simulateAndWrite(wallets.deployer.clients, {
        address: usdc,
        abi: mockStablecoinAbi,
        functionName: "mint",
        args: [to.address, amount],
        eventName: "Transfer",
      }),
    );
  // Printed codes on cup sleeves: one Merkle root commits them all.
  const [sleeves] = await Promise.all([
    printCodes(
      alpha,
      [5n, 5n, 5n, 5n, 10n, 10n, 25n, 50n].map((p) => p * ONE),
    ),
    catalogs,
    mint(desk, dollars(10_000)),
    mint(wallets.alphaMerchant, dollars(1_000)),
    mint(wallets.betaMerchant, dollars(1_000)),
    visit(alpha, alice, "4.50"),
    visit(beta, carol, "45.00"),
  ]);

  // ---------------------------------------------------------------- weeks 1 to 5: customers come back
  const voucherLife = 30n * DAY;
  const orders: SeededOrder[] = [];
  const makeOrder = async (
    maker: DevWallet,
    sellToken: Address,
    buyToken: Address,
    sellAmount: bigint,
    buyAmount: bigint,
    expiresAt: bigint,
  ) => {
    const [, order] = await done(
      createOrder(maker.clients, { sellToken, buyToken, sellAmount, buyAmount, expiresAt, exchange }),
    );
    orders.push({ order, maker: maker.role });
    return order;
  };
  const bids: SeededBid[] = [];
  const post = async (
    operator: DevWallet,
    token: Address,
    price: bigint,
    maxPoints: bigint,
    funds: bigint,
    recipient: Address,
    note: string,
  ) => {
    const bidId = await done(
      postBid(operator.clients, {
        token,
        stablecoin: usdc,
        price,
        maxPoints,
        funds,
        recipient,
        expiresAt: history.end + 60n * DAY,
        gateway,
      }),
    );
    bids.push({ bidId, operator: operator.role, note });
    return bidId;
  };
  const redeem = (customer: DevWallet, merchant: Merchant, name: string, payToken?: Address) =>
    done(
      redeemReward(customer.clients, {
        catalog: merchant.catalog,
        rewardId: reward(merchant, name),
        payToken,
        approval: "permit",
      }),
    );

  await on(2, 8);
  await Promise.all([visit(alpha, alice, "3.20"), visit(alpha, bob, "3.80")]);

  await on(3, 7);
  await claim(sleeves[0], carol, relayer); // Carol scratched the first sleeve

  await on(5, 9);
  await Promise.all([
    visit(alpha, alice, "12.80"),
    claim(await voucher(alpha, history.start + 5n * DAY + voucherLife, "6.40"), bob, relayer),
  ]);

  // Bob's first try on the exchange: a small order nobody took, now expired (anyone may return it to him).
  await on(6, 3);
  await makeOrder(bob, alpha.token, beta.token, points(5), points("1.1"), history.start + 13n * DAY);

  await on(8, 6);
  await Promise.all([
    visit(alpha, alice, "18.60"),
    visit(beta, alice, "23.50"),
    claim(await voucher(alpha, history.start + 8n * DAY + voucherLife, "11.50"), carol, relayer),
  ]);

  await on(10, 9);
  // Alice's 5th visit: the stamp card's first milestone, +10 BEAN.
  await Promise.all([visit(alpha, alice, "9.90"), visit(alpha, bob, "15.60"), visit(beta, carol, "60.00")]);

  await on(12, 5);
  await Promise.all([
    visit(alpha, alice, "27.00"),
    claim(await voucher(beta, history.start + 12n * DAY + voucherLife, "30.00"), bob, relayer),
  ]);

  // Week 3: the exchange starts buying points for USDC; Alice spends her first points.
  await on(14, 2);
  const freeCoffee = reward(alpha, "Free coffee");
  const [beanBid] = await Promise.all([
    post(desk, alpha.token, dollars("0.008"), points(10_000), dollars(50), zeroAddress, "exchange").then(async (id) => {
      await post(desk, beta.token, dollars("0.04"), points(1_000), dollars(40), zeroAddress, "exchange");
      return id;
    }),
    redeem(alice, alpha, "Free coffee"),
    visit(alpha, bob, "22.50"),
  ]);

  // At the till: Alice shows her signed use as a QR code, and Alpha's terminal submits it.
  await on(15, 1);
  await done(
    submitVoucherUse(
      alpha.terminal.clients,
      await signVoucherUse(alice.clients, { voucher: alpha.voucher, rewardId: freeCoffee }),
    ),
  );

  await on(16, 8);
  await Promise.all([visit(alpha, alice, "24.00"), visit(beta, carol, "38.50")]);

  await on(18, 4);
  await Promise.all([visit(alpha, bob, "9.80"), visit(alpha, carol, "6.50")]); // Bob's 5th visit

  // Alpha buys its points back at face value (millionths of a dollar per point, so USDC base units per point).
  await on(20, 3);
  const [buyBack] = await Promise.all([
    post(
      wallets.alphaMerchant,
      alpha.token,
      (ALPHA_FACE_VALUE * 10n ** 6n) / 1_000_000n,
      points(2_000),
      dollars(20),
      alpha.wallet.address,
      "buy-back at face value",
    ),
    visit(alpha, alice, "11.50"),
  ]);

  // Alice gives her 10% off to Bob.
  await on(21, 6);
  await redeem(alice, alpha, "10% off");
  await done(
    giveVoucher(alice.clients, { voucher: alpha.voucher, rewardId: reward(alpha, "10% off"), to: bob.address }),
  );

  // Partner points: Carol pays a free coffee with PAGE (they go to Alpha's treasury), Bob Beta's shipping with BEAN.
  await on(22, 7);
  await Promise.all([redeem(carol, alpha, "Free coffee", beta.token), visit(alpha, bob, "17.40")]);
  await on(24, 5);
  await Promise.all([redeem(bob, beta, "Free shipping", alpha.token), visit(alpha, alice, "8.60")]);

  await on(25, 8);
  await redeem(alice, alpha, "Free coffee"); // kept for another day

  // Bob sells points to the best bid, Alpha's buy-back.
  await on(26, 4);
  await Promise.all([
    done(sellPoints(bob.clients, { bidId: buyBack, points: points(15), approval: "permit", gateway })),
    visit(beta, alice, "41.00"),
  ]);

  // Week 4: orders between the two brands.
  const expiresAt = history.end + 30n * DAY;
  await on(27, 6);
  await Promise.all([
    makeOrder(alice, alpha.token, beta.token, points(20), points("4.5"), expiresAt),
    visit(beta, carol, "52.00"),
  ]);
  await on(28, 3);
  await makeOrder(carol, beta.token, alpha.token, points(4), points(18), expiresAt);
  await redeem(carol, beta, "Author evening ticket");
  await on(29, 7);
  // Alice's 10th visit: the second milestone, +25 BEAN.
  const [bobsOrder] = await Promise.all([
    makeOrder(bob, alpha.token, beta.token, points(30), points("6.5"), expiresAt),
    visit(alpha, alice, "32.00"),
  ]);

  // Day 30: Alpha's tier period rolls over; tiers now count this period and the last.
  await on(31, 5);
  await Promise.all([
    done(fillOrder(carol.clients, { order: bobsOrder, sellAmount: points(12), exchange })),
    visit(alpha, bob, "13.20"),
    visit(alpha, alice, "5.40"),
  ]);

  // A BEAN/USDC ask; Beta cashes out the BEAN its treasury took for free shipping.
  await on(33, 2);
  await Promise.all([
    makeOrder(alice, alpha.token, usdc, points(10), dollars("0.12"), expiresAt),
    visit(beta, carol, "27.00"),
    done(sellPoints(wallets.betaMerchant.clients, { bidId: beanBid, points: points(20), approval: "permit", gateway })),
  ]);

  await on(34, 9);
  await Promise.all([visit(alpha, alice, "18.90"), visit(alpha, bob, "26.00")]);

  // ---------------------------------------------------------------- today
  await advanceTo(history.aheadOfClock ? history.end : BigInt(Math.floor(Date.now() / 1000)));
  const now = await latestTimestamp();

  // Unclaimed receipt vouchers and printed codes to try in the dApp.
  const codes: [Merchant, ClaimCode][] = [
    [alpha, await voucher(alpha, now + voucherLife, "4.80")],
    [alpha, await voucher(alpha, now + voucherLife, "0", 15n * ONE)],
    [beta, await voucher(beta, now + voucherLife, "55.00")],
    [beta, await voucher(beta, now + voucherLife, "0", 20n * ONE)],
    ...sleeves.slice(1).map((code): [Merchant, ClaimCode] => [alpha, code]),
  ];
  const links = await Promise.all(
    codes.map(async ([merchant, code]): Promise<DemoLink> => {
      const [base, spend] =
        code.kind === "voucher" ? [code.voucher.points, code.voucher.spend] : [code.code.points, 0n];
      const earned =
        base + (spend === 0n ? 0n : await pointsForSpend(publicClient, { campaign: merchant.campaign, spend }));
      const what = code.kind === "voucher" ? "receipt voucher" : `printed code #${code.code.index}`;
      return {
        merchant: merchant.name,
        kind: code.kind,
        description: `${what}, ${formatUnits(earned, 18)} ${merchant.symbol}`,
        link: encodeClaimLink(code, claimBaseUrl),
      };
    }),
  );

  const state = await demoState({
    chainId,
    contracts,
    history,
    now,
    merchants: [alpha, beta],
    orders,
    bids,
    links,
    wallets,
  });
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.writeFileSync(
    stateFile,
    `${JSON.stringify(state, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2)}\n`,
  );
  printSummary(state);
  if (history.aheadOfClock) {
    const days = (now - BigInt(Math.floor(Date.now() / 1000))) / DAY;
    console.warn(
      `\nThis chain started less than ${HISTORY_DAYS} days ago, so after the seeded history its clock runs ${days} days ` +
        "ahead of today: vouchers the dApp signs with today's date look expired to it. `npm start` avoids this by " +
        "starting its chain in the past (PERKS_CHAIN_START).",
    );
  }
}

// ------------------------------------------------------------------------------------------------ state and summary

async function demoState(input: {
  chainId: number;
  contracts: Record<string, Address>;
  history: { start: bigint };
  now: bigint;
  merchants: Merchant[];
  orders: SeededOrder[];
  bids: SeededBid[];
  links: DemoLink[];
  wallets: Record<DevRole, DevWallet>;
}) {
  const { PointsExchange: exchange, CashOutGateway: gateway, MockStablecoin: usdc } = input.contracts;
  const merchants = input.merchants.map((merchant) => ({
    name: merchant.name,
    account: merchant.wallet.address,
    terminal: merchant.terminal.address,
    token: { address: merchant.token, symbol: merchant.symbol, name: merchant.tokenName },
    campaigns: [merchant.campaign],
    catalog: merchant.catalog,
  }));
  const catalogs = await Promise.all(
    input.merchants.map(async (merchant) => {
      const [info, rewards] = await Promise.all([
        getCatalog(publicClient, { catalog: merchant.catalog }),
        listRewards(publicClient, { catalog: merchant.catalog }),
      ]);
      return {
        merchant: merchant.name,
        address: merchant.catalog,
        voucher: info.voucher,
        treasury: info.treasury,
        partners: info.partners.map((partner) => ({ ...partner, symbol: symbolOf(partner.token) })),
        rewards: rewards.map((item) => ({
          id: item.id,
          name: merchant.rewards.find((listed) => listed.id === item.id)!.name,
          kind: merchant.rewards.find((listed) => listed.id === item.id)!.kind,
          value: item.params.value,
          supply: item.params.supply,
          perWallet: item.params.perWallet,
          minTier: item.params.minTier,
          endsAt: item.params.endsAt,
          acceptsPartners: item.params.acceptsPartners,
          redeemed: item.redeemed,
          paymentOptions: item.paymentOptions.map((option) => ({
            ...option,
            shown: describe(option.token, option.price),
          })),
        })),
      };
    }),
  );
  const orders = await Promise.all(
    input.orders.map(async ({ order, maker }) => {
      const left = await getOrder(publicClient, { order, exchange });
      const created = await publicClient.getContractEvents({
        address: exchange,
        abi: pointsExchangeAbi,
        eventName: "OrderCreated",
        args: { orderId: left.orderId },
        fromBlock: 0n,
        strict: true,
      });
      const partlyFilled = created.length > 0 && left.sellAmount < created[0].args.sellAmount;
      const status = !left.open
        ? "closed"
        : left.expiresAt <= input.now
          ? "expired"
          : partlyFilled
            ? "partly filled"
            : "open";
      return {
        orderId: left.orderId,
        order,
        maker,
        status,
        selling: describe(order.sellToken, left.sellAmount),
        asking: describe(order.buyToken, left.buyAmount),
        expiresAt: left.expiresAt,
      };
    }),
  );
  const bids = await Promise.all(
    input.bids.map(async ({ bidId, operator, note }) => {
      const bid = await getBid(publicClient, { bidId, gateway });
      return {
        bidId,
        operator,
        note,
        token: bid.token,
        stablecoin: bid.stablecoin,
        price: bid.price,
        pricePerPoint: describe(bid.stablecoin, bid.price),
        remainingPoints: bid.remainingPoints,
        funds: bid.funds,
        recipient: bid.recipient,
        expiresAt: BigInt(bid.expiresAt),
      };
    }),
  );
  const [alpha] = input.merchants;
  const customers = await Promise.all(
    (["alice", "bob", "carol"] as const).map(async (role) => {
      const address = input.wallets[role].address;
      const [balances, alphaTier, vouchers] = await Promise.all([
        Promise.all(
          [...input.merchants.map((m) => m.token), usdc].map((token) =>
            getBalance(publicClient, { token, account: address }),
          ),
        ),
        tierOf(publicClient, { campaign: alpha.campaign, account: address }),
        Promise.all(
          input.merchants.map(async (merchant) =>
            (await getVoucherBalances(publicClient, { catalog: merchant.catalog, account: address })).map(
              ({ rewardId, balance }) => ({
                merchant: merchant.name,
                rewardId,
                reward: merchant.rewards.find((listed) => listed.id === rewardId)!.name,
                balance,
              }),
            ),
          ),
        ),
      ]);
      const tokens = [...input.merchants.map((m) => m.token), usdc];
      return {
        role,
        address,
        balances: tokens.map((token, i) => describe(token, balances[i])),
        alphaTier,
        vouchers: vouchers.flat(),
      };
    }),
  );
  return {
    note: "Local demo only: these are Hardhat's public dev keys. Never send real funds to them.",
    chainId: input.chainId,
    rpcUrl,
    contracts: input.contracts,
    merchants,
    history: {
      from: new Date(Number(input.history.start) * 1000).toISOString(),
      to: new Date(Number(input.now) * 1000).toISOString(),
    },
    catalogs,
    orders,
    bids,
    customers,
    devWallets: DEV_ACCOUNTS,
    demoClaimLinks: input.links,
  };
}

type DemoState = Awaited<ReturnType<typeof demoState>>;

function printSummary(state: DemoState) {
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(30)}${value}`);
  const label = (role: DevRole) => DEV_ACCOUNTS.find((dev) => dev.role === role)!.label;
  const TIERS = ["no tier", "Silver", "Gold"];
  console.log("\nPerks local chain");
  line("RPC URL", state.rpcUrl);
  line("Chain id", String(state.chainId));
  line("History", `${state.history.from.slice(0, 10)} to ${state.history.to.slice(0, 10)}`);
  for (const [name, address] of Object.entries(state.contracts)) line(name, address);
  for (const merchant of state.merchants) {
    const catalog = state.catalogs.find((c) => c.address === merchant.catalog)!;
    const devIndex = (address: Address) => DEV_ACCOUNTS.find((dev) => isAddressEqual(dev.address, address))!.index;
    console.log(
      `\n${merchant.name} (merchant: dev account ${devIndex(merchant.account)}, terminal: ${devIndex(merchant.terminal)})`,
    );
    line(`Token ${merchant.token.symbol}`, merchant.token.address);
    line("Campaign", merchant.campaigns[0]);
    line("Reward catalog", catalog.address);
    line("Reward vouchers (ERC-1155)", catalog.voucher);
    for (const partner of catalog.partners) {
      line(
        `Accepts ${partner.symbol}`,
        `${formatUnits(partner.partnerAmount, 18)} ${partner.symbol} pays ${formatUnits(partner.ownAmount, 18)} ${merchant.token.symbol}; treasury ${catalog.treasury}`,
      );
    }
    for (const item of catalog.rewards) {
      const tier = item.minTier > 0 ? `, ${TIERS[item.minTier]} or above` : "";
      line(
        `  #${item.id} ${item.name}`,
        `${item.kind}${tier}: ${item.paymentOptions.map((o) => o.shown).join(" or ")}; ${item.redeemed} redeemed`,
      );
    }
  }
  console.log("\nPointsExchange orders");
  for (const order of state.orders) {
    line(`  #${order.order.nonce} ${order.status}`, `${label(order.maker)} sells ${order.selling} for ${order.asking}`);
  }
  console.log("\nCashOutGateway bids (USDC: MockStablecoin)");
  for (const bid of state.bids) {
    line(
      `  #${bid.bidId} ${bid.note}`,
      `${label(bid.operator)} pays ${bid.pricePerPoint} per ${symbolOf(bid.token)}, up to ${describe(bid.token, bid.remainingPoints)}; ${describe(bid.stablecoin, bid.funds)} left`,
    );
  }
  console.log("\nCustomers");
  for (const customer of state.customers) {
    const vouchers = customer.vouchers.map((v) => `${v.balance} × ${v.reward}`).join(", ") || "no vouchers";
    line(
      `  ${label(customer.role)}`,
      `${customer.balances.filter((b) => !b.startsWith("0 ")).join(", ")}; Alpha ${TIERS[customer.alphaTier]}; ${vouchers}`,
    );
  }
  console.log("\nDev wallets (Hardhat's public keys: local use only)");
  for (const wallet of state.devWallets)
    line(`#${wallet.index} ${wallet.role}`, `${wallet.address}  ${wallet.privateKey}`);
  console.log(
    `\nUnclaimed demo claim links (all ${state.demoClaimLinks.length} in ${path.relative(process.cwd(), stateFile)})`,
  );
  const vouchers = state.demoClaimLinks.filter((demo) => demo.kind === "voucher");
  const printed = state.demoClaimLinks.filter((demo) => demo.kind === "batch");
  for (const demo of [...vouchers, ...printed.slice(0, 3)]) {
    console.log(`  ${demo.merchant}, ${demo.description}\n    ${demo.link}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
