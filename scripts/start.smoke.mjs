// Smoke test of `npm start`, end to end: runs it on a free port, waits for the ready line, checks the seeded
// chain over JSON-RPC (tokens, campaigns, reward catalogs, orders, bids, the clock caught up with today), parses the
// printed demo links with the SDK and claims two of them, then presses Ctrl-C
// (SIGINT to the process group, as a terminal does) and checks that the port is free and no process remains.
//   node scripts/start.smoke.mjs
import { execFileSync, spawn } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, http, parseAbi, zeroAddress } from "viem";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
// The SDK is TypeScript; load it the way the seed script does (ts-node, CommonJS).
require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
const { claimCall, parseClaimCode } = require("../sdk/src/claimCode.ts");

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const LOCAL_CHAIN_ID = 31337;
const abi = parseAbi([
  "function tokens(uint256 offset, uint256 limit) view returns (address[] page, uint256 total)",
  "function campaigns(uint256 offset, uint256 limit) view returns (address[] page, uint256 total)",
  "function isVoucherClaimed(uint256 id) view returns (bool)",
  "function isCodeClaimed(uint256 batchId, uint256 index) view returns (bool)",
  "function claimVoucher((uint256 id, uint256 points, uint256 spend, uint64 expiresAt, address claimKey) voucher, bytes32 issuerR, bytes32 issuerVS, address recipient, bytes32 claimR, bytes32 claimVS)",
  "function claimCode((uint256 batchId, uint256 index, uint256 points, address claimKey) code, bytes32[] proof, address recipient, bytes32 claimR, bytes32 claimVS)",
  "function catalogOf(address merchant) view returns (address)",
  "function rewardCount() view returns (uint256)",
  "function partners() view returns (address[])",
  "function isStablecoin(address token) view returns (bool)",
  "function remaining(uint256 orderId) view returns (uint112 sellAmount, uint112 buyAmount, uint32 expiresAt)",
  "event OrderCreated(uint256 indexed orderId, address indexed maker, address indexed sellToken, address buyToken, uint256 nonce, uint256 sellAmount, uint256 buyAmount, uint256 expiresAt)",
  "function bidCount() view returns (uint256)",
  "function bidOf(uint256 bidId) view returns ((address token, uint96 price, address stablecoin, uint40 expiresAt, uint128 funds, uint128 remainingPoints, address recipient, address operator))",
]);
/** Most the seeded chain's clock may differ from this machine's after the seed caught it up with today. */
const CLOCK_TOLERANCE_S = 10 * 60;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Every process descending from `pid`, from `ps`. */
function descendants(pid) {
  const table = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter(Boolean)
    .map(([, child, parent, args]) => ({ pid: Number(child), ppid: Number(parent), args }));
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const row of table.filter((r) => r.ppid === parent)) {
      found.push(row);
      queue.push(row.pid);
    }
  }
  return found;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const timings = {};
