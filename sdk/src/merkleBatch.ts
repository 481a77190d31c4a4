/**
 * A merchant's batch of printed codes (bottle caps, scratch cards) committed by one Merkle root, and its proofs as
 * static files that any web server (or the dApp's own host) serves, looked up by the code's claim key:
 *
 *   manifest.json        chain, campaign, root, count, points, shard scheme, batch id once published
 *   shards/<prefix>.json the codes whose claim-key address starts with <prefix> (hex), in tree order, plus the
 *                        few tree nodes that prove them ("frontier"): the client rebuilds a code's proof from
 *                        its shard alone (`lookupBatchCode`) and checks it against the root
 *
 * The tree's leaves are ordered by shard, so a shard is one run of leaves and its frontier is a few nodes per
 * level: the files of a million codes take about 60 MB, where one stored proof per code would take 1.4 GB.
 * Codes keep their index (their bit in the campaign's claimed bitmap) in generation order; the leaf is
 * StandardMerkleTree's (`keccak256(keccak256(abi.encode(index, claimKey, points)))`), so every proof verifies
 * with OpenZeppelin's MerkleProof and `StandardMerkleTree.verify`.
 *
 * Nothing in the proof files is secret. The private keys are: they go to the printer (`batchCsv`, batchPdf.ts)
 * and nowhere else.
 */
import { type Address, type Hex, getAddress } from "viem";
import { type BatchKeys, type BatchPoints, pointsOf } from "./batchKeys";
import { type BatchClaimCode, CLAIM_CODE_VERSION, encodeClaimLink } from "./claimCode";
import {
  CODE_LEAF_ENCODING,
  FastMerkleTree,
  codeLeafHash,
  fastHex,
  proofFromFrontier,
  verifyMerkleProof,
} from "./merkleTree";
import { createBatchLinkEncoder } from "./batchLink";

export const MERKLE_BATCH_FORMAT_VERSION = 1;

/** Where a shard lives, relative to the manifest; `{prefix}` is the shard's address prefix. */
export const SHARD_PATH_TEMPLATE = "shards/{prefix}.json";

/** `manifest.json` of a batch. */
export interface BatchManifest {
  format: "perks-batch";
  version: typeof MERKLE_BATCH_FORMAT_VERSION;
  chainId: number;
  campaign: Address;
  /** The id `publishBatch` returned (decimal), or null until the batch is published (see `findBatchId`). */
  batchId: string | null;
  root: Hex;
  count: number;
  /** Points of every code in base units (decimal), or null when they differ and each shard entry has its own. */
  points: string | null;
  leafEncoding: typeof CODE_LEAF_ENCODING;
  shards: {
    path: typeof SHARD_PATH_TEMPLATE;
    /** Hex digits of the claim-key address (after 0x) that name a code's shard. */
    prefixLength: number;
    /** Shards written (a prefix without codes has no file). */
    count: number;
    /** Codes in the largest shard. */
    maxCodes: number;
  };
}

/** A code in a shard: claim-key address (lowercase), index, and its points when the manifest has none. */
export type ShardCode = [claimKey: string, index: number] | [claimKey: string, index: number, points: string];

/** `shards/<prefix>.json` of a batch. */
export interface BatchShard {
  format: "perks-batch-shard";
  version: typeof MERKLE_BATCH_FORMAT_VERSION;
  prefix: string;
  /** Tree position of the shard's first code; the others follow. */
  start: number;
  codes: ShardCode[];
  /** The tree nodes that prove the shard's codes, by node number. */
  nodes: Record<string, Hex>;
}

/** A batch built in memory, ready to be written out. */
export interface MerkleBatch {
  manifest: BatchManifest;
  keys: BatchKeys;
  points: BatchPoints;
  /** The tree over the leaves in shard order: its leaf `p` is code `codeAt[p]`. */
  tree: FastMerkleTree;
  codeAt: Uint32Array;
  positionOf: Uint32Array;
  /** Shard `s` (prefix `s` in hex) holds tree positions `[shardStart[s], shardStart[s + 1])`. */
  shardStart: Uint32Array;
}

/** Claim-key digits per shard name so that shards average at most `maxCodes` codes (1 to 6 digits). */
export function shardPrefixLength(count: number, maxCodes: number): number {
  const digits = Math.ceil(Math.log(count / maxCodes) / Math.log(16));
  return Math.min(6, Math.max(1, digits));
}

/**
 * Builds a batch's tree and manifest from its keys (`generateBatchKeys`, or `node/batchKeys` on every core).
 * @param maxShardCodes Average codes per shard at most: 256 by default, about 15 kB a file.
 */
