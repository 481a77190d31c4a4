import fs from "node:fs";
import { type Plugin, type UserConfig, mergeConfig } from "vite";
import base from "../vite.config";

/**
 * The dApp's own build, wired to the chain under test: the SDK's generated addresses module is replaced by the
 * addresses of that chain's deployment (PERKS_E2E_ADDRESSES, a JSON file `{ chainId: { name: address } }` written by
 * e2e/support/stack.ts). `hardhat perks:generate` reads only ignition/deployments/chain-<id>/, so it never sees a
 * side instance's deployment (chain-31337-port-N), which is what the harness runs on.
 */
function deploymentAddresses(file: string | undefined): Plugin {
  return {
    name: "perks-e2e-addresses",
    enforce: "pre",
    load(id) {
      if (file === undefined || !id.replace(/\\/g, "/").endsWith("/sdk/src/generated/addresses.ts")) return undefined;
      const addresses = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, string>>;
      return `export const deployedAddresses = ${JSON.stringify(addresses)};\n`;
    },
  };
}

// The manifest tells the performance bench (e2e/bench.ts) which chunks the first page load needs.
export default mergeConfig(base as UserConfig, {
  plugins: [deploymentAddresses(process.env.PERKS_E2E_ADDRESSES)],
  build: { manifest: true },
});
