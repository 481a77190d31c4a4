import type { Address } from "viem";
import { type BatchKeys, generateBatchKeys } from "@perks/sdk/src/batchKeys";
import { type MerkleBatch, batchCsv, batchLinks, buildMerkleBatch } from "@perks/sdk/src/merkleBatch";
import { formatDown } from "./units";

// A batch of printed codes built in steps that report progress, so that a worker can run it and the page can show
// how far it is: claim keys in slices (the slow part: one secp256k1 multiplication each), then the tree, then
// the printer's files once the root is published and the batch id known.

/** Codes per slice of key generation between two progress reports. */
const SLICE = 256;
/** Largest batch the browser builds: about a minute of key generation on a laptop. */
export const MAX_BROWSER_BATCH = 100_000;
/** Largest batch printed as one PDF (about 5,000 A4 pages of 20 codes would not print anyway). */
export const MAX_PDF_CODES = 5_000;

export type Progress = (done: number, total: number) => void;

/** `count` codes of `points` each for `campaign`, with their Merkle tree. */
export function buildBatch(
  params: { chainId: number; campaign: Address; count: number; points: bigint },
  onProgress: Progress = () => {},
): MerkleBatch {
  const { count, points } = params;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_BROWSER_BATCH) {
    throw new RangeError(`A batch made in the browser has 1 to ${MAX_BROWSER_BATCH.toLocaleString("en-US")} codes.`);
  }
  const keys: BatchKeys = {
    count,
    privateKeys: new Uint8Array(count * 32),
    addresses: new Uint8Array(count * 20),
    leaves: new Uint8Array(count * 32),
  };
  for (let start = 0; start < count; start += SLICE) {
    const end = Math.min(start + SLICE, count);
    const slice = generateBatchKeys(start, end, points);
    keys.privateKeys.set(slice.privateKeys, start * 32);
    keys.addresses.set(slice.addresses, start * 20);
    keys.leaves.set(slice.leaves, start * 32);
    onProgress(end, count);
  }
  return buildMerkleBatch({ chainId: params.chainId, campaign: params.campaign, keys, points });
}

/** The printer's CSV (`index,claim_key,points,link`) with full claim links, which need nothing but the dApp. */
export function batchCsvText(batch: MerkleBatch, { baseUrl, batchId }: { baseUrl: string; batchId: bigint }, onProgress: Progress = () => {}): string {
  const chunks: string[] = [];
  const rowsPerChunk = 500;
  for (const chunk of batchCsv(batch, { baseUrl, batchId, form: "full" }, rowsPerChunk)) {
    chunks.push(chunk);
    onProgress(Math.min(chunks.length * rowsPerChunk, batch.keys.count), batch.keys.count);
  }
  return chunks.join("");
}

/** The labels of a printable sheet: each code's link and a caption with its number and points. */
export function* batchLabels(
  batch: MerkleBatch,
  { baseUrl, batchId, symbol }: { baseUrl: string; batchId: bigint; symbol: string },
): Generator<{ link: string; caption: string }> {
  const points = typeof batch.points === "bigint" ? batch.points : undefined;
  let index = 0;
  for (const link of batchLinks(batch, { baseUrl, batchId, form: "full" })) {
    const value = points ?? (batch.points as readonly bigint[])[index];
    yield { link, caption: `No. ${index} · ${formatDown(value)} ${symbol}` };
    index++;
  }
}
