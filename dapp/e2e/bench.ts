import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { type Address, type Hex, parseEventLogs, zeroAddress, zeroHash } from "viem";
import { campaignAbi, campaignFactoryAbi } from "@perks/sdk";
import { connectWallet } from "./journeys/steps";
import { launchBrowser, newContext } from "./support/browser";
import { ONE, throwAwayAccount } from "./support/chain";
import { stopAll } from "./support/processes";
import { DAPP, type Stack, startStack } from "./support/stack";
import { TestWallet } from "./support/testWallet";

// The dApp's performance, measured in Chromium on the production build (scripts/bench/dapp.ts puts the rows in
// `npm run bench`; `node dapp/e2e/bench.mjs` prints them alone):
//  - initial JavaScript, gzipped: the entry chunk and every chunk it imports statically (Vite's manifest), the
//    bytes a first visit must download before any page renders (routes are lazy chunks, not counted);
//  - the wallet page of a customer holding 50 loyalty tokens (each from its own campaign, earned at the till):
//    JSON-RPC calls the page makes from navigation until the 50 balances are on screen (a batch of n calls
//    counts n), and the time until then (median of several cold loads: a returning visitor whose wallet is still
//    connected, with an empty HTTP cache; what the dApp remembers between visits, the token registry and token
//    facts in localStorage, is there, as for any returning visitor). Info rows: the same with nothing remembered.

const TOKENS = 50;
const LOADS = Number(process.env.PERKS_BENCH_DAPP_LOADS ?? 5);
const TARGETS = { initialJsGzipBytes: 250_000, rpcCalls: 3, renderMs: 1_000 } as const;
const BALANCES_SHOWN = "perks:balances-shown";

export interface DappBenchRow {
  operation: string;
  ours: number;
  samples: number;
  target?: number;
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The entry chunk and its static imports, gzipped (zlib's default level, as servers compress). */
export function initialJavaScript(dist: string): { files: string[]; gzipBytes: number; rawBytes: number } {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entry) throw new Error("the Vite manifest names no entry chunk");
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(entry);
  const files = [...seen].map((key) => manifest[key].file).filter((file) => file.endsWith(".js"));
  // Cross-check with what index.html really loads: its module script and modulepreload links.
  const html = fs.readFileSync(path.join(dist, "index.html"), "utf8");
  const loaded = [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((match) => match[1]);
  const unexpected = loaded.filter((file) => !files.includes(file));
  if (unexpected.length > 0) throw new Error(`index.html loads ${unexpected.join(", ")}, which the manifest does not list as initial`);
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(dist, file));
    rawBytes += bytes.length;
    gzipBytes += zlib.gzipSync(bytes).length;
  }
  return { files, gzipBytes, rawBytes };
}

/** A merchant creates `TOKENS` brands, each with a campaign, and issues points at the till to one customer. */
async function customerWithManyTokens(stack: Stack): Promise<{ privateKey: Hex; address: Address }> {
  const { chain } = stack;
  const merchant = throwAwayAccount("bench-merchant");
  const customer = throwAwayAccount("bench-customer");
  await chain.fund(merchant.address, 100n * ONE);
  const now = await chain.now();
  const wallet = chain.walletOf(merchant.privateKey);
  // Sent without waiting for each receipt (the node mines them in order), then checked all at once.
  const hashes: Hex[] = [];
  let nonce = await chain.publicClient.getTransactionCount({ address: merchant.address });
  for (let i = 0; i < TOKENS; i++) {
    hashes.push(
      await wallet.writeContract({
        address: stack.contracts.CampaignFactory,
        abi: campaignFactoryAbi,
        functionName: "createTokenAndCampaign",
        args: [
          { name: `Bench Brand ${i + 1}`, symbol: `B${i + 1}`, faceValue: 10_000n, metadataURI: "" },
          {
            token: zeroAddress,
            startsAt: now,
            endsAt: now + 180n * 86_400n,
            supplyCap: 1_000_000n * ONE,
            maxPerClaim: 0n,
            earnPoints: ONE,
            earnSpend: 100n,
            channels: 0b011,
            tierPeriod: 0,
            tiers: [],
            milestones: [],
            issuers: [merchant.address],
            metadataURI: "",
            optionalDataFields: [],
          },
          zeroHash,
        ],
        nonce: nonce++,
        gas: 3_000_000n,
      }),
    );
  }
  for (const hash of hashes) {
    if ((await chain.publicClient.waitForTransactionReceipt({ hash })).status !== "success") throw new Error("creating a bench brand failed");
  }
  const campaigns: Address[] = [];
  for (const hash of hashes) {
    const receipt = await chain.publicClient.getTransactionReceipt({ hash });
    campaigns.push(parseEventLogs({ abi: campaignFactoryAbi, eventName: "CampaignCreated", logs: receipt.logs })[0].args.campaign);
  }
  const issued: Hex[] = [];
  for (const [i, campaign] of campaigns.entries()) {
    issued.push(
      await wallet.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "issue",
        args: [customer.address, 0n, BigInt(100 * (i + 1)), zeroHash],
        nonce: nonce++,
        gas: 500_000n,
      }),
    );
  }
  for (const hash of issued) {
    if ((await chain.publicClient.waitForTransactionReceipt({ hash })).status !== "success") throw new Error("issuing bench points failed");
  }
  return { privateKey: customer.privateKey, address: customer.address };
}

