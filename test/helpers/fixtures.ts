import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { BaseContract, ContractTransactionResponse, Signer, TypedDataField, Wallet } from "ethers";
import type {
  Campaign,
  CampaignFactory,
  CashOutGateway,
  LoyaltyToken,
  MockStablecoin,
  RewardCatalog,
  RewardVoucher,
} from "../../typechain-types";
import type { ICampaignFactory } from "../../typechain-types/contracts/campaigns/CampaignFactory";
import type { IRewardCatalog } from "../../typechain-types/contracts/rewards/RewardCatalog";
import type { IPointsExchange, PointsExchange } from "../../typechain-types/contracts/market/PointsExchange";
import { PERMIT_TYPES as SDK_PERMIT_TYPES } from "../../sdk/src/actions/token";
import { CLAIM_TYPES as SDK_CLAIM_TYPES, VOUCHER_TYPES as SDK_VOUCHER_TYPES } from "../../sdk/src/claimCode";

export const ONE = 10n ** 18n;
export const DAY = 24 * 60 * 60;
export const CHANNEL = { Direct: 0, Voucher: 1, Batch: 2 } as const;
export const ALL_CHANNELS = 0b111;

export type TokenParams = ICampaignFactory.TokenParamsStruct;
export type CampaignParams = ICampaignFactory.CampaignParamsStruct;

export interface Voucher {
  id: bigint;
  points: bigint;
  spend: bigint;
  expiresAt: bigint;
  claimKey: string;
}

/** The SDK's EIP-712 types (readonly, as viem takes them) as the arrays ethers' signTypedData is typed to take. */
function ethersTypes(types: Record<string, readonly TypedDataField[]>): Record<string, TypedDataField[]> {
  return Object.fromEntries(Object.entries(types).map(([name, fields]) => [name, [...fields]]));
}

export const VOUCHER_TYPES = ethersTypes(SDK_VOUCHER_TYPES);
export const CLAIM_TYPES = ethersTypes(SDK_CLAIM_TYPES);

export function tokenParams(overrides: Partial<TokenParams> = {}): TokenParams {
  return { name: "Alpha Coffee Beans", symbol: "BEAN", faceValue: 10_000n, metadataURI: "ipfs://alpha", ...overrides };
}

/** A campaign open from now for 30 days: 1 point per 5.00 spent (spend in cents), all channels. */
export async function campaignParams(token: string, overrides: Partial<CampaignParams> = {}): Promise<CampaignParams> {
  const now = BigInt(await time.latest());
  return {
    token,
    startsAt: now,
    endsAt: now + BigInt(30 * DAY),
    supplyCap: 1_000_000n * ONE,
    maxPerClaim: 0n,
    earnPoints: ONE,
    earnSpend: 500n,
    channels: ALL_CHANNELS,
    tierPeriod: 0,
    tiers: [],
    milestones: [],
    issuers: [],
    metadataURI: "ipfs://campaign",
    optionalDataFields: [],
    ...overrides,
  };
}

export async function domain(campaign: BaseContract) {
  return {
    name: "Perks Campaign",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await campaign.getAddress(),
  };
}

/** An EIP-2098 compact signature as the contract takes it. */
export function compact(signature: string): [string, string] {
  const sig = ethers.Signature.from(signature);
  return [sig.r, sig.yParityAndS];
}

export async function signVoucher(campaign: BaseContract, issuer: Signer, voucher: Voucher) {
  return compact(await issuer.signTypedData(await domain(campaign), VOUCHER_TYPES, voucher));
}

export async function signClaim(campaign: BaseContract, claimKey: Signer, recipient: string) {
  return compact(await claimKey.signTypedData(await domain(campaign), CLAIM_TYPES, { recipient }));
}

/** A voucher with a fresh one-time claim key, valid for a day. */
export async function newVoucher(overrides: Partial<Voucher> = {}) {
  const claimKey = ethers.Wallet.createRandom();
  const voucher: Voucher = {
    id: 1n,
    points: 10n * ONE,
    spend: 0n,
    expiresAt: BigInt(await time.latest()) + BigInt(DAY),
    claimKey: claimKey.address,
    ...overrides,
  };
  return { voucher, claimKey };
}

