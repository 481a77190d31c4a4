/**
 * `npm run batch -- --campaign 0x… --count N --points P --out DIR`: a batch of N printed codes for a campaign.
 *
 * Writes DIR/proofs/ (public: upload it where the claim links say, see --proofs-url) and DIR/print/codes.csv
 * (secret: one claim link per code, for the printer; with --pdf also codes.pdf, a sheet of QR codes). Then
 * publish the root it prints with `publishBatch(root, N)` from the merchant's wallet (the dApp's Merchant page).
 *
 * Options:
 *   --campaign ADDRESS   the campaign (its Batch channel open)                                 required
 *   --count N            codes                                                                 required
 *   --points P           points per code, in whole points ("10", "2.5")                         required
 *   --out DIR            output folder (created)                                               required
 *   --chain-id ID        the campaign's chain; 31337 (local) by default
 *   --app-url URL        the dApp's claim page; http://127.0.0.1:5173/claim by default
 *   --proofs-url URL     where DIR/proofs/ will be served; the dApp's batches/<root tag>/ by default
 *   --links full         full claim links with the proof inside (no proofs server), needs --batch-id
 *   --batch-id ID        for full links: the id publishBatch will return (the campaign's batchCount())
 *   --pdf                also write print/codes.pdf; --pdf-limit N for only the first N codes
 *   --threads N          worker threads; all cores by default
 */
import { parseArgs } from "node:util";
import { getAddress, parseUnits } from "viem";
import { createBatch } from "../sdk/src/node/createBatch";

const { values } = parseArgs({
  options: {
    campaign: { type: "string" },
    count: { type: "string" },
    points: { type: "string" },
    out: { type: "string" },
    "chain-id": { type: "string", default: "31337" },
    "app-url": { type: "string", default: `http://127.0.0.1:${process.env.PERKS_DAPP_PORT ?? 5173}/claim` },
    "proofs-url": { type: "string" },
    links: { type: "string", default: "short" },
    "batch-id": { type: "string" },
    pdf: { type: "boolean", default: false },
    "pdf-limit": { type: "string" },
    threads: { type: "string" },
  },
});

function required(name: "campaign" | "count" | "points" | "out"): string {
  const value = values[name];
  if (value === undefined) throw new Error(`--${name} is required (see the comment at the top of scripts/batch.ts).`);
  return value;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive whole number, not "${text}".`);
  return value;
}

async function main() {
  const form = values.links;
  if (form !== "short" && form !== "full") throw new Error(`--links is "short" or "full", not "${form}".`);
  const created = await createBatch({
    chainId: positiveInteger("chain-id", values["chain-id"]!),
    campaign: getAddress(required("campaign")),
    count: positiveInteger("count", required("count")),
    points: parseUnits(required("points"), 18),
    outDir: required("out"),
    links: {
      baseUrl: values["app-url"]!,
      form,
      proofsUrl: values["proofs-url"],
      batchId: values["batch-id"] === undefined ? undefined : BigInt(values["batch-id"]),
    },
    pdf: values.pdf
      ? { limit: values["pdf-limit"] === undefined ? undefined : positiveInteger("pdf-limit", values["pdf-limit"]) }
      : undefined,
    threads: values.threads === undefined ? undefined : positiveInteger("threads", values.threads),
  });
  const { manifest, timings } = created;
  const seconds = (ms = 0) => `${(ms / 1000).toFixed(1)}s`;
  console.log(
    [
      `Batch of ${manifest.count.toLocaleString("en-US")} codes for ${manifest.campaign} on chain ${manifest.chainId}`,
      `  root        ${manifest.root}`,
      `  proofs      ${created.proofsDir} (${manifest.shards.count} shards, up to ${manifest.shards.maxCodes} codes each): public, upload as is${values["proofs-url"] ? ` to ${values["proofs-url"]}` : ` to the dApp's batches/${manifest.root.slice(2, 18)}/`}`,
      created.csvFile && `  print       ${created.csvFile}: SECRET, for the printer only`,
      created.pdfFile && `              ${created.pdfFile}: SECRET, for the printer only`,
      `  time        keys ${seconds(timings.keys)} (${created.deriver}, ${created.threads} threads), tree ${seconds(timings.tree)}, proofs ${seconds(timings.proofs)}, csv ${seconds(timings.csv)}${timings.pdf === undefined ? "" : `, pdf ${seconds(timings.pdf)}`}`,
      `Next: publishBatch(${manifest.root}, ${manifest.count}) from the merchant's wallet.`,
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
