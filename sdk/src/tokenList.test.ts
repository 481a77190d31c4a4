import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import {
  InvalidTokenListError,
  type ListedToken,
  buildTokenList,
  metadataLogo,
  tokenListVersionBump,
  validateTokenList,
} from "./tokenList";

const MERCHANT: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const alpha: ListedToken = {
  address: "0x2222222222222222222222222222222222222222",
  name: "Alpha Coffee Beans",
  symbol: "BEAN",
  decimals: 18,
  owner: MERCHANT,
  faceValue: 10_000n,
  logoURI: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
};
const beta: ListedToken = {
  ...alpha,
  address: "0x1111111111111111111111111111111111111111",
  name: "Beta Pages",
  symbol: "PAGE",
  faceValue: 0n,
  logoURI: undefined,
};
const NOW = new Date("2026-11-23T00:00:00.000Z");

describe("buildTokenList", () => {
  it("lists every token with its address, 18 decimals, logo, tag and face value, valid under the schema", async () => {
    const list = buildTokenList({ chainId: 8453, chainName: "Base", tokens: [alpha, beta], now: NOW });
    expect(list).toMatchObject({
      name: "Perks Base",
      timestamp: NOW.toISOString(),
      version: { major: 1, minor: 0, patch: 0 },
    });
    expect(list.tokens.map((token) => token.symbol)).toEqual(["PAGE", "BEAN"]);
    expect(list.tokens[1]).toEqual({
      chainId: 8453,
      address: alpha.address,
      name: "Alpha Coffee Beans",
      symbol: "BEAN",
      decimals: 18,
      logoURI: alpha.logoURI,
      tags: ["perks"],
      extensions: { merchant: MERCHANT, faceValue: "0.01" },
    });
    expect(list.tokens[0]).not.toHaveProperty("logoURI");
    expect(list.tokens[0].extensions).toEqual({ merchant: MERCHANT });
    await validateTokenList(list);
  });

  it("trims names and symbols to what the schema allows and leaves out logos it does not", async () => {
    const odd = {
      ...alpha,
      name: `Alpha\n\tCoffee ${"x".repeat(80)}`,
      symbol: "AL PHA COFFEE POINTS 2026",
      logoURI: "data:image/png;base64,AAAA",
    };
    const list = buildTokenList({ chainId: 1, tokens: [odd], now: NOW });
    expect(list.tokens[0].name).toMatch(/^Alpha Coffee x+$/);
    expect(list.tokens[0].name).toHaveLength(60);
    expect(list.tokens[0].symbol).toBe("ALPHACOFFEEPOINTS202");
    expect(list.tokens[0]).not.toHaveProperty("logoURI");
    await validateTokenList(list);
  });

  it("bumps the version by the standard's rules against the previous list", () => {
    const v1 = buildTokenList({ chainId: 1, tokens: [alpha], now: NOW });
    const added = buildTokenList({ chainId: 1, tokens: [alpha, beta], previous: v1, now: NOW });
    expect(added.version).toEqual({ major: 1, minor: 1, patch: 0 });
    expect(tokenListVersionBump(v1, added)).toBe("minor");

    const renamed = buildTokenList({
      chainId: 1,
      tokens: [{ ...alpha, name: "Alpha Beans" }, beta],
      previous: added,
      now: NOW,
    });
    expect(renamed.version).toEqual({ major: 1, minor: 1, patch: 1 });
    const repriced = buildTokenList({
      chainId: 1,
      tokens: [{ ...alpha, name: "Alpha Beans", faceValue: 20_000n }, beta],
      previous: renamed,
      now: NOW,
    });
    expect(repriced.version).toEqual({ major: 1, minor: 1, patch: 2 });

    const removed = buildTokenList({ chainId: 1, tokens: [beta], previous: repriced, now: NOW });
    expect(removed.version).toEqual({ major: 2, minor: 0, patch: 0 });
    const moved = buildTokenList({
      chainId: 1,
      tokens: [{ ...beta, address: "0x3333333333333333333333333333333333333333" }],
      previous: removed,
      now: NOW,
    });
    expect(tokenListVersionBump(removed, moved)).toBe("major");
    expect(moved.version).toEqual({ major: 3, minor: 0, patch: 0 });

    const same = buildTokenList({
      chainId: 1,
      tokens: [{ ...beta, address: "0x3333333333333333333333333333333333333333" }],
      previous: moved,
      now: NOW,
    });
    expect(same.version).toEqual(moved.version);
  });

  it("lets the schema refuse a broken list", async () => {
    const list = buildTokenList({ chainId: 1, tokens: [alpha], now: NOW });
    const broken = { ...list, tokens: [{ ...list.tokens[0], decimals: 300, address: "0x12" }] };
    const error = await validateTokenList(broken).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(InvalidTokenListError);
    expect((error as InvalidTokenListError).errors.join(" ")).toMatch(/decimals/);
    expect((error as InvalidTokenListError).errors.join(" ")).toMatch(/address/);
  });
});

describe("metadataLogo", () => {
  it("reads the logo of a data: document, fetches others when it can, and never throws", async () => {
    const document = { name: "Alpha", image: "https://alpha.example/logo.png" };
    expect(await metadataLogo(`data:application/json,${encodeURIComponent(JSON.stringify(document))}`)).toBe(
      document.image,
    );
    expect(await metadataLogo(`data:application/json;base64,${btoa(JSON.stringify({ logoURI: "ipfs://x" }))}`)).toBe(
      "ipfs://x",
    );
    expect(await metadataLogo("ipfs://metadata")).toBeUndefined();
    expect(
      await metadataLogo("https://alpha.example/meta.json", async () => ({ logo: "https://alpha.example/l.svg" })),
    ).toBe("https://alpha.example/l.svg");
    expect(await metadataLogo("data:application/json,{broken")).toBeUndefined();
    expect(
      await metadataLogo("https://alpha.example/meta.json", async () => {
        throw new Error("offline");
      }),
    ).toBeUndefined();
  });
});
