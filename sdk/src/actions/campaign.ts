import {
  type Address,
  type Chain,
  type Client,
  type CompactSignature,
  type ContractFunctionArgs,
  type ContractFunctionReturnType,
  type Hex,
  type Transport,
  bytesToBigInt,
  bytesToHex,
  getAddress,
  hexToBytes,
  zeroHash,
} from "viem";
import { readContract } from "viem/actions";
import { campaignAbi, campaignFactoryAbi } from "../generated/abis";
import { type WriteClients, findEvent, resolveAddress, simulateAndSend, simulateAndWrite } from "./write";

type ReadClient = Client<Transport, Chain | undefined>;

/** A campaign's rules as fixed at creation (`ICampaign.Rules`). */
export type CampaignRules = ContractFunctionReturnType<typeof campaignAbi, "view", "rules">;
type ClaimVoucherArgs = ContractFunctionArgs<typeof campaignAbi, "nonpayable", "claimVoucher">;
type ClaimCodeArgs = ContractFunctionArgs<typeof campaignAbi, "nonpayable", "claimCode">;

/**
 * The supply cap of a campaign without one: the largest the rules hold (uint128). Such a campaign does not count
 * what it issues (`issued` reads 0; claims cost less gas) and refuses only a single claim above it.
 */
export const NO_SUPPLY_CAP = (1n << 128n) - 1n;

/** How points reached a wallet (`ICampaign.Channel`); bit `1 << channel` of the rules' mask opens it. */
export const Channel = { Direct: 0, Voucher: 1, Batch: 2 } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

export function isChannelOpen(rules: Pick<CampaignRules, "channels">, channel: Channel): boolean {
  return (rules.channels & (1 << channel)) !== 0;
}

/** The channel mask that opens `channels`, for `CampaignParams.channels`. */
export function channelMask(...channels: Channel[]): number {
  return channels.reduce<number>((mask, channel) => mask | (1 << channel), 0);
}

/**
 * Unpacks the `rules` bytes of a `CampaignCreated` event (the layout of `CampaignRules.encode`), so an indexer
 * knows every campaign's rules without calling it.
 */
export function decodePackedRules(packed: Hex): CampaignRules {
  const bytes = hexToBytes(packed);
  let offset = 0;
  const take = (size: number) => {
    if (offset + size > bytes.length) throw new RangeError(`Packed campaign rules end after ${bytes.length} bytes.`);
    return bytes.subarray(offset, (offset += size));
  };
  const uint = (size: number) => bytesToBigInt(take(size));
  const small = (size: number) => Number(uint(size));
  const token = getAddress(bytesToHex(take(20)));
  const header = {
    token,
    startsAt: uint(8),
    endsAt: uint(8),
    supplyCap: uint(16),
    maxPerClaim: uint(16),
    earnPoints: uint(16),
    earnSpend: uint(16),
    channels: small(1),
    tierPeriod: small(4),
  };
  const tierCount = small(1);
  const milestoneCount = small(1);
  const issuerCount = small(1);
  const tiers = Array.from({ length: tierCount }, () => ({ threshold: uint(16), multiplierBps: small(2) }));
  const milestones = Array.from({ length: milestoneCount }, () => ({ claimNumber: small(4), bonus: uint(16) }));
  const issuers = Array.from({ length: issuerCount }, () => getAddress(bytesToHex(take(20))));
  if (offset !== bytes.length) throw new RangeError(`Packed campaign rules have ${bytes.length - offset} extra bytes.`);
  return { ...header, tiers, milestones, issuers };
}

/**
 * Whether the campaign keeps a record of each wallet (tier buckets and claim count): only one with tiers or
 * milestones does. Such records are what retiring an ended campaign hands on (see `retireCampaign`).
 */
export function keepsRecords(rules: Pick<CampaignRules, "tierPeriod" | "milestones">): boolean {
  return rules.tierPeriod !== 0 || rules.milestones.length > 0;
}

// ------------------------------------------------------------------------------------------------ reads

/** A campaign's rules and state now. */
export interface CampaignState {
  address: Address;
  rules: CampaignRules;
  /**
   * Points issued so far, counted against the supply cap; 0 for a campaign without one (NO_SUPPLY_CAP), which does
   * not count (what any campaign issued is in its PointsIssued events, see stats).
   */
  issued: bigint;
  paused: boolean;
  /** When issuance ends: the rules' end, or earlier if the merchant ended the campaign. */
  endsAt: bigint;
  /** Batches of printed codes published; ids run from 0. */
  batchCount: bigint;
  /**
   * The campaign's number in the factory's registry (from 1), which names the wallet records it keeps in its token
   * (see `isCampaignRetired`); 0 for a campaign its token's owner activated by hand, which keeps them in its own
   * storage.
   */
  serial: number;
}

