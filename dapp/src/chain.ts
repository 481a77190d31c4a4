import { LOCAL_CHAIN_ID } from "@perks/sdk";
import { config } from "./wagmi";

/** The chain this build of the dApp works on (VITE_CHAIN_ID, the local chain by default). */
export const TARGET_CHAIN_ID = Number(import.meta.env.VITE_CHAIN_ID ?? LOCAL_CHAIN_ID) as (typeof config.chains)[number]["id"];

export const targetChain = (() => {
  const chain = config.chains.find((candidate) => candidate.id === TARGET_CHAIN_ID);
  if (!chain) throw new Error(`VITE_CHAIN_ID ${TARGET_CHAIN_ID} is not one of the dApp's chains.`);
  return chain;
})();

/** Dev wallets exist only on the local chain: their keys are public. */
export const DEV_WALLETS_ENABLED = TARGET_CHAIN_ID === LOCAL_CHAIN_ID;

export function explorerTxUrl(hash: string): string | undefined {
  const explorer = targetChain.blockExplorers?.default?.url;
  return explorer ? `${explorer}/tx/${hash}` : undefined;
}
