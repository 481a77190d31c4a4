import {
  type Address,
  type Chain,
  type Client,
  type ContractFunctionArgs,
  type ContractFunctionReturnType,
  type Hex,
  type Transport,
  bytesToBigInt,
  getAddress,
  isAddress,
  isHex,
  zeroAddress,
  zeroHash,
} from "viem";
import { getChainId, getContractEvents, readContract, signTypedData } from "viem/actions";
import { CodeDecryptionError, deliveryContext, openCodes, sealCodes } from "../codeDelivery";
import { campaignFactoryAbi, rewardCatalogAbi, rewardVoucherAbi } from "../generated/abis";
import { type Approval, chainTime, deadlineIn, ensureAllowance, signPermitFor } from "./allowance";
import { type BlockRange, readInChunks } from "./logs";
import { type WriteClients, resolveAddress, simulateAndWrite } from "./write";

// A merchant's reward catalog (`IRewardCatalog`) and its ERC-1155 vouchers (`IRewardVoucher`): what customers see
// and redeem, what the merchant lists, and what happens at the till.

type ReadClient = Client<Transport, Chain | undefined>;

/** What a voucher is for (`IRewardCatalog.RewardKind`). */
export const RewardKind = {
  DiscountPercent: 0,
  DiscountAmount: 1,
  FreeShipping: 2,
  Ticket: 3,
  GiftCoupon: 4,
  AccessCode: 5,
  Other: 6,
} as const;
export type RewardKind = (typeof RewardKind)[keyof typeof RewardKind];

/** Where a reward stands (`IRewardCatalog.RewardStatus`); `Retired` is final. */
export const RewardStatus = { None: 0, Active: 1, Paused: 2, Retired: 3 } as const;
export type RewardStatus = (typeof RewardStatus)[keyof typeof RewardStatus];

/** What a merchant chooses for a reward (`IRewardCatalog.RewardParams`). */
export type RewardParams = ContractFunctionArgs<typeof rewardCatalogAbi, "nonpayable", "addReward">[0];
/** One way to pay for one voucher: `price` base units of `token`. */
export type PaymentOption = ContractFunctionReturnType<typeof rewardCatalogAbi, "view", "paymentOptions">[number];

/** Whether vouchers of `kind` come with a private code (gift coupons, access codes): redeeming them needs a
 * delivery key (`generateDeliveryKeyPair`). */
export function deliversCode(kind: number): boolean {
  return kind === RewardKind.GiftCoupon || kind === RewardKind.AccessCode;
}

// ------------------------------------------------------------------------------------------------ catalog reads

/** A partner token the catalog accepts: `partnerAmount` of it pays for `ownAmount` of a price. */
export interface PartnerAcceptance {
  token: Address;
  partnerAmount: bigint;
  ownAmount: bigint;
}

export interface CatalogInfo {
  address: Address;
  /** The merchant's own token: prices are in it, and redeeming burns it. */
  token: Address;
  merchant: Address;
  /** The ERC-1155 contract of the catalog's vouchers. */
  voucher: Address;
  /** Where partner points paid for rewards go. */
  treasury: Address;
  /** Rewards listed so far; ids run from 1. */
  rewardCount: bigint;
  partners: PartnerAcceptance[];
}

export async function getCatalog(client: ReadClient, { catalog }: { catalog: Address }): Promise<CatalogInfo> {
  const read = <functionName extends "token" | "merchant" | "voucher" | "treasury" | "rewardCount" | "partners">(
    functionName: functionName,
  ) => readContract(client, { address: catalog, abi: rewardCatalogAbi, functionName });
  const [token, merchant, voucher, treasury, rewardCount, partnerTokens] = await Promise.all([
    read("token"),
    read("merchant"),
    read("voucher"),
    read("treasury"),
    read("rewardCount"),
    read("partners"),
  ]);
  const partners = await Promise.all(
    partnerTokens.map(async (partner) => {
      const rate = await readContract(client, {
        address: catalog,
        abi: rewardCatalogAbi,
        functionName: "partnerRate",
        args: [partner],
      });
      return { token: partner, partnerAmount: rate.partnerAmount, ownAmount: rate.ownAmount };
    }),
  );
  return { address: catalog, token, merchant, voucher, treasury, rewardCount, partners };
}

