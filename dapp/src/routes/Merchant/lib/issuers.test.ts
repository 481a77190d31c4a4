import { describe, expect, it } from "vitest";
import { currentIssuers } from "./issuers";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const C = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";

describe("currentIssuers", () => {
  it("starts from the rules' keys and replays IssuerSet in order", () => {
    expect(currentIssuers([A, B], [])).toEqual([A, B]);
    expect(
      currentIssuers([A, B], [
        { issuer: C, allowed: true },
        { issuer: B.toLowerCase() as typeof B, allowed: false },
        { issuer: C, allowed: false },
        { issuer: C, allowed: true },
      ]),
    ).toEqual([A, C]);
  });
});
