/**
 * Short claim links for printed batch codes. A full claim code (claimCode.ts) carries the code's Merkle proof,
 * twenty hashes for a million codes: a 1,000-character link and a dense QR code. A short link carries only what
 * is secret or needed to find the rest: the claim key, and the first 8 bytes of the batch's root, which name its
 * proofs folder (merkleBatch.ts). The dApp fetches the manifest and the claim key's shard, rebuilds the proof,
 * checks it against the root, and turns the link into the full claim code that `claimCall` takes.
 *
 * Version 1, base64url in the URL fragment's `b` parameter (`…/claim#b=CODE`, or `#b=CODE&p=PROOFS_URL` when the
 * proofs are served elsewhere than the dApp's `batches/<root tag>/`):
 *
 *   u8 version (1) | uint chainId | 20 campaign | 32 claim private key | 8 root tag | 4 checksum
 *
 * with `uint` and the checksum (first 4 bytes of keccak256 of everything before) as in claimCode.ts (encoding.ts).
 * The checksum is checked before the version, so a mistyped character never reads as a newer version. The
 * fragment never reaches a server; fetching the shard tells the proofs server 3 hex digits of the claim key's
 * address, nothing secret.
 */
import { type Address, type Chain, type Client, type Hex, type Transport, getAddress, isAddressEqual } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { readContract } from "viem/actions";
import {
  type BatchClaimCode,
  CLAIM_CODE_VERSION,
  MalformedClaimCodeError,
  UnknownCampaignError,
  UnsupportedClaimCodeVersionError,
  WrongChainError,
} from "./claimCode";
import { campaignAbi } from "./generated/abis";
import { CHECKSUM_LENGTH, FieldReader, decodeChecked, toBase64Url, uintBytes, writeChecksum } from "./encoding";
import { type BatchManifest, type BatchShard, BatchProofsError, lookupBatchCode, shardPath } from "./merkleBatch";

export const BATCH_LINK_VERSION = 1;

const CODE_PARAM = "b";
const PROOFS_PARAM = "p";
const ROOT_TAG_LENGTH = 8;

/** A short batch code, as a link carries it. */
export interface BatchLinkCode {
  version: typeof BATCH_LINK_VERSION;
  chainId: number;
  campaign: Address;
  /** Secret: whoever holds it can claim the code. */
  claimPrivateKey: Hex;
  /** The first 8 bytes of the batch's Merkle root. */
  rootTag: Hex;
  /** Where the batch's proofs folder is served, when it is not the dApp's default (`batchProofsUrl`). */
  proofsUrl?: string;
}

/** The code is not in the batch its link names: the link was made for another batch, or forged. */
export class BatchCodeNotFoundError extends Error {
  override name = "BatchCodeNotFoundError";
  constructor(readonly claimKey: Address) {
    super(`This code is not part of the batch its link points to (claim key ${claimKey}).`);
  }
}

/** The batch was printed but its merchant has not published its root on chain yet. */
export class BatchNotPublishedError extends Error {
  override name = "BatchNotPublishedError";
  constructor(readonly root: Hex) {
    super("This code's batch is not active yet: the merchant has not published it. Please try again later.");
  }
}

export function batchRootTag(root: Hex): Hex {
  return root.slice(0, 2 + 2 * ROOT_TAG_LENGTH).toLowerCase() as Hex;
}

// ------------------------------------------------------------------------------------------------ encode

function hexBytes(hex: string, length: number, field: string): Uint8Array {
  if (!new RegExp(`^0x[0-9a-fA-F]{${2 * length}}$`).test(hex))
    throw new RangeError(`${field} is not ${length} bytes of hex.`);
  return Uint8Array.from({ length }, (_, i) => parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16));
}

/**
 * A function that makes the link of each claim key of one batch: the shared part is encoded once, so a million
 * links take seconds.
 */
