import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, getAddress } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { generateBatchKeys } from "./batchKeys";
import { parseClaimCode } from "./claimCode";
import {
  type BatchManifest,
  type BatchShard,
  BatchProofsError,
  batchClaimCode,
  batchCsv,
  batchFiles,
  buildMerkleBatch,
  lookupBatchCode,
  shardPath,
  shardPrefixLength,
} from "./merkleBatch";
import { CODE_LEAF_ENCODING, codeLeafHash } from "./merkleTree";

const CAMPAIGN: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const POINTS = 10n * 10n ** 18n;

function batchOf(count: number, points: bigint | bigint[] = POINTS, maxShardCodes?: number) {
  return buildMerkleBatch({
    chainId: 31337,
    campaign: CAMPAIGN,
    keys: generateBatchKeys(0, count, points),
    points,
    maxShardCodes,
  });
}

function filesOf(batch: ReturnType<typeof batchOf>) {
  return new Map([...batchFiles(batch)].map((file) => [file.path, JSON.parse(file.contents)]));
}

describe("generateBatchKeys", () => {
  it("gives each code a valid fresh private key, its address and its StandardMerkleTree leaf", () => {
    const keys = generateBatchKeys(5, 25, POINTS);
    expect(keys.count).toBe(20);
    const seen = new Set<string>();
    for (let i = 0; i < keys.count; i++) {
      const privateKey = `0x${Buffer.from(keys.privateKeys.subarray(i * 32, i * 32 + 32)).toString("hex")}` as const;
      const address = privateKeyToAddress(privateKey);
      expect(Buffer.from(keys.addresses.subarray(i * 20, i * 20 + 20)).toString("hex")).toBe(
        address.slice(2).toLowerCase(),
      );
      expect(keys.leaves.subarray(i * 32, i * 32 + 32)).toEqual(
        codeLeafHash({ index: BigInt(5 + i), claimKey: address, points: POINTS }),
      );
      seen.add(privateKey);
    }
    expect(seen.size).toBe(20);
  });
});

