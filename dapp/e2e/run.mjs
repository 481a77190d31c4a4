// End-to-end tests of the dApp in Debian's Chromium against a real local chain and the production build:
//   npm run test:e2e                       (root; = node dapp/e2e/run.mjs)
//   PERKS_E2E_ONLY=claim npm run test:e2e  only the journeys whose name contains "claim"
// Starts the stack (npm start on free ports, the relayer, vite build + vite preview), runs every journey, keeps
// screenshots and logs in dapp/e2e/artifacts/, tears everything down, and ends with "N passed, N failed".
import { register } from "node:module";

register("./support/tsHooks.mjs", import.meta.url);
const { main } = await import("./main.ts");
process.exit(await main());