/** Signs `voucher` with `issuer`, the recipient with `claimKey`, and returns the claimVoucher arguments. */
export async function voucherClaimArgs(
  campaign: Campaign,
  issuer: Signer,
  voucher: Voucher,
  claimKey: Signer,
  recipient: string,
) {
  const [issuerR, issuerVS] = await signVoucher(campaign, issuer, voucher);
  const [claimR, claimVS] = await signClaim(campaign, claimKey, recipient);
  return [voucher, issuerR, issuerVS, recipient, claimR, claimVS] as const;
}

/**
 * A factory with its implementations: the RewardVoucher and RewardCatalog implementations are deployed first and
 * passed in (deploying them inside the factory's constructor would take its init code past the EIP-3860 limit), and
 * the factory deploys the Campaign implementation from the Campaign's own creation code.
 */
export async function deployFactory() {
  const voucherImplementation = await ethers.deployContract("RewardVoucher");
  const catalogImplementation = await ethers.deployContract("RewardCatalog", [await voucherImplementation.getAddress()]);
  const campaignCode = (await ethers.getContractFactory("Campaign")).bytecode;
  const factory = (await ethers.deployContract("CampaignFactory", [
    await catalogImplementation.getAddress(),
    campaignCode,
  ])) as unknown as CampaignFactory;
  await factory.waitForDeployment();
  return factory;
}

export async function createToken(factory: CampaignFactory, merchant: Signer, params = tokenParams(), salt = ethers.ZeroHash) {
  const address = await factory.predictTokenAddress(await merchant.getAddress(), params, salt);
  await (await factory.connect(merchant).createToken(params, salt)).wait();
  return (await ethers.getContractAt("LoyaltyToken", address)) as unknown as LoyaltyToken;
}

export async function createCampaign(factory: CampaignFactory, merchant: Signer, params: CampaignParams, salt = ethers.ZeroHash) {
  const address = await factory.predictCampaignAddress(await merchant.getAddress(), params, salt);
  await (await factory.connect(merchant).createCampaign(params, salt)).wait();
  return (await ethers.getContractAt("Campaign", address)) as unknown as Campaign;
}

/** A factory, a merchant's token and an open campaign with one issuer key, and three customers. */
export async function campaignFixture() {
  const [deployer, merchant, issuer, alice, bob, carol, stranger] = await ethers.getSigners();
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  const params = await campaignParams(await token.getAddress(), { issuers: [issuer.address] });
  const campaign = await createCampaign(factory, merchant, params);
  return { deployer, merchant, issuer, alice, bob, carol, stranger, factory, token, campaign, params };
}

// ---------------------------------------------------------------- unit and attack tests

/** A factory and the merchant's token, with 1 000 points the merchant minted to alice. */
export async function tokenFixture() {
  const [deployer, merchant, , alice, bob, carol, stranger] = await ethers.getSigners();
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  await (await token.connect(merchant).mint(alice.address, 1000n * ONE)).wait();
  return { deployer, merchant, alice, bob, carol, stranger, factory, token };
}

/** `params` packed for `token` exactly as CampaignRules.encode packs them (the `rules` of CampaignCreated). */
export function packRules(params: CampaignParams, token: string): string {
  const header = ethers.solidityPacked(
    ["address", "uint64", "uint64", "uint128", "uint128", "uint128", "uint128", "uint8", "uint32", "uint8", "uint8", "uint8"],
    [
      token,
      params.startsAt,
      params.endsAt,
      params.supplyCap,
      params.maxPerClaim,
      params.earnPoints,
      params.earnSpend,
      params.channels,
      params.tierPeriod,
      params.tiers.length,
      params.milestones.length,
      Math.min(params.issuers.length, 8),
    ],
  );
  const tiers = params.tiers.map((t) => ethers.solidityPacked(["uint128", "uint16"], [t.threshold, t.multiplierBps]));
  const milestones = params.milestones.map((m) =>
    ethers.solidityPacked(["uint32", "uint128"], [m.claimNumber, m.bonus]),
  );
  const issuers = params.issuers.slice(0, 8).map((issuer) => ethers.solidityPacked(["address"], [issuer]));
  return ethers.concat([header, ...tiers, ...milestones, ...issuers]);
}