describe("buildMerkleBatch", () => {
  it("names shards with enough address digits for the average shard to stay under the limit", () => {
    expect(shardPrefixLength(10, 256)).toBe(1);
    expect(shardPrefixLength(4_096, 256)).toBe(1);
    expect(shardPrefixLength(4_097, 256)).toBe(2);
    expect(shardPrefixLength(1_000_000, 256)).toBe(3);
    expect(shardPrefixLength(100_000_000, 256)).toBe(5);
  });

  it("builds StandardMerkleTree's tree over the codes in shard order, so OpenZeppelin verifies every proof", () => {
    const batch = batchOf(300);
    const values = Array.from(batch.codeAt, (i) => {
      const code = batchClaimCode(batch, i, 0n).code;
      return [code.index, code.claimKey, code.points];
    });
    const theirs = StandardMerkleTree.of(values, [...CODE_LEAF_ENCODING], { sortLeaves: false });
    expect(batch.manifest.root).toBe(theirs.root);
    for (let i = 0; i < 300; i++) {
      const { code, proof } = batchClaimCode(batch, i, 7n);
      expect(code.batchId).toBe(7n);
      expect(
        StandardMerkleTree.verify(
          theirs.root,
          [...CODE_LEAF_ENCODING],
          [code.index, code.claimKey, code.points],
          [...proof],
        ),
      ).toBe(true);
    }
  }, 30_000);

  it("writes a manifest and shards from which every code's proof is found by its claim key", () => {
    const batch = batchOf(600, POINTS, 16);
    const files = filesOf(batch);
    const manifest = files.get("manifest.json") as BatchManifest;
    expect(manifest).toMatchObject({
      format: "perks-batch",
      version: 1,
      chainId: 31337,
      campaign: CAMPAIGN,
      batchId: null,
      root: batch.manifest.root,
      count: 600,
      points: POINTS.toString(),
      shards: { path: "shards/{prefix}.json", prefixLength: 2 },
    });
    expect(files.size).toBe(1 + manifest.shards.count);
    const sizes = [...files.values()].slice(1).map((shard: BatchShard) => shard.codes.length);
    expect(Math.max(...sizes)).toBe(manifest.shards.maxCodes);
    expect(sizes.reduce((a, b) => a + b)).toBe(600);

    for (let i = 0; i < 600; i++) {
      const full = batchClaimCode(batch, i, 0n);
      const shard = files.get(shardPath(manifest, full.code.claimKey)) as BatchShard;
      expect(shard.prefix).toBe(full.code.claimKey.slice(2, 4).toLowerCase());
      expect(lookupBatchCode(manifest, shard, full.code.claimKey)).toEqual({
        index: BigInt(i),
        points: POINTS,
        claimKey: full.code.claimKey,
        proof: full.proof,
      });
    }
  }, 30_000);

  it("keeps each code's own points in its shard entry when the codes are worth different points", () => {
    const points = Array.from({ length: 50 }, (_, i) => BigInt(i + 1) * 10n ** 17n);
    const batch = batchOf(50, points);
    const files = filesOf(batch);
    const manifest = files.get("manifest.json") as BatchManifest;
    expect(manifest.points).toBeNull();
    for (const i of [0, 17, 49]) {
      const { code } = batchClaimCode(batch, i, 0n);
      expect(code.points).toBe(points[i]);
      const found = lookupBatchCode(manifest, files.get(shardPath(manifest, code.claimKey)), code.claimKey);
      expect(found?.points).toBe(points[i]);
    }
  });

  it("returns undefined for a claim key outside the batch, and refuses a damaged shard", () => {
    const batch = batchOf(40);
    const files = filesOf(batch);
    const manifest = files.get("manifest.json") as BatchManifest;
    const { code } = batchClaimCode(batch, 3, 0n);
    const shard = files.get(shardPath(manifest, code.claimKey)) as BatchShard;
    const stranger = getAddress(`${code.claimKey.slice(0, 3)}${"0".repeat(39)}`);
    expect(lookupBatchCode(manifest, shard, stranger)).toBeUndefined();

    const damaged: BatchShard = { ...shard, codes: shard.codes.map(([key, index]) => [key, index === 3 ? 4 : index]) };
    expect(() => lookupBatchCode(manifest, damaged, code.claimKey)).toThrow(BatchProofsError);
    const otherBatch = filesOf(batchOf(40)).get("manifest.json") as BatchManifest;
    expect(() => lookupBatchCode(otherBatch, shard, code.claimKey)).toThrow(/does not lead to the batch's root/);
  });
});

describe("batchCsv", () => {
  it("lists every code with a claim link, short by default", () => {
    const batch = batchOf(25);
    const lines = [...batchCsv(batch, { baseUrl: "https://perks.example/claim" }, 10)].join("").trimEnd().split("\n");
    expect(lines[0]).toBe("index,claim_key,points,link");
    expect(lines).toHaveLength(26);
    const [index, claimKey, points, link] = lines[8].split(",");
    expect([index, points]).toEqual(["7", POINTS.toString()]);
    expect(getAddress(claimKey)).toBe(batchClaimCode(batch, 7, 0n).code.claimKey);
    expect(link).toMatch(/^https:\/\/perks\.example\/claim#b=[A-Za-z0-9_-]+$/);
    expect(link.length).toBeLessThan(130);
  });

  it("writes full claim links (claimCode.ts, proof included) for a given batch id", () => {
    const batch = batchOf(25);
    const csv = [...batchCsv(batch, { baseUrl: "https://perks.example/claim", form: "full", batchId: 4n })].join("");
    const link = csv.trimEnd().split("\n")[3].split(",")[3];
    expect(parseClaimCode(link, { chainId: 31337 })).toEqual(batchClaimCode(batch, 2, 4n));
    expect(() => [...batchCsv(batch, { baseUrl: "https://perks.example/claim", form: "full" })]).toThrow(/batchId/);
  });
});
