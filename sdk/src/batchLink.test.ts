import { type Address, type Hex, hexToBytes, keccak256 } from "viem";
import { describe, expect, it } from "vitest";
import {
  BatchCodeNotFoundError,
  BatchNotPublishedError,
  batchProofsUrl,
  batchRootTag,
  encodeBatchLink,
  isBatchLink,
  parseBatchLink,
  resolveBatchLink,
} from "./batchLink";
import { generateBatchKeys } from "./batchKeys";
import {
  MalformedClaimCodeError,
  UnknownCampaignError,
  UnsupportedClaimCodeVersionError,
  WrongChainError,
} from "./claimCode";
import { batchClaimCode, batchFiles, batchLinks, buildMerkleBatch } from "./merkleBatch";

const CAMPAIGN: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const APP = "https://perks.example/claim";
const PROOFS = "https://cdn.merchant.example/perks/caps-2026/";

function batchOf(count: number) {
  return buildMerkleBatch({ chainId: 31337, campaign: CAMPAIGN, keys: generateBatchKeys(0, count, 10n), points: 10n });
}

/** A proofs server holding `batch`'s files under `folder`, as fetch + JSON would read them. */
function serve(batch: ReturnType<typeof batchOf>, folder: string, manifestPatch: object = {}) {
  const files = new Map([...batchFiles(batch)].map((file) => [`${folder}${file.path}`, JSON.parse(file.contents)]));
  files.set(`${folder}manifest.json`, { ...files.get(`${folder}manifest.json`), ...manifestPatch });
  const requested: string[] = [];
  const fetchJson = async (url: string) => {
    requested.push(url);
    if (!files.has(url)) throw new Error(`404 ${url}`);
    return files.get(url);
  };
  return { fetchJson, requested };
}

