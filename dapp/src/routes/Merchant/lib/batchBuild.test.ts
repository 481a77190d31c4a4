import { describe, expect, it } from "vitest";
import { parseClaimCode } from "@perks/sdk";
import { verifyMerkleProof, codeLeafHash } from "@perks/sdk/src/merkleTree";
import { batchCsvText, batchLabels, buildBatch } from "./batchBuild";

const CAMPAIGN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ONE = 10n ** 18n;

describe("batch codes", () => {
  const progress: [number, number][] = [];
  const batch = buildBatch({ chainId: 31337, campaign: CAMPAIGN, count: 300, points: 5n * ONE }, (done, total) =>
    progress.push([done, total]),
  );

  it("reports key generation progress up to the count", () => {
    expect(progress.at(-1)).toEqual([300, 300]);
    expect(progress.length).toBeGreaterThan(1);
  });

  it("writes one CSV row per code whose link claims that code under the root", () => {
    const csv = batchCsvText(batch, { baseUrl: "http://127.0.0.1:5173/claim", batchId: 3n });
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("index,claim_key,points,link");
    expect(lines).toHaveLength(301);
    for (const line of [lines[1], lines[300]]) {
      const [index, claimKey, points, link] = line.split(",");
      const code = parseClaimCode(link, { chainId: 31337 });
      if (code.kind !== "batch") throw new Error("expected a batch code");
      expect(code.code).toMatchObject({ batchId: 3n, index: BigInt(index), points: BigInt(points) });
      expect(code.code.claimKey.toLowerCase()).toBe(claimKey);
      expect(verifyMerkleProof(batch.manifest.root, codeLeafHash(code.code), code.proof)).toBe(true);
    }
  });

  it("captions each printed code with its number and points", () => {
    const [first] = batchLabels(batch, { baseUrl: "http://x/claim", batchId: 0n, symbol: "BEAN" });
    expect(first.caption).toBe("No. 0 · 5 BEAN");
  });

  it("refuses an empty batch", () => {
    expect(() => buildBatch({ chainId: 31337, campaign: CAMPAIGN, count: 0, points: ONE })).toThrow(RangeError);
  });
});
