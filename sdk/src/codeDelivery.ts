/**
 * Private delivery of gift-coupon and access codes to an anonymous customer.
 *
 * The customer's app makes a fresh X25519 key pair for each redemption and passes the public key to
 * `RewardCatalog.redeem` (it appears in `RewardRedeemed`). The merchant's fulfilment service seals the code(s) to
 * that key and posts the result with `deliverCode` (it appears in `CodeDelivered`); only the holder of the secret
 * key can open it. Everything here is plain functions over `Uint8Array`, with no chain client, so the same code
 * runs in the browser and in Node.
 *
 * Construction (version 1), built only from audited primitives of @noble/curves, @noble/hashes and @noble/ciphers,
 * the way ECIES / HPKE base mode are built:
 *
 *   ephemeral = a fresh X25519 key pair of the sender
 *   shared    = X25519(ephemeral.secret, recipientPublicKey)          (low-order keys are refused)
 *   key       = HKDF-SHA256(shared, salt = ephemeral.public || recipientPublicKey, info = "perks/code-delivery/v1")
 *   sealed    = 0x01 || ephemeral.public (32) || nonce (24, random) || XChaCha20-Poly1305(key, nonce, aad = context)
 *
 * The associated data is the redemption's context (chain, catalog, redemption id), so a ciphertext cannot be
 * passed off as the answer to another redemption. The plaintext is a JSON array of the codes.
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

type Hex = `0x${string}`;

/** A customer's key pair for one redemption. Keep `secretKey` until the code arrives; never send it anywhere. */
export interface DeliveryKeyPair {
  secretKey: Uint8Array;
  /** The `encryptionKey` to pass to `redeem` (bytes32). */
  publicKey: Hex;
}

/** The first byte of every sealed delivery: the construction described above. */
export const CODE_DELIVERY_VERSION = 1;

const INFO = utf8ToBytes("perks/code-delivery/v1");
const KEY_LENGTH = 32;
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + KEY_LENGTH + NONCE_LENGTH;

/** A code delivery that cannot be sealed or opened: a malformed key or ciphertext, or one that fails to open. */
export class CodeDeliveryError extends Error {
  override name = "CodeDeliveryError";
}

/** The ciphertext does not open with this key and context: it was sealed to another key or for another
 * redemption, or it was altered. */
export class CodeDecryptionError extends CodeDeliveryError {
  override name = "CodeDecryptionError";
  constructor() {
    super("The code could not be decrypted: it was sealed to another key or redemption, or it was altered.");
  }
}

function toBytes(value: Hex | Uint8Array, length: number | undefined, what: string): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    bytes = value;
  } else {
    if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) {
      throw new CodeDeliveryError(`The ${what} is not a 0x-prefixed hex string.`);
    }
    bytes = hexToBytes(value.slice(2));
  }
  if (length !== undefined && bytes.length !== length) {
    throw new CodeDeliveryError(`The ${what} must be ${length} bytes, not ${bytes.length}.`);
  }
  return bytes;
}

function toHex(bytes: Uint8Array): Hex {
  return `0x${bytesToHex(bytes)}`;
}

/** A fresh key pair for one redemption. */
export function generateDeliveryKeyPair(): DeliveryKeyPair {
  const { secretKey, publicKey } = x25519.keygen();
  return { secretKey, publicKey: toHex(publicKey) };
}

/** The public key (bytes32 hex) of a delivery secret key. */
export function deliveryPublicKey(secretKey: Uint8Array): Hex {
  return toHex(x25519.getPublicKey(toBytes(secretKey, KEY_LENGTH, "secret key")));
}

/** The associated data that binds a delivery to one redemption of one catalog on one chain. */
export function deliveryContext(chainId: bigint | number, catalog: string, redemptionId: bigint): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(catalog)) throw new CodeDeliveryError("The catalog is not an address.");
  return utf8ToBytes(`perks-code:${BigInt(chainId)}:${catalog.toLowerCase()}:${redemptionId}`);
}

function sharedKey(secretKey: Uint8Array, peerPublicKey: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array) {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secretKey, peerPublicKey);
  } catch {
    throw new CodeDeliveryError("The public key is not a usable X25519 key.");
  }
  return hkdf(sha256, shared, concatBytes(ephemeral, recipient), INFO, KEY_LENGTH);
}

/** Bytes `plaintext` sealed to `recipientPublicKey` for `context`. */
export function sealBytes(recipientPublicKey: Hex | Uint8Array, plaintext: Uint8Array, context: Uint8Array): Uint8Array {
  const recipient = toBytes(recipientPublicKey, KEY_LENGTH, "public key");
  const ephemeral = x25519.keygen();
  const key = sharedKey(ephemeral.secretKey, recipient, ephemeral.publicKey, recipient);
  const nonce = randomBytes(NONCE_LENGTH);
  const ciphertext = xchacha20poly1305(key, nonce, context).encrypt(plaintext);
  return concatBytes(Uint8Array.of(CODE_DELIVERY_VERSION), ephemeral.publicKey, nonce, ciphertext);
}

/** The plaintext of `sealed`, opened with the recipient's `secretKey` for `context`. */
export function openBytes(secretKey: Uint8Array, sealed: Hex | Uint8Array, context: Uint8Array): Uint8Array {
  const bytes = toBytes(sealed, undefined, "ciphertext");
  if (bytes.length < HEADER_LENGTH + TAG_LENGTH) throw new CodeDeliveryError("The ciphertext is too short.");
  if (bytes[0] !== CODE_DELIVERY_VERSION) {
    throw new CodeDeliveryError(`Unsupported code delivery version ${bytes[0]}.`);
  }
  const ephemeral = bytes.subarray(1, 1 + KEY_LENGTH);
  const nonce = bytes.subarray(1 + KEY_LENGTH, HEADER_LENGTH);
  const recipient = x25519.getPublicKey(toBytes(secretKey, KEY_LENGTH, "secret key"));
  const key = sharedKey(secretKey, ephemeral, ephemeral, recipient);
  try {
    return xchacha20poly1305(key, nonce, context).decrypt(bytes.subarray(HEADER_LENGTH));
  } catch {
    throw new CodeDecryptionError();
  }
}

/** `codes` sealed to the redemption's `encryptionKey`, as `deliverCode` takes them. */
export function sealCodes(recipientPublicKey: Hex | Uint8Array, codes: readonly string[], context: Uint8Array): Hex {
  if (codes.length === 0) throw new CodeDeliveryError("There is no code to seal.");
  return toHex(sealBytes(recipientPublicKey, utf8ToBytes(JSON.stringify(codes)), context));
}

/** The codes in a `CodeDelivered` ciphertext, opened with the redemption's secret key. */
export function openCodes(secretKey: Uint8Array, sealed: Hex | Uint8Array, context: Uint8Array): string[] {
  const plaintext = new TextDecoder().decode(openBytes(secretKey, sealed, context));
  let codes: unknown;
  try {
    codes = JSON.parse(plaintext);
  } catch {
    throw new CodeDeliveryError("The decrypted delivery is not a list of codes.");
  }
  if (!Array.isArray(codes) || !codes.every((code) => typeof code === "string")) {
    throw new CodeDeliveryError("The decrypted delivery is not a list of codes.");
  }
  return codes;
}
