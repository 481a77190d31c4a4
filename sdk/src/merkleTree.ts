/**
 * Fast Merkle trees for printed-code batches, bit-compatible with OpenZeppelin's `StandardMerkleTree`
 * (`@openzeppelin/merkle-tree`) for the leaf encoding `["uint256", "address", "uint256"]` = (index, claimKey,
 * points) that `Campaign.claimCode` verifies:
 *
 *   leaf = keccak256(keccak256(abi.encode(index, claimKey, points)))
 *   node = keccak256(min(a, b) ++ max(a, b))            (sorted pairs, as MerkleProof.verify)
 *
 * The tree layout is StandardMerkleTree's: a complete binary tree in one array, node 0 the root, the children of
 * node k at 2k + 1 and 2k + 2, and the leaf at tree position p (0-based, in tree order) at node 2n - 2 - p. With
 * `sortLeaves` (its default) the tree order is by leaf hash, so for the same codes the root and every proof equal
 * what `StandardMerkleTree.of(values, ["uint256", "address", "uint256"])` returns; without it the tree order is the
 * input order, as `StandardMerkleTree.of(values, encoding, { sortLeaves: false })`. Unlike that class, which keeps
 * hex strings and objects per node, everything lives in one flat `Uint8Array` and is hashed straight from it
 * (keccak.ts, nothing allocated per hash): a 2^20-code batch builds in seconds and about 100 MB.
 *
 * A part of a tree (`frontier`) carries what a holder of some leaves needs to prove any of them without the rest
 * of the tree: how `merkleBatch` shards a batch's proofs for a web server.
 */
import type { Hex } from "viem";
import { keccak256Bytes, keccak256Into } from "./keccak";

/** The encoding every code leaf uses, for `StandardMerkleTree.of` / `.verify`. */
export const CODE_LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase 0x-hex of `bytes`: viem's `bytesToHex` without its checks, for the millions of hashes of a batch. */
export function fastHex(bytes: Uint8Array): Hex {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out as Hex;
}

function fromHex(hex: string, length?: number): Uint8Array {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw new Error(`invalid hex: ${hex}`);
  if (length !== undefined && body.length !== length * 2) throw new Error(`expected ${length} bytes: ${hex}`);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Writes `value` as a 32-byte big-endian word at `offset`. */
function writeUint256(out: Uint8Array, offset: number, value: bigint): void {
  if (value < 0n || value >> 256n !== 0n) throw new Error(`not a uint256: ${value}`);
  if (value <= 0xffffffffn) {
    // Fast path for indexes: no bigint arithmetic per byte.
    out.fill(0, offset, offset + 28);
    const n = Number(value);
    out[offset + 28] = n >>> 24;
    out[offset + 29] = (n >>> 16) & 0xff;
    out[offset + 30] = (n >>> 8) & 0xff;
    out[offset + 31] = n & 0xff;
    return;
  }
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(value & 0xffn);
    value >>= 8n;
  }
}

/** 1 if a > b, -1 if a < b, 0 if equal; both 32-byte words at the given offsets. */
function compare32(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number): number {
  for (let i = 0; i < 32; i++) {
    const d = a[aOff + i] - b[bOff + i];
    if (d !== 0) return d > 0 ? 1 : -1;
  }
  return 0;
}

/** A code of a printed batch, as the leaf commits it. */
export interface CodeLeaf {
  index: bigint;
  /** The one-time claim key's address (20 bytes or 0x-hex). */
  claimKey: Uint8Array | string;
  points: bigint;
}

/**
 * Hashes codes into StandardMerkleTree leaves, leaf `i` at bytes `[32i, 32i + 32)` of the result.
 * @param count Number of codes.
 * @param codeAt Code number `i`; called once per code, in order, so it may return a reused object.
 */
export function hashCodeLeaves(count: number, codeAt: (i: number) => CodeLeaf): Uint8Array {
  const leaves = new Uint8Array(count * 32);
  const encoded = new Uint8Array(96); // abi.encode(uint256, address, uint256)
  let lastPoints: bigint | undefined;
  for (let i = 0; i < count; i++) {
    const code = codeAt(i);
    writeUint256(encoded, 0, code.index);
    const key = typeof code.claimKey === "string" ? fromHex(code.claimKey, 20) : code.claimKey;
    if (key.length !== 20) throw new Error(`claim key of code ${i} is not 20 bytes`);
    encoded.set(key, 44); // bytes 32..43 stay zero: the address's left padding
    if (code.points !== lastPoints) {
      writeUint256(encoded, 64, code.points);
      lastPoints = code.points;
    }
    keccak256Into(encoded, 0, 96, leaves, i * 32);
    keccak256Into(leaves, i * 32, 32, leaves, i * 32);
  }
  return leaves;
}

/** The StandardMerkleTree leaf of one code, as `Campaign.claimCode` computes it. */
export function codeLeafHash(code: CodeLeaf): Uint8Array {
  return hashCodeLeaves(1, () => code);
}

