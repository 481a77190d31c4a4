import { describe, expect, it } from "vitest";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { schema } from "@uniswap/token-lists";
import { buildTokenList, tokenListFile } from "./tokenList";

const validate = (() => {
  const ajv = new Ajv({ allErrors: true, verbose: true });
  addFormats(ajv);
  return ajv.compile(schema);
})();

const bean = {
  address: "0x4ADB4FF078Aa7c46baBD228a5aaF42F2a13C8f18",
  name: "Alpha Coffee Beans",
  symbol: "BEAN",
  decimals: 18,
  owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  faceValue: 10_000n,
  logoURI: "https://example.com/bean.png",
} as const;

describe("buildTokenList", () => {
  it("builds a list the Uniswap token-lists schema accepts", () => {
    const list = buildTokenList({ chainId: 31337, chainName: "Hardhat", tokens: [bean], now: new Date("2026-01-02T03:04:05Z") });
    expect(validate(list), JSON.stringify(validate.errors)).toBe(true);
    expect(list).toMatchObject({
      name: "Perks Hardhat",
      timestamp: "2026-01-02T03:04:05.000Z",
      version: { major: 1, minor: 1, patch: 0 },
      tokens: [
        {
          chainId: 31337,
          address: bean.address,
          symbol: "BEAN",
          decimals: 18,
          logoURI: bean.logoURI,
          extensions: { merchant: bean.owner, faceValueMicroUsd: "10000" },
        },
      ],
    });
  });

  it("keeps names and symbols within the schema and drops data: logos", () => {
    const odd = { ...bean, name: "Zeta — «Café» Points!!", symbol: "Z E T", logoURI: "data:image/png;base64,AAAA" };
    const list = buildTokenList({ chainId: 8453, chainName: "Base (mainnet)", tokens: [odd, { ...bean, name: "", symbol: " " }] });
    expect(validate(list), JSON.stringify(validate.errors)).toBe(true);
    expect(list.name).toBe("Perks Base mainnet");
    expect(list.tokens[0]).toMatchObject({ name: "Zeta Café Points", symbol: "ZET" });
    expect(list.tokens[0].logoURI).toBeUndefined();
    expect(list.version.minor).toBe(2);
  });

  it("names the file after the chain", () => {
    const list = buildTokenList({ chainId: 31337, chainName: "Hardhat", tokens: [bean] });
    expect(tokenListFile(list, 31337).name).toBe("perks-31337.tokenlist.json");
  });
});