/**
 * An EIP-1167 clone of the factory's campaign implementation with `rules` (see packRules) as its immutable
 * arguments, deployed by `deployer` without the factory, as anyone can. The token recognises it by its code, but it
 * issues nothing until the factory or the token's owner activates it (Campaign.activate).
 */
export async function deployCampaignClone(factory: CampaignFactory, deployer: Signer, rules: string): Promise<Campaign> {
  const initCode = ethers.concat([
    "0x61",
    ethers.toBeHex(ethers.dataLength(rules) + 45, 2),
    "0x3d81600a3d39f3363d3d373d3d3d363d73",
    await factory.campaignImplementation(),
    "0x5af43d82803e903d91602b57fd5bf3",
    rules,
  ]);
  const receipt = await (await deployer.sendTransaction({ data: initCode })).wait();
  return (await ethers.getContractAt("Campaign", receipt!.contractAddress!)) as unknown as Campaign;
}

/** Leaf encoding of a printed code in a batch's StandardMerkleTree: (index, claimKey, points). */
export const CODE_LEAF_ENCODING = ["uint256", "address", "uint256"];
export type CodeLeaf = [bigint, string, bigint];

export interface CodeBatch {
  tree: StandardMerkleTree<CodeLeaf>;
  /** claimKeys[i] is the one-time key printed with code index i. */
  claimKeys: Wallet[];
}

/** `count` printed codes with indexes 0 .. count - 1 worth `points` each, with claim keys derived from `seed`. */
export function codeBatch(count: number, points = ONE, seed = "codes"): CodeBatch {
  const claimKeys = Array.from({ length: count }, (_, i) => new ethers.Wallet(ethers.id(`${seed}:${i}`)));
  const leaves = claimKeys.map((key, i): CodeLeaf => [BigInt(i), key.address, points]);
  return { tree: StandardMerkleTree.of(leaves, CODE_LEAF_ENCODING), claimKeys };
}

/** The claimCode arguments for code `index` of `batch` (published as `batchId`), claimed into `recipient`. */
export async function codeClaimArgs(
  campaign: Campaign,
  batchId: bigint,
  batch: CodeBatch,
  index: number,
  recipient: string,
) {
  const [, claimKey, points] = batch.tree.at(index)!;
  const code = { batchId, index: BigInt(index), points, claimKey };
  const [claimR, claimVS] = await signClaim(campaign, batch.claimKeys[index], recipient);
  return [code, batch.tree.getProof(index), recipient, claimR, claimVS] as const;
}

// ---------------------------------------------------------------- cash-out gateway

/** Base units of one whole unit of a token with `decimals` decimals. */
export function unit(decimals: number): bigint {
  return 10n ** BigInt(decimals);
}

export const PERMIT_TYPES = ethersTypes(SDK_PERMIT_TYPES);

/** An EIP-2612 permit from `owner` to `spender` for `value` of a loyalty token (domain: its name, version "1"). */
export async function signPermit(token: LoyaltyToken, owner: Signer, spender: string, value: bigint, deadline: bigint) {
  const ownerAddress = await owner.getAddress();
  const domain = {
    name: await token.name(),
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await token.getAddress(),
  };
  const message = { owner: ownerAddress, spender, value, nonce: await token.nonces(ownerAddress), deadline };
  return ethers.Signature.from(await owner.signTypedData(domain, PERMIT_TYPES, message));
}

/**
 * A cash-out gateway over a factory with the merchant's token, and two stablecoins: `usdc` (6 decimals) and
 * `dai` (18). The exchange operator and the merchant (for buy-backs) hold 1 000 000 of each and approved the
 * gateway; alice and bob hold 1 000 points each and approved the gateway; carol holds 1 000 points and approved
 * nothing (she sells with a permit).
 */