/** `merchant`'s reward catalog, or undefined if it has none. */
export async function getCatalogOf(
  client: ReadClient,
  { merchant, factory }: { merchant: Address; factory?: Address },
): Promise<Address | undefined> {
  const catalog = await readContract(client, {
    address: await resolveAddress(client, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "catalogOf",
    args: [merchant],
  });
  return catalog === zeroAddress ? undefined : catalog;
}

/** A reward as the customer sees it. */
export interface RewardInfo {
  id: bigint;
  params: RewardParams;
  /** Vouchers redeemed so far. */
  redeemed: number;
  /** Vouchers left to redeem. */
  remaining: number;
  status: RewardStatus;
  /** Whether it can be redeemed now: active, within its dates, and not sold out (a tier requirement or wallet
   * limit may still stop a given wallet). */
  available: boolean;
  /** Every way to pay for one voucher: the merchant's own token first, then each accepted partner token. Empty for
   * an id never listed. */
  paymentOptions: readonly PaymentOption[];
}

async function rewardInfo(client: ReadClient, catalog: Address, id: bigint, now: bigint): Promise<RewardInfo> {
  const { params, redeemed, status } = await readContract(client, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "reward",
    args: [id],
  });
  const paymentOptions =
    status === RewardStatus.None
      ? []
      : await readContract(client, {
          address: catalog,
          abi: rewardCatalogAbi,
          functionName: "paymentOptions",
          args: [id],
        });
  const remaining = params.supply - redeemed;
  const available = status === RewardStatus.Active && params.startsAt <= now && now < params.endsAt && remaining > 0;
  return { id, params, redeemed, remaining, status: status as RewardStatus, available, paymentOptions };
}

export async function getReward(
  client: ReadClient,
  { catalog, rewardId }: { catalog: Address; rewardId: bigint },
): Promise<RewardInfo> {
  return rewardInfo(client, catalog, rewardId, await chainTime(client));
}

/** Every reward the catalog ever listed, oldest first, with every way to pay for it. Retired ones too unless
 * `activeOnly` (then only rewards that can be redeemed now). */
export async function listRewards(
  client: ReadClient,
  { catalog, activeOnly = false }: { catalog: Address; activeOnly?: boolean },
): Promise<RewardInfo[]> {
  const [count, now] = await Promise.all([
    readContract(client, { address: catalog, abi: rewardCatalogAbi, functionName: "rewardCount" }),
    chainTime(client),
  ]);
  const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  const rewards = await Promise.all(ids.map((id) => rewardInfo(client, catalog, id, now)));
  return activeOnly ? rewards.filter((reward) => reward.available) : rewards;
}

/** The price of one voucher of `rewardId` in `payToken`; reverts if the reward does not accept it. */
export function getRewardPrice(
  client: ReadClient,
  { catalog, rewardId, payToken }: { catalog: Address; rewardId: bigint; payToken: Address },
): Promise<bigint> {
  return readContract(client, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "priceIn",
    args: [rewardId, payToken],
  });
}

// ------------------------------------------------------------------------------------------------ redeeming

export interface RedeemParams {
  catalog: Address;
  rewardId: bigint;
  /** Vouchers to redeem; 1 by default. */
  quantity?: bigint;
  /** The token to pay with: the catalog's own token by default, or an accepted partner token. */
  payToken?: Address;
  /** Most base units of `payToken` to pay in all; by default the price now times `quantity`, so a price raised in
   * between makes the redemption fail instead of cost more. */
  maxCost?: bigint;
  /** The public key of a fresh delivery key pair (`generateDeliveryKeyPair`) for gift coupons and access codes. */
  encryptionKey?: Hex;
  /** How the catalog gets the right to take the points (see `Approval`); with `"permit"` the permit rides in the
   * redemption's own transaction. `"approve"` by default. */
  approval?: Approval;
  /** Deadline of a permit; 20 minutes after the latest block by default. */
  permitDeadline?: bigint;
}