// Since this process started, so that loading the SDK counts too.
const started = Date.now() - performance.now();
const port = await freePort();
const dappPort = await freePort();
const relayerPort = await freePort();
const rpcUrl = `http://127.0.0.1:${port}`;
let output = "";
timings.load = Date.now() - started;
const npm = spawn("npm", ["start"], {
  cwd: root,
  env: { ...process.env, PERKS_PORT: String(port), PERKS_DAPP_PORT: String(dappPort), PERKS_RELAYER_PORT: String(relayerPort) },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
npm.stdout.on("data", (chunk) => (output += chunk));
npm.stderr.on("data", (chunk) => (output += chunk));
const npmExited = new Promise((resolve) => npm.once("exit", (code, signal) => resolve({ code, signal })));
let tree = [];

try {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error("no ready line in time")), READY_TIMEOUT_MS);
    const onOutput = () => /^Perks is ready/m.test(output) && done();
    const onExit = ({ code, signal }) => done(new Error(`npm start exited (${code ?? signal}) before it was ready`));
    function done(error) {
      clearTimeout(timer);
      npm.stdout.off("data", onOutput);
      if (error) reject(error);
      else resolve();
    }
    npm.stdout.on("data", onOutput);
    npmExited.then(onExit);
  });
  timings.ready = Date.now() - started - timings.load;
  tree = descendants(npm.pid);
  assert.ok(
    tree.some((p) => p.args.includes("hardhat") && p.args.includes(`--port ${port}`)),
    "a hardhat node runs on the port",
  );

  const page = await fetch(`http://127.0.0.1:${dappPort}/`);
  assert.equal(page.status, 200, "the dApp is served");
  assert.match(await page.text(), /<title>Perks<\/title>/, "the dApp's page is Perks");

  const health = await (await fetch(`http://127.0.0.1:${relayerPort}/health`)).json();
  assert.equal(health.status, "ok", "the relayer answers /health");
  assert.ok(BigInt(health.balance) > 0n, "the relayer is funded");

  const client = createPublicClient({ transport: http(rpcUrl) });
  assert.equal(await client.getChainId(), LOCAL_CHAIN_ID);
  const printed = (name) => output.match(new RegExp(`^\\s*${name}\\s+(0x[0-9a-fA-F]{40})$`, "m"))?.[1];
  const factory = printed("CampaignFactory");
  assert.ok(factory, "the factory address is printed");
  const [, tokenCount] = await client.readContract({ address: factory, abi, functionName: "tokens", args: [0n, 100n] });
  const [campaigns, campaignCount] = await client.readContract({
    address: factory,
    abi,
    functionName: "campaigns",
    args: [0n, 100n],
  });
  assert.equal(tokenCount, 2n, "two merchant tokens");
  assert.ok(campaignCount >= 2n, "at least two campaigns");

  // The seeded weeks of history end today: the chain's clock is this machine's, give or take.
  const latest = await client.getBlock();
  const drift = Number(latest.timestamp) - Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(drift) < CLOCK_TOLERANCE_S, `the chain's clock is today's (${drift} s off)`);
  const history = await client.getBlock({ blockNumber: 1n });
  assert.ok(latest.timestamp - history.timestamp > 28n * 86_400n, "the chain has weeks of history");

  // Each demo merchant (dev accounts 1 and 2) has a reward catalog with rewards and a partner token.
  const read = (address, functionName, ...args) => client.readContract({ address, abi, functionName, args });
  const accounts = await client.request({ method: "eth_accounts" });
  const sameAddress = (a, b) => a.toLowerCase() === b.toLowerCase();
  for (const merchant of accounts.slice(1, 3)) {
    const catalog = await read(factory, "catalogOf", merchant);
    assert.notEqual(catalog, zeroAddress, `merchant ${merchant} has a catalog`);
    assert.ok((await read(catalog, "rewardCount")) >= 2n, "with rewards");
    assert.equal((await read(catalog, "partners")).length, 1, "and a partner token");
  }

  // The exchange trades the mock USDC and has open orders: one partly filled, one asking for USDC.
  const exchange = printed("PointsExchange");
  const usdc = printed("MockStablecoin");
  assert.ok(exchange && usdc, "the exchange and the stablecoin addresses are printed");
  assert.equal(await read(exchange, "isStablecoin", usdc), true, "the exchange allows the mock USDC");
  const created = await client.getContractEvents({ address: exchange, abi, eventName: "OrderCreated", fromBlock: 0n });
  const open = [];
  for (const { args } of created) {
    const [left, , expiresAt] = await read(exchange, "remaining", args.orderId);
    if (left > 0n && BigInt(expiresAt) > latest.timestamp) open.push({ ...args, left });
  }
  assert.ok(open.length >= 2, `open orders on the exchange (${open.length})`);
  assert.ok(open.some((order) => order.left < order.sellAmount), "an open order is partly filled");
  assert.ok(open.some((order) => sameAddress(order.buyToken, usdc)), "an open order asks for USDC");

  // The gateway has funded bids: the exchange's (dev account 9) and Alpha Coffee's buy-back (dev account 1).
  const gateway = printed("CashOutGateway");
  assert.ok(gateway, "the gateway address is printed");
  const bidIds = Array.from({ length: Number(await read(gateway, "bidCount")) }, (_, i) => BigInt(i + 1));
  const bids = await Promise.all(bidIds.map((id) => read(gateway, "bidOf", id)));
  const live = bids.filter((bid) => bid.funds > 0n && BigInt(bid.expiresAt) > latest.timestamp);
  assert.ok(live.length >= 2, `funded bids on the gateway (${live.length})`);
  assert.ok(live.some((bid) => sameAddress(bid.operator, accounts[9])), "the exchange bids");
  assert.ok(live.some((bid) => sameAddress(bid.operator, accounts[1])), "Alpha Coffee buys its points back");

  const links = output.match(/https?:\/\/\S+#c=[A-Za-z0-9_-]+/g) ?? [];
  const codes = links.map((link) => parseClaimCode(link, { chainId: LOCAL_CHAIN_ID, knownCampaigns: campaigns }));
  const voucher = codes.find((code) => code.kind === "voucher");
  const batch = codes.find((code) => code.kind === "batch");
  assert.ok(voucher && batch, "voucher and batch demo links are printed");

  // The printed links are unclaimed and claimable: dev account 10, which the seed leaves alone, claims one of
  // each and pays its own gas.
  const recipient = accounts[10];
  const wallet = createWalletClient({ account: recipient, transport: http(rpcUrl) });
  for (const code of [voucher, batch]) {
    const claimed =
      code.kind === "voucher"
        ? { functionName: "isVoucherClaimed", args: [code.voucher.id] }
        : { functionName: "isCodeClaimed", args: [code.code.batchId, code.code.index] };
    const read = () => client.readContract({ address: code.campaign, abi, ...claimed });
    assert.equal(await read(), false, `${code.kind} link is unclaimed`);
    const call = await claimCall(code, recipient);
    const hash = await wallet.writeContract({ address: code.campaign, abi, chain: null, ...call });
    assert.equal((await client.waitForTransactionReceipt({ hash })).status, "success");
    assert.equal(await read(), true, `${code.kind} link was claimed`);
  }
  timings.checks = Date.now() - started - timings.load - timings.ready;

  const stopping = Date.now();
  process.kill(-npm.pid, "SIGINT");
  let stopTimer;
  const exit = await Promise.race([
    npmExited,
    new Promise((_, reject) => (stopTimer = setTimeout(() => reject(new Error("npm start did not stop")), STOP_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(stopTimer));
  // Like a shell after Ctrl-C, npm may die of the signal itself; start.mjs still stops its children.
  assert.ok(exit.code === 0 || exit.signal === "SIGINT", `npm start ends on Ctrl-C (${exit.code ?? exit.signal})`);
  let survivors = tree;
  while ((survivors = survivors.filter((p) => isAlive(p.pid))).length > 0 && Date.now() - stopping < STOP_TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  timings.stop = Date.now() - stopping;
  assert.deepEqual(survivors, [], "no process of npm start survives it");
  assert.ok(await portIsFree(port), `port ${port} is free again`);
  const strays = execFileSync("ps", ["-eo", "args="], { encoding: "utf8" })
    .split("\n")
    .filter((args) => args.includes("hardhat") && args.includes(`--port ${port}`));
  assert.deepEqual(strays, [], "no hardhat node on the port remains");

  // On success the instance's state and chain log go too; after a failure they are kept for a look.
  for (const file of [`local-port-${port}.json`, `chain-port-${port}.log`]) {
    fs.rmSync(path.join(root, ".perks", file), { force: true });
  }
  console.log(
    `start.smoke: ok in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(loading ${(timings.load / 1000).toFixed(1)} s, npm start ready ${(timings.ready / 1000).toFixed(1)} s, checks ${(timings.checks / 1000).toFixed(1)} s, ` +
      `stop ${(timings.stop / 1000).toFixed(1)} s; ${links.length} links parsed, ${tree.length} processes checked)`,
  );
} catch (error) {
  console.error(`start.smoke: FAILED: ${error.message}\n--- npm start output ---\n${output}`);
  for (const pid of [npm.pid, ...tree.map((p) => p.pid)]) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Not a group leader, or gone.
    }
  }
  process.exitCode = 1;
}
