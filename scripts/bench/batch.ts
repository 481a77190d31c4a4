/**
 * Printed-code batch benchmark: 1,000,000 codes generated (fresh claim keys), their Merkle tree built and the
 * proof shards written, in at most 30 seconds on this 2-core machine, beside OpenZeppelin's StandardMerkleTree.
 *
 * `scripts/bench/gas.ts` calls `benchBatch()` and prints its rows with the others (times in milliseconds in the
 * "ours" column); run alone with `node -r ts-node/register/transpile-only scripts/bench/batch.ts`.
 *
 * The batch runs in a child process, so that its peak RSS is its own and a progress bar per phase shows on
 * stderr. Then a sample of codes is looked up from the written shards and verified with StandardMerkleTree.verify.
 * StandardMerkleTree itself is timed on PERKS_BENCH_OZ_CODES codes (20,000; the faster of two runs) and extrapolated
 * linearly to the batch's size, which flatters it (its sort is n log n); it only builds the tree (leaves from given
 * addresses), where our row also generates the keys and writes the files.
 *
 * Environment: PERKS_BENCH_BATCH_CODES (1,000,000), PERKS_BENCH_OZ_CODES (20,000), PERKS_BENCH_BATCH_CSV=1 to
 * time the printer's CSV too (not part of the target).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address } from "viem";
import { type BatchManifest, type BatchShard, lookupBatchCode, shardPath } from "../../sdk/src/merkleBatch";
import { CODE_LEAF_ENCODING, FastMerkleTree, fastHex } from "../../sdk/src/merkleTree";
import { createBatch } from "../../sdk/src/node/createBatch";

const CODES = Number(process.env.PERKS_BENCH_BATCH_CODES ?? 1_000_000);
const OZ_CODES = Number(process.env.PERKS_BENCH_OZ_CODES ?? 20_000);
const WITH_CSV = process.env.PERKS_BENCH_BATCH_CSV === "1";
const TARGET_MS = 30_000;
const CAMPAIGN: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const POINTS = 10n * 10n ** 18n;
const VERIFIED_SAMPLE = 200;

/** One row as gas.ts prints it; times in milliseconds. */
export interface BatchBenchRow {
  operation: string;
  ours: number;
  samples: number;
  target?: number;
  reference?: number;
  referenceName?: string;
}

/** What the child process reports. */
interface Measured {
  count: number;
  keys: number;
  tree: number;
  proofs: number;
  csv?: number;
  deriver: string;
  threads: number;
  /** CPU milliseconds of the whole batch and per phase, every thread together. */
  cpuMs: number;
  cpu: { keys: number; tree: number; proofs: number };
  peakRssMb: number;
  proofMb: number;
  shards: number;
  maxShardCodes: number;
  verified: number;
}

/** In the child: the batch, timed, then a sample of its codes checked from the files with OpenZeppelin. */
async function measure(count: number, outDir: string): Promise<Measured> {
  const cpuBefore = process.cpuUsage();
  const created = await createBatch({
    chainId: 31337,
    campaign: CAMPAIGN,
    count,
    points: POINTS,
    outDir,
    links: { baseUrl: "https://perks.example/claim" },
    csv: WITH_CSV,
  });
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const { manifest, batch } = created;
  const readJson = (file: string) => JSON.parse(readFileSync(path.join(created.proofsDir, file), "utf8"));
  const written = readJson("manifest.json") as BatchManifest;
  for (let sample = 0; sample < VERIFIED_SAMPLE; sample++) {
    const index = Math.floor((sample * count) / VERIFIED_SAMPLE);
    const claimKey = fastHex(batch.keys.addresses.subarray(index * 20, index * 20 + 20)) as Address;
    const found = lookupBatchCode(written, readJson(shardPath(written, claimKey)) as BatchShard, claimKey);
    const value = [BigInt(index), claimKey, POINTS];
    if (
      found?.index !== BigInt(index) ||
      !StandardMerkleTree.verify(manifest.root, [...CODE_LEAF_ENCODING], value, found.proof)
    ) {
      throw new Error(`code ${index}: its proof from the shards is rejected by StandardMerkleTree.verify`);
    }
  }
  return {
    count,
    ...created.timings,
    deriver: created.deriver,
    threads: created.threads,
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpu: created.cpu,
    peakRssMb,
    proofMb: created.proofBytes / 1e6,
    shards: manifest.shards.count,
    maxShardCodes: manifest.shards.maxCodes,
    verified: VERIFIED_SAMPLE,
  };
}

/** StandardMerkleTree.of and FastMerkleTree.fromCodes on the same `count` codes, the faster of two runs each
 * (the first also compiles the code): milliseconds each, and the same root. */
