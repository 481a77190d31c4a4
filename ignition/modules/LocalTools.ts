import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import PerksModule from "./Perks";

/**
 * The local demo chain (31337): the Perks contracts plus what public chains already have. `npm start` deploys this
 * module; real networks deploy Perks alone (`npm run deploy`).
 *
 * Multicall3 (contracts/utils/Multicall3.sol, the canonical `aggregate3` interface) lets the dApp batch its reads
 * into one eth_call, as it does with the canonical Multicall3 on public chains. It is deployed after the factory so
 * that the Perks contracts keep the addresses they get from the Perks module alone.
 */
export default buildModule("LocalTools", (m) => {
  const perks = m.useModule(PerksModule);
  const multicall3 = m.contract("Multicall3", [], { after: [perks.factory, perks.campaignImplementation] });
  return { ...perks, multicall3 };
});