/** Sorted-pair node hash, as OpenZeppelin's MerkleProof (commutative keccak256). */
export function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const buf = new Uint8Array(64);
  const aFirst = compare32(a, 0, b, 0) <= 0;
  buf.set(aFirst ? a : b, 0);
  buf.set(aFirst ? b : a, 32);
  return keccak256Bytes(buf);
}

const asBytes = (node: Uint8Array | string) => (typeof node === "string" ? fromHex(node, 32) : node);

/** Folds `proof` onto `leaf`; the tree's root if the proof is valid (OpenZeppelin's `MerkleProof.processProof`). */
export function processMerkleProof(leaf: Uint8Array | string, proof: readonly (Uint8Array | string)[]): Hex {
  let node = asBytes(leaf);
  for (const sibling of proof) node = hashPair(node, asBytes(sibling));
  return fastHex(node);
}

/** Whether `proof` places `leaf` under `root` (OpenZeppelin's `MerkleProof.verify`). */
export function verifyMerkleProof(
  root: string,
  leaf: Uint8Array | string,
  proof: readonly (Uint8Array | string)[],
): boolean {
  return processMerkleProof(leaf, proof) === root.toLowerCase();
}

export interface MerkleTreeOptions {
  /** Sort leaves by hash before building, as StandardMerkleTree does by default. Default true. */
  sortLeaves?: boolean;
}

export interface MerkleTreeParts {
  /** Node `k` of the complete tree at bytes `[32k, 32k + 32)`; node 0 is the root. */
  nodes: Uint8Array;
  /** Tree node of input leaf `i`. */
  nodeOfLeaf: Uint32Array;
}

/** The tree node that holds the leaf at tree position `position` of an `leafCount`-leaf tree. */
export function leafNode(leafCount: number, position: number): number {
  return 2 * leafCount - 2 - position;
}

/** A Merkle tree over 32-byte leaf hashes with StandardMerkleTree's layout and hashing. */
export class FastMerkleTree {
  /** Node `k` of the complete tree at bytes `[32k, 32k + 32)`; node 0 is the root. */
  private readonly nodes: Uint8Array;
  /** Tree node of input leaf `i`. */
  private readonly nodeOfLeaf: Uint32Array;
  readonly leafCount: number;

  private constructor(nodes: Uint8Array, nodeOfLeaf: Uint32Array) {
    this.nodes = nodes;
    this.nodeOfLeaf = nodeOfLeaf;
    this.leafCount = nodeOfLeaf.length;
  }

  /**
   * Builds the tree over `leafHashes` (`n` leaves of 32 bytes, back to back, e.g. from `hashCodeLeaves`).
   * Leaves keep their input numbering for `leaf` and `proof`, whatever their place in the tree.
   */
  static build(leafHashes: Uint8Array, options: MerkleTreeOptions = {}): FastMerkleTree {
    const n = leafHashes.length / 32;
    if (!Number.isInteger(n) || n === 0) throw new Error("expected a non-zero number of 32-byte leaves");
    if (2 * n - 1 > 0xffffffff) throw new Error("too many leaves");
    const size = 2 * n - 1;
    const nodes = new Uint8Array(size * 32);

    // Order of the leaves in the tree: by hash (ties keep input order, as a stable sort), or as given.
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (options.sortLeaves ?? true) {
      // First 4 bytes as a number settle almost every comparison; full compare on ties.
      const view = new DataView(leafHashes.buffer, leafHashes.byteOffset, leafHashes.byteLength);
      const head = new Uint32Array(n);
      for (let i = 0; i < n; i++) head[i] = view.getUint32(i * 32);
      order.sort((a, b) => {
        if (head[a] !== head[b]) return head[a] < head[b] ? -1 : 1;
        return compare32(leafHashes, a * 32, leafHashes, b * 32) || a - b;
      });
    }

    const nodeOfLeaf = new Uint32Array(n);
    for (let position = 0; position < n; position++) {
      const node = leafNode(n, position);
      const leaf = order[position];
      nodeOfLeaf[leaf] = node;
      nodes.set(leafHashes.subarray(leaf * 32, leaf * 32 + 32), node * 32);
    }

    const pair = new Uint8Array(64);
    for (let k = size - 1 - n; k >= 0; k--) {
      const left = (2 * k + 1) * 32;
      const right = left + 32;
      if (compare32(nodes, left, nodes, right) <= 0) {
        keccak256Into(nodes, left, 64, nodes, k * 32);
      } else {
        pair.set(nodes.subarray(right, right + 32), 0);
        pair.set(nodes.subarray(left, left + 32), 32);
        keccak256Into(pair, 0, 64, nodes, k * 32);
      }
    }
    return new FastMerkleTree(nodes, nodeOfLeaf);
  }

  /** Builds the tree of a batch of codes (see `hashCodeLeaves`). */
  static fromCodes(count: number, codeAt: (i: number) => CodeLeaf, options: MerkleTreeOptions = {}): FastMerkleTree {
    return FastMerkleTree.build(hashCodeLeaves(count, codeAt), options);
  }

  /** The tree's arrays, e.g. to move it to another thread (both buffers are transferable) or to store it. */
  toParts(): MerkleTreeParts {
    return { nodes: this.nodes, nodeOfLeaf: this.nodeOfLeaf };
  }