export async function getCampaign(client: ReadClient, { campaign }: { campaign: Address }): Promise<CampaignState> {
  const read = <functionName extends "issued" | "paused" | "endsAt" | "batchCount" | "serial">(functionName: functionName) =>
    readContract(client, { address: campaign, abi: campaignAbi, functionName });
  const [rules, issued, paused, endsAt, batchCount, serial] = await Promise.all([
    getCampaignRules(client, { campaign }),
    read("issued"),
    read("paused"),
    read("endsAt"),
    read("batchCount"),
    read("serial"),
  ]);
  return { address: campaign, rules, issued, paused, endsAt, batchCount, serial };
}

export function getCampaignRules(client: ReadClient, { campaign }: { campaign: Address }): Promise<CampaignRules> {
  return readContract(client, { address: campaign, abi: campaignAbi, functionName: "rules" });
}

/** The wallet's tier now: 0 for none, `i + 1` for `rules.tiers[i]`. */
export async function tierOf(client: ReadClient, { campaign, account }: { campaign: Address; account: Address }) {
  return Number(
    await readContract(client, { address: campaign, abi: campaignAbi, functionName: "tierOf", args: [account] }),
  );
}

/** Points the wallet earned in the current and the previous tier period, and how many claims it made here. */
export async function accountOf(client: ReadClient, { campaign, account }: { campaign: Address; account: Address }) {
  const [current, previous, claims] = await readContract(client, {
    address: campaign,
    abi: campaignAbi,
    functionName: "accountOf",
    args: [account],
  });
  return { current, previous, claims };
}

/** What a claim of `points` plus `spend` by `account` would issue now: points after its tier's multiplier, and
 * the milestone bonus it would reach. */
export async function quoteClaim(
  client: ReadClient,
  {
    campaign,
    account,
    points = 0n,
    spend = 0n,
  }: { campaign: Address; account: Address; points?: bigint; spend?: bigint },
) {
  const [amount, bonus] = await readContract(client, {
    address: campaign,
    abi: campaignAbi,
    functionName: "quote",
    args: [account, points, spend],
  });
  return { amount, bonus };
}

/** Points `spend` (currency minor units) converts to with the earn rate, before any tier multiplier. */
export function pointsForSpend(client: ReadClient, { campaign, spend }: { campaign: Address; spend: bigint }) {
  return readContract(client, { address: campaign, abi: campaignAbi, functionName: "pointsForSpend", args: [spend] });
}

export function isIssuer(client: ReadClient, { campaign, account }: { campaign: Address; account: Address }) {
  return readContract(client, { address: campaign, abi: campaignAbi, functionName: "isIssuer", args: [account] });
}

export function isVoucherClaimed(client: ReadClient, { campaign, id }: { campaign: Address; id: bigint }) {
  return readContract(client, { address: campaign, abi: campaignAbi, functionName: "isVoucherClaimed", args: [id] });
}

export function isCodeClaimed(
  client: ReadClient,
  { campaign, batchId, index }: { campaign: Address; batchId: bigint; index: bigint },
) {
  return readContract(client, {
    address: campaign,
    abi: campaignAbi,
    functionName: "isCodeClaimed",
    args: [batchId, index],
  });
}

/**
 * Whether the campaign numbered `serial` (`CampaignState.serial`) of `factory` retired: it has ended and the wallet
 * records it kept in its token are free for the token's later campaigns (see `retireCampaign`). False for serial 0,
 * which never retires. Without `factory`, the factory deployed on the client's chain.
 */
