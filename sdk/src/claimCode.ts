import {
  type Address,
  type CompactSignature,
  type Hex,
  type LocalAccount,
  bytesToBigInt,
  concatBytes,
  getAddress,
  hexToBytes,
  isAddressEqual,
  keccak256,
  parseSignature,
  signatureToCompactSignature,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { chainLabel } from "./chains";
import { FieldReader, MalformedClaimCodeError, decodeChecked, encodeChecked, uintBytes } from "./encoding";

// ------------------------------------------------------------------------------------------------ types

/** An offline voucher as `ICampaign.Voucher` takes it. */
export interface Voucher {
  id: bigint;
  /** Points in base units (18 decimals). */
  points: bigint;
  /** Spend in currency minor units (cents), converted on chain with the campaign's earn rate. */
  spend: bigint;
  /** Last second (unix time) at which the voucher can be claimed. */
  expiresAt: bigint;
  /** Address of the one-time claim key printed with the voucher. */
  claimKey: Address;
}

/** A printed code of a Merkle batch as `ICampaign.Code` takes it. */
export interface BatchCode {
  batchId: bigint;
  index: bigint;
  points: bigint;
  claimKey: Address;
}

interface ClaimCodeBase {
  version: typeof CLAIM_CODE_VERSION;
  chainId: number;
  campaign: Address;
  /** The one-time claim key's private key: whoever holds it can claim, so it travels only in the code. */
  claimPrivateKey: Hex;
}

/** A signed voucher from a receipt: the terminal's EIP-712 signature and the claim key. */
export interface VoucherClaimCode extends ClaimCodeBase {
  kind: "voucher";
  voucher: Voucher;
  issuerSignature: CompactSignature;
}

/** A printed code of a Merkle batch (bottle cap, scratch card) with its proof and claim key. */
export interface BatchClaimCode extends ClaimCodeBase {
  kind: "batch";
  code: BatchCode;
  proof: readonly Hex[];
}

export type ClaimCode = VoucherClaimCode | BatchClaimCode;

/** The contract call that claims a code: `Campaign.claimVoucher` or `Campaign.claimCode`. */
export type ClaimCall =
  | {
      functionName: "claimVoucher";
      args: readonly [voucher: Voucher, issuerR: Hex, issuerVS: Hex, recipient: Address, claimR: Hex, claimVS: Hex];
    }
  | {
      functionName: "claimCode";
      args: readonly [code: BatchCode, proof: Hex[], recipient: Address, claimR: Hex, claimVS: Hex];
    };

// ------------------------------------------------------------------------------------------------ errors

/** A damaged or foreign code: defined beside the byte format (encoding.ts) that short batch links share. */
export { MalformedClaimCodeError };

/** The code was made by a newer (or unknown) version of the format. */
export class UnsupportedClaimCodeVersionError extends Error {
  override name = "UnsupportedClaimCodeVersionError";
  constructor(readonly version: number) {
    super(`This claim code uses format version ${version}; this app reads version ${CLAIM_CODE_VERSION}. Please update the app.`);
  }
}

/** The code's points live on another chain than the one the app is connected to. */
export class WrongChainError extends Error {
  override name = "WrongChainError";
  constructor(
    readonly codeChainId: number,
    readonly expectedChainId: number,
  ) {
    super(
      `This claim code is for ${chainLabel(codeChainId)}, but the app is connected to ${chainLabel(expectedChainId)}.`,
    );
  }
}

/** The code names a campaign the app does not know (not created by the Perks factory it trusts). */
export class UnknownCampaignError extends Error {
  override name = "UnknownCampaignError";
  constructor(readonly campaign: Address) {
    super(`This claim code is for campaign ${campaign}, which is not a known Perks campaign.`);
  }
}

// ------------------------------------------------------------------------------------------------ EIP-712

export const VOUCHER_TYPES = {
  Voucher: [
    { name: "id", type: "uint256" },
    { name: "points", type: "uint256" },
    { name: "spend", type: "uint256" },
    { name: "expiresAt", type: "uint64" },
    { name: "claimKey", type: "address" },
  ],
} as const;

export const CLAIM_TYPES = { Claim: [{ name: "recipient", type: "address" }] } as const;

/** The EIP-712 domain of a campaign clone (`EIP712("Perks Campaign", "1")`, verified by the clone itself). */
export function campaignDomain(campaign: Address, chainId: number) {
  return { name: "Perks Campaign", version: "1", chainId, verifyingContract: campaign } as const;
}

async function compactSigned(signature: Promise<Hex>): Promise<CompactSignature> {
  return signatureToCompactSignature(parseSignature(await signature));
}

/** The issuer's (terminal's) signature of a voucher, compact (EIP-2098). Needs no chain access. */
export function signVoucher(
  issuer: LocalAccount,
  campaign: Address,
  chainId: number,
  voucher: Voucher,
): Promise<CompactSignature> {
  return compactSigned(
    issuer.signTypedData({
      domain: campaignDomain(campaign, chainId),
      types: VOUCHER_TYPES,
      primaryType: "Voucher",
      message: voucher,
    }),
  );
}

/** The claim key's signature of `Claim(recipient)`, compact (EIP-2098): it binds a claim to one wallet, so
 * nobody who sees the claim transaction in the mempool can redirect it. */
export function signClaim(
  claimPrivateKey: Hex,
  campaign: Address,
  chainId: number,
  recipient: Address,
): Promise<CompactSignature> {
  return compactSigned(
    privateKeyToAccount(claimPrivateKey).signTypedData({
      domain: campaignDomain(campaign, chainId),
      types: CLAIM_TYPES,
      primaryType: "Claim",
      message: { recipient },
    }),
  );
}

/** A fresh one-time claim key. */
export function newClaimKey(): { privateKey: Hex; address: Address } {
  const privateKey = generatePrivateKey();
  return { privateKey, address: privateKeyToAddress(privateKey) };
}

const UINT64_LIMIT = 1n << 64n;

/**
 * The voucher id of a terminal's `sequence`-th voucher: the first 24 bytes of keccak256(terminal address) in the
 * high bits and the sequence in the low 64. A terminal's ids are consecutive, so they share bitmap words on chain
 * (the first claim of 256 pays for the storage slot), and two terminals never share an id without keeping a
 * common counter.
 */
export function voucherIdFor(terminal: Address, sequence: bigint | number): bigint {
  const seq = BigInt(sequence);
  if (seq < 0n || seq >= UINT64_LIMIT) throw new RangeError(`Voucher sequence ${seq} is outside 0..2^64-1.`);
  const prefix = bytesToBigInt(hexToBytes(keccak256(getAddress(terminal))).subarray(0, 24));
  return (prefix << 64n) | seq;
}

/**
 * Everything a receipt needs, made offline by a terminal: a new claim key, the voucher naming it, and the
 * terminal's signature. Encode the result with `encodeClaimLink` or `encodeClaimQr`.
 */
export async function createVoucher(params: {
  issuer: LocalAccount;
  campaign: Address;
  chainId: number;
  id: bigint;
  points?: bigint;
  spend?: bigint;
  expiresAt: bigint;
}): Promise<VoucherClaimCode> {
  const claimKey = newClaimKey();
  const voucher: Voucher = {
    id: params.id,
    points: params.points ?? 0n,
    spend: params.spend ?? 0n,
    expiresAt: params.expiresAt,
    claimKey: claimKey.address,
  };
  return {
    version: CLAIM_CODE_VERSION,
    kind: "voucher",
    chainId: params.chainId,
    campaign: getAddress(params.campaign),
    claimPrivateKey: claimKey.privateKey,
    voucher,
    issuerSignature: await signVoucher(params.issuer, params.campaign, params.chainId, voucher),
  };
}

/** Signs the recipient with the code's claim key and returns the campaign call that claims the code into it.
 * Anyone (the customer's wallet or a relayer) may send it. */
export async function claimCall(code: ClaimCode, recipient: Address): Promise<ClaimCall> {
  const claim = await signClaim(code.claimPrivateKey, code.campaign, code.chainId, recipient);
  if (code.kind === "voucher") {
    const { r, yParityAndS } = code.issuerSignature;
    return {
      functionName: "claimVoucher",
      args: [code.voucher, r, yParityAndS, recipient, claim.r, claim.yParityAndS],
    };
  }
  return { functionName: "claimCode", args: [code.code, [...code.proof], recipient, claim.r, claim.yParityAndS] };
}

// ------------------------------------------------------------------------------------------------ format

/**
 * Version 1 of the binary claim code, base64url-encoded. Fields in order:
 *
 *   u8 version (1) | u8 kind (0 voucher, 1 batch) | uint chainId | 20 campaign | 32 claim private key
 *   voucher: uint id | uint points | uint spend | uint expiresAt | 32 issuer r | 32 issuer vs
 *   batch:   uint batchId | uint index | uint points | u8 proof length | 32 × proof
 *   4 checksum: the first 4 bytes of keccak256 of everything before
 *
 * `uint` is a length byte (0..32) and that many big-endian bytes without leading zeros, so small numbers stay
 * small and every value has exactly one encoding (encoding.ts). The claim key's address is left out: it follows
 * from the private key. The checksum turns a damaged code into a clear error instead of a claim that reverts; it
 * is checked before the version, so a mistyped character never reads as a newer version.
 */
export const CLAIM_CODE_VERSION = 1;

const KIND_VOUCHER = 0;
const KIND_BATCH = 1;
const FRAGMENT_PARAM = "c";

/** Throws if a code's claim-key address does not belong to its private key: a code must claim what it shows. */
function checkClaimKey(code: ClaimCode): void {
  const claimKey = code.kind === "voucher" ? code.voucher.claimKey : code.code.claimKey;
  if (!isAddressEqual(claimKey, privateKeyToAddress(code.claimPrivateKey))) {
    throw new Error(`Claim key ${claimKey} is not the address of the code's claim private key.`);
  }
}

/** The binary claim code as base64url (no padding). */
export function encodeClaimCode(code: ClaimCode): string {
  checkClaimKey(code);
  if (!Number.isSafeInteger(code.chainId) || code.chainId <= 0) throw new RangeError(`Chain id ${code.chainId} is invalid.`);
  const parts: Uint8Array[] = [
    Uint8Array.of(CLAIM_CODE_VERSION, code.kind === "voucher" ? KIND_VOUCHER : KIND_BATCH),
    uintBytes(BigInt(code.chainId), "chainId"),
    hexToBytes(getAddress(code.campaign)),
    hexToBytes(code.claimPrivateKey, { size: 32 }),
  ];
  if (code.kind === "voucher") {
    const { voucher, issuerSignature } = code;
    if (voucher.expiresAt >= UINT64_LIMIT) throw new RangeError(`expiresAt ${voucher.expiresAt} does not fit in a uint64.`);
    parts.push(
      uintBytes(voucher.id, "id"),
      uintBytes(voucher.points, "points"),
      uintBytes(voucher.spend, "spend"),
      uintBytes(voucher.expiresAt, "expiresAt"),
      hexToBytes(issuerSignature.r, { size: 32 }),
      hexToBytes(issuerSignature.yParityAndS, { size: 32 }),
    );
  } else {
    if (code.proof.length > 0xff) throw new RangeError(`A proof of ${code.proof.length} hashes is too long.`);
    parts.push(
      uintBytes(code.code.batchId, "batchId"),
      uintBytes(code.code.index, "index"),
      uintBytes(code.code.points, "points"),
      Uint8Array.of(code.proof.length),
      ...code.proof.map((node) => hexToBytes(node, { size: 32 })),
    );
  }
  return encodeChecked(concatBytes(parts));
}

/** A link that opens the claim page with the code in the URL fragment, which browsers never send to a server. */
export function encodeClaimLink(code: ClaimCode, baseUrl: string): string {
  const url = new URL(baseUrl);
  url.hash = `${FRAGMENT_PARAM}=${encodeClaimCode(code)}`;
  return url.toString();
}

/** The text to put in a receipt's QR code: the claim link, so any phone camera opens the claim page. */
export function encodeClaimQr(code: ClaimCode, baseUrl: string): string {
  return encodeClaimLink(code, baseUrl);
}

/** The code from a claim link (`…#c=CODE`), a fragment (`#c=CODE`, `c=CODE`) or the bare code. */
function extractCode(linkOrCode: string): string {
  const text = linkOrCode.trim();
  const hashAt = text.indexOf("#");
  const fragment = hashAt >= 0 ? text.slice(hashAt + 1) : text;
  if (hashAt < 0 && !fragment.startsWith(`${FRAGMENT_PARAM}=`)) return fragment;
  const code = new URLSearchParams(fragment).get(FRAGMENT_PARAM);
  if (code === null) throw new MalformedClaimCodeError(`the link has no "${FRAGMENT_PARAM}=" part after "#"`);
  return code;
}

function decodeClaimCode(encoded: string): ClaimCode {
  // The checksum first: a damaged code is reported as damage even when the damage hit the version byte.
  const body = decodeChecked(encoded);
  if (body[0] !== CLAIM_CODE_VERSION) throw new UnsupportedClaimCodeVersionError(body[0]);
  const fields = new FieldReader(body, 1);
  const kind = fields.u8("kind");
  if (kind !== KIND_VOUCHER && kind !== KIND_BATCH) throw new MalformedClaimCodeError(`kind ${kind} is unknown`);
  const chainId = fields.chainId();
  const campaign = getAddress(fields.hex(20, "campaign"));
  const { privateKey: claimPrivateKey, address: claimKey } = fields.claimKey();
  const base = { version: CLAIM_CODE_VERSION, chainId, campaign, claimPrivateKey } as const;

  let code: ClaimCode;
  if (kind === KIND_VOUCHER) {
    const voucher: Voucher = {
      id: fields.uint("id"),
      points: fields.uint("points"),
      spend: fields.uint("spend"),
      expiresAt: fields.uint("expiresAt"),
      claimKey,
    };
    if (voucher.expiresAt >= UINT64_LIMIT) throw new MalformedClaimCodeError("expiresAt does not fit in a uint64");
    const issuerSignature = { r: fields.hex(32, "issuer signature"), yParityAndS: fields.hex(32, "issuer signature") };
    code = { ...base, kind: "voucher", voucher, issuerSignature };
  } else {
    const batchCode: BatchCode = {
      batchId: fields.uint("batchId"),
      index: fields.uint("index"),
      points: fields.uint("points"),
      claimKey,
    };
    const proofLength = fields.u8("proof length");
    const proof = Array.from({ length: proofLength }, () => fields.hex(32, "proof"));
    code = { ...base, kind: "batch", code: batchCode, proof };
  }
  fields.end();
  return code;
}

/**
 * Reads a claim link, fragment or bare code, and checks it belongs to this app's chain and (when given) to one
 * of the campaigns it knows.
 *
 * @throws MalformedClaimCodeError, UnsupportedClaimCodeVersionError, WrongChainError, UnknownCampaignError
 */
export function parseClaimCode(
  linkOrCode: string,
  options: { chainId: number; knownCampaigns?: readonly Address[] },
): ClaimCode {
  const code = decodeClaimCode(extractCode(linkOrCode));
  if (code.chainId !== options.chainId) throw new WrongChainError(code.chainId, options.chainId);
  if (options.knownCampaigns && !options.knownCampaigns.some((known) => isAddressEqual(known, code.campaign))) {
    throw new UnknownCampaignError(code.campaign);
  }
  return code;
}