/**
 * Redeems vouchers of a reward into the wallet: burns the merchant's own points, or moves accepted partner points
 * to the merchant's treasury. `result` is the redemption id, which a code delivery answers (`readDeliveredCodes`);
 * the event is `RewardRedeemed`.
 */
export async function redeemReward(clients: WriteClients, params: RedeemParams) {
  const { catalog, rewardId, quantity = 1n, encryptionKey = zeroHash, approval = "approve" } = params;
  const payToken =
    params.payToken ??
    (await readContract(clients.publicClient, { address: catalog, abi: rewardCatalogAbi, functionName: "token" }));
  const maxCost =
    params.maxCost ?? (await getRewardPrice(clients.publicClient, { catalog, rewardId, payToken })) * quantity;
  if (approval === "permit") {
    const { deadline, v, r, s } = await signPermitFor(clients, {
      token: payToken,
      spender: catalog,
      value: maxCost,
      deadline: params.permitDeadline,
    });
    return simulateAndWrite(clients, {
      address: catalog,
      abi: rewardCatalogAbi,
      functionName: "redeemWithPermit",
      args: [rewardId, quantity, payToken, maxCost, encryptionKey, deadline, v, r, s],
      eventName: "RewardRedeemed",
    });
  }
  await ensureAllowance(clients, { token: payToken, spender: catalog, amount: maxCost, approval });
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "redeem",
    args: [rewardId, quantity, payToken, maxCost, encryptionKey],
    eventName: "RewardRedeemed",
  });
}

/** A redemption as `RewardRedeemed` recorded it. */
export interface Redemption {
  redemptionId: bigint;
  rewardId: bigint;
  account: Address;
  quantity: bigint;
  payToken: Address;
  cost: bigint;
  /** The customer's delivery public key; zero when the reward delivers no code. */
  encryptionKey: Hex;
  blockNumber: bigint;
  transactionHash: Hex;
}

/** The catalog's redemptions, oldest first: one wallet's (`account`) or everyone's, of one reward or all. */
export async function listRedemptions(
  client: ReadClient,
  { catalog, account, rewardId, ...range }: { catalog: Address; account?: Address; rewardId?: bigint } & BlockRange,
): Promise<Redemption[]> {
  const logs = await readInChunks(client, range, (fromBlock, toBlock) =>
    getContractEvents(client, {
      address: catalog,
      abi: rewardCatalogAbi,
      eventName: "RewardRedeemed",
      args: { account, rewardId },
      fromBlock,
      toBlock,
      strict: true,
    }),
  );
  return logs.map(({ args, blockNumber, transactionHash }) => ({ ...args, blockNumber, transactionHash }));
}

/**
 * The codes the merchant's fulfilment service delivered for a gift-coupon or access-code redemption, opened with
 * the secret key of the delivery key pair the redemption named; undefined while nothing was delivered.
 *
 * @throws CodeDecryptionError when every delivery fails to open with this key (another key, or altered).
 */
export async function readDeliveredCodes(
  client: ReadClient,
  {
    catalog,
    redemptionId,
    secretKey,
    ...range
  }: { catalog: Address; redemptionId: bigint; secretKey: Uint8Array } & BlockRange,
): Promise<string[] | undefined> {
  const [chainId, deliveries] = await Promise.all([
    client.chain?.id ?? getChainId(client),
    readInChunks(client, range, (fromBlock, toBlock) =>
      getContractEvents(client, {
        address: catalog,
        abi: rewardCatalogAbi,
        eventName: "CodeDelivered",
        args: { redemptionId },
        fromBlock,
        toBlock,
        strict: true,
      }),
    ),
  ]);
  if (deliveries.length === 0) return undefined;
  const context = deliveryContext(chainId, catalog, redemptionId);
  // Anyone the merchant allowed may post; the first delivery that opens is the customer's codes.
  for (const { args } of deliveries) {
    try {
      return openCodes(secretKey, args.ciphertext, context);
    } catch (error) {
      if (!(error instanceof CodeDecryptionError)) throw error;
    }
  }
  throw new CodeDecryptionError();
}