export function createBatchLinkEncoder(params: {
  chainId: number;
  campaign: Address;
  /** The batch's root (or its 8-byte tag). */
  root: Hex;
  /** The dApp's claim page. */
  baseUrl: string;
  proofsUrl?: string;
}): (claimPrivateKey: Uint8Array | Hex) => string {
  if (!Number.isSafeInteger(params.chainId) || params.chainId <= 0) {
    throw new RangeError(`Chain id ${params.chainId} is invalid.`);
  }
  const head = [
    BATCH_LINK_VERSION,
    ...uintBytes(BigInt(params.chainId), "chainId"),
    ...hexBytes(getAddress(params.campaign), 20, "campaign"),
  ];
  const keyAt = head.length;
  const tag = hexBytes(batchRootTag(params.root), ROOT_TAG_LENGTH, "root tag");
  const bodyLength = keyAt + 32 + ROOT_TAG_LENGTH;
  const bytes = new Uint8Array(bodyLength + CHECKSUM_LENGTH);
  bytes.set(head, 0);
  bytes.set(tag, keyAt + 32);

  const url = new URL(params.baseUrl);
  url.hash = "";
  const proofs = params.proofsUrl === undefined ? "" : `&${PROOFS_PARAM}=${encodeURIComponent(params.proofsUrl)}`;
  const prefix = `${url.toString()}#${CODE_PARAM}=`;
  return (claimPrivateKey) => {
    bytes.set(
      typeof claimPrivateKey === "string" ? hexBytes(claimPrivateKey, 32, "claim key") : claimPrivateKey,
      keyAt,
    );
    writeChecksum(bytes, bodyLength);
    return `${prefix}${toBase64Url(bytes)}${proofs}`;
  };
}

/** The short link of one batch code. */
export function encodeBatchLink(code: Omit<BatchLinkCode, "version">, baseUrl: string): string {
  return createBatchLinkEncoder({ ...code, root: code.rootTag, baseUrl })(code.claimPrivateKey);
}

// ------------------------------------------------------------------------------------------------ parse

function fragmentParams(linkOrCode: string): URLSearchParams {
  const text = linkOrCode.trim();
  const hashAt = text.indexOf("#");
  return new URLSearchParams(hashAt >= 0 ? text.slice(hashAt + 1) : text);
}

/** Whether the text is a short batch link (or its fragment), rather than a claimCode.ts link. */
export function isBatchLink(linkOrCode: string): boolean {
  return fragmentParams(linkOrCode).has(CODE_PARAM);
}

/**
 * Reads a short batch link (or its fragment `b=…`) and checks it belongs to this app's chain and (when given) to
 * one of the campaigns it knows.
 *
 * @throws MalformedClaimCodeError, UnsupportedClaimCodeVersionError, WrongChainError, UnknownCampaignError
 */
export function parseBatchLink(
  linkOrCode: string,
  options: { chainId: number; knownCampaigns?: readonly Address[] },
): BatchLinkCode {
  const params = fragmentParams(linkOrCode);
  const encoded = params.get(CODE_PARAM);
  if (encoded === null) throw new MalformedClaimCodeError(`the link has no "${CODE_PARAM}=" part after "#"`);
  // The checksum first: a damaged link is reported as damage even when the damage hit the version byte.
  const body = decodeChecked(encoded);
  if (body[0] !== BATCH_LINK_VERSION) throw new UnsupportedClaimCodeVersionError(body[0]);
  const fields = new FieldReader(body, 1);
  const chainId = fields.chainId();
  const campaign = getAddress(fields.hex(20, "campaign"));
  const claimPrivateKey = fields.claimKey().privateKey;
  const rootTag = fields.hex(ROOT_TAG_LENGTH, "root tag");
  fields.end();

  if (chainId !== options.chainId) throw new WrongChainError(chainId, options.chainId);
  if (options.knownCampaigns && !options.knownCampaigns.some((known) => isAddressEqual(known, campaign))) {
    throw new UnknownCampaignError(campaign);
  }
  const proofsUrl = params.get(PROOFS_PARAM) ?? undefined;
  return { version: BATCH_LINK_VERSION, chainId, campaign, claimPrivateKey, rootTag, ...(proofsUrl && { proofsUrl }) };
}