  /** A tree from `toParts()`, without hashing anything again. */
  static fromParts(parts: MerkleTreeParts): FastMerkleTree {
    const n = parts.nodeOfLeaf.length;
    if (n === 0 || parts.nodes.length !== (2 * n - 1) * 32) throw new Error("inconsistent Merkle tree parts");
    return new FastMerkleTree(parts.nodes, parts.nodeOfLeaf);
  }

  get root(): Hex {
    return this.nodeHash(0);
  }

  /** Hash of input leaf `i`. */
  leaf(i: number): Hex {
    return this.nodeHash(this.nodeIndex(i));
  }

  /** Proof of input leaf `i`: sibling hashes from the leaf up, as `MerkleProof.verify` takes them. */
  proof(i: number): Hex[] {
    let node = this.nodeIndex(i);
    const proof: Hex[] = [];
    while (node > 0) {
      proof.push(this.nodeHash(siblingOf(node)));
      node = parentOf(node);
    }
    return proof;
  }

  /**
   * The nodes that, with the leaves at tree positions `[start, end)`, prove any of those leaves: the siblings of
   * their ancestors that are not ancestors themselves, by node number. For a contiguous range that is at most a
   * few nodes per level, whatever the range's size (see `proofFromFrontier`).
   */
  frontier(start: number, end: number): Map<number, Hex> {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.leafCount || start >= end) {
      throw new Error(`no leaves at positions [${start}, ${end})`);
    }
    // The leaves are one run of nodes, on one level or across the boundary of the last two; the ancestors of a
    // run are a run on the level above, so each level holds at most two runs of covered nodes.
    const runs = new Map<number, [number, number][]>();
    const addRun = (lo: number, hi: number) => {
      const level = levelOf(lo);
      runs.set(level, [...(runs.get(level) ?? []), [lo, hi]]);
    };
    for (let lo = leafNode(this.leafCount, end - 1), hi = leafNode(this.leafCount, start); lo <= hi;) {
      const levelEnd = 2 ** (levelOf(lo) + 1) - 2;
      addRun(lo, Math.min(hi, levelEnd));
      lo = levelEnd + 1;
    }
    const frontier = new Map<number, Hex>();
    for (let level = levelOf(2 * this.leafCount - 2); level > 0; level--) {
      const merged: [number, number][] = [];
      for (const [lo, hi] of (runs.get(level) ?? []).sort((a, b) => a[0] - b[0])) {
        const last = merged[merged.length - 1];
        if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
        else merged.push([lo, hi]);
      }
      for (const [lo, hi] of merged) {
        // Merged runs are apart, so a sibling outside the run is not covered.
        if (lo % 2 === 0) frontier.set(lo - 1, this.nodeHash(lo - 1));
        if (hi % 2 === 1) frontier.set(hi + 1, this.nodeHash(hi + 1));
        addRun(parentOf(lo), parentOf(hi));
      }
    }
    return frontier;
  }

  private nodeHash(node: number): Hex {
    return fastHex(this.nodes.subarray(node * 32, node * 32 + 32));
  }

  private nodeIndex(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.leafCount) throw new Error(`no leaf ${i}`);
    return this.nodeOfLeaf[i];
  }
}

const parentOf = (node: number) => (node - 1) >> 1;
const levelOf = (node: number) => 31 - Math.clz32(node + 1);
const siblingOf = (node: number) => (node % 2 === 1 ? node + 1 : node - 1);

/**
 * The proof of the leaf at tree position `position` of an `leafCount`-leaf tree from a part of it: the
 * `frontier` of a range of positions that includes `position`, and `leafAt`, the leaf hashes of that range.
 * @throws if the part does not reach the leaf (a position outside the range, or a frontier of another range)
 */
export function proofFromFrontier(
  leafCount: number,
  position: number,
  frontier: ReadonlyMap<number, Uint8Array | string>,
  leafAt: (position: number) => Uint8Array | undefined,
): Hex[] {
  const firstLeafNode = leafCount - 1;
  const memo = new Map<number, Uint8Array>();
  const hashOf = (node: number): Uint8Array => {
    const known = frontier.get(node);
    if (known !== undefined) return asBytes(known);
    const cached = memo.get(node);
    if (cached !== undefined) return cached;
    let hash: Uint8Array | undefined;
    if (node >= firstLeafNode) hash = leafAt(leafNode(leafCount, node) /* the map is its own inverse */);
    else if (2 * node + 2 < 2 * leafCount - 1) hash = hashPair(hashOf(2 * node + 1), hashOf(2 * node + 2));
    if (hash === undefined) throw new Error(`the tree part does not reach node ${node}`);
    memo.set(node, hash);
    return hash;
  };
  if (!Number.isInteger(position) || position < 0 || position >= leafCount) throw new Error(`no leaf at ${position}`);
  const proof: Hex[] = [];
  for (let node = leafNode(leafCount, position); node > 0; node = parentOf(node)) {
    proof.push(fastHex(hashOf(siblingOf(node))));
  }
  return proof;
}
