import { bytesToHex, hexToBytes, keccak256, numberToBytes } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  CHECKSUM_LENGTH,
  FieldReader,
  MalformedClaimCodeError,
  decodeChecked,
  encodeChecked,
  fromBase64Url,
  toBase64Url,
  uintBytes,
  writeChecksum,
} from "./encoding";

const text = (value: string) => new TextEncoder().encode(value);

/** Deterministic bytes, so a failure names the same input every run. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return state >>> 24;
  });
}

function malformed(read: () => unknown): MalformedClaimCodeError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedClaimCodeError);
    return error as MalformedClaimCodeError;
  }
  throw new Error("expected a MalformedClaimCodeError");
}

describe("encoding", () => {
  describe("base64url", () => {
    it("encodes the RFC 4648 vectors without padding", () => {
      const vectors: [string, string][] = [
        ["", ""],
        ["f", "Zg"],
        ["fo", "Zm8"],
        ["foo", "Zm9v"],
        ["foob", "Zm9vYg"],
        ["fooba", "Zm9vYmE"],
        ["foobar", "Zm9vYmFy"],
      ];
      for (const [plain, encoded] of vectors) {
        expect(toBase64Url(text(plain))).toBe(encoded);
        if (encoded !== "") expect(fromBase64Url(encoded)).toEqual(text(plain));
      }
    });

    it("uses - and _ where base64 has + and /", () => {
      expect(toBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe("-_-_");
      expect(fromBase64Url("-_-_")).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf));
      expect(toBase64Url(Uint8Array.of(0, 0, 0))).toBe("AAAA");
      expect(toBase64Url(Uint8Array.of(255, 255, 255))).toBe("____");
    });

    it("round-trips every length up to 100 bytes and agrees with Node's base64url", () => {
      for (let length = 1; length <= 100; length++) {
        const bytes = pseudoRandomBytes(length, length);
        const encoded = toBase64Url(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString("base64url"));
        expect(fromBase64Url(encoded)).toEqual(bytes);
      }
    });

    it.each([
      ["empty text", "", /empty/],
      ["an impossible length", "AAAAA", /length/],
      ["padding", "Zg==", /characters/],
      ["standard base64's +", "ab+c", /characters/],
      ["standard base64's /", "ab/c", /characters/],
      ["a space", "ab c", /characters/],
      ["a letter outside ASCII", "abéc", /characters/],
      // U+0141 is 0x141, whose low 7 bits are "A": a lookup that masked or wrapped the code would take it for a digit.
      ["a character whose low bits are a digit", "ab\u0141c", /characters/],
    ])("rejects %s", (_, input, message) => {
      expect(malformed(() => fromBase64Url(input)).message).toMatch(message);
    });
  });

  describe("uint", () => {
    const fieldOf = (bytes: Uint8Array) => new FieldReader(bytes).uint("value");

    it.each([
      [0n, "0x00"],
      [1n, "0x0101"],
      [127n, "0x017f"],
      [128n, "0x0180"],
      [255n, "0x01ff"],
      [256n, "0x020100"],
      [2n ** 53n - 1n, "0x071fffffffffffff"],
      [2n ** 64n, "0x09010000000000000000"],
      [2n ** 256n - 1n, `0x20${"ff".repeat(32)}`],
    ])("encodes %s as a length byte and minimal big-endian bytes, and reads it back", (value, hex) => {
      expect(bytesToHex(uintBytes(value, "value"))).toBe(hex);
      expect(fieldOf(hexToBytes(hex as `0x${string}`))).toBe(value);
    });

    it("round-trips values of every byte length, agreeing with viem's minimal big-endian bytes", () => {
      for (let length = 1; length <= 32; length++) {
        const bytes = pseudoRandomBytes(length, 1_000 + length);
        bytes[0] |= 1;
        const value = BigInt(bytesToHex(bytes));
        const encoded = uintBytes(value, "value");
        expect(encoded[0]).toBe(length);
        expect(encoded.subarray(1)).toEqual(numberToBytes(value));
        expect(fieldOf(encoded)).toBe(value);
      }
    });

    it("refuses to encode a negative value or one beyond uint256, naming the field", () => {
      expect(() => uintBytes(-1n, "points")).toThrow(RangeError);
      expect(() => uintBytes(2n ** 256n, "points")).toThrow(/points .* uint256/);
    });

    it.each([
      ["a length beyond 32 bytes", `0x21${"01".repeat(33)}`, /longer than 32 bytes/],
      ["a leading zero byte", "0x020005", /not minimally encoded/],
      ["zero written as one byte", "0x0100", /not minimally encoded/],
      ["fewer bytes than its length says", "0x030102", /cut short \(value is missing\)/],
      ["no length byte", "0x", /cut short/],
    ])("rejects %s", (_, hex, message) => {
      expect(malformed(() => fieldOf(hexToBytes(hex as `0x${string}`))).message).toMatch(message);
    });
  });

  describe("FieldReader", () => {
    it("reads fields in order from the offset it starts at, and knows what remains", () => {
      const fields = new FieldReader(Uint8Array.of(9, 7, 0xab, 0xcd, 1, 5, 0xee), 1);
      expect(fields.u8("kind")).toBe(7);
      expect(fields.hex(2, "tag")).toBe("0xabcd");
      expect(fields.uint("count")).toBe(5n);
      expect(fields.remaining).toBe(1);
      expect(malformed(() => fields.end()).message).toMatch(/1 unexpected extra bytes/);
      expect(fields.u8("last")).toBe(0xee);
      fields.end();
      expect(malformed(() => fields.u8("kind")).message).toMatch(/kind is missing/);
    });

    it("reads a chain id that is positive and a safe integer", () => {
      const chainId = (value: bigint) => new FieldReader(uintBytes(value, "chainId")).chainId();
      expect(chainId(1n)).toBe(1);
      expect(chainId(31337n)).toBe(31337);
      expect(chainId(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
      expect(malformed(() => chainId(0n)).message).toMatch(/chain id 0 is out of range/);
      expect(malformed(() => chainId(2n ** 53n)).message).toMatch(/out of range/);
    });

    it("reads a claim key with its address, and refuses one that is not a secp256k1 key", () => {
      const privateKey = `0x${"11".repeat(32)}` as const;
      expect(new FieldReader(hexToBytes(privateKey)).claimKey()).toEqual({
        privateKey,
        address: privateKeyToAddress(privateKey),
      });
      // Zero, and the curve order n: neither is a private key.
      const order = "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
      for (const invalid of [new Uint8Array(32), hexToBytes(order)]) {
        expect(malformed(() => new FieldReader(invalid).claimKey()).message).toMatch(/not a valid private key/);
      }
      expect(malformed(() => new FieldReader(new Uint8Array(31)).claimKey()).message).toMatch(/claim key is missing/);
    });
  });

  describe("checksum", () => {
    const body = Uint8Array.of(1, 0, 2, 0x7a, 0x69, ...pseudoRandomBytes(60, 7));

    it("is the first 4 bytes of keccak256 of the body, appended to it", () => {
      const bytes = Buffer.from(encodeChecked(body), "base64url");
      expect(bytes.subarray(0, body.length)).toEqual(Buffer.from(body));
      expect(bytesToHex(bytes.subarray(body.length))).toBe(keccak256(body).slice(0, 2 + 2 * CHECKSUM_LENGTH));
    });

    it("writes in place only the 4 bytes after the body", () => {
      const bytes = new Uint8Array(body.length + CHECKSUM_LENGTH + 2).fill(0xaa);
      bytes.set(body);
      writeChecksum(bytes, body.length);
      expect(bytes.subarray(0, body.length)).toEqual(body);
      expect(bytesToHex(bytes.subarray(body.length, body.length + CHECKSUM_LENGTH))).toBe(
        keccak256(body).slice(0, 10),
      );
      expect([...bytes.subarray(body.length + CHECKSUM_LENGTH)]).toEqual([0xaa, 0xaa]);
    });

    it("gives back the body, version byte first, of an intact code", () => {
      expect(decodeChecked(encodeChecked(body))).toEqual(body);
      expect(decodeChecked(encodeChecked(Uint8Array.of(99)))).toEqual(Uint8Array.of(99));
    });

    it("reports any changed byte as a checksum mismatch, the version byte's included", () => {
      const bytes = Buffer.from(encodeChecked(body), "base64url");
      for (let at = 0; at < bytes.length; at++) {
        for (const bit of [0x01, 0x80]) {
          const changed = Uint8Array.from(bytes);
          changed[at] ^= bit;
          expect(malformed(() => decodeChecked(toBase64Url(changed))).message).toMatch(/checksum does not match/);
        }
      }
    });

    it("reports a code too short for a version and a checksum as cut short", () => {
      for (const length of [1, 2, 3, 4]) {
        const bytes = Buffer.from(encodeChecked(body), "base64url").subarray(0, length);
        expect(malformed(() => decodeChecked(toBase64Url(bytes))).message).toMatch(/cut short/);
      }
      expect(malformed(() => decodeChecked("")).message).toMatch(/empty/);
    });
  });
});
