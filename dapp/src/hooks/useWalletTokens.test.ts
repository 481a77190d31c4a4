import { afterEach, describe, expect, it, vi } from "vitest";
import type { Address } from "viem";
import { registryCache, tokenFactsCache } from "./useWalletTokens";

const FACTORY: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TOKENS: Address[] = ["0xa16E02E87b7454126E5E10d957A927A7F5B5d2be", "0xB7A5bd0345EF1Cc5E66bf61BdeC17D2461fBd968"];
const CAMPAIGNS: Address[] = ["0xeEBe00Ac0756308ac4AaBfD76c05c4F3088B8883"];

afterEach(() => {
  localStorage.clear();
  vi.restoreAllMocks();
});

describe("the remembered registry", () => {
  it("gives back the lists it was given, per factory", () => {
    registryCache(FACTORY).write([
      [TOKENS, 2n],
      [CAMPAIGNS, 1n],
    ]);
    expect(registryCache(FACTORY).read()).toEqual([
      [TOKENS, 2n],
      [CAMPAIGNS, 1n],
    ]);
    expect(registryCache("0x0000000000000000000000000000000000000001").read()).toBeUndefined();
    expect(registryCache(undefined).read()).toBeUndefined();
  });

  it("writes a registry it already wrote only once", () => {
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    const cache = registryCache(FACTORY);
    cache.write([[TOKENS, 2n], [CAMPAIGNS, 1n]]);
    cache.write([[[...TOKENS], 2n], [[...CAMPAIGNS], 1n]]);
    expect(setItem).toHaveBeenCalledTimes(1);
    cache.write([[TOKENS, 2n], [[], 0n]]);
    expect(setItem).toHaveBeenCalledTimes(2);
  });

  it("reads a damaged or foreign entry as nothing remembered", () => {
    const cache = registryCache(FACTORY);
    cache.write([
      [TOKENS, 2n],
      [CAMPAIGNS, 1n],
    ]);
    const key = Object.keys(localStorage).find((name) => name.startsWith("perks.registry."))!;
    localStorage.setItem(key, "{not json");
    expect(cache.read()).toBeUndefined();
    localStorage.setItem(key, JSON.stringify({ tokens: "0xabc", campaigns: [] }));
    expect(cache.read()).toBeUndefined();
  });

  it("works on as a first visit when the browser refuses storage", () => {
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("quota", "QuotaExceededError");
    });
    vi.spyOn(Storage.prototype, "getItem").mockImplementation(() => {
      throw new DOMException("blocked", "SecurityError");
    });
    const cache = registryCache(FACTORY);
    expect(() => cache.write([[TOKENS, 2n], [CAMPAIGNS, 1n]])).not.toThrow();
    expect(cache.read()).toBeUndefined();
  });
});

describe("the remembered token facts", () => {
  const bean = { address: TOKENS[0], name: "Alpha Coffee Beans", symbol: "BEAN", decimals: 18, faceValue: 10_000n, merchant: CAMPAIGNS[0] };

  it("gives back a token's facts, by address in any case, and nothing for a token never seen", () => {
    tokenFactsCache().write([bean]);
    const { address: _address, ...facts } = bean;
    expect(tokenFactsCache().read([TOKENS[0], TOKENS[0].toLowerCase() as Address, TOKENS[1]])).toEqual([facts, facts, undefined]);
  });

  it("keeps the facts of other tokens when it writes some, and reads a damaged entry as unknown", () => {
    tokenFactsCache().write([bean]);
    tokenFactsCache().write([{ ...bean, address: TOKENS[1], symbol: "PAGE" }]);
    expect(tokenFactsCache().read(TOKENS).map((token) => token?.symbol)).toEqual(["BEAN", "PAGE"]);
    const key = Object.keys(localStorage).find((name) => name.startsWith("perks.tokenFacts."))!;
    localStorage.setItem(key, JSON.stringify({ [TOKENS[0].toLowerCase()]: { symbol: "BEAN", decimals: "18", faceValue: "x" } }));
    expect(tokenFactsCache().read([TOKENS[0]])).toEqual([undefined]);
    localStorage.setItem(key, "[1,2]");
    expect(tokenFactsCache().read([TOKENS[0]])).toEqual([undefined]);
  });
});
