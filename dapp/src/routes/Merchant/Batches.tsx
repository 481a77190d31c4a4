import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { type Hex, parseEventLogs } from "viem";
import { Channel, campaignAbi, publishBatch } from "@perks/sdk";
import { targetChain } from "../../chain";
import { TransactionStatus } from "../../components/TransactionStatus";
import { useTransaction } from "../../hooks/useTransaction";
import type { BatchReply, BatchRequest } from "./lib/batchMessages";
import { CampaignPicker, useCampaignChoice } from "./components/CampaignPicker";
import { Field } from "./components/Field";
import { TxButton } from "./components/TxButton";
import { MERCHANT_QUERY, type MerchantCampaign } from "./hooks/useMerchant";
import { MAX_BROWSER_BATCH, MAX_PDF_CODES } from "./lib/batchBuild";
import { UNCAPPED } from "./lib/campaignForm";
import { formatDown, parsePoints } from "./lib/units";

type Step = "keys" | "csv" | "pdf";
const STEP_LABEL: Record<Step, string> = {
  keys: "Generating claim keys",
  csv: "Writing the CSV",
  pdf: "Drawing the printable PDF",
};

interface Built {
  root: Hex;
  count: number;
  points: bigint;
  campaign: MerchantCampaign;
  batchId?: bigint;
  downloaded: Set<"csv" | "pdf">;
}

/** The batch worker, started with the page and stopped with it; replies go to `onReply`. */
function useBatchWorker(onReply: (reply: BatchReply) => void) {
  const worker = useRef<Worker>(undefined);
  const handler = useRef(onReply);
  handler.current = onReply;
  useEffect(() => {
    const started = new Worker(new URL("./batch.worker.ts", import.meta.url), { type: "module" });
    started.onmessage = (event: MessageEvent<BatchReply>) => handler.current(event.data);
    started.onerror = (event) => handler.current({ type: "error", message: event.message || "The code generator stopped." });
    worker.current = started;
    return () => started.terminate();
  }, []);
  return useCallback((request: BatchRequest) => worker.current?.postMessage(request), []);
}

function download(bytes: ArrayBuffer, type: string, filename: string) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Printed codes (bottle caps, scratch cards): generate N claim keys and their Merkle tree in a worker, publish the
 * root on chain, then download the printer's CSV and a printable PDF of QR codes.
 */
