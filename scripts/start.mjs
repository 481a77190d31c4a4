// `npm start`: the whole Perks stack on this machine. Starts each service below in order, waits until it is
// ready (or, for a one-shot step, until it succeeds), prints what a developer needs, and on Ctrl-C (SIGINT,
// SIGTERM, SIGHUP) stops every process it started, children included.
//
// PERKS_PORT (default 8545) moves the chain, so that a second instance (scripts/start.smoke.mjs) can run beside
// a developer's; that instance keeps its own deployment record and state file, and removes the record on exit.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";
const DEFAULT_PORT = 8545;
const LOCAL_CHAIN_ID = 31337;
const STOP_GRACE_MS = 5_000;

const port = Number(process.env.PERKS_PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`PERKS_PORT=${process.env.PERKS_PORT} is not a port.`);
const rpcUrl = `http://${HOST}:${port}`;
const instance = port === DEFAULT_PORT ? "" : `-port-${port}`;
const deploymentId = `chain-${LOCAL_CHAIN_ID}${instance}`;
const deploymentDir = path.join(root, "ignition", "deployments", deploymentId);
const stateDir = path.join(root, ".perks");
const stateFile = path.join(stateDir, `local${instance}.json`);

// The chain starts this long ago, so that the seed's weeks of history (scripts/seed.ts, HISTORY_DAYS: a day less)
// end today: the seed moves the chain's clock forward through them and catches it up with the real date.
const HISTORY_MS = 36 * 24 * 60 * 60 * 1000;

const dappPort = Number(process.env.PERKS_DAPP_PORT ?? 5173);
const dappUrl = `http://${HOST}:${dappPort}/`;
const relayerPort = Number(process.env.PERKS_RELAYER_PORT ?? 8788);
const relayerUrl = `http://${HOST}:${relayerPort}`;

const hardhat = [path.join(root, "node_modules", ".bin", "hardhat")];
const env = {
  ...process.env,
  PERKS_PORT: String(port),
  PERKS_DAPP_PORT: String(dappPort),
  PERKS_RPC_URL: rpcUrl,
  PERKS_RELAYER_PORT: String(relayerPort),
  PERKS_RELAYER_STORE: path.join(stateDir, `relayer${instance}.jsonl`),
  VITE_LOCAL_RPC_URL: rpcUrl,
  VITE_RELAYER_URL: relayerUrl,
  PERKS_DEPLOYMENT_ID: deploymentId,
  PERKS_STATE_FILE: stateFile,
  // Ignition asks before deploying to any chain but 31337. The chain step refuses any other chain, and stdin is
  // closed anyway, but a prompt must never wait for an answer nobody can give.
  HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true",
};

/**
 * What `npm start` runs, in order. A step with `ready` is a service: it keeps running, and the next step starts
 * once `ready()` resolves. A step without is a task: the next step starts when it exits successfully.
 * `log` sends a chatty service's output to a file instead of the terminal; `env` adds to the environment.
 */
const steps = [
  {
    name: "chain",
    command: [...hardhat, "node", "--hostname", HOST, "--port", String(port)],
    log: path.join(stateDir, `chain${instance}.log`),
    // hardhat.config.ts gives the chain this genesis date.
    env: { PERKS_CHAIN_START: new Date(Date.now() - HISTORY_MS).toISOString() },
    before: () => assertPortFree(port),
    ready: () => waitForRpc(rpcUrl),
  },
  {
    // The Perks module plus the local chain's tools (Multicall3, a mock USDC): see ignition/modules/LocalTools.ts.
    name: "deploy",
    command: [...hardhat, "ignition", "deploy", "ignition/modules/LocalTools.ts", "--network", "localhost", "--deployment-id", deploymentId],
    // The chain automines: Ignition need not wait its default second before looking for each batch's receipts.
    env: { PERKS_IGNITION_POLLING_MS: "100" },
  },
  {
    // Merchants, catalogs, orders, bids and weeks of customers' history, through the SDK (no Hardhat runtime needed).
    name: "seed",
    command: [path.join(root, "node_modules", ".bin", "ts-node"), "--transpile-only", "scripts/seed.ts"],
  },
  {
    // The SDK's addresses now include this chain's deployment, so the dApp finds the contracts.
    name: "addresses",
    command: [...hardhat, "perks:generate"],
  },
  {
    // Pays the gas of customers' claims for the demo campaigns (dev "relayer" account).
    name: "relayer",
    command: [path.join(root, "node_modules", ".bin", "ts-node"), "--transpile-only", "scripts/relayer.ts"],
    log: path.join(stateDir, `relayer${instance}.log`),
    before: () => assertPortFree(relayerPort),
    ready: () => waitForHttp(`${relayerUrl}/health`),
  },
  {
    name: "dapp",
    command: [path.join(root, "node_modules", ".bin", "vite"), "--config", "dapp/vite.config.ts", "dapp"],
    log: path.join(stateDir, `dapp${instance}.log`),
    before: () => assertPortFree(dappPort),
    ready: () => waitForHttp(dappUrl),
  },
];