/** Marks the moment `count` token cards are in the page (a MutationObserver, so no polling delay). */
function markWhenShown({ count, mark }: { count: number; mark: string }) {
  const check = () => {
    if (document.querySelectorAll(".token-card").length >= count && performance.getEntriesByName(mark).length === 0) {
      performance.mark(mark);
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  document.addEventListener("DOMContentLoaded", () => observer.observe(document.body, { childList: true, subtree: true }));
}

interface Load {
  renderMs: number;
  httpRequests: number;
  rpcCalls: number;
  methods: Record<string, number>;
  /** Where the time went, from navigation (ms): for whoever makes the page faster. */
  timeline: string;
}

/** One cold load of the wallet page by the customer, whose wallet is already connected. */
async function loadWalletPage(browser: Browser, stack: Stack, customer: { privateKey: Hex }, storage: string): Promise<Load> {
  const context = await newContext(browser, "phone", storage);
  try {
    await TestWallet.install(context, { privateKey: customer.privateKey, rpcUrl: stack.rpcUrl, authorized: true });
    await context.addInitScript(markWhenShown, { count: TOKENS, mark: BALANCES_SHOWN });
    const page = await context.newPage();
    const calls: string[] = [];
    let httpRequests = 0;
    let done = false;
    page.on("request", (request) => {
      if (done || request.method() !== "POST" || !request.url().startsWith(stack.rpcUrl)) return;
      httpRequests += 1;
      const body = JSON.parse(request.postData() ?? "null") as { method: string } | { method: string }[];
      for (const call of Array.isArray(body) ? body : [body]) calls.push(call.method);
    });
    await page.goto(stack.dappUrl);
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, BALANCES_SHOWN, { timeout: 30_000 });
    done = true;
    const { renderMs, timeline } = await page.evaluate(
      ({ mark, rpcUrl }) => {
        const at = (ms: number) => Math.round(ms);
        const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        const scripts = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"));
        const rpc = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((entry) => entry.name.startsWith(rpcUrl));
        const shown = performance.getEntriesByName(mark)[0].startTime;
        const parts = [
          `HTML ${at(navigation.responseEnd)}`,
          `scripts loaded ${at(Math.max(0, ...scripts.map((entry) => entry.responseEnd)))}`,
          `DOMContentLoaded ${at(navigation.domContentLoadedEventEnd)}`,
          ...(paint ? [`first paint ${at(paint.startTime)}`] : []),
          ...rpc.map((entry, i) => `RPC ${i + 1} ${at(entry.startTime)}–${at(entry.responseEnd)}`),
          `balances ${at(shown)}`,
        ];
        return { renderMs: shown, timeline: parts.join(", ") };
      },
      { mark: BALANCES_SHOWN, rpcUrl: stack.rpcUrl },
    );
    const methods: Record<string, number> = {};
    for (const method of calls) methods[method] = (methods[method] ?? 0) + 1;
    return { renderMs, httpRequests, rpcCalls: calls.length, methods, timeline };
  } finally {
    await context.close();
  }
}

/** Connects the customer's wallet once and returns the browser storage a returning visitor has. */
async function connectOnce(browser: Browser, stack: Stack, customer: { privateKey: Hex; address: Address }, file: string) {
  const context = await newContext(browser, "phone");
  try {
    await TestWallet.install(context, { privateKey: customer.privateKey, rpcUrl: stack.rpcUrl });
    const page: Page = await context.newPage();
    await page.goto(stack.dappUrl);
    await connectWallet(page, customer.address);
    await page.locator(".token-card").nth(TOKENS - 1).waitFor({ timeout: 60_000 });
    await context.storageState({ path: file });
  } finally {
    await context.close();
  }
}

/** `from`'s browser state without what the dApp remembers between visits (localStorage keys `perks.registry.*`
 * and `perks.tokenFacts.*`); the wallet connection stays. */
function forgetDappMemory(from: string, to: string) {
  const state = JSON.parse(fs.readFileSync(from, "utf8")) as { origins?: { localStorage?: { name: string }[] }[] };
  for (const origin of state.origins ?? []) {
    origin.localStorage = (origin.localStorage ?? []).filter((entry) => !/^perks\.(registry|tokenFacts)\./.test(entry.name));
  }
  fs.writeFileSync(to, JSON.stringify(state));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchDapp(log: (line: string) => void = () => undefined): Promise<DappBenchRow[]> {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  try {
    const logs = path.join(DAPP, "e2e", "artifacts", "bench-logs");
    fs.rmSync(logs, { recursive: true, force: true });
    stack = await startStack({ logs, log });
    const initial = initialJavaScript(stack.dist);
    log(`initial JavaScript: ${initial.files.join(", ")}`);
    const customer = await customerWithManyTokens(stack);
    browser = await launchBrowser();
    const storage = path.join(stack.dist, "..", "storage.json");
    await connectOnce(browser, stack, customer, storage);
    const loads: Load[] = [];
    for (let i = 0; i < LOADS; i++) loads.push(await loadWalletPage(browser, stack, customer, storage));
    // The same visitor with nothing remembered by the dApp (registry, token facts): still connected, as after
    // clearing the site's caches; the page then reads registry, balances and facts one after another.
    const firstVisit = path.join(stack.dist, "..", "storage-first-visit.json");
    forgetDappMemory(storage, firstVisit);
    const firstLoads: Load[] = [];
    for (let i = 0; i < LOADS; i++) firstLoads.push(await loadWalletPage(browser, stack, customer, firstVisit));
    log(`wallet page, nothing remembered: ${firstLoads.map((load) => `${load.renderMs.toFixed(0)} ms / ${load.rpcCalls} calls`).join("; ")}`);
    const worst = loads.reduce((a, b) => (b.rpcCalls > a.rpcCalls ? b : a));
    const methods = Object.entries(worst.methods)
      .map(([method, count]) => `${method} ${count}`)
      .join(", ");
    log(`wallet page loads: ${loads.map((load) => `${load.renderMs.toFixed(0)} ms / ${load.rpcCalls} calls in ${load.httpRequests} requests`).join("; ")}`);
    const typical = [...loads].sort((a, b) => a.renderMs - b.renderMs)[Math.floor(loads.length / 2)];
    log(`median load, ms from navigation: ${typical.timeline}`);
    return [
      { operation: "dApp initial JavaScript, gzipped (bytes)", ours: initial.gzipBytes, samples: 1, target: TARGETS.initialJsGzipBytes },
      { operation: "dApp initial JavaScript, uncompressed (bytes)", ours: initial.rawBytes, samples: 1 },
      {
        operation: `wallet page, ${TOKENS} tokens: JSON-RPC calls until the balances show (${methods})`,
        ours: worst.rpcCalls,
        samples: LOADS,
        target: TARGETS.rpcCalls,
      },
      { operation: `wallet page, ${TOKENS} tokens: HTTP requests to the RPC until the balances show`, ours: worst.httpRequests, samples: LOADS },
      {
        operation: `wallet page, ${TOKENS} tokens: balances on screen after navigation (ms, median)`,
        ours: Math.round(median(loads.map((load) => load.renderMs))),
        samples: LOADS,
        target: TARGETS.renderMs,
      },
      {
        operation: `wallet page, ${TOKENS} tokens, nothing remembered by the dApp: JSON-RPC calls until the balances show`,
        ours: Math.max(...firstLoads.map((load) => load.rpcCalls)),
        samples: LOADS,
      },
      {
        operation: `wallet page, ${TOKENS} tokens, nothing remembered by the dApp: balances on screen (ms, median)`,
        ours: Math.round(median(firstLoads.map((load) => load.renderMs))),
        samples: LOADS,
      },
    ];
  } finally {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    await stopAll();
  }
}
