import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, Signer } from "ethers";
import type { Campaign, CampaignFactory, LoyaltyToken } from "../../typechain-types";
import type { ICampaignFactory } from "../../typechain-types/contracts/campaigns/CampaignFactory";

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

export const VOUCHER_TYPES = {
  Voucher: [
    { name: "id", type: "uint256" },
    { name: "points", type: "uint256" },
    { name: "spend", type: "uint256" },
    { name: "expiresAt", type: "uint64" },
    { name: "claimKey", type: "address" },
  ],
};
export const CLAIM_TYPES = { Claim: [{ name: "recipient", type: "address" }] };

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

export async function deployFactory() {
  const factory = (await ethers.deployContract("CampaignFactory")) as unknown as CampaignFactory;
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
