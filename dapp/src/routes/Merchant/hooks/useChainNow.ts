import { useBlock } from "wagmi";
import { targetChain } from "../../../chain";

/**
 * The time the next transaction will see, in seconds: the latest block's time, or the clock when it is later. A
 * local chain mines only on demand and may run ahead of the clock after a burst of blocks (or a demo's time
 * travel), so statuses and expiries follow the chain rather than the browser alone.
 */
export function useChainNow(): number {
  const { data: block } = useBlock({ chainId: targetChain.id, watch: true });
  const clock = Math.floor(Date.now() / 1000);
  return block ? Math.max(Number(block.timestamp), clock) : clock;
}
