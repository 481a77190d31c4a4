import { LOCAL_CHAIN_ID } from "@perks/sdk";
import { targetChain } from "../../../chain";

/**
 * Which blocks the back office reads events from: the whole local chain in one request, or on a public chain from
 * the Perks deployment's block (VITE_PERKS_FROM_BLOCK) in chunks public RPC endpoints accept.
 */
export const LOG_RANGE = {
  fromBlock: BigInt(import.meta.env.VITE_PERKS_FROM_BLOCK ?? 0),
  blockRange: targetChain.id === LOCAL_CHAIN_ID ? 1n << 40n : 10_000n,
} as const;
