/**
 * Fast Merkle trees for printed-code batches, bit-compatible with OpenZeppelin's `StandardMerkleTree`
 * (`@openzeppelin/merkle-tree`) for the leaf encoding `["uint256", "address", "uint256"]` = (index, claimKey,
 * points) that `Campaign.claimCode` verifies:
 *
 *   leaf = keccak256(keccak256(abi.encode(index, claimKey, points)))
 *   node = keccak256(min(a, b) ++ max(a, b))            (sorted pairs, as MerkleProof.verify)
 *
 * The tree layout is StandardMerkleTree's (a complete binary tree in one array, leaves sorted by hash when
 * `sortLeaves` is on, its default), so for the same codes the root and every proof equal what
 * `StandardMerkleTree.of(values, ["uint256", "address", "uint256"])` returns. Unlike that class, which keeps
 * hex strings and objects per node, everything lives in one flat `Uint8Array` and is hashed with
 * `@noble/hashes` straight from it: a 2^20-code batch builds in seconds and about 100 MB.
 *
 * Dependency-free apart from `@noble/hashes`, so it can move into the SDK as is.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";

export type Hex = `0x${string}`;

/** The encoding every code leaf uses, for `StandardMerkleTree.of` / `.verify`. */
export const CODE_LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): Hex {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out as Hex;
}

export function fromHex(hex: string, length?: number): Uint8Array {
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
    leaves.set(keccak_256(keccak_256(encoded)), i * 32);
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
  return keccak_256(buf);
}

/** Folds `proof` onto `leaf`; the tree's root if the proof is valid. */
export function processProof(leaf: Uint8Array | string, proof: readonly (Uint8Array | string)[]): Hex {
  let node = typeof leaf === "string" ? fromHex(leaf, 32) : leaf;
  for (const sibling of proof) node = hashPair(node, typeof sibling === "string" ? fromHex(sibling, 32) : sibling);
  return toHex(node);
}

export function verifyProof(root: string, leaf: Uint8Array | string, proof: readonly (Uint8Array | string)[]): boolean {
  return processProof(leaf, proof) === root.toLowerCase();
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

    // Sorted leaf j sits at node size - 1 - j, as in StandardMerkleTree.
    const nodeOfLeaf = new Uint32Array(n);
    for (let j = 0; j < n; j++) {
      const node = size - 1 - j;
      const leaf = order[j];
      nodeOfLeaf[leaf] = node;
      nodes.set(leafHashes.subarray(leaf * 32, leaf * 32 + 32), node * 32);
    }

    const pair = new Uint8Array(64);
    for (let k = size - 1 - n; k >= 0; k--) {
      const left = (2 * k + 1) * 32;
      const right = left + 32;
      if (compare32(nodes, left, nodes, right) <= 0) {
        pair.set(nodes.subarray(left, left + 64), 0);
      } else {
        pair.set(nodes.subarray(right, right + 32), 0);
        pair.set(nodes.subarray(left, left + 32), 32);
      }
      nodes.set(keccak_256(pair), k * 32);
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
    return toHex(this.nodes.subarray(0, 32));
  }

  /** Hash of input leaf `i`. */
  leaf(i: number): Hex {
    const node = this.nodeIndex(i);
    return toHex(this.nodes.subarray(node * 32, node * 32 + 32));
  }

  /** Proof of input leaf `i`: sibling hashes from the leaf up, as `MerkleProof.verify` takes them. */
  proof(i: number): Hex[] {
    let node = this.nodeIndex(i);
    const proof: Hex[] = [];
    while (node > 0) {
      const sibling = node % 2 === 1 ? node + 1 : node - 1;
      proof.push(toHex(this.nodes.subarray(sibling * 32, sibling * 32 + 32)));
      node = Math.floor((node - 1) / 2);
    }
    return proof;
  }

  private nodeIndex(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.leafCount) throw new Error(`no leaf ${i}`);
    return this.nodeOfLeaf[i];
  }
}
