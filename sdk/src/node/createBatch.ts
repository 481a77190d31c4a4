/**
 * Node only: a printed-code batch from start to files, with a progress bar per phase on stderr. What
 * `npm run batch` and the batch benchmark run.
 */
import type { Address } from "viem";
import type { BatchPoints } from "../batchKeys";
import { type BatchLinkOptions, type BatchManifest, type MerkleBatch, buildMerkleBatch } from "../merkleBatch";
import { writeBatchCsv, writeBatchPdf, writeBatchProofs } from "./batchFiles";
import { type DeriverName, generateBatchKeysInParallel } from "./batchKeys";
import { progressBar } from "./progressBar";

export interface CreateBatchParams {
  chainId: number;
  campaign: Address;
  count: number;
  points: BatchPoints;
  outDir: string;
  links: BatchLinkOptions;
  /** Write print/codes.csv; true by default. */
  csv?: boolean;
  /** Write print/codes.pdf (of the first `limit` codes); off by default. */
  pdf?: { title?: string; limit?: number };
  threads?: number;
  maxShardCodes?: number;
  /** Progress bars on stderr; true by default. */
  progress?: boolean;
}

export interface CreatedBatch {
  batch: MerkleBatch;
  manifest: BatchManifest;
  deriver: DeriverName;
  threads: number;
  proofsDir: string;
  proofBytes: number;
  csvFile?: string;
  pdfFile?: string;
  /** Milliseconds per phase. */
  timings: { keys: number; tree: number; proofs: number; csv?: number; pdf?: number };
  /** CPU milliseconds per phase, all threads of the process together. */
  cpu: { keys: number; tree: number; proofs: number; csv?: number; pdf?: number };
}

export async function createBatch(params: CreateBatchParams): Promise<CreatedBatch> {
  const show = params.progress ?? true;
  const bar = (label: string, total: number) =>
    show ? progressBar(label, total) : { update: () => undefined, finish: () => undefined };
  const timings: CreatedBatch["timings"] = { keys: 0, tree: 0, proofs: 0 };
  const cpu: CreatedBatch["cpu"] = { keys: 0, tree: 0, proofs: 0 };
  const time = async <T>(phase: keyof CreatedBatch["timings"], run: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await run();
    timings[phase] = performance.now() - started;
    const used = process.cpuUsage(cpuBefore);
    cpu[phase] = (used.user + used.system) / 1000;
    return result;
  };

  const keysBar = bar("claim keys", params.count);
  const generated = await time("keys", () =>
    generateBatchKeysInParallel(params.count, params.points, {
      threads: params.threads,
      onProgress: (done) => keysBar.update(done),
    }),
  );
  keysBar.finish(`(${generated.deriver}, ${generated.threads} threads)`);

  const treeBar = bar("Merkle tree", 1);
  const batch = await time("tree", () =>
    buildMerkleBatch({
      chainId: params.chainId,
      campaign: params.campaign,
      keys: generated.keys,
      points: params.points,
      maxShardCodes: params.maxShardCodes,
    }),
  );
  // Full links carry the id the merchant expects publishBatch to return; the manifest says the same.
  if (params.links.batchId !== undefined) batch.manifest.batchId = params.links.batchId.toString();
  treeBar.update(1);
  treeBar.finish(batch.manifest.root);

  const proofsBar = bar("proof shards", batch.manifest.shards.count + 1);
  const written = await time("proofs", () =>
    writeBatchProofs(batch, params.outDir, (files, total) => proofsBar.update(files, total)),
  );
  proofsBar.finish(`(${(written.proofBytes / 1e6).toFixed(1)} MB)`);

  let csvFile: string | undefined;
  if (params.csv ?? true) {
    const csvBar = bar("printer's CSV", params.count);
    csvFile = await time("csv", () => writeBatchCsv(batch, params.outDir, params.links, (rows) => csvBar.update(rows)));
    csvBar.finish();
  }
  let pdfFile: string | undefined;
  if (params.pdf !== undefined) {
    const pdf = params.pdf;
    const pdfBar = bar("printer's PDF", Math.min(pdf.limit ?? params.count, params.count));
    pdfFile = await time("pdf", () =>
      writeBatchPdf(batch, params.outDir, { ...params.links, ...pdf }, (labels) => pdfBar.update(labels)),
    );
    pdfBar.finish();
  }
  return {
    batch,
    manifest: batch.manifest,
    deriver: generated.deriver,
    threads: generated.threads,
    proofsDir: written.proofsDir,
    proofBytes: written.proofBytes,
    csvFile,
    pdfFile,
    timings,
    cpu,
  };
}