export default function Batches() {
  const { campaigns, selected, choose, isPending, address } = useCampaignChoice(Channel.Batch);
  const queryClient = useQueryClient();
  const { state, run, reset, blockedReason } = useTransaction();
  const [count, setCount] = useState("100");
  const [points, setPoints] = useState("5");
  const [submitted, setSubmitted] = useState(false);
  const [progress, setProgress] = useState<{ step: Step; done: number; total: number }>();
  const [built, setBuilt] = useState<Built>();
  const [workerError, setWorkerError] = useState<string>();
  const pending = useRef<{ count: number; points: bigint; campaign: MerchantCampaign }>(undefined);

  const post = useBatchWorker((reply) => {
    if (reply.type === "progress") setProgress({ step: reply.step, done: reply.done, total: reply.total });
    else if (reply.type === "error") {
      setProgress(undefined);
      setWorkerError(reply.message);
    } else if (reply.type === "built" && pending.current) {
      setProgress(undefined);
      setBuilt({ ...pending.current, root: reply.root, count: reply.count, downloaded: new Set() });
    } else if (reply.type === "file") {
      setProgress(undefined);
      setBuilt((current) => {
        if (!current) return current;
        const name = `${current.campaign.token.symbol}-batch-${current.batchId}-${current.count}-codes`;
        if (reply.kind === "csv") download(reply.bytes, "text/csv", `${name}.csv`);
        else download(reply.bytes, "application/pdf", `${name}.pdf`);
        return { ...current, downloaded: new Set(current.downloaded).add(reply.kind) };
      });
    }
  });

  // The keys live only in this tab until downloaded: leaving would lose a published batch's codes.
  const unsaved = built !== undefined && built.downloaded.size === 0;
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsaved]);

  const codeCount = /^\s*\d+\s*$/.test(count) ? Number(count) : NaN;
  const countError =
    Number.isNaN(codeCount) || codeCount < 1
      ? "Enter a whole number of codes from 1."
      : codeCount > MAX_BROWSER_BATCH
        ? `At most ${MAX_BROWSER_BATCH.toLocaleString("en-US")} codes per batch in the browser.`
        : undefined;
  const parsedPoints = parsePoints(points);
  const maxPerClaim = selected?.rules.maxPerClaim ?? 0n;
  const pointsError =
    parsedPoints.error ??
    (parsedPoints.value === 0n
      ? "Each code needs points above zero."
      : maxPerClaim > 0n && parsedPoints.value! > maxPerClaim
        ? `The campaign allows at most ${formatDown(maxPerClaim)} per claim.`
        : undefined);
  const total = parsedPoints.value !== undefined && !countError ? parsedPoints.value * BigInt(codeCount) : undefined;
  // A campaign without a cap does not count what it issued (`issued` reads 0) and refuses no claim on a cap.
  const uncapped = selected ? selected.rules.supplyCap >= UNCAPPED : false;
  const remaining = selected ? selected.rules.supplyCap - selected.issued : 0n;

  function generate(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setWorkerError(undefined);
    if (!selected || countError || pointsError || parsedPoints.value === undefined) return;
    pending.current = { count: codeCount, points: parsedPoints.value, campaign: selected };
    setProgress({ step: "keys", done: 0, total: codeCount });
    post({ type: "build", chainId: targetChain.id, campaign: selected.address, count: codeCount, points: parsedPoints.value });
  }

  async function publish() {
    if (!built) return;
    const receipt = await run((clients) =>
      publishBatch(clients, { campaign: built.campaign.address, root: built.root, codeCount: BigInt(built.count) }),
    );
    if (!receipt) return;
    const [log] = parseEventLogs({ abi: campaignAbi, eventName: "BatchPublished", logs: receipt.logs });
    if (log) setBuilt((current) => current && { ...current, batchId: log.args.batchId });
    void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
  }

  function exportFile(kind: "csv" | "pdf") {
    if (!built || built.batchId === undefined) return;
    const baseUrl = new URL("/claim", window.location.origin).toString();
    setProgress({ step: kind, done: 0, total: built.count });
    if (kind === "csv") post({ type: "csv", baseUrl, batchId: built.batchId });
    else {
      const title = `${built.campaign.name} · ${built.campaign.token.symbol} · batch ${built.batchId}`;
      post({ type: "pdf", baseUrl, batchId: built.batchId, symbol: built.campaign.token.symbol, title });
    }
  }

  function startOver() {
    setBuilt(undefined);
    setSubmitted(false);
    reset();
  }

  if (!address) return <h1>Batch codes</h1>;
  if (isPending) return <p className="loading" role="status">Loading your campaigns…</p>;
  if (!selected && !built) {
    return (
      <section className="card">
        <h1>Batch codes</h1>
        <p>No running campaign accepts printed codes. Open the “Printed codes” channel when you create a campaign.</p>
        <Link className="button" to="/merchant/new">
          Create a campaign
        </Link>
      </section>
    );
  }

  const busy = progress !== undefined;
  return (
    <section className="stack">
      <div className="page-head">
        <h1>Batch codes</h1>
        {!built && <CampaignPicker campaigns={campaigns} selected={selected} choose={choose} />}
      </div>
      <p className="hint">
        Codes for bottle caps, cards or packages: one on-chain root commits them all. The claim keys are made in this
        browser and never leave it except in the files you download.
      </p>

      <ol className="steps">
        <li className={`card step ${built ? "done" : "current"}`}>
          <h2>1. Generate</h2>
          {built ? (
            <p>
              {built.count.toLocaleString("en-US")} codes of {formatDown(built.points)} {built.campaign.token.symbol} for{" "}
              {built.campaign.name}. Root <code>{built.root.slice(0, 18)}…</code>
            </p>
          ) : (
            <form onSubmit={generate} noValidate>
              <div className="row">
                <Field label="Number of codes" value={count} onChange={setCount} inputMode="numeric" error={submitted ? countError : undefined} />
                <Field
                  label={`Points per code (${selected!.token.symbol})`}
                  value={points}
                  onChange={setPoints}
                  inputMode="decimal"
                  error={submitted || points !== "" ? pointsError : undefined}
                />
              </div>
              {total !== undefined && uncapped && (
                <p className="hint">
                  {formatDown(total)} {selected!.token.symbol} if every code is claimed; the campaign has no supply cap.
                </p>
              )}
              {total !== undefined && !uncapped && (
                <p className={total > remaining ? "error" : "hint"}>
                  {formatDown(total)} {selected!.token.symbol} if every code is claimed; {formatDown(remaining)} left under the
                  supply cap{total > remaining ? ": the last claims would be refused." : "."}
                </p>
              )}
              <button type="submit" className="button" disabled={busy}>
                Generate codes
              </button>
            </form>
          )}
        </li>

        <li className={`card step ${built?.batchId !== undefined ? "done" : built ? "current" : ""}`}>
          <h2>2. Publish the root</h2>
          {built?.batchId !== undefined ? (
            <p className="ok">Published as batch {built.batchId.toString()}: the codes can be claimed.</p>
          ) : built ? (
            <>
              <p>One transaction commits all {built.count.toLocaleString("en-US")} codes; nothing is printed until it is confirmed.</p>
              <TxButton type="button" state={state} blockedReason={blockedReason} busyLabel="Publishing…" onClick={publish}>
                Publish batch
              </TxButton>
            </>
          ) : (
            <p className="hint">After generating.</p>
          )}
          <TransactionStatus state={state} confirmedText="Root published." />
        </li>

        <li className={`card step ${built?.batchId !== undefined ? "current" : ""}`}>
          <h2>3. Download for the printer</h2>
          {built?.batchId !== undefined ? (
            <>
              <p className="hint">Each file holds the secret claim links: send it to the printer only.</p>
              <div className="actions">
                <button type="button" className="button" disabled={busy} onClick={() => exportFile("csv")}>
                  Download CSV
                </button>
                <button type="button" className="button" disabled={busy || built.count > MAX_PDF_CODES} onClick={() => exportFile("pdf")}>
                  Download printable PDF
                </button>
                <button type="button" className="button secondary" onClick={startOver} disabled={busy}>
                  New batch
                </button>
              </div>
              {built.count > MAX_PDF_CODES && (
                <p className="hint">The PDF is for up to {MAX_PDF_CODES.toLocaleString("en-US")} codes; give the CSV to a print shop.</p>
              )}
              {built.downloaded.size > 0 && <p className="ok">Downloaded: {[...built.downloaded].join(", ").toUpperCase()}.</p>}
            </>
          ) : (
            <p className="hint">After publishing: the links carry the batch number.</p>
          )}
        </li>
      </ol>

      {progress && (
        <div className="card progress-card" role="status" aria-live="polite">
          <label htmlFor="batch-progress">
            {STEP_LABEL[progress.step]}: {progress.done.toLocaleString("en-US")} of {progress.total.toLocaleString("en-US")}
          </label>
          <progress id="batch-progress" max={progress.total} value={progress.done} />
        </div>
      )}
      {workerError && (
        <p className="error" role="alert">
          {workerError}
        </p>
      )}
    </section>
  );
}