/**
 * Seals `codes` to a redemption's encryption key (the one its `RewardRedeemed` names) and posts them, so only the
 * customer's app can read them. Only the merchant or a fulfiller it allowed. The event is `CodeDelivered`.
 */
export async function deliverCodes(
  clients: WriteClients,
  {
    catalog,
    redemptionId,
    encryptionKey,
    codes,
  }: { catalog: Address; redemptionId: bigint; encryptionKey: Hex; codes: readonly string[] },
) {
  const chainId = clients.publicClient.chain?.id ?? (await getChainId(clients.publicClient));
  const ciphertext = sealCodes(encryptionKey, codes, deliveryContext(chainId, catalog, redemptionId));
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "deliverCode",
    args: [redemptionId, ciphertext],
    eventName: "CodeDelivered",
  });
}

// ------------------------------------------------------------------------------------------------ merchant

/** Creates the wallet's reward catalog for a token it owns (one per merchant). Partner points go to `treasury`,
 * the wallet by default. `result` is the catalog's address; the event is `CatalogCreated`. */
export async function createCatalog(
  clients: WriteClients,
  { token, treasury, factory }: { token: Address; treasury?: Address; factory?: Address },
) {
  return simulateAndWrite(clients, {
    address: await resolveAddress(clients.publicClient, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "createCatalog",
    args: [token, treasury ?? clients.walletClient.account.address],
    eventName: "CatalogCreated",
  });
}

/** Lists a reward. Only the merchant. `result` is the new reward's id (also its vouchers' ERC-1155 id). */
export function addReward(clients: WriteClients, { catalog, params }: { catalog: Address; params: RewardParams }) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "addReward",
    args: [params],
    eventName: "RewardAdded",
  });
}

/** Changes a reward's price, supply, limits, dates, tier requirement, partner acceptance or metadata; its kind and
 * value stay as listed. Only the merchant. */
export function editReward(
  clients: WriteClients,
  { catalog, rewardId, params }: { catalog: Address; rewardId: bigint; params: RewardParams },
) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "editReward",
    args: [rewardId, params],
    eventName: "RewardEdited",
  });
}

/** Pauses or resumes a reward. Only the merchant. */
export function setRewardPaused(
  clients: WriteClients,
  { catalog, rewardId, paused }: { catalog: Address; rewardId: bigint; paused: boolean },
) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "setRewardPaused",
    args: [rewardId, paused],
    eventName: "RewardPausedSet",
  });
}

/** Stops a reward for good; vouchers already redeemed stay valid. Only the merchant. */
export function retireReward(clients: WriteClients, { catalog, rewardId }: { catalog: Address; rewardId: bigint }) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "retireReward",
    args: [rewardId],
    eventName: "RewardRetired",
  });
}

/** Accepts another merchant's token as payment: `partnerAmount` of it pays `ownAmount` of a price. Both zero stop
 * accepting it. Only the merchant. */
export function setPartnerRate(
  clients: WriteClients,
  {
    catalog,
    partnerToken,
    partnerAmount,
    ownAmount,
  }: { catalog: Address; partnerToken: Address; partnerAmount: bigint; ownAmount: bigint },
) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "setPartnerRate",
    args: [partnerToken, partnerAmount, ownAmount],
    eventName: "PartnerRateSet",
  });
}

/** Sets where partner points paid for rewards go. Only the merchant. */
export function setTreasury(clients: WriteClients, { catalog, treasury }: { catalog: Address; treasury: Address }) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "setTreasury",
    args: [treasury],
    eventName: "TreasurySet",
  });
}