export function buildMerkleBatch(params: {
  chainId: number;
  campaign: Address;
  keys: BatchKeys;
  points: BatchPoints;
  maxShardCodes?: number;
}): MerkleBatch {
  const { keys, points } = params;
  const count = keys.count;
  if (count <= 0) throw new RangeError("A batch needs at least one code.");
  const prefixLength = shardPrefixLength(count, params.maxShardCodes ?? 256);
  const shardCount = 16 ** prefixLength;

  // Counting sort of the codes by shard (the first prefixLength hex digits of the address), stable.
  const shardOf = new Uint32Array(count);
  const shardStart = new Uint32Array(shardCount + 1);
  const shift = 32 - 4 * prefixLength;
  const { addresses } = keys;
  for (let i = 0; i < count; i++) {
    const at = i * 20;
    const head =
      ((addresses[at] << 24) | (addresses[at + 1] << 16) | (addresses[at + 2] << 8) | addresses[at + 3]) >>> 0;
    shardOf[i] = head >>> shift;
    shardStart[shardOf[i] + 1]++;
  }
  for (let s = 0; s < shardCount; s++) shardStart[s + 1] += shardStart[s];
  const next = shardStart.slice(0, shardCount);
  const codeAt = new Uint32Array(count);
  const positionOf = new Uint32Array(count);
  const orderedLeaves = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) {
    const position = next[shardOf[i]]++;
    codeAt[position] = i;
    positionOf[i] = position;
    orderedLeaves.set(keys.leaves.subarray(i * 32, i * 32 + 32), position * 32);
  }
  const tree = FastMerkleTree.build(orderedLeaves, { sortLeaves: false });

  let written = 0;
  let maxCodes = 0;
  for (let s = 0; s < shardCount; s++) {
    const size = shardStart[s + 1] - shardStart[s];
    if (size > 0) written++;
    maxCodes = Math.max(maxCodes, size);
  }
  const manifest: BatchManifest = {
    format: "perks-batch",
    version: MERKLE_BATCH_FORMAT_VERSION,
    chainId: params.chainId,
    campaign: getAddress(params.campaign),
    batchId: null,
    root: tree.root,
    count,
    points: typeof points === "bigint" ? points.toString() : null,
    leafEncoding: CODE_LEAF_ENCODING,
    shards: { path: SHARD_PATH_TEMPLATE, prefixLength, count: written, maxCodes },
  };
  return { manifest, keys, points, tree, codeAt, positionOf, shardStart };
}

const shardName = (shard: number, prefixLength: number) => shard.toString(16).padStart(prefixLength, "0");

/** Shard `shard` (its prefix as a number) of a batch, or undefined when no code falls in it. */
export function batchShard(batch: MerkleBatch, shard: number): BatchShard | undefined {
  const start = batch.shardStart[shard];
  const end = batch.shardStart[shard + 1];
  if (start === end) return undefined;
  const { addresses } = batch.keys;
  const uniform = batch.manifest.points !== null;
  const codes: ShardCode[] = [];
  for (let position = start; position < end; position++) {
    const i = batch.codeAt[position];
    const claimKey = fastHex(addresses.subarray(i * 20, i * 20 + 20));
    codes.push(uniform ? [claimKey, i] : [claimKey, i, pointsOf(batch.points, i).toString()]);
  }
  const nodes: Record<string, Hex> = {};
  for (const [node, hash] of batch.tree.frontier(start, end)) nodes[node] = hash;
  return {
    format: "perks-batch-shard",
    version: MERKLE_BATCH_FORMAT_VERSION,
    prefix: shardName(shard, batch.manifest.shards.prefixLength),
    start,
    codes,
    nodes,
  };
}

/** One file of a batch's proofs, its path relative to the batch's folder. */
export interface BatchFile {
  path: string;
  contents: string;
}

/** The manifest and every non-empty shard, to write under one folder (Node: `node/batchFiles`). */
export function* batchFiles(batch: MerkleBatch): Generator<BatchFile> {
  yield { path: "manifest.json", contents: `${JSON.stringify(batch.manifest, null, 2)}\n` };
  for (let s = 0; s + 1 < batch.shardStart.length; s++) {
    const shard = batchShard(batch, s);
    if (shard !== undefined) yield { path: shardPath(batch.manifest, shard.prefix), contents: JSON.stringify(shard) };
  }
}

/** The path of the shard (relative to the manifest) that holds `claimKey`, or of the shard named `prefix`. */
export function shardPath(manifest: BatchManifest, claimKeyOrPrefix: string): string {
  const { prefixLength } = manifest.shards;
  const prefix =
    claimKeyOrPrefix.length === prefixLength ? claimKeyOrPrefix : claimKeyOrPrefix.slice(2, 2 + prefixLength);
  return manifest.shards.path.replace("{prefix}", prefix.toLowerCase());
}

/** A code as its shard proves it. */
export interface BatchCodeProof {
  index: bigint;
  points: bigint;
  claimKey: Address;
  proof: Hex[];
}

/** The proofs folder does not have the files this code needs (wrong folder, or a file changed). */
export class BatchProofsError extends Error {
  override name = "BatchProofsError";
  constructor(readonly reason: string) {
    super(`The proofs of this batch cannot be read: ${reason}.`);
  }
}

/**
 * The index, points and proof of the code with claim key `claimKey` from its shard, checked against the
 * manifest's root; undefined when the batch has no such code.
 * @throws BatchProofsError if the shard does not belong to the manifest or was damaged
 */