// ------------------------------------------------------------------------------------------------ resolve

/** Where the code's proofs folder is: its link's `p`, or `batches/<root tag>/` under the dApp's base URL. */
export function batchProofsUrl(code: BatchLinkCode, appBaseUrl: string): string {
  const folder = code.proofsUrl ?? new URL(`batches/${code.rootTag.slice(2)}/`, appBaseUrl).toString();
  return folder.endsWith("/") ? folder : `${folder}/`;
}

type ReadClient = Client<Transport, Chain | undefined>;

/** The id of the campaign's batch with this root, newest first; undefined when it is not published. */
export async function findBatchId(
  client: ReadClient,
  { campaign, root }: { campaign: Address; root: Hex },
): Promise<bigint | undefined> {
  const count = await readContract(client, { address: campaign, abi: campaignAbi, functionName: "batchCount" });
  for (let id = count - 1n; id >= 0n; id--) {
    const batchRoot = await readContract(client, {
      address: campaign,
      abi: campaignAbi,
      functionName: "batchRoot",
      args: [id],
    });
    if (batchRoot.toLowerCase() === root.toLowerCase()) return id;
  }
  return undefined;
}

/** The manifest's batch id, checked on chain when a client is given (another batch may have taken the id the
 * merchant expected), else found on chain by root. */
async function publishedBatchId(manifest: BatchManifest, client?: ReadClient): Promise<bigint | undefined> {
  const stated = manifest.batchId === null ? undefined : BigInt(manifest.batchId);
  if (client === undefined) return stated;
  if (stated !== undefined) {
    const root = await readContract(client, {
      address: manifest.campaign,
      abi: campaignAbi,
      functionName: "batchRoot",
      args: [stated],
    });
    if (root.toLowerCase() === manifest.root.toLowerCase()) return stated;
  }
  return findBatchId(client, { campaign: manifest.campaign, root: manifest.root });
}

/**
 * The full claim code of a short link: reads the batch's manifest and the claim key's shard from `proofsUrl`
 * (`batchProofsUrl`), rebuilds the proof and checks it against the root. The batch id is the manifest's, checked
 * on chain when a client is given, or found there by root.
 *
 * @throws BatchProofsError, BatchCodeNotFoundError, BatchNotPublishedError
 */
export async function resolveBatchLink(
  code: BatchLinkCode,
  options: { proofsUrl: string; fetchJson: (url: string) => Promise<unknown>; client?: ReadClient },
): Promise<BatchClaimCode> {
  const folder = options.proofsUrl.endsWith("/") ? options.proofsUrl : `${options.proofsUrl}/`;
  const manifest = (await options.fetchJson(`${folder}manifest.json`)) as BatchManifest;
  if (manifest?.format !== "perks-batch" || typeof manifest.root !== "string") {
    throw new BatchProofsError("manifest.json is not a Perks batch manifest");
  }
  if (
    batchRootTag(manifest.root) !== code.rootTag.toLowerCase() ||
    manifest.chainId !== code.chainId ||
    !isAddressEqual(manifest.campaign, code.campaign)
  ) {
    throw new BatchProofsError("the folder holds another batch than the code's");
  }
  const claimKey = privateKeyToAddress(code.claimPrivateKey);
  const shard = (await options.fetchJson(`${folder}${shardPath(manifest, claimKey)}`)) as BatchShard;
  const found = lookupBatchCode(manifest, shard, claimKey);
  if (found === undefined) throw new BatchCodeNotFoundError(claimKey);
  const batchId = await publishedBatchId(manifest, options.client);
  if (batchId === undefined) throw new BatchNotPublishedError(manifest.root);
  return {
    version: CLAIM_CODE_VERSION,
    kind: "batch",
    chainId: code.chainId,
    campaign: code.campaign,
    claimPrivateKey: code.claimPrivateKey,
    code: { batchId, index: found.index, points: found.points, claimKey },
    proof: found.proof,
  };
}
