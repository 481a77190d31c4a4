import { describe, expect, it } from "vitest";
import { x25519 } from "@noble/curves/ed25519.js";
import {
  CODE_DELIVERY_VERSION,
  CodeDecryptionError,
  CodeDeliveryError,
  deliveryContext,
  deliveryPublicKey,
  generateDeliveryKeyPair,
  openBytes,
  openCodes,
  sealBytes,
  sealCodes,
} from "./codeDelivery";

const CATALOG = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const CONTEXT = deliveryContext(31337n, CATALOG, (1n << 32n) | 7n);

function flip(hex: `0x${string}`, byteIndex: number): `0x${string}` {
  const bytes = Buffer.from(hex.slice(2), "hex");
  bytes[byteIndex] ^= 0x01;
  return `0x${bytes.toString("hex")}`;
}

describe("codeDelivery", () => {
  describe("generateDeliveryKeyPair", () => {
    it("gives a 32-byte secret and its bytes32 public key", () => {
      const pair = generateDeliveryKeyPair();
      expect(pair.secretKey).toHaveLength(32);
      expect(pair.publicKey).toMatch(/^0x[0-9a-f]{64}$/);
      expect(deliveryPublicKey(pair.secretKey)).toBe(pair.publicKey);
    });

    it("gives a fresh pair each time", () => {
      expect(generateDeliveryKeyPair().publicKey).not.toBe(generateDeliveryKeyPair().publicKey);
    });
  });

  describe("sealCodes and openCodes", () => {
    it("round-trips the exact codes", () => {
      const customer = generateDeliveryKeyPair();
      const codes = ["GIFT-7H2K-99QX", "ACCESS ✓ 42"];
      const sealed = sealCodes(customer.publicKey, codes, CONTEXT);
      expect(openCodes(customer.secretKey, sealed, CONTEXT)).toEqual(codes);
    });

    it("lays out version, ephemeral key, nonce, then ciphertext and tag", () => {
      const customer = generateDeliveryKeyPair();
      const sealed = sealCodes(customer.publicKey, ["ABC"], CONTEXT);
      const bytes = Buffer.from(sealed.slice(2), "hex");
      expect(bytes[0]).toBe(CODE_DELIVERY_VERSION);
      expect(bytes).toHaveLength(1 + 32 + 24 + JSON.stringify(["ABC"]).length + 16);
    });

    it("uses a fresh ephemeral key and nonce for every delivery", () => {
      const customer = generateDeliveryKeyPair();
      const first = sealCodes(customer.publicKey, ["SAME"], CONTEXT);
      const second = sealCodes(customer.publicKey, ["SAME"], CONTEXT);
      expect(first.slice(4, 4 + 2 * 56)).not.toBe(second.slice(4, 4 + 2 * 56));
      expect(first).not.toBe(second);
    });

    it("fails with another secret key", () => {
      const customer = generateDeliveryKeyPair();
      const eavesdropper = generateDeliveryKeyPair();
      const sealed = sealCodes(customer.publicKey, ["SECRET"], CONTEXT);
      expect(() => openCodes(eavesdropper.secretKey, sealed, CONTEXT)).toThrow(CodeDecryptionError);
    });

    it("fails for another redemption, catalog or chain", () => {
      const customer = generateDeliveryKeyPair();
      const sealed = sealCodes(customer.publicKey, ["SECRET"], CONTEXT);
      for (const context of [
        deliveryContext(31337n, CATALOG, (1n << 32n) | 8n),
        deliveryContext(31337n, "0x0000000000000000000000000000000000000001", (1n << 32n) | 7n),
        deliveryContext(1n, CATALOG, (1n << 32n) | 7n),
      ]) {
        expect(() => openCodes(customer.secretKey, sealed, context)).toThrow(CodeDecryptionError);
      }
    });

    it("fails when any part of the delivery was altered", () => {
      const customer = generateDeliveryKeyPair();
      const sealed = sealCodes(customer.publicKey, ["SECRET"], CONTEXT);
      const length = (sealed.length - 2) / 2;
      // The ephemeral key, the nonce, the ciphertext and the tag.
      for (const index of [1, 32, 33, 56, 57, length - 17, length - 1]) {
        expect(() => openCodes(customer.secretKey, flip(sealed, index), CONTEXT)).toThrow(CodeDeliveryError);
      }
    });

    it("refuses an unknown version, a truncated delivery and malformed hex", () => {
      const customer = generateDeliveryKeyPair();
      const sealed = sealCodes(customer.publicKey, ["SECRET"], CONTEXT);
      expect(() => openCodes(customer.secretKey, `0x02${sealed.slice(4)}`, CONTEXT)).toThrow(/version 2/);
      expect(() => openCodes(customer.secretKey, sealed.slice(0, 2 + 2 * 72) as `0x${string}`, CONTEXT)).toThrow(
        /too short/,
      );
      expect(() => openCodes(customer.secretKey, "0xzz" as `0x${string}`, CONTEXT)).toThrow(/hex/);
    });

    it("refuses a public key of the wrong length or of low order", () => {
      expect(() => sealCodes("0x1234", ["A"], CONTEXT)).toThrow(/32 bytes/);
      const zero = `0x${"00".repeat(32)}` as const;
      expect(() => sealCodes(zero, ["A"], CONTEXT)).toThrow(/not a usable X25519 key/);
    });

    it("refuses to seal nothing", () => {
      expect(() => sealCodes(generateDeliveryKeyPair().publicKey, [], CONTEXT)).toThrow(/no code/);
    });

    it("refuses a delivery whose plaintext is not a list of codes", () => {
      const customer = generateDeliveryKeyPair();
      for (const text of ["not json", "{\"code\":1}", "[1,2]"]) {
        const sealed = sealBytes(customer.publicKey, new TextEncoder().encode(text), CONTEXT);
        expect(() => openCodes(customer.secretKey, sealed, CONTEXT)).toThrow(/not a list of codes/);
      }
    });
  });

  describe("sealBytes and openBytes", () => {
    it("interoperates with any X25519 implementation's keys (a raw noble key pair)", () => {
      const secretKey = x25519.utils.randomSecretKey();
      const publicKey = x25519.getPublicKey(secretKey);
      const message = new Uint8Array([0, 1, 2, 250, 255]);
      expect(openBytes(secretKey, sealBytes(publicKey, message, CONTEXT), CONTEXT)).toEqual(message);
    });
  });

  describe("deliveryContext", () => {
    it("does not depend on the address's letter case", () => {
      expect(deliveryContext(1, CATALOG.toLowerCase(), 5n)).toEqual(deliveryContext(1n, CATALOG, 5n));
    });

    it("refuses something that is not an address", () => {
      expect(() => deliveryContext(1, "0x1234", 5n)).toThrow(/not an address/);
    });
  });
});