export function lookupBatchCode(
  manifest: BatchManifest,
  shard: BatchShard,
  claimKey: Address,
): BatchCodeProof | undefined {
  if (manifest.format !== "perks-batch" || manifest.version !== MERKLE_BATCH_FORMAT_VERSION) {
    throw new BatchProofsError(`the manifest is not a version ${MERKLE_BATCH_FORMAT_VERSION} Perks batch manifest`);
  }
  if (shard.format !== "perks-batch-shard" || shard.version !== MERKLE_BATCH_FORMAT_VERSION) {
    throw new BatchProofsError(`the shard is not a version ${MERKLE_BATCH_FORMAT_VERSION} Perks batch shard`);
  }
  const wanted = claimKey.toLowerCase();
  const offset = shard.codes.findIndex(([key]) => key === wanted);
  if (offset < 0) return undefined;

  const pointsOfEntry = (entry: ShardCode) => {
    const points = entry.length === 3 ? entry[2] : manifest.points;
    if (points === null) throw new BatchProofsError("a code has no points");
    return BigInt(points);
  };
  const leafAt = (position: number) => {
    const entry = shard.codes[position - shard.start];
    if (entry === undefined) return undefined;
    return codeLeafHash({ index: BigInt(entry[1]), claimKey: entry[0], points: pointsOfEntry(entry) });
  };
  const frontier = new Map(Object.entries(shard.nodes).map(([node, hash]) => [Number(node), hash] as const));
  const entry = shard.codes[offset];
  const code = { index: BigInt(entry[1]), points: pointsOfEntry(entry), claimKey: getAddress(entry[0]) };
  let proof: Hex[];
  try {
    proof = proofFromFrontier(manifest.count, shard.start + offset, frontier, leafAt);
  } catch (error) {
    throw new BatchProofsError(error instanceof Error ? error.message : String(error));
  }
  if (!verifyMerkleProof(manifest.root, codeLeafHash(code), proof)) {
    throw new BatchProofsError("the proof its shard gives does not lead to the batch's root");
  }
  return { ...code, proof };
}

/** Code `index` of the batch as a claim code with its full proof (`encodeClaimLink` makes its link). */
export function batchClaimCode(batch: MerkleBatch, index: number, batchId: bigint): BatchClaimCode {
  const { keys, manifest } = batch;
  if (!Number.isInteger(index) || index < 0 || index >= keys.count) throw new RangeError(`No code ${index}.`);
  return {
    version: CLAIM_CODE_VERSION,
    kind: "batch",
    chainId: manifest.chainId,
    campaign: manifest.campaign,
    claimPrivateKey: fastHex(keys.privateKeys.subarray(index * 32, index * 32 + 32)),
    code: {
      batchId,
      index: BigInt(index),
      points: pointsOf(batch.points, index),
      claimKey: getAddress(fastHex(keys.addresses.subarray(index * 20, index * 20 + 20))),
    },
    proof: batch.tree.proof(batch.positionOf[index]),
  };
}

export interface BatchLinkOptions {
  /** The dApp's claim page, e.g. `https://perks.example/claim`. */
  baseUrl: string;
  /**
   * `short` (default): the claim key and where the proofs are (see batchLink.ts), about 130 characters, so a
   * QR code stays small; the dApp fetches the proof from the shards. `full`: the whole claim code with its proof
   * (claimCode.ts), about 1,000 characters for a million codes, which needs no proofs server but the batch id.
   */
  form?: "short" | "full";
  /** Where the proofs folder is served, for short links (default: the dApp's `batches/<root tag>/`). */
  proofsUrl?: string;
  /** For full links: the id `publishBatch` returns (or will: the campaign's `batchCount()` before publishing). */
  batchId?: bigint;
}

/** The claim link of each code, in index order. Secret: each link claims its code. */
export function* batchLinks(batch: MerkleBatch, options: BatchLinkOptions): Generator<string> {
  const { keys, manifest } = batch;
  if ((options.form ?? "short") === "short") {
    const encode = createBatchLinkEncoder({ ...manifest, baseUrl: options.baseUrl, proofsUrl: options.proofsUrl });
    for (let i = 0; i < keys.count; i++) yield encode(keys.privateKeys.subarray(i * 32, i * 32 + 32));
    return;
  }
  const batchId = options.batchId ?? (manifest.batchId === null ? undefined : BigInt(manifest.batchId));
  if (batchId === undefined) throw new Error("Full claim links carry the batch id: give batchId.");
  for (let i = 0; i < keys.count; i++) yield encodeClaimLink(batchClaimCode(batch, i, batchId), options.baseUrl);
}

/** The printer's CSV, in chunks of lines: `index,claim_key,points,link`, one code a row. Secret, as the links. */
export function* batchCsv(batch: MerkleBatch, options: BatchLinkOptions, rowsPerChunk = 10_000): Generator<string> {
  const { keys } = batch;
  let chunk = "index,claim_key,points,link\n";
  let index = 0;
  for (const link of batchLinks(batch, options)) {
    const claimKey = fastHex(keys.addresses.subarray(index * 20, index * 20 + 20));
    chunk += `${index},${claimKey},${pointsOf(batch.points, index)},${csvField(link)}\n`;
    index++;
    if (index % rowsPerChunk === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
