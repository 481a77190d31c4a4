import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } from "pdf-lib";
import { afterAll, describe, expect, it } from "vitest";
import { parseBatchLink } from "../batchLink";
import { generateBatchKeys } from "../batchKeys";
import { type BatchManifest, type BatchShard, buildMerkleBatch, lookupBatchCode, shardPath } from "../merkleBatch";
import { writeBatchCsv, writeBatchPdf, writeBatchProofs } from "./batchFiles";

const CAMPAIGN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const APP = "https://perks.example/claim";
const out = mkdtempSync(path.join(tmpdir(), "perks-batch-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const POINTS = 15n * 10n ** 17n;
const batch = buildMerkleBatch({
  chainId: 31337,
  campaign: CAMPAIGN,
  keys: generateBatchKeys(0, 30, POINTS),
  points: POINTS,
});

/** The dark modules of the first QR code a page draws, read back from its `x y w h re` operators, as an image. */
function firstQrImage(content: string): { data: Uint8ClampedArray; width: number } {
  const block = content.split(/^Q$/m).find((part) => part.includes(" re"))!;
  const rects = [...block.matchAll(/([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) re/g)].map((m) =>
    m.slice(1, 5).map(Number),
  );
  const unit = Math.min(...rects.map((r) => r[3]));
  const left = Math.min(...rects.map((r) => r[0]));
  const top = Math.max(...rects.map((r) => r[1] + r[3]));
  const modules = Math.round((Math.max(...rects.map((r) => r[0] + r[2])) - left) / unit);
  const scale = 4;
  const width = (modules + 8) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [x, y, w] of rects) {
    const column = Math.round((x - left) / unit);
    const row = Math.round((top - y) / unit) - 1;
    for (let c = column; c < column + Math.round(w / unit); c++) {
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const at = ((row + 4) * scale + dy) * width + (c + 4) * scale + dx;
          data.fill(0, at * 4, at * 4 + 3);
        }
      }
    }
  }
  return { data, width };
}

describe("batch files", () => {
  it("writes the public proofs: a manifest and shards from which every code is found", () => {
    const written = writeBatchProofs(batch, out);
    const manifest = JSON.parse(readFileSync(path.join(out, "proofs", "manifest.json"), "utf8")) as BatchManifest;
    expect(manifest.root).toBe(batch.manifest.root);
    expect(readdirSync(path.join(out, "proofs", "shards"))).toHaveLength(manifest.shards.count);
    expect(written.proofFiles).toBe(manifest.shards.count + 1);
    const claimKey = `0x${Buffer.from(batch.keys.addresses.subarray(20 * 9, 20 * 10)).toString("hex")}` as const;
    const shard = JSON.parse(
      readFileSync(path.join(out, "proofs", shardPath(manifest, claimKey)), "utf8"),
    ) as BatchShard;
    expect(lookupBatchCode(manifest, shard, claimKey)?.index).toBe(9n);
  });

  it("writes the printer's CSV, readable by its owner only", () => {
    const file = writeBatchCsv(batch, out, { baseUrl: APP });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(31);
    const link = lines[5].split(",")[3];
    expect(parseBatchLink(link, { chainId: 31337 }).claimPrivateKey).toBe(
      `0x${Buffer.from(batch.keys.privateKeys.subarray(32 * 4, 32 * 5)).toString("hex")}`,
    );
  });

  it("writes a PDF of QR codes, 20 to an A4 page, that a camera reads as the claim links", async () => {
    const file = await writeBatchPdf(batch, out, { baseUrl: APP, title: "Alpha Coffee caps" });
    const pdf = await PDFDocument.load(readFileSync(file));
    expect(pdf.getPageCount()).toBe(2);
    expect(pdf.getTitle()).toBe("Alpha Coffee caps");
    const contents = pdf.getPage(0).node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
    const text = streams
      .filter((stream) => stream instanceof PDFRawStream)
      .map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1"))
      .join("\n");
    const { data, width } = firstQrImage(text);
    const link = readFileSync(path.join(out, "print", "codes.csv"), "utf8")
      .split("\n")[1]
      .split(",")[3];
    expect(jsQR(data, width, width)?.data).toBe(link);
    expect(text).toMatch(/Tj/);
  }, 60_000);
});
