import { privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { noblePublicKey } from "../batchKeys";
import { codeLeafHash, fastHex } from "../merkleTree";
import { fastestPublicKeyDeriver, generateBatchKeysInParallel } from "./batchKeys";

describe("generateBatchKeysInParallel", () => {
  it("derives public keys with libsecp256k1 exactly as @noble/curves does", () => {
    const { name, derive } = fastestPublicKeyDeriver();
    expect(name).toBe("libsecp256k1");
    const privateKey = new Uint8Array(32).fill(7);
    expect(derive(privateKey)).toEqual(noblePublicKey(privateKey));
  });

  it("generates every code once across worker threads: valid keys, their addresses, leaves with the right index", async () => {
    const progress: number[] = [];
    const points = Array.from({ length: 3_000 }, (_, i) => BigInt(i % 5) * 10n ** 18n);
    const { keys, threads, deriver } = await generateBatchKeysInParallel(3_000, points, {
      threads: 2,
      chunk: 512,
      onProgress: (done) => progress.push(done),
    });
    expect([threads, deriver]).toEqual([2, "libsecp256k1"]);
    expect(progress.at(-1)).toBe(3_000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const privateKeys = new Set<string>();
    for (let i = 0; i < 3_000; i += 7) {
      const privateKey = fastHex(keys.privateKeys.subarray(i * 32, i * 32 + 32));
      const address = privateKeyToAddress(privateKey);
      expect(fastHex(keys.addresses.subarray(i * 20, i * 20 + 20))).toBe(address.toLowerCase());
      expect(keys.leaves.subarray(i * 32, i * 32 + 32)).toEqual(
        codeLeafHash({ index: BigInt(i), claimKey: address, points: points[i] }),
      );
      privateKeys.add(privateKey);
    }
    expect(privateKeys.size).toBe(Math.ceil(3_000 / 7));
  }, 120_000);

  it("generates on this thread when asked for one", async () => {
    const { keys, threads } = await generateBatchKeysInParallel(10, 1n, { threads: 1 });
    expect(threads).toBe(1);
    expect(fastHex(keys.addresses.subarray(0, 20))).toBe(
      privateKeyToAddress(fastHex(keys.privateKeys.subarray(0, 32))).toLowerCase(),
    );
  });
});
