/**
 * The claim keys of a printed-code batch: for each code a fresh random private key, its address, and the code's
 * Merkle leaf (`keccak256(keccak256(abi.encode(index, claimKey, points)))`), in flat arrays so that a million
 * codes take about 84 MB and no object per code. Deriving an address from a private key (a secp256k1 scalar
 * multiplication) is most of the work; `merkleBatch` builds the tree and the files from these arrays, and
 * `node/batchKeys` runs this module on every core.
 *
 * Kept free of viem so that worker threads load it fast.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak256Into } from "./keccak";
import { type CodeLeaf, hashCodeLeaves } from "./merkleTree";

/** Code `i` of a batch (its index on chain) at private key bytes `[32i, 32i + 32)`, address bytes `[20i, 20i + 20)`
 * and leaf bytes `[32i, 32i + 32)`. */
export interface BatchKeys {
  count: number;
  /** Secret: whoever reads a code's private key can claim it. */
  privateKeys: Uint8Array;
  addresses: Uint8Array;
  leaves: Uint8Array;
}

/** Points per code: the same for every code, or code `i`'s at `[i]`. In base units (18 decimals). */
export type BatchPoints = bigint | readonly bigint[];

export function pointsOf(points: BatchPoints, index: number): bigint {
  if (typeof points === "bigint") return points;
  const value = points[index];
  if (value === undefined) throw new RangeError(`No points for code ${index}.`);
  return value;
}

/** A private key's uncompressed public key (65 bytes, `0x04 ++ x ++ y`). */
export type PublicKeyDeriver = (privateKey: Uint8Array) => Uint8Array;

/** The portable deriver (@noble/curves); in Node, `node/batchKeys` uses libsecp256k1 when it is installed. */
export const noblePublicKey: PublicKeyDeriver = (privateKey) => secp256k1.getPublicKey(privateKey, false);

/** Largest request `crypto.getRandomValues` serves at once. */
const RANDOM_CHUNK = 65_536;

/** `count` random secp256k1 private keys, back to back, from the platform's CSPRNG. */
export function randomPrivateKeys(count: number): Uint8Array {
  const keys = new Uint8Array(count * 32);
  for (let offset = 0; offset < keys.length; offset += RANDOM_CHUNK) {
    crypto.getRandomValues(keys.subarray(offset, Math.min(offset + RANDOM_CHUNK, keys.length)));
  }
  for (let i = 0; i < count; i++) {
    // A key below 0xff00… is valid unless zero (the group order starts 0xffff…); checking the rest exactly is
    // for about one key in 256. Zero or at least the order: about one key in 2^128, drawn again.
    const key = keys.subarray(i * 32, i * 32 + 32);
    if (key[0] !== 0 && key[0] !== 0xff) continue;
    while (!secp256k1.utils.isValidSecretKey(key)) crypto.getRandomValues(key);
  }
  return keys;
}

/**
 * Codes `[start, end)` of a batch: fresh claim keys, their addresses and leaves. Index `start + j` is at offset
 * `j` of the result.
 */
export function generateBatchKeys(
  start: number,
  end: number,
  points: BatchPoints,
  derive: PublicKeyDeriver = noblePublicKey,
): BatchKeys {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new RangeError(`No codes in [${start}, ${end}).`);
  }
  const count = end - start;
  const privateKeys = randomPrivateKeys(count);
  const addresses = new Uint8Array(count * 20);
  const hash = new Uint8Array(32);
  for (let i = 0; i < count; i++) {
    // The address is the last 20 bytes of keccak256 of the public key without its 0x04 prefix.
    keccak256Into(derive(privateKeys.subarray(i * 32, i * 32 + 32)), 1, 64, hash, 0);
    addresses.set(hash.subarray(12), i * 20);
  }
  const code: CodeLeaf = { index: 0n, claimKey: addresses, points: 0n };
  const leaves = hashCodeLeaves(count, (i) => {
    code.index = BigInt(start + i);
    code.claimKey = addresses.subarray(i * 20, i * 20 + 20);
    code.points = pointsOf(points, start + i);
    return code;
  });
  return { count, privateKeys, addresses, leaves };
}
