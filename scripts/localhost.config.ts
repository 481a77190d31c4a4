import path from "node:path";
import type { HardhatUserConfig } from "hardhat/config";
import config from "../hardhat.config";

// `npm start` runs its chain on PERKS_PORT (default 8545) so that a second instance, such as the smoke test,
// can run beside a developer's. hardhat.config.ts fixes `localhost` at port 8545; this config is the same
// project with only that network moved.
const port = process.env.PERKS_PORT ?? "8545";

export default {
  ...config,
  paths: { ...config.paths, root: path.resolve(__dirname, "..") },
  networks: { ...config.networks, localhost: { url: `http://127.0.0.1:${port}` } },
} satisfies HardhatUserConfig;
