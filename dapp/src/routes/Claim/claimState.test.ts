import { describe, expect, it } from "vitest";
import { type Address, zeroHash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type BatchClaimCode, type ClaimCode, CLAIM_CODE_VERSION, createVoucher, devAccount, encodeClaimCode, encodeClaimLink, newClaimKey } from "@perks/sdk";
import { type CampaignFacts, type ClaimInput, claimProblem, claimReducer, codeAmounts } from "./claimState";

const CHAIN = 31337;
const CAMPAIGN: Address = "0xA02Bb8596B05F67542A624A3D85733982e24e08B";
const NOW = 1_800_000_000;
const DAY = 86_400;
const ONE = 10n ** 18n;
const terminal = privateKeyToAccount(devAccount("alphaTerminal").privateKey);

function voucher(overrides: { expiresAt?: bigint; chainId?: number } = {}) {
  return createVoucher({
    issuer: terminal,
    campaign: CAMPAIGN,
    chainId: overrides.chainId ?? CHAIN,
    id: 7n,
    spend: 480n,
    expiresAt: overrides.expiresAt ?? BigInt(NOW + 30 * DAY),
  });
}

function batchCode(): BatchClaimCode {
  const key = newClaimKey();
  return {
    version: CLAIM_CODE_VERSION,
    kind: "batch",
    chainId: CHAIN,
    campaign: CAMPAIGN,
    claimPrivateKey: key.privateKey,
    code: { batchId: 0n, index: 3n, points: 5n * ONE, claimKey: key.address },
    proof: [zeroHash],
  };
}

const openFacts: CampaignFacts = {
  isPerksCampaign: true,
  rules: { startsAt: BigInt(NOW - DAY), channels: 0b111, token: CAMPAIGN },
  endsAt: BigInt(NOW + 90 * DAY),
  paused: false,
  claimed: false,
  batchRoot: `0x${"ab".repeat(32)}`,
};

describe("claimReducer", () => {
  const reduce = claimReducer(CHAIN);
  const empty: ClaimInput = { step: "empty" };

  it("reads a claim link, a bare code and a fragment into the same code", async () => {
    const code = await voucher();
    const link = encodeClaimLink(code, "https://perks.example/claim");
    for (const text of [link, encodeClaimCode(code), `#c=${encodeClaimCode(code)}`, `  ${link}\n`]) {
      const state = reduce(empty, { type: "read", text, source: "paste" });
      expect(state.step).toBe("parsed");
      if (state.step === "parsed") expect(state.code).toEqual(code);
    }
  });

  it("clears on empty text and on clear", async () => {
    expect(reduce(empty, { type: "read", text: "   ", source: "paste" })).toEqual(empty);
    const parsed = reduce(empty, { type: "read", text: encodeClaimCode(await voucher()), source: "link" });
    expect(reduce(parsed, { type: "clear" })).toEqual(empty);
  });

  it("gives a damaged code, a code of another chain and random text their own messages", async () => {
    const encoded = encodeClaimCode(await voucher());
    const damaged = reduce(empty, { type: "read", text: `${encoded.slice(0, 20)}${encoded[20] === "A" ? "B" : "A"}${encoded.slice(21)}`, source: "paste" });
    expect(damaged).toMatchObject({ step: "invalid", problem: { title: "Invalid code", message: expect.stringMatching(/checksum/) } });

    const cut = reduce(empty, { type: "read", text: encoded.slice(0, 30), source: "paste" });
    expect(cut).toMatchObject({ step: "invalid", problem: { code: "MalformedClaimCodeError" } });

    const other = reduce(empty, { type: "read", text: encodeClaimCode(await voucher({ chainId: 8453 })), source: "scan" });
    expect(other).toMatchObject({
      step: "invalid",
      problem: { code: "WrongChainError", title: "Wrong network", message: expect.stringMatching(/Base \(chain 8453\)/) },
    });

    const url = reduce(empty, { type: "read", text: "https://example.com/menu", source: "scan" });
    expect(url).toMatchObject({ step: "invalid", problem: { code: "MalformedClaimCodeError" } });
  });

  it("keeps the text of an invalid code so the customer can correct it", () => {
    expect(reduce(empty, { type: "read", text: " abc$ ", source: "paste" })).toMatchObject({ step: "invalid", text: "abc$" });
  });

  it("records a claim of the parsed code, and stays claimed when the same code is read again", async () => {
    const code = await voucher();
    const parsed = reduce(empty, { type: "read", text: encodeClaimCode(code), source: "link" });
    const receipt = { hash: zeroHash, recipient: terminal.address, amount: 48n * ONE / 10n, bonus: 0n, via: "wallet" as const };
    const claimed = reduce(parsed, { type: "claimed", receipt });
    expect(claimed).toEqual({ step: "claimed", code, receipt });
    expect(reduce(claimed, { type: "read", text: encodeClaimLink(code, "https://perks.example/claim"), source: "link" })).toBe(claimed);
    expect(reduce(empty, { type: "claimed", receipt })).toEqual(empty);

    const another = reduce(claimed, { type: "read", text: encodeClaimCode(await voucher()), source: "paste" });
    expect(another.step).toBe("parsed");
  });
});