export async function isCampaignRetired(client: ReadClient, { serial, factory }: { serial: number | bigint; factory?: Address }) {
  return readContract(client, {
    address: await resolveAddress(client, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "isRetired",
    args: [BigInt(serial)],
  });
}

/** The Merkle root of batch `batchId` (zero when there is none). */
export function getBatchRoot(client: ReadClient, { campaign, batchId }: { campaign: Address; batchId: bigint }) {
  return readContract(client, { address: campaign, abi: campaignAbi, functionName: "batchRoot", args: [batchId] });
}

// ------------------------------------------------------------------------------------------------ writes

/** Issues points straight to `recipient` (a point-of-sale terminal). Only issuer keys. */
export function issuePoints(
  clients: WriteClients,
  {
    campaign,
    recipient,
    points = 0n,
    spend = 0n,
    ref = zeroHash,
  }: { campaign: Address; recipient: Address; points?: bigint; spend?: bigint; ref?: Hex },
) {
  return simulateAndWrite(clients, {
    address: campaign,
    abi: campaignAbi,
    functionName: "issue",
    args: [recipient, points, spend, ref],
    eventName: "PointsIssued",
  });
}

/** Claims a signed voucher into `recipient`. Any wallet may send it (the customer's, or a relayer's). */
export function claimVoucher(
  clients: WriteClients,
  {
    campaign,
    voucher,
    issuerSignature,
    recipient,
    claimSignature,
  }: {
    campaign: Address;
    voucher: ClaimVoucherArgs[0];
    /** The terminal's EIP-712 signature of the voucher. */
    issuerSignature: CompactSignature;
    recipient: Address;
    /** The claim key's EIP-712 signature of `Claim(recipient)`. */
    claimSignature: CompactSignature;
  },
) {
  return simulateAndWrite(clients, {
    address: campaign,
    abi: campaignAbi,
    functionName: "claimVoucher",
    args: [
      voucher,
      issuerSignature.r,
      issuerSignature.yParityAndS,
      recipient,
      claimSignature.r,
      claimSignature.yParityAndS,
    ],
    eventName: "PointsIssued",
  });
}

/** Claims a printed code of a Merkle batch into `recipient`. Any wallet may send it. */
export function claimBatchCode(
  clients: WriteClients,
  {
    campaign,
    code,
    proof,
    recipient,
    claimSignature,
  }: {
    campaign: Address;
    code: ClaimCodeArgs[0];
    proof: readonly Hex[];
    recipient: Address;
    /** The code's claim key's EIP-712 signature of `Claim(recipient)`. */
    claimSignature: CompactSignature;
  },
) {
  return simulateAndWrite(clients, {
    address: campaign,
    abi: campaignAbi,
    functionName: "claimCode",
    args: [code, proof, recipient, claimSignature.r, claimSignature.yParityAndS],
    eventName: "PointsIssued",
  });
}

/** Publishes a batch of `codeCount` printed codes committed by `root`. Only the merchant. `result` is the
 * batch id. */
export function publishBatch(
  clients: WriteClients,
  { campaign, root, codeCount }: { campaign: Address; root: Hex; codeCount: bigint },
) {
  return simulateAndWrite(clients, {
    address: campaign,
    abi: campaignAbi,
    functionName: "publishBatch",
    args: [root, codeCount],
    eventName: "BatchPublished",
  });
}

/** Allows or revokes an issuer key (a terminal). Only the merchant. */
export function setIssuer(
  clients: WriteClients,
  { campaign, issuer, allowed }: { campaign: Address; issuer: Address; allowed: boolean },
) {
  return simulateAndWrite(clients, {
    address: campaign,
    abi: campaignAbi,
    functionName: "setIssuer",
    args: [issuer, allowed],
    eventName: "IssuerSet",
  });
}

/** Pauses or resumes issuance. Only the merchant; issued points are never affected. */
export function setCampaignPaused(clients: WriteClients, { campaign, paused }: { campaign: Address; paused: boolean }) {
  return simulateAndWrite(clients, {
    address: campaign,
    abi: campaignAbi,
    functionName: "setPaused",
    args: [paused],
    eventName: "PausedSet",
  });
}

/** Ends issuance now, for good. Only the merchant; issued points stay fully usable. */
export function endCampaign(clients: WriteClients, { campaign }: { campaign: Address }) {
  return simulateAndWrite(clients, {
    address: campaign,
    abi: campaignAbi,
    functionName: "end",
    args: [],
    eventName: "CampaignEndedEarly",
  });
}

/**
 * Retires an ended campaign: frees the wallet records it keeps in its token, so that the token's later campaigns
 * with tiers or milestones take them over instead of writing a storage slot of their own (about 19,000 gas less for
 * each wallet's first claim there). Anyone may send it once the campaign has ended; `endCampaign` already does it
 * for a campaign the merchant ends early, so only one that ended by its schedule needs it. A campaign numbered 0
 * is refused (`CampaignNotNumbered`), as is one still running (`CampaignStillRunning`). `event` is the factory's
 * `CampaignRetired`, or undefined when the campaign had retired already (someone else got there first): nothing
 * changed then. `factory` is the one that created the campaign, which logs it; read from the campaign when left out.
 */
export async function retireCampaign(clients: WriteClients, { campaign, factory }: { campaign: Address; factory?: Address }) {
  const logger = factory ?? (await readContract(clients.publicClient, { address: campaign, abi: campaignAbi, functionName: "factory" }));
  return simulateAndSend(clients, { address: campaign, abi: campaignAbi, functionName: "retire", args: [] }, (receipt) =>
    findEvent(receipt, { address: logger, abi: campaignFactoryAbi, eventName: "CampaignRetired" }),
  );
}