/** Allows or stops a fulfilment service key (it delivers gift-coupon and access codes). Only the merchant. */
export function setFulfiller(
  clients: WriteClients,
  { catalog, fulfiller, allowed }: { catalog: Address; fulfiller: Address; allowed: boolean },
) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "setFulfiller",
    args: [fulfiller, allowed],
    eventName: "FulfillerSet",
  });
}

/** Allows or stops a till terminal key (it submits customers' signed voucher uses). Only the merchant. */
export function setTerminal(
  clients: WriteClients,
  { catalog, terminal, allowed }: { catalog: Address; terminal: Address; allowed: boolean },
) {
  return simulateAndWrite(clients, {
    address: catalog,
    abi: rewardCatalogAbi,
    functionName: "setTerminal",
    args: [terminal, allowed],
    eventName: "TerminalSet",
  });
}

// ------------------------------------------------------------------------------------------------ vouchers

/** Vouchers of one reward a wallet holds. */
export interface VoucherBalance {
  rewardId: bigint;
  balance: bigint;
}

/** The vouchers `account` holds in the catalog's voucher contract, by reward, oldest reward first (none of those
 * it holds zero of). */
export async function getVoucherBalances(
  client: ReadClient,
  { catalog, account }: { catalog: Address; account: Address },
): Promise<VoucherBalance[]> {
  const [voucher, count] = await Promise.all([
    readContract(client, { address: catalog, abi: rewardCatalogAbi, functionName: "voucher" }),
    readContract(client, { address: catalog, abi: rewardCatalogAbi, functionName: "rewardCount" }),
  ]);
  const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  const balances = await readContract(client, {
    address: voucher,
    abi: rewardVoucherAbi,
    functionName: "balanceOfBatch",
    args: [ids.map(() => account), ids],
  });
  return ids.map((rewardId, i) => ({ rewardId, balance: balances[i] })).filter(({ balance }) => balance > 0n);
}

/** Uses (burns) one of the wallet's vouchers of `rewardId` itself, e.g. at an online checkout. */
export function useVoucher(clients: WriteClients, { voucher, rewardId }: { voucher: Address; rewardId: bigint }) {
  return simulateAndWrite(clients, {
    address: voucher,
    abi: rewardVoucherAbi,
    functionName: "use",
    args: [rewardId],
    eventName: "VoucherUsed",
  });
}

/** Gives `amount` of the wallet's vouchers of `rewardId` to `to`. */
export function giveVoucher(
  clients: WriteClients,
  { voucher, rewardId, to, amount = 1n }: { voucher: Address; rewardId: bigint; to: Address; amount?: bigint },
) {
  return simulateAndWrite(clients, {
    address: voucher,
    abi: rewardVoucherAbi,
    functionName: "safeTransferFrom",
    args: [clients.walletClient.account.address, to, rewardId, amount, "0x"],
    eventName: "TransferSingle",
  });
}

