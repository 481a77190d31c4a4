/**
 * The byte format that claim codes (claimCode.ts) and short batch links (batchLink.ts) share:
 *
 *   u8 version | fields … | 4 checksum: the first 4 bytes of keccak256 of everything before
 *
 * written as base64url without padding. A `uint` field is a length byte (0..32) and that many big-endian bytes
 * without leading zeros, so small numbers stay small and every value has exactly one encoding.
 *
 * Every version keeps the version byte first and the checksum last, so a reader checks the checksum before it
 * looks at the version: a mistyped character is reported as damage wherever it falls, and only an intact code of
 * another version as a version this app cannot read.
 */
import { type Address, type Hex, bytesToBigInt } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { keccak256Into } from "./keccak";
import { fastHex } from "./merkleTree";

/** The text is not a claim code or link, or it was damaged (cut short, mistyped, altered). */
export class MalformedClaimCodeError extends Error {
  override name = "MalformedClaimCodeError";
  constructor(readonly reason: string) {
    super(`This is not a valid claim code: ${reason}.`);
  }
}

// ------------------------------------------------------------------------------------------------ base64url

const BASE64URL_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64URL_DIGITS.length; i++) DIGIT_VALUES[BASE64URL_DIGITS.charCodeAt(i)] = i;

/** `bytes` as base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64URL_DIGITS[n >>> 18] + BASE64URL_DIGITS[(n >>> 12) & 63];
    if (i + 1 < bytes.length) out += BASE64URL_DIGITS[(n >>> 6) & 63];
    if (i + 2 < bytes.length) out += BASE64URL_DIGITS[n & 63];
  }
  return out;
}

/** The bytes of unpadded base64url text. @throws MalformedClaimCodeError for empty text, other characters or an
 * impossible length. */
export function fromBase64Url(text: string): Uint8Array {
  if (text.length === 0) throw new MalformedClaimCodeError("it is empty");
  if (text.length % 4 === 1) throw new MalformedClaimCodeError("its length is impossible for base64url");
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? DIGIT_VALUES[code] : -1;
    if (digit < 0) throw new MalformedClaimCodeError("it contains characters a claim code never has");
    value = ((value << 6) | digit) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >>> bits) & 0xff;
    }
  }
  return bytes;
}

// ------------------------------------------------------------------------------------------------ uint

const UINT256_LIMIT = 1n << 256n;

/** A `uint` field: its length byte and its big-endian bytes without leading zeros (none for 0). */
export function uintBytes(value: bigint, field: string): Uint8Array {
  if (value < 0n || value >= UINT256_LIMIT) throw new RangeError(`${field} ${value} does not fit in a uint256.`);
  const digits: number[] = [];
  for (let rest = value; rest > 0n; rest >>= 8n) digits.push(Number(rest & 0xffn));
  return Uint8Array.of(digits.length, ...digits.reverse());
}

// ------------------------------------------------------------------------------------------------ checksum

export const CHECKSUM_LENGTH = 4;

const hash = new Uint8Array(32);

/** Writes the checksum of `bytes[0, bodyLength)` to `bytes[bodyLength, bodyLength + 4)`, allocating nothing. */
export function writeChecksum(bytes: Uint8Array, bodyLength: number): void {
  keccak256Into(bytes, 0, bodyLength, hash, 0);
  bytes.set(hash.subarray(0, CHECKSUM_LENGTH), bodyLength);
}

/** `body` followed by its checksum, as base64url. */
export function encodeChecked(body: Uint8Array): string {
  const bytes = new Uint8Array(body.length + CHECKSUM_LENGTH);
  bytes.set(body);
  writeChecksum(bytes, body.length);
  return toBase64Url(bytes);
}

/**
 * The body of a base64url code (version byte first) after checking its checksum, which it drops. Nothing in the
 * body is read yet: the caller checks the version, then reads the fields with a `FieldReader`.
 *
 * @throws MalformedClaimCodeError when the text is not base64url, too short to hold a version and a checksum,
 * or its checksum does not match.
 */
export function decodeChecked(text: string): Uint8Array {
  const bytes = fromBase64Url(text);
  if (bytes.length < 1 + CHECKSUM_LENGTH) throw new MalformedClaimCodeError("it is cut short");
  const bodyLength = bytes.length - CHECKSUM_LENGTH;
  keccak256Into(bytes, 0, bodyLength, hash, 0);
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    if (hash[i] !== bytes[bodyLength + i]) {
      throw new MalformedClaimCodeError("its checksum does not match (a character was changed or lost)");
    }
  }
  return bytes.subarray(0, bodyLength);
}

// ------------------------------------------------------------------------------------------------ fields

/** Reads the fields of a code body in order, failing with `MalformedClaimCodeError` when one is missing or
 * invalid. */
export class FieldReader {
  constructor(
    private readonly bytes: Uint8Array,
    private offset = 0,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(length: number, field: string): Uint8Array {
    if (length > this.remaining) throw new MalformedClaimCodeError(`it is cut short (${field} is missing)`);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  u8(field: string): number {
    return this.take(1, field)[0];
  }

  hex(length: number, field: string): Hex {
    return fastHex(this.take(length, field));
  }

  uint(field: string): bigint {
    const length = this.u8(field);
    if (length > 32) throw new MalformedClaimCodeError(`${field} is longer than 32 bytes`);
    const bytes = this.take(length, field);
    if (length > 0 && bytes[0] === 0) throw new MalformedClaimCodeError(`${field} is not minimally encoded`);
    return length === 0 ? 0n : bytesToBigInt(bytes);
  }

  /** A `uint` chain id, which must be positive and a safe JavaScript integer. */
  chainId(): number {
    const chainId = this.uint("chainId");
    if (chainId === 0n || chainId > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MalformedClaimCodeError(`chain id ${chainId} is out of range`);
    }
    return Number(chainId);
  }

  /** A 32-byte claim private key, which must be a valid secp256k1 key, and its address. */
  claimKey(): { privateKey: Hex; address: Address } {
    const privateKey = this.hex(32, "claim key");
    try {
      return { privateKey, address: privateKeyToAddress(privateKey) };
    } catch {
      throw new MalformedClaimCodeError("its claim key is not a valid private key");
    }
  }

  /** Throws unless every byte was read. */
  end(): void {
    if (this.remaining !== 0) throw new MalformedClaimCodeError(`it has ${this.remaining} unexpected extra bytes`);
  }
}