describe("claimProblem", () => {
  it("finds nothing wrong with a fresh code of an open campaign", async () => {
    expect(claimProblem(await voucher(), openFacts, NOW)).toBeUndefined();
    expect(claimProblem(batchCode(), openFacts, NOW)).toBeUndefined();
  });

  it("refuses a campaign the Perks factory did not create before anything else", async () => {
    expect(claimProblem(await voucher(), { ...openFacts, isPerksCampaign: false, claimed: true }, NOW)).toMatchObject({
      code: "UnknownCampaign",
    });
  });

  it("says a used voucher or printed code was already claimed", async () => {
    expect(claimProblem(await voucher(), { ...openFacts, claimed: true }, NOW)).toMatchObject({
      code: "AlreadyClaimed",
      message: "The points of this receipt have already been claimed. Each code works once.",
    });
    expect(claimProblem(batchCode(), { ...openFacts, claimed: true }, NOW)?.message).toMatch(/Printed code no\. 3/);
  });

  it("says when a voucher expired, up to and including its last second", async () => {
    const code = await voucher({ expiresAt: BigInt(NOW - DAY) });
    expect(claimProblem(code, openFacts, NOW)).toMatchObject({ code: "Expired", title: "Code expired" });
    const lastSecond = await voucher({ expiresAt: BigInt(NOW) });
    expect(claimProblem(lastSecond, openFacts, NOW)).toBeUndefined();
    expect(claimProblem(lastSecond, openFacts, NOW + 1)).toMatchObject({ code: "Expired" });
  });

  it("says when a campaign starts, ended or is paused", async () => {
    const code = await voucher();
    expect(claimProblem(code, { ...openFacts, rules: { ...openFacts.rules, startsAt: BigInt(NOW + DAY) } }, NOW)).toMatchObject({
      code: "NotStarted",
      message: expect.stringMatching(/starts on .*The code stays valid until/),
    });
    expect(claimProblem(code, { ...openFacts, endsAt: BigInt(NOW) }, NOW)).toMatchObject({ code: "Ended" });
    expect(claimProblem(code, { ...openFacts, paused: true }, NOW)).toMatchObject({ code: "Paused" });
  });

  it("refuses a code whose channel is closed or whose batch is not published", async () => {
    expect(claimProblem(await voucher(), { ...openFacts, rules: { ...openFacts.rules, channels: 0b101 } }, NOW)).toMatchObject({
      code: "ChannelClosed",
    });
    expect(claimProblem(batchCode(), { ...openFacts, batchRoot: zeroHash }, NOW)).toMatchObject({ code: "UnknownBatch" });
  });
});

describe("codeAmounts", () => {
  it("takes a voucher's points and spend, and a printed code's points", async () => {
    expect(codeAmounts(await voucher())).toEqual({ points: 0n, spend: 480n });
    expect(codeAmounts(batchCode() as ClaimCode)).toEqual({ points: 5n * ONE, spend: 0n });
  });
});
