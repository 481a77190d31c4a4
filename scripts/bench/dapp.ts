/**
 * The dApp's performance targets, measured in Debian's Chromium on the production build. `scripts/bench/gas.ts`
 * calls `benchDapp()` and prints its rows with the others; the measurement itself is dapp/e2e/bench.ts, run in its
 * own Node process (it starts `npm start` on free ports, builds and serves the dApp, and drives Chromium with
 * playwright-core; it needs `apt-get install -y chromium`). Run alone with `node dapp/e2e/bench.mjs`.
 *
 * Rows (units in the operation's name): the initial JavaScript gzipped (entry chunk and its static imports, from
 * Vite's manifest), and the wallet page of a customer holding 50 loyalty tokens (each from its own campaign, earned
 * at the till): JSON-RPC calls the page makes until the 50 balances are on screen (a JSON-RPC batch of n calls
 * counts n; the wallet extension's own calls are not the page's), and the median time from navigation until then
 * over PERKS_BENCH_DAPP_LOADS cold loads (default 5) by a returning visitor whose wallet is still connected.
 */
import { spawn } from "child_process";
import path from "path";

/** One measured figure: `ours` in the unit its operation names. */
export interface DappBenchRow {
  operation: string;
  ours: number;
  samples: number;
  /** The most allowed; none for rows given for information. */
  target?: number;
}

const BENCH = path.join(__dirname, "..", "..", "dapp", "e2e", "bench.mjs");
const TIMEOUT_MS = 900_000;

export async function benchDapp(): Promise<DappBenchRow[]> {
  const child = spawn(process.execPath, [BENCH, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  const timer = setTimeout(() => child.kill("SIGTERM"), TIMEOUT_MS);
  const status = await new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  clearTimeout(timer);
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (status !== 0 || !last.startsWith("[")) {
    throw new Error(`dapp/e2e/bench.mjs failed (${status}): ${stderr.trim().split("\n").at(-1) ?? ""}`);
  }
  return JSON.parse(last) as DappBenchRow[];
}