export const VOUCHER_USE_TYPES = {
  Use: [
    { name: "holder", type: "address" },
    { name: "id", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The EIP-712 domain of a voucher contract's signed uses. */
export function voucherUseDomain(voucher: Address, chainId: number) {
  return { name: "Perks Reward Voucher", version: "1", chainId, verifyingContract: voucher } as const;
}

/** A holder's signed "use one voucher" message, shown at the till as a QR code (`encodeVoucherUse`). */
export interface SignedVoucherUse {
  chainId: number;
  voucher: Address;
  holder: Address;
  rewardId: bigint;
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
}

/**
 * Signs, without gas, the use of one of the wallet's vouchers of `rewardId`, for one of the merchant's terminals to
 * submit (`submitVoucherUse`). The nonce is random, so two codes shown at once both work; the deadline is 20
 * minutes after the latest block by default.
 */
export async function signVoucherUse(
  { publicClient, walletClient }: WriteClients,
  { voucher, rewardId, nonce, deadline }: { voucher: Address; rewardId: bigint; nonce?: bigint; deadline?: bigint },
): Promise<SignedVoucherUse> {
  const holder = walletClient.account.address;
  const [chainId, validUntil] = await Promise.all([
    publicClient.chain?.id ?? getChainId(publicClient),
    deadline ?? deadlineIn(publicClient),
  ]);
  const use = { holder, id: rewardId, nonce: nonce ?? randomNonce(), deadline: validUntil };
  const signature = await signTypedData(walletClient, {
    account: walletClient.account,
    domain: voucherUseDomain(voucher, chainId),
    types: VOUCHER_USE_TYPES,
    primaryType: "Use",
    message: use,
  });
  return { chainId, voucher, holder, rewardId, nonce: use.nonce, deadline: use.deadline, signature };
}

function randomNonce(): bigint {
  return bytesToBigInt(crypto.getRandomValues(new Uint8Array(16)));
}

/** Submits a holder's signed use at the till. Only the merchant or one of its terminals. */
export function submitVoucherUse(
  clients: WriteClients,
  { voucher, holder, rewardId, nonce, deadline, signature }: SignedVoucherUse,
) {
  return simulateAndWrite(clients, {
    address: voucher,
    abi: rewardVoucherAbi,
    functionName: "useWithSignature",
    args: [holder, rewardId, nonce, deadline, signature],
    eventName: "VoucherUsed",
  });
}

/** The text of a till QR code is not a signed voucher use (or is for another chain). */
export class InvalidVoucherUseError extends Error {
  override name = "InvalidVoucherUseError";
  constructor(readonly reason: string) {
    super(`This is not a valid voucher code: ${reason}.`);
  }
}

const VOUCHER_USE_PREFIX = "perks-use";
const VOUCHER_USE_VERSION = "1";
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The QR payload of a signed use: `perks-use:1:<chain>:<voucher>:<holder>:<reward>:<nonce>:<deadline>:<signature>`. */
export function encodeVoucherUse(use: SignedVoucherUse): string {
  return [
    VOUCHER_USE_PREFIX,
    VOUCHER_USE_VERSION,
    use.chainId,
    use.voucher,
    use.holder,
    use.rewardId,
    use.nonce,
    use.deadline,
    use.signature,
  ].join(":");
}

/** Reads a till QR code made by `encodeVoucherUse`, for the terminal on `chainId`. */
export function decodeVoucherUse(text: string, { chainId }: { chainId: number }): SignedVoucherUse {
  const parts = text.trim().split(":");
  if (parts.length !== 9 || parts[0] !== VOUCHER_USE_PREFIX)
    throw new InvalidVoucherUseError("it is not a Perks voucher code");
  const [, version, chain, voucher, holder, rewardId, nonce, deadline, signature] = parts;
  if (version !== VOUCHER_USE_VERSION) throw new InvalidVoucherUseError(`it uses format version ${version}`);
  for (const [field, value] of Object.entries({ chain, rewardId, nonce, deadline })) {
    if (!DECIMAL.test(value)) throw new InvalidVoucherUseError(`its ${field} is not a number`);
  }
  if (Number(chain) !== chainId) throw new InvalidVoucherUseError(`it is for chain ${chain}, not chain ${chainId}`);
  for (const [field, value] of Object.entries({ voucher, holder })) {
    if (!isAddress(value, { strict: false })) throw new InvalidVoucherUseError(`its ${field} is not an address`);
  }
  // 65 bytes from a plain wallet; a contract wallet's (ERC-1271) may be any length.
  if (!isHex(signature) || signature.length < 4 || signature.length % 2 !== 0) {
    throw new InvalidVoucherUseError("its signature is malformed");
  }
  return {
    chainId,
    voucher: getAddress(voucher),
    holder: getAddress(holder),
    rewardId: BigInt(rewardId),
    nonce: BigInt(nonce),
    deadline: BigInt(deadline),
    signature,
  };
}
