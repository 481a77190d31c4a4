import { LOCAL_CHAIN_ID } from "@perks/sdk";
import { targetChain } from "../../../chain";
import { EVENT_RANGE } from "../../../lib/registry";

/**
 * Which blocks the back office reads events from: the app's EVENT_RANGE (from the deployment's block,
 * VITE_EVENTS_FROM_BLOCK, in chunks of VITE_LOGS_BLOCK_RANGE that public RPC endpoints accept), except that the
 * local chain is read in one request.
 */
export const LOG_RANGE = {
  fromBlock: EVENT_RANGE.fromBlock,
  blockRange: targetChain.id === LOCAL_CHAIN_ID ? 1n << 40n : EVENT_RANGE.blockRange,
} as const;
