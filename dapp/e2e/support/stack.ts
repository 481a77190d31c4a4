import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, erc20Abi } from "viem";
import { freePort, run, start, stop, waitUntil } from "./processes";
import { type Chain, connect, deployFixture } from "./chain";

// The stack the dApp is tested against, started the way a developer starts it: `npm start` (scripts/start.mjs) on
// free ports (chain, deployment, demo seed, the merchants' relayer, and its dev server, which the tests leave
// alone), and the dApp's production build (`vite build`) served by `vite preview`, wired to that chain and relayer.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const DAPP = path.join(ROOT, "dapp");
const BIN = path.join(ROOT, "node_modules", ".bin");

const READY_TIMEOUT_MS = 300_000;
const BUILD_TIMEOUT_MS = 300_000;

/** What `npm start` writes to .perks/local[-port-N].json (scripts/seed.ts). */
export interface LocalState {
  chainId: number;
  rpcUrl: string;
  contracts: Record<string, Address>;
  merchants: {
    name: string;
    account: Address;
    terminal: Address;
    token: { address: Address; symbol: string; name: string };
    campaigns: Address[];
  }[];
  demoClaimLinks: { merchant: string; kind: "voucher" | "batch"; description: string; link: string }[];
}

export interface Stack {
  rpcUrl: string;
  dappUrl: string;
  relayerUrl: string;
  state: LocalState;
  /** Every contract the dApp build knows: the deployment's, plus the harness's fixtures. */
  contracts: Record<string, Address>;
  /** Contracts the local stack does not deploy yet, deployed by the harness so their pages can be tested. */
  fixtures: string[];
  /** The stablecoin the exchange allows (the stack's mock USDC, or the harness's), with an open faucet. */
  stablecoin: { address: Address; symbol: string };
  chain: Chain;
  /** The production build being served. */
  dist: string;
  /** Seconds each phase took. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Folder for the services' logs. */
  logs: string;
  log: (line: string) => void;
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The market contracts the dApp's Trade, Cash out and Exchange pages need. Until the local stack deploys them,
 * the harness does (from the compiled artifacts, the deployer's key, and the same constructor arguments a
 * deployment would use) and allows a 6-decimal test stablecoin on the exchange, so the pages are tested for real.
 */
async function marketFixtures(chain: Chain, contracts: Record<string, Address>): Promise<string[]> {
  const deployed: string[] = [];
  const factory = contracts.CampaignFactory;
  if (!contracts.PointsExchange) {
    contracts.PointsExchange = await deployFixture(chain, "market/PointsExchange.sol/PointsExchange", [factory, chain.deployer.account.address]);
    deployed.push("PointsExchange");
  }
  if (!contracts.CashOutGateway) {
    contracts.CashOutGateway = await deployFixture(chain, "gateway/CashOutGateway.sol/CashOutGateway", [factory]);
    deployed.push("CashOutGateway");
  }
  if ((await chain.stablecoinsOf(contracts.PointsExchange)).length === 0) {
    const usdc = await deployFixture(chain, "mocks/MockStablecoin.sol/MockStablecoin", ["Test USD", "TUSD", 6]);
    await chain.allowStablecoin(contracts.PointsExchange, usdc);
    contracts.TestStablecoin = usdc;
    deployed.push("TestStablecoin");
  }
  return deployed;
}

/** The build must carry the chain under test's addresses (e2e/vite.config.ts), or every page tests nothing. */
function assertWired(dist: string, contracts: Record<string, Address>) {
  const assets = path.join(dist, "assets");
  const code = fs
    .readdirSync(assets)
    .filter((file) => file.endsWith(".js"))
    .map((file) => fs.readFileSync(path.join(assets, file), "utf8"))
    .join("\n");
  const missing = Object.entries(contracts).filter(([, address]) => !code.includes(address));
  if (missing.length > 0) {
    throw new Error(`the dApp build does not carry the addresses of ${missing.map(([name]) => name).join(", ")} (e2e/vite.config.ts)`);
  }
}

export async function startStack({ logs, log }: StackOptions): Promise<Stack> {
  fs.mkdirSync(logs, { recursive: true });
  const timings: Record<string, number> = {};
  const started = Date.now();
  const lap = (phase: string, since: number) => (timings[phase] = Math.round((Date.now() - since) / 100) / 10);
  const [chainPort, devPort, relayerPort, dappPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const rpcUrl = `http://127.0.0.1:${chainPort}`;
  const dappUrl = `http://127.0.0.1:${dappPort}`;
  const relayerUrl = `http://127.0.0.1:${relayerPort}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "perks-e2e-"));
  const stateFile = path.join(ROOT, ".perks", `local-port-${chainPort}.json`);
  // npm start keeps these for a side instance; the harness copies them to its logs and removes them.
  const leftovers = ["local", "chain", "relayer", "dapp"].map((name) => path.join(ROOT, ".perks", `${name}-port-${chainPort}.${name === "local" ? "json" : "log"}`));
  leftovers.push(path.join(ROOT, ".perks", `relayer-port-${chainPort}.jsonl`));
  const services: { started: ReturnType<typeof start>; signal: NodeJS.Signals }[] = [];

  const stopStack = async () => {
    for (const { started: service, signal } of services.reverse()) await stop(service, signal);
    // npm start keeps its instance's state and chain log; the logs folder keeps a copy.
    for (const file of leftovers) {
      if (fs.existsSync(file)) {
        fs.copyFileSync(file, path.join(logs, path.basename(file)));
        fs.rmSync(file, { force: true });
      }
    }
    fs.rmSync(work, { recursive: true, force: true });
  };

  try {
    // The demo's claim links point at npm start's dev server (PERKS_DAPP_PORT); the tests open their path and
    // fragment on the production build instead.
    log(`npm start on ${rpcUrl}…`);
    const npmStart = start("npm start", process.execPath, [path.join(ROOT, "scripts", "start.mjs")], {
      cwd: ROOT,
      env: { PERKS_PORT: String(chainPort), PERKS_DAPP_PORT: String(devPort), PERKS_RELAYER_PORT: String(relayerPort) },
      log: path.join(logs, "npm-start.log"),
    });
    services.push({ started: npmStart, signal: "SIGINT" });
    await waitUntil(npmStart, () => /^Perks is ready/m.test(npmStart.output()), "ready line", READY_TIMEOUT_MS);
    lap("npm start", started);

    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as LocalState;
    const contracts = { ...state.contracts };
    const chain = connect(rpcUrl);
    const fixturesStarted = Date.now();
    const fixtures = await marketFixtures(chain, contracts);
    const [stablecoin] = await chain.stablecoinsOf(contracts.PointsExchange);
    const stablecoinSymbol = await chain.publicClient.readContract({ address: stablecoin, abi: erc20Abi, functionName: "symbol" });
    lap("fixtures", fixturesStarted);

    // The SDK's generated addresses come from ignition/deployments/chain-<id>/ only, never from a side instance's
    // chain-31337-port-N: the build takes the addresses of the chain under test instead (e2e/vite.config.ts).
    const addressesFile = path.join(work, "addresses.json");
    fs.writeFileSync(addressesFile, JSON.stringify({ [state.chainId]: contracts }, null, 2));
    const outDir = path.join(work, "dist");
    const buildEnv = {
      VITE_LOCAL_RPC_URL: rpcUrl,
      VITE_RELAYER_URL: relayerUrl,
      PERKS_E2E_ADDRESSES: addressesFile,
      PERKS_DAPP_PORT: String(dappPort),
    };

    log("vite build…");
    const buildStarted = Date.now();
    const build = run("vite build", path.join(BIN, "vite"), ["build", "--config", "e2e/vite.config.ts", "--outDir", outDir, "--emptyOutDir"], {
      cwd: DAPP,
      env: buildEnv,
      log: path.join(logs, "vite-build.log"),
    });
    await Promise.race([
      build,
      new Promise((_, reject) => setTimeout(() => reject(new Error("vite build took too long")), BUILD_TIMEOUT_MS)),
    ]);
    lap("vite build", buildStarted);
    assertWired(outDir, contracts);

    const preview = start(
      "vite preview",
      path.join(BIN, "vite"),
      ["preview", "--config", "e2e/vite.config.ts", "--outDir", outDir, "--port", String(dappPort), "--strictPort", "--host", "127.0.0.1"],
      { cwd: DAPP, env: buildEnv, log: path.join(logs, "vite-preview.log") },
    );
    services.push({ started: preview, signal: "SIGTERM" });
    await waitUntil(preview, () => httpOk(dappUrl), "HTTP answer", 30_000);
    lap("total", started);

    return {
      rpcUrl,
      dappUrl,
      relayerUrl,
      state,
      contracts,
      fixtures,
      stablecoin: { address: stablecoin, symbol: stablecoinSymbol },
      chain,
      dist: outDir,
      timings,
      stop: stopStack,
    };
  } catch (error) {
    await stopStack();
    throw error;
  }
}
