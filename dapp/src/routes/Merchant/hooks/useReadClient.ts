import { usePublicClient } from "wagmi";
import { targetChain } from "../../../chain";

/** The client that reads the chain the dApp works on, whatever chain the wallet is on. */
export function useReadClient() {
  const client = usePublicClient({ chainId: targetChain.id });
  if (!client) throw new Error(`No client for ${targetChain.name}.`);
  return client;
}

export type ReadClient = ReturnType<typeof useReadClient>;