describe("short batch links", () => {
  it("round-trip the claim key, campaign, chain, root tag and proofs URL", () => {
    const code = {
      chainId: 8453,
      campaign: CAMPAIGN,
      claimPrivateKey: `0x${"11".repeat(32)}` as Hex,
      rootTag: `0x${"ab".repeat(8)}` as Hex,
    };
    const link = encodeBatchLink(code, APP);
    expect(link.length).toBeLessThan(APP.length + 100);
    expect(isBatchLink(link)).toBe(true);
    expect(isBatchLink(`${APP}#c=abc`)).toBe(false);
    expect(parseBatchLink(link, { chainId: 8453 })).toEqual({ version: 1, ...code });
    const elsewhere = encodeBatchLink({ ...code, proofsUrl: PROOFS }, APP);
    expect(parseBatchLink(elsewhere, { chainId: 8453 }).proofsUrl).toBe(PROOFS);
    expect(parseBatchLink(link.slice(link.indexOf("#") + 1), { chainId: 8453 }).claimPrivateKey).toBe(
      code.claimPrivateKey,
    );
  });

  it("refuses damaged, foreign and unknown links with the claim-code errors", () => {
    const link = encodeBatchLink(
      { chainId: 31337, campaign: CAMPAIGN, claimPrivateKey: `0x${"22".repeat(32)}`, rootTag: `0x${"cd".repeat(8)}` },
      APP,
    );
    const code = link.slice(link.indexOf("#b=") + 3);
    const changed = `${code.slice(0, 30)}${code[30] === "A" ? "B" : "A"}${code.slice(31)}`;
    expect(() => parseBatchLink(`#b=${changed}`, { chainId: 31337 })).toThrow(MalformedClaimCodeError);
    expect(() => parseBatchLink(`#b=${code.slice(0, -4)}`, { chainId: 31337 })).toThrow(/cut short|checksum/);
    expect(() => parseBatchLink(`#b=${code}!`, { chainId: 31337 })).toThrow(MalformedClaimCodeError);
    expect(() => parseBatchLink(`${APP}#x=1`, { chainId: 31337 })).toThrow(MalformedClaimCodeError);
    expect(() => parseBatchLink(`#b=Ag${code.slice(2)}`, { chainId: 31337 })).toThrow(/checksum/);
    expect(() => parseBatchLink(link, { chainId: 1 })).toThrow(WrongChainError);
    expect(() => parseBatchLink(link, { chainId: 31337, knownCampaigns: [`0x${"99".repeat(20)}`] })).toThrow(
      UnknownCampaignError,
    );
  });

  it("report a character mistyped in the version's place as damage, and only an intact link as another version", () => {
    const link = encodeBatchLink(
      { chainId: 31337, campaign: CAMPAIGN, claimPrivateKey: `0x${"33".repeat(32)}`, rootTag: `0x${"ef".repeat(8)}` },
      APP,
    );
    const code = link.slice(link.indexOf("#b=") + 3);
    for (const [at, char] of [[0, "B"], [0, "g"], [1, "g"], [1, "A"]] as const) {
      const changed = code.slice(0, at) + char + code.slice(at + 1);
      expect(Buffer.from(changed, "base64url")[0]).not.toBe(1);
      expect(() => parseBatchLink(`#b=${changed}`, { chainId: 31337 })).toThrow(MalformedClaimCodeError);
      expect(() => parseBatchLink(`#b=${changed}`, { chainId: 31337 })).toThrow(/checksum/);
    }
    for (const body of [Uint8Array.of(2, ...Buffer.from(code, "base64url").subarray(1, -4)), Uint8Array.of(99, 0)]) {
      const intact = Buffer.concat([body, hexToBytes(keccak256(body)).subarray(0, 4)]).toString("base64url");
      let error: unknown;
      try {
        parseBatchLink(`#b=${intact}`, { chainId: 31337 });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(UnsupportedClaimCodeVersionError);
      expect((error as UnsupportedClaimCodeVersionError).version).toBe(body[0]);
    }
  });

  it("resolve to the full claim code from the batch's manifest and one shard", async () => {
    const batch = batchOf(500);
    const links = [...batchLinks(batch, { baseUrl: APP, proofsUrl: PROOFS })];
    const server = serve(batch, PROOFS, { batchId: "3" });
    for (const i of [0, 123, 499]) {
      const code = parseBatchLink(links[i], { chainId: 31337, knownCampaigns: [CAMPAIGN] });
      expect(code.rootTag).toBe(batchRootTag(batch.manifest.root));
      const url = batchProofsUrl(code, "https://perks.example/");
      expect(url).toBe(PROOFS);
      expect(await resolveBatchLink(code, { proofsUrl: url, fetchJson: server.fetchJson })).toEqual(
        batchClaimCode(batch, i, 3n),
      );
    }
    expect(server.requested).toHaveLength(6);
  }, 30_000);

  it("default to the dApp's batches/<root tag>/ folder", () => {
    const batch = batchOf(3);
    const [link] = batchLinks(batch, { baseUrl: APP });
    const code = parseBatchLink(link, { chainId: 31337 });
    expect(batchProofsUrl(code, "https://perks.example/app/")).toBe(
      `https://perks.example/app/batches/${batch.manifest.root.slice(2, 18)}/`,
    );
  });

  it("say when the batch is not published yet, or the code is not in the folder's batch", async () => {
    const batch = batchOf(20);
    const [link] = batchLinks(batch, { baseUrl: APP, proofsUrl: PROOFS });
    const code = parseBatchLink(link, { chainId: 31337 });
    const unpublished = serve(batch, PROOFS);
    await expect(resolveBatchLink(code, { proofsUrl: PROOFS, fetchJson: unpublished.fetchJson })).rejects.toThrow(
      BatchNotPublishedError,
    );
    const other = batchOf(20);
    const [foreign] = batchLinks(other, { baseUrl: APP, proofsUrl: PROOFS });
    const foreignCode = { ...parseBatchLink(foreign, { chainId: 31337 }), rootTag: code.rootTag };
    await expect(
      resolveBatchLink(foreignCode, { proofsUrl: PROOFS, fetchJson: serve(batch, PROOFS, { batchId: "0" }).fetchJson }),
    ).rejects.toThrow(/not part of the batch|404/);
    await expect(
      resolveBatchLink(code, { proofsUrl: PROOFS, fetchJson: serve(other, PROOFS, { batchId: "0" }).fetchJson }),
    ).rejects.toThrow(/another batch/);
  });
});
