import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { journeys, pendingJourneys } from "./journeys";
import { CHROMIUM, launchBrowser } from "./support/browser";
import { stopAll } from "./support/processes";
import { type Result, runJourney } from "./support/runner";
import { DAPP, type Stack, startStack } from "./support/stack";

const ARTIFACTS_ROOT = path.join(DAPP, "e2e", "artifacts");
const LOCK = path.join(ARTIFACTS_ROOT, ".running");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where this run keeps its screenshots and logs: dapp/e2e/artifacts/, emptied first; or, while another run uses it
 * (the same work tree serves several engineers), a folder of this run's own inside it.
 */
function artifactsFolder(): string {
  fs.mkdirSync(ARTIFACTS_ROOT, { recursive: true });
  const holder = fs.existsSync(LOCK) ? Number(fs.readFileSync(LOCK, "utf8")) : undefined;
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    const own = path.join(ARTIFACTS_ROOT, `run-${process.pid}`);
    fs.mkdirSync(own, { recursive: true });
    return own;
  }
  // The bench keeps its own logs; everything else is the last run's.
  for (const entry of fs.readdirSync(ARTIFACTS_ROOT)) {
    if (entry !== "bench-logs") fs.rmSync(path.join(ARTIFACTS_ROOT, entry), { recursive: true, force: true });
  }
  fs.writeFileSync(LOCK, String(process.pid));
  process.on("exit", () => {
    if (fs.existsSync(LOCK) && fs.readFileSync(LOCK, "utf8") === String(process.pid)) fs.rmSync(LOCK, { force: true });
  });
  return ARTIFACTS_ROOT;
}

function print(line: string) {
  process.stdout.write(`${line}\n`);
}

/** Runs the suite; resolves with the process exit code. */
export async function main(): Promise<number> {
  const started = Date.now();
  const only = process.env.PERKS_E2E_ONLY?.toLowerCase();
  const selected = journeys.filter((journey) => only === undefined || journey.name.toLowerCase().includes(only));
  const ARTIFACTS = artifactsFolder();
  const results: Result[] = [];
  let stack: Stack | undefined;
  let browser: Browser | undefined;

  const teardown = async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop().catch((error) => print(`teardown: ${error instanceof Error ? error.message : error}`));
    await stopAll();
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      print(`\n${signal}: stopping the stack…`);
      void teardown().then(() => process.exit(130));
    });
  }

  try {
    print(`e2e: ${selected.length} journeys in ${CHROMIUM}; artifacts in ${path.relative(process.cwd(), ARTIFACTS) || "."}`);
    stack = await startStack({ logs: path.join(ARTIFACTS, "logs"), log: (line) => print(`e2e: ${line}`) });
    const phases = Object.entries(stack.timings).map(([phase, seconds]) => `${phase} ${seconds} s`).join(", ");
    print(`e2e: stack ready (${phases}); dApp ${stack.dappUrl}, chain ${stack.rpcUrl}, relayer ${stack.relayerUrl}`);
    if (stack.fixtures.length > 0) print(`e2e: not in the local stack yet, deployed by the harness: ${stack.fixtures.join(", ")}`);
    browser = await launchBrowser();
    for (const journey of selected) {
      for (const result of await runJourney(browser, stack, journey, ARTIFACTS, print)) {
        results.push(result);
        print(`${result.passed ? "✓" : "✗"} ${result.name}${result.seconds ? ` (${result.seconds.toFixed(1)} s)` : ""}`);
        if (result.error) print(`    ${result.error.replace(/\n/g, "\n    ")}`);
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({ name: "stack", passed: false, seconds: 0, error: message, screenshots: 0 });
    print(`✗ the stack did not start: ${message}`);
  } finally {
    await teardown();
  }

  if (pendingJourneys.length > 0) {
    print(`\npending, not counted (the page or contract is not built yet):`);
    for (const pending of pendingJourneys) print(`  - ${pending.name}: waiting for ${pending.waitingFor}`);
  }
  const passed = results.filter((result) => result.passed).length;
  const failed = results.length - passed;
  print(`\ne2e: ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots and logs in ${path.relative(process.cwd(), ARTIFACTS) || "."}`);
  print(`${passed} passed, ${failed} failed`);
  return failed > 0 || results.length === 0 ? 1 : 0;
}
