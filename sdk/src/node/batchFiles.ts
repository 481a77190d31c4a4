/**
 * Node only: a batch's files on disk, in two folders that must not be confused:
 *
 *   <out>/proofs/  manifest.json and shards/<prefix>.json: public, upload as is to the proofs URL (or to the
 *                  dApp's batches/<root tag>/)
 *   <out>/print/   codes.csv (and codes.pdf): secret, for the printer only; each line claims its code
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { pointsOf } from "../batchKeys";
import { batchPdf } from "../batchPdf";
import { type BatchLinkOptions, type MerkleBatch, batchCsv, batchFiles, batchLinks } from "../merkleBatch";

export interface WrittenBatch {
  proofsDir: string;
  /** Files and bytes under proofs/. */
  proofFiles: number;
  proofBytes: number;
}

/** Writes the manifest and the shards under `<outDir>/proofs/`. */
export function writeBatchProofs(
  batch: MerkleBatch,
  outDir: string,
  onProgress?: (files: number, total: number) => void,
): WrittenBatch {
  const proofsDir = path.join(outDir, "proofs");
  mkdirSync(path.join(proofsDir, "shards"), { recursive: true });
  const total = batch.manifest.shards.count + 1;
  let proofFiles = 0;
  let proofBytes = 0;
  for (const file of batchFiles(batch)) {
    writeFileSync(path.join(proofsDir, file.path), file.contents);
    proofFiles++;
    proofBytes += file.contents.length;
    if (proofFiles % 64 === 0 || proofFiles === total) onProgress?.(proofFiles, total);
  }
  return { proofsDir, proofFiles, proofBytes };
}

/** Writes `<outDir>/print/codes.csv` (readable by the owner only) and returns its path. */
export function writeBatchCsv(
  batch: MerkleBatch,
  outDir: string,
  links: BatchLinkOptions,
  onProgress?: (rows: number, total: number) => void,
): string {
  const file = path.join(outDir, "print", "codes.csv");
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, "w", 0o600);
  try {
    let rows = 0;
    const rowsPerChunk = 10_000;
    for (const chunk of batchCsv(batch, links, rowsPerChunk)) {
      writeSync(fd, chunk);
      rows = Math.min(rows + rowsPerChunk, batch.keys.count);
      onProgress?.(rows, batch.keys.count);
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

/** Writes `<outDir>/print/codes.pdf` with a QR code per code (the first `limit` codes) and returns its path. */
export async function writeBatchPdf(
  batch: MerkleBatch,
  outDir: string,
  links: BatchLinkOptions & { title?: string; limit?: number },
  onProgress?: (labels: number, total: number) => void,
): Promise<string> {
  const file = path.join(outDir, "print", "codes.pdf");
  mkdirSync(path.dirname(file), { recursive: true });
  const total = Math.min(links.limit ?? batch.keys.count, batch.keys.count);
  const points = (i: number) => pointsOf(batch.points, i);
  function* labels() {
    let index = 0;
    for (const link of batchLinks(batch, links)) {
      if (index >= total) return;
      yield { link, caption: `No. ${index} · ${formatPoints(points(index))} points` };
      index++;
    }
  }
  const pdf = await batchPdf(labels(), { title: links.title, onProgress: (done) => onProgress?.(done, total) });
  writeFileSync(file, pdf, { mode: 0o600 });
  return file;
}

/** Base units (18 decimals) as a short decimal: 10000000000000000000 -> "10", 1500000000000000000 -> "1.5". */
function formatPoints(points: bigint): string {
  const whole = points / 10n ** 18n;
  const fraction = (points % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction.length === 0 ? whole.toString() : `${whole}.${fraction}`;
}
