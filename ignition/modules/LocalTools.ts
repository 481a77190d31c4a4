import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import PerksModule from "./Perks";

/**
 * The local demo chain (31337): the Perks contracts plus what public chains already have. `npm start` deploys this
 * module; real networks deploy Perks alone (`npm run deploy`).
 *
 * Multicall3 (contracts/utils/Multicall3.sol, the canonical `aggregate3` interface) lets the dApp batch its reads
 * into one eth_call, as it does with the canonical Multicall3 on public chains. MockStablecoin plays USDC (6
 * decimals, open faucet: test use only) for the exchange's stablecoin pairs and the gateway's bids, and the
 * exchange's owner (the deployer) allow-lists it. Both are deployed after every Perks contract, so that the Perks
 * contracts keep the addresses they get from the Perks module alone.
 */
export default buildModule("LocalTools", (m) => {
  const perks = m.useModule(PerksModule);
  const after = Object.values(perks);
  const multicall3 = m.contract("Multicall3", [], { after });
  const usdc = m.contract("MockStablecoin", ["USD Coin", "USDC", 6], { after: [...after, multicall3] });
  m.call(perks.exchange, "setStablecoin", [usdc, true], { id: "AllowUSDC" });
  return { ...perks, multicall3, usdc };
});
