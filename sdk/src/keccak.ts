/**
 * keccak256 for the millions of small hashes of a printed-code batch (addresses, leaves, tree nodes): the same
 * function as @noble/hashes' `keccak_256`, about three times faster on 32- to 96-byte inputs, because the
 * permutation is unrolled (keccakF1600.ts, generated) and nothing is allocated per hash with `keccak256Into`.
 */
import { keccakF1600 } from "./keccakF1600";

/** Bytes absorbed per permutation by keccak256 (1600 - 2 × 256 bits). */
const RATE = 136;

const state = new Uint32Array(50);
const lastBlock = new Uint8Array(RATE);

function absorb(block: Uint8Array, offset: number): void {
  for (let word = 0; word < RATE / 4; word++) {
    const at = offset + 4 * word;
    state[word] ^= block[at] | (block[at + 1] << 8) | (block[at + 2] << 16) | (block[at + 3] << 24);
  }
  keccakF1600(state);
}

/** Writes keccak256 of `input[offset, offset + length)` to `out[outOffset, outOffset + 32)`. */
export function keccak256Into(
  input: Uint8Array,
  offset: number,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  state.fill(0);
  let at = offset;
  const end = offset + length;
  for (; end - at >= RATE; at += RATE) absorb(input, at);
  lastBlock.fill(0);
  lastBlock.set(input.subarray(at, end));
  lastBlock[end - at] ^= 0x01;
  lastBlock[RATE - 1] ^= 0x80;
  absorb(lastBlock, 0);
  for (let word = 0; word < 8; word++) {
    const value = state[word];
    const to = outOffset + 4 * word;
    out[to] = value;
    out[to + 1] = value >>> 8;
    out[to + 2] = value >>> 16;
    out[to + 3] = value >>> 24;
  }
}

/** keccak256 of `input`. */
export function keccak256Bytes(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  keccak256Into(input, 0, input.length, out, 0);
  return out;
}
