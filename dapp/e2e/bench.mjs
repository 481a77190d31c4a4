// The dApp's performance in Chromium on the production build: initial JavaScript gzipped, and the wallet page of a
// customer holding 50 tokens (JSON-RPC calls and time until the balances show). See e2e/bench.ts.
//   node dapp/e2e/bench.mjs          a table
//   node dapp/e2e/bench.mjs --json   the rows as JSON on the last line (scripts/bench/dapp.ts reads them)
import { register } from "node:module";

register("./support/tsHooks.mjs", import.meta.url);
const { benchDapp } = await import("./bench.ts");
const json = process.argv.includes("--json");
try {
  const rows = await benchDapp((line) => process.stderr.write(`bench: ${line}\n`));
  if (json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
  } else {
    for (const row of rows) {
      const verdict = row.target === undefined ? "info" : row.ours <= row.target ? "pass" : "FAIL";
      process.stdout.write(`${row.operation}: ${row.ours}${row.target === undefined ? "" : ` (target <= ${row.target})`} ${verdict}\n`);
    }
  }
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exit(1);
}
