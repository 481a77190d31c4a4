import { subtask, task, vars, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import { generateSdk } from "./scripts/generate-sdk";

const SOLC_VERSION = "0.8.30";

// No compiler download is possible on our machines: compile with the solc-js (wasm) build
// pinned in package.json instead of letting Hardhat fetch a native binary.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: require("solc/package.json").version,
  };
});

// The SDK's typed ABIs and deployment addresses (sdk/src/generated/) are part of the build: every compile,
// including the one `hardhat test` and `hardhat ignition deploy` start with, rewrites whatever changed.
task(TASK_COMPILE, async (args: { quiet: boolean }, hre, runSuper) => {
  const result = await runSuper(args);
  const written = await generateSdk(hre);
  if (!args.quiet && written.length > 0) console.log(`Generated ${written.join(", ")}`);
  return result;
});

task("perks:generate", "Compiles if needed and regenerates sdk/src/generated/ (ABIs and Ignition addresses)").setAction(
  async (_args, hre) => hre.run(TASK_COMPILE, { quiet: true }),
);

// Real networks are configured with Hardhat configuration variables, never from the
// repository: `node_modules/.bin/hardhat vars set PERKS_RPC_URL_<NAME>` and `PERKS_DEPLOYER_KEY`.
// A network only appears once its RPC URL is set.
const REMOTE_NETWORKS = ["sepolia", "base", "baseSepolia", "optimism", "arbitrum", "polygon"];

function remoteNetworks(): NonNullable<HardhatUserConfig["networks"]> {
  const networks: NonNullable<HardhatUserConfig["networks"]> = {};
  for (const name of REMOTE_NETWORKS) {
    const urlVar = `PERKS_RPC_URL_${name.toUpperCase()}`;
    if (!vars.has(urlVar)) continue;
    networks[name] = {
      url: vars.get(urlVar),
      accounts: vars.has("PERKS_DEPLOYER_KEY") ? [vars.get("PERKS_DEPLOYER_KEY")] : [],
    };
  }
  return networks;
}

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 10_000 } } }],
    // The factory embeds the LoyaltyToken's creation code, so both are optimised for size: every token costs about
    // 130k less gas to create, and its transfers, Solady's assembly, barely change (see `npm run bench`). The token
    // gets the same settings on its own so that its artifact is byte for byte the code the factory deploys.
    overrides: Object.fromEntries(
      ["contracts/campaigns/CampaignFactory.sol", "contracts/tokens/LoyaltyToken.sol"].map((source) => [
        source,
        { version: SOLC_VERSION, settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } } },
      ]),
    ),
  },
  networks: {
    // `npm start` starts its chain weeks in the past (PERKS_CHAIN_START, an ISO date) so that the demo seed can give
    // customers a few weeks of history and still leave the chain at today's date (scripts/seed.ts catches it up).
    hardhat: process.env.PERKS_CHAIN_START ? { initialDate: process.env.PERKS_CHAIN_START } : {},
    // `npm start` serves its chain on PERKS_PORT (8545 by default), so a second instance can run beside it.
    localhost: { url: `http://127.0.0.1:${process.env.PERKS_PORT ?? 8545}` },
    ...remoteNetworks(),
  },
  // Ignition polls for each batch's receipts every second by default; `npm start`'s automining chain answers at
  // once, so scripts/start.mjs asks for a shorter interval (PERKS_IGNITION_POLLING_MS) there.
  ignition: process.env.PERKS_IGNITION_POLLING_MS
    ? { blockPollingInterval: Number(process.env.PERKS_IGNITION_POLLING_MS) }
    : {},
  mocha: { timeout: 120_000 },
  gasReporter: { enabled: false, offline: true },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
};

export default config;