function compareTrees(count: number): { ours: number; openZeppelin: number } {
  const values: [bigint, string, bigint][] = [];
  const address = new Uint8Array(20);
  for (let i = 0; i < count; i++) {
    crypto.getRandomValues(address);
    values.push([BigInt(i), fastHex(address), POINTS]);
  }
  const fastest = (build: () => string) => {
    let best = Infinity;
    let root = "";
    for (let run = 0; run < 2; run++) {
      const started = performance.now();
      root = build();
      best = Math.min(best, performance.now() - started);
    }
    return { best, root };
  };
  const theirs = fastest(() => StandardMerkleTree.of(values, [...CODE_LEAF_ENCODING]).root);
  const ours = fastest(
    () =>
      FastMerkleTree.fromCodes(count, (i) => ({ index: values[i][0], claimKey: values[i][1], points: values[i][2] }))
        .root,
  );
  if (ours.root !== theirs.root) throw new Error("FastMerkleTree's root differs from StandardMerkleTree's");
  return { ours: ours.best, openZeppelin: theirs.best };
}

const cpuText = (ms: number) => `${Math.round(ms).toLocaleString("en-US")} ms`;

export async function benchBatch(): Promise<BatchBenchRow[]> {
  const outDir = mkdtempSync(path.join(tmpdir(), "perks-bench-batch-"));
  let measured: Measured;
  try {
    const output = execFileSync(
      process.execPath,
      ["--require", "ts-node/register/transpile-only", __filename, "--child", outDir],
      {
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 20,
      },
    );
    measured = JSON.parse(output.toString().trim().split("\n").pop()!) as Measured;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const trees = compareTrees(OZ_CODES);
  const total = measured.keys + measured.tree + measured.proofs;
  const n = measured.count.toLocaleString("en-US");
  const rows: BatchBenchRow[] = [
    {
      operation: `${n} printed codes: claim keys, Merkle tree and proof shards written (ms)`,
      ours: total,
      samples: 1,
      target: TARGET_MS,
      reference: (trees.openZeppelin * measured.count) / OZ_CODES,
      referenceName: `StandardMerkleTree.of alone, ${OZ_CODES.toLocaleString("en-US")} codes x ${measured.count / OZ_CODES}`,
    },
    {
      operation: `  claim keys (${measured.deriver}, ${measured.threads} worker threads; CPU ${cpuText(measured.cpu.keys)}) (ms)`,
      ours: measured.keys,
      samples: 1,
    },
    {
      operation: `  Merkle tree, in shard order (CPU ${cpuText(measured.cpu.tree)}) (ms)`,
      ours: measured.tree,
      samples: 1,
    },
    {
      operation: `  ${measured.shards} proof shards, ${measured.proofMb.toFixed(0)} MB, up to ${measured.maxShardCodes} codes each (CPU ${cpuText(measured.cpu.proofs)}) (ms)`,
      ours: measured.proofs,
      samples: 1,
    },
    {
      operation: "  CPU time of the batch, all threads together (ms)",
      ours: measured.cpuMs,
      samples: 1,
    },
    { operation: `  peak RSS of the batch process (MB)`, ours: measured.peakRssMb, samples: 1 },
    {
      operation: `Merkle tree of ${OZ_CODES.toLocaleString("en-US")} codes (ms), same root`,
      ours: trees.ours,
      samples: 1,
      reference: trees.openZeppelin,
      referenceName: "StandardMerkleTree.of",
    },
  ];
  if (measured.csv !== undefined) {
    rows.push({
      operation: `  printer's CSV of short claim links (ms, not in the target)`,
      ours: measured.csv,
      samples: 1,
    });
  }
  return rows;
}

if (require.main === module) {
  const child = process.argv.indexOf("--child");
  if (child >= 0) {
    measure(CODES, process.argv[child + 1])
      .then((result) => console.log(JSON.stringify(result)))
      .catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      });
  } else {
    benchBatch()
      .then((rows) => {
        for (const row of rows) {
          const reference =
            row.reference === undefined
              ? ""
              : `  vs ${Math.round(row.reference).toLocaleString("en-US")} (${row.referenceName}, ratio ${(row.ours / row.reference).toFixed(3)}x)`;
          const target =
            row.target === undefined
              ? ""
              : `  target <= ${row.target.toLocaleString("en-US")}: ${row.ours <= row.target ? "pass" : "FAIL"}`;
          console.log(
            `${row.operation.padEnd(82)} ${Math.round(row.ours).toLocaleString("en-US").padStart(9)}${reference}${target}`,
          );
        }
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      });
  }
}