export async function gatewayFixture() {
  const [deployer, merchant, operator, alice, bob, carol, stranger] = await ethers.getSigners();
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  const gateway = (await ethers.deployContract("CashOutGateway", [await factory.getAddress()])) as unknown as CashOutGateway;
  const gatewayAddress = await gateway.getAddress();
  const usdc = (await ethers.deployContract("MockStablecoin", ["USD Coin", "USDC", 6])) as unknown as MockStablecoin;
  const dai = (await ethers.deployContract("MockStablecoin", ["Dai Stablecoin", "DAI", 18])) as unknown as MockStablecoin;
  for (const coin of [usdc, dai]) {
    const million = 1_000_000n * unit(Number(await coin.decimals()));
    for (const funder of [operator, merchant]) {
      await (await coin.mint(funder.address, million)).wait();
      await (await coin.connect(funder).approve(gatewayAddress, ethers.MaxUint256)).wait();
    }
  }
  for (const seller of [alice, bob, carol]) {
    await (await token.connect(merchant).mint(seller.address, 1000n * ONE)).wait();
  }
  for (const seller of [alice, bob]) {
    await (await token.connect(seller).approve(gatewayAddress, ethers.MaxUint256)).wait();
  }
  return { deployer, merchant, operator, alice, bob, carol, stranger, factory, token, gateway, usdc, dai };
}

// ---------------------------------------------------------------- rewards

export type RewardParams = IRewardCatalog.RewardParamsStruct;

/** `IRewardCatalog.RewardKind`. */
export const REWARD_KIND = {
  DiscountPercent: 0,
  DiscountAmount: 1,
  FreeShipping: 2,
  Ticket: 3,
  GiftCoupon: 4,
  AccessCode: 5,
  Other: 6,
} as const;

/** `IRewardCatalog.RewardStatus`. */
export const REWARD_STATUS = { None: 0, Active: 1, Paused: 2, Retired: 3 } as const;

