import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { keccak256Bytes, keccak256Into } from "./keccak";

describe("keccak256", () => {
  it("equals @noble/hashes' keccak_256 for every length from 0 to 300 bytes (one to three blocks)", () => {
    for (let length = 0; length <= 300; length++) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 31 + length * 7) & 0xff);
      expect(keccak256Bytes(input)).toEqual(keccak_256(input));
    }
  });

  it("hashes a slice in place, leaving the rest of the output untouched", () => {
    const input = Uint8Array.from({ length: 100 }, (_, i) => i);
    const out = new Uint8Array(40).fill(0xee);
    keccak256Into(input, 10, 64, out, 4);
    expect(out.subarray(4, 36)).toEqual(keccak_256(input.subarray(10, 74)));
    expect([...out.subarray(0, 4), ...out.subarray(36)]).toEqual(Array(8).fill(0xee));
  });

  it("hashes the empty string to the known digest", () => {
    expect(Buffer.from(keccak256Bytes(new Uint8Array())).toString("hex")).toBe(
      "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
  });
});
