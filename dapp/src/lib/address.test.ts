import { describe, expect, it } from "vitest";
import { getAddress } from "viem";
import { checkAddress } from "./address";

const ALICE = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const BOB = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

describe("checkAddress", () => {
  it("accepts a checksummed, lower-case or padded address and returns it checksummed", () => {
    expect(checkAddress(BOB)).toEqual({ ok: true, address: BOB });
    expect(checkAddress(BOB.toLowerCase())).toEqual({ ok: true, address: BOB });
    expect(checkAddress(`  ${BOB}\n`)).toEqual({ ok: true, address: BOB });
  });

  it("asks for an address when the field is empty", () => {
    expect(checkAddress("  ")).toEqual({ ok: false, error: "Enter the recipient's address." });
  });

  it("explains a missing 0x, a wrong length and stray characters", () => {
    expect(checkAddress(BOB.slice(2))).toMatchObject({ ok: false, error: expect.stringMatching(/starts with 0x/) });
    expect(checkAddress(BOB.slice(0, -1))).toEqual({ ok: false, error: "An address has 40 characters after 0x; this one has 39." });
    expect(checkAddress(`${BOB.slice(0, -1)}z`)).toEqual({ ok: false, error: "An address has only the characters 0-9 and a-f after 0x." });
  });

  it("catches a typo through the checksum of a mixed-case address", () => {
    const typo = `${BOB.slice(0, 10)}${BOB[10] === "a" ? "A" : "a"}${BOB.slice(11)}`;
    expect(getAddress(BOB.toLowerCase())).toBe(BOB);
    expect(checkAddress(typo)).toMatchObject({ ok: false, error: expect.stringMatching(/typo/) });
  });

  it("refuses the zero address, the sender itself and Perks contracts", () => {
    expect(checkAddress(`0x${"0".repeat(40)}`)).toMatchObject({ ok: false, error: expect.stringMatching(/lost forever/) });
    expect(checkAddress(ALICE.toLowerCase(), { self: ALICE })).toEqual({ ok: false, error: "This is your own address." });
    expect(checkAddress(BOB, { contracts: [BOB] })).toMatchObject({ ok: false, error: expect.stringMatching(/not a wallet/) });
  });
});
