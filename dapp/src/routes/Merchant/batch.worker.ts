import { batchPdf } from "@perks/sdk/src/batchPdf";
import type { MerkleBatch } from "@perks/sdk/src/merkleBatch";
import { batchCsvText, batchLabels, buildBatch } from "./lib/batchBuild";
import type { BatchReply, BatchRequest } from "./lib/batchMessages";

// Builds a batch of printed codes off the main thread, so the page stays responsive, and keeps its secret keys
// here: the page only ever receives the root and the finished files.

/** The worker's global scope; the project's types are the page's (DOM), not a worker's. */
const scope = self as unknown as {
  postMessage(message: BatchReply, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<BatchRequest>) => void) | null;
};
let batch: MerkleBatch | undefined;

function reply(message: BatchReply, transfer: Transferable[] = []) {
  scope.postMessage(message, transfer);
}

/** At most one progress message per animation frame's worth of time: the page only needs to redraw a bar. */
function throttledProgress(step: "keys" | "csv" | "pdf") {
  let last = 0;
  return (done: number, total: number) => {
    const now = performance.now();
    if (done < total && now - last < 50) return;
    last = now;
    reply({ type: "progress", step, done, total });
  };
}

scope.onmessage = async (event: MessageEvent<BatchRequest>) => {
  const request = event.data;
  try {
    if (request.type === "build") {
      batch = buildBatch(request, throttledProgress("keys"));
      reply({ type: "built", root: batch.manifest.root, count: batch.keys.count });
      return;
    }
    if (!batch) throw new Error("Generate the codes first.");
    if (request.type === "csv") {
      const text = batchCsvText(batch, request, throttledProgress("csv"));
      const bytes = new TextEncoder().encode(text).buffer as ArrayBuffer;
      reply({ type: "file", kind: "csv", bytes }, [bytes]);
      return;
    }
    const total = batch.keys.count;
    const progress = throttledProgress("pdf");
    const pdf = await batchPdf(batchLabels(batch, request), { title: request.title, onProgress: (done) => progress(done, total) });
    const bytes = pdf.slice().buffer as ArrayBuffer;
    reply({ type: "file", kind: "pdf", bytes }, [bytes]);
  } catch (error) {
    reply({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