export const USE_TYPES = {
  Use: [
    { name: "holder", type: "address" },
    { name: "id", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A 10% discount open from now for 30 days: 50 points, 100 vouchers, no wallet limit, partners accepted. */
export async function rewardParams(overrides: Partial<RewardParams> = {}): Promise<RewardParams> {
  const now = BigInt(await time.latest());
  return {
    kind: REWARD_KIND.DiscountPercent,
    value: 1_000n,
    price: 50n * ONE,
    supply: 100,
    perWallet: 0,
    startsAt: now,
    endsAt: now + BigInt(30 * DAY),
    tierCampaign: ethers.ZeroAddress,
    minTier: 0,
    acceptsPartners: true,
    metadataURI: "ipfs://reward",
    ...overrides,
  };
}

/** The EIP-712 domain of a voucher contract's `Use` signatures. */
export async function useDomain(voucher: BaseContract, chainId?: bigint) {
  return {
    name: "Perks Reward Voucher",
    version: "1",
    chainId: chainId ?? (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await voucher.getAddress(),
  };
}

export interface Use {
  holder: string;
  id: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** `holder`'s signature of `use` for `voucher` (optionally for another chain id). */
export async function signUse(voucher: BaseContract, holder: Signer, use: Use, chainId?: bigint) {
  return holder.signTypedData(await useDomain(voucher, chainId), USE_TYPES, use);
}

/** The catalog `merchant` creates for `token`, and its voucher contract. */
export async function createCatalog(factory: CampaignFactory, merchant: Signer, token: string, treasury: string) {
  const address = await factory.predictCatalogAddress(await merchant.getAddress(), token);
  await (await factory.connect(merchant).createCatalog(token, treasury)).wait();
  const catalog = (await ethers.getContractAt("RewardCatalog", address)) as unknown as RewardCatalog;
  const voucher = (await ethers.getContractAt("RewardVoucher", await catalog.voucher())) as unknown as RewardVoucher;
  return { catalog, voucher };
}

/** The id `addReward(params)` by `merchant` returns, after sending it. */
export async function addReward(catalog: RewardCatalog, merchant: Signer, params: RewardParams) {
  const rewardId = await catalog.connect(merchant).addReward.staticCall(params);
  await (await catalog.connect(merchant).addReward(params)).wait();
  return rewardId;
}

/**
 * A merchant's catalog over its token, with a partner merchant's token accepted at 2 partner points per point,
 * a terminal and a fulfiller, and reward 1 (`rewardParams()`) listed. Alice and bob hold 1 000 of both tokens and
 * approved the catalog without limit; carol holds 1 000 of the merchant's points and approved nothing.
 */
export async function rewardsFixture() {
  const [deployer, merchant, partnerMerchant, terminal, fulfiller, treasury, alice, bob, carol, stranger] =
    await ethers.getSigners();
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  const partnerToken = await createToken(
    factory,
    partnerMerchant,
    tokenParams({ name: "Beta Book Club", symbol: "PAGE", metadataURI: "ipfs://beta" }),
  );
  const { catalog, voucher } = await createCatalog(factory, merchant, await token.getAddress(), treasury.address);
  const catalogAddress = await catalog.getAddress();
  await (await catalog.connect(merchant).setPartnerRate(await partnerToken.getAddress(), 2n, 1n)).wait();
  await (await catalog.connect(merchant).setTerminal(terminal.address, true)).wait();
  await (await catalog.connect(merchant).setFulfiller(fulfiller.address, true)).wait();
  for (const customer of [alice, bob]) {
    await (await token.connect(merchant).mint(customer.address, 1000n * ONE)).wait();
    await (await partnerToken.connect(partnerMerchant).mint(customer.address, 1000n * ONE)).wait();
    await (await token.connect(customer).approve(catalogAddress, ethers.MaxUint256)).wait();
    await (await partnerToken.connect(customer).approve(catalogAddress, ethers.MaxUint256)).wait();
  }
  await (await token.connect(merchant).mint(carol.address, 1000n * ONE)).wait();
  const params = await rewardParams();
  const rewardId = await addReward(catalog, merchant, params);
  return {
    deployer,
    merchant,
    partnerMerchant,
    terminal,
    fulfiller,
    treasury,
    alice,
    bob,
    carol,
    stranger,
    factory,
    token,
    partnerToken,
    catalog,
    voucher,
    params,
    rewardId,
  };
}

// ---------------------------------------------------------------- market

export type ExchangeOrder = IPointsExchange.OrderStruct;

/** The terms of the order `tx` created, from its OrderCreated event (what a taker's indexer reads). */
export async function createdOrder(exchange: BaseContract, tx: ContractTransactionResponse): Promise<ExchangeOrder> {
  const receipt = await tx.wait();
  for (const log of receipt?.logs ?? []) {
    const event = exchange.interface.parseLog(log);
    if (event?.name === "OrderCreated") {
      const { maker, sellToken, buyToken, nonce } = event.args;
      return { maker, sellToken, buyToken, nonce };
    }
  }
  throw new Error(`no OrderCreated in ${tx.hash}`);
}

/**
 * A PointsExchange owned by `owner` for the factory's tokens `alpha` (BEAN, alphaMerchant's) and `beta` (PAGE,
 * betaMerchant's), with `usdc` (6 decimals) allow-listed. maker, taker and carol hold 1 000 000 of each and
 * approved the exchange.
 */
export async function exchangeFixture() {
  const [owner, alphaMerchant, betaMerchant, maker, taker, carol, stranger] = await ethers.getSigners();
  const factory = await deployFactory();
  const alpha = await createToken(factory, alphaMerchant);
  const beta = await createToken(factory, betaMerchant, tokenParams({ name: "Beta Book Club", symbol: "PAGE" }));
  const usdc = (await ethers.deployContract("MockStablecoin", ["USD Coin", "USDC", 6])) as unknown as MockStablecoin;
  const exchange = (await ethers.deployContract("PointsExchange", [
    await factory.getAddress(),
    owner.address,
  ])) as unknown as PointsExchange;
  const exchangeAddress = await exchange.getAddress();
  await (await exchange.setStablecoin(await usdc.getAddress(), true)).wait();
  for (const trader of [maker, taker, carol]) {
    await (await alpha.connect(alphaMerchant).mint(trader.address, 1_000_000n * ONE)).wait();
    await (await beta.connect(betaMerchant).mint(trader.address, 1_000_000n * ONE)).wait();
    await (await usdc.mint(trader.address, 1_000_000n * unit(6))).wait();
    for (const token of [alpha, beta, usdc]) {
      await (await token.connect(trader).approve(exchangeAddress, ethers.MaxUint256)).wait();
    }
  }
  return { owner, alphaMerchant, betaMerchant, maker, taker, carol, stranger, factory, alpha, beta, usdc, exchange };
}