/** Running children; each leads its own process group, so stopping it stops its children too. */
const running = new Set();
let stopping = false;

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `port ${port} on ${HOST} is already in use (another \`npm start\` or \`hardhat node\`?). ` +
                `Stop it, or run on another port: PERKS_PORT=${port + 1} npm start`,
            )
          : error,
      ),
    );
    server.listen(port, HOST, () => server.close(resolve));
  });
}

/** The chain id a JSON-RPC server at `url` answers with, or undefined while nothing answers. */
async function chainIdAt(url) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    return Number((await response.json()).result);
  } catch {
    return undefined;
  }
}

async function waitForRpc(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const chainId = await chainIdAt(url);
    if (chainId === LOCAL_CHAIN_ID) return;
    if (chainId !== undefined) throw new Error(`${url} answers with chain id ${chainId}, not ${LOCAL_CHAIN_ID}.`);
    if (Date.now() > deadline) throw new Error(`no JSON-RPC answer from ${url} within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function waitForHttp(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function tail(file, lines = 20) {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "";
}

async function runStep(step) {
  await step.before?.();
  const output = step.log ? fs.openSync(step.log, "w") : "inherit";
  const [command, ...args] = step.command;
  const child = spawn(command, args, {
    cwd: root,
    env: { ...env, ...step.env },
    stdio: ["ignore", output, output],
    detached: true,
  });
  if (typeof output === "number") fs.closeSync(output);
  running.add(child);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  exited.then(() => running.delete(child));
  const failure = (status) => {
    const log = step.log ? `\n--- last lines of ${path.relative(root, step.log)} ---\n${tail(step.log)}` : "";
    return new Error(`${step.name} exited (${status})${step.ready ? " before it was ready" : ""}.${log}`);
  };

  if (!step.ready) {
    const status = await exited;
    if (status !== 0) throw failure(status);
    return;
  }
  await Promise.race([
    step.ready(),
    exited.then((status) => {
      throw failure(status);
    }),
  ]);
  exited.then((status) => {
    if (stopping) return;
    console.error(`npm start: ${step.name} stopped unexpectedly (${status}); stopping everything.`);
    stop(1);
  });
}

/** Stops a child's whole process group: SIGTERM, then SIGKILL for whatever is left after the grace period. */
async function stopGroup(child) {
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if (error.code !== "ESRCH") throw error;
    }
  };
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", resolve);
  });
  signalGroup("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
  signalGroup("SIGKILL");
}

async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  await Promise.all([...running].map(stopGroup));
  // The record of a side instance's throw-away deployment must not linger in the work tree.
  if (instance) fs.rmSync(deploymentDir, { recursive: true, force: true });
  process.exit(exitCode);
}

// If this process dies of an error, take the children with it (synchronously: nothing async runs on exit).
process.on("exit", () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (!stopping) console.log(`\nnpm start: ${signal}, stopping…`);
    stop(0);
  });
}

async function main() {
  fs.mkdirSync(stateDir, { recursive: true });
  const started = Date.now();
  for (const step of steps) {
    if (stopping) return;
    console.log(`npm start: ${step.name}…`);
    await runStep(step);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const chainLog = path.relative(root, steps[0].log);
  console.log(
    `\nPerks is ready in ${seconds} s: dApp ${dappUrl}, chain ${rpcUrl} (id ${LOCAL_CHAIN_ID}), relayer ${relayerUrl}, ` +
      `state in ${path.relative(root, stateFile)}, chain log in ${chainLog}. Press Ctrl-C to stop.`,
  );
}

main().catch((error) => {
  if (stopping) return;
  console.error(`npm start: ${error instanceof Error ? error.message : error}`);
  stop(1);
});
