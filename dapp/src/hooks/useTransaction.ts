import { useCallback, useState } from "react";
import type { Hex, TransactionReceipt } from "viem";
import { useAccount, useConnectorClient, usePublicClient } from "wagmi";
import { type HumanizeOptions, humanizeError, type WriteClients } from "@perks/sdk";
import { targetChain } from "../chain";

/** Where a write stands: nothing yet, checking it (simulation), waiting for the wallet, mined, or failed. */
export type TransactionState =
  | { status: "idle" }
  | { status: "preparing" }
  | { status: "pending"; hash: Hex }
  | { status: "confirmed"; hash: Hex; receipt: TransactionReceipt }
  | { status: "failed"; message: string };

interface Sent {
  hash: Hex;
  wait(): Promise<{ receipt: TransactionReceipt }>;
}

/**
 * Runs one SDK write (which simulates before it asks the wallet to sign) and tracks it: preparing, pending with its
 * hash, confirmed with the receipt, or failed with a sentence from the SDK's `humanizeError`.
 * `blockedReason` says why a write cannot start (no wallet, wrong chain), for the button to show.
 */
export function useTransaction() {
  const { isConnected, chainId } = useAccount();
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const { data: walletClient } = useConnectorClient({ chainId: targetChain.id });
  const [state, setState] = useState<TransactionState>({ status: "idle" });

  const blockedReason = !isConnected
    ? "Connect a wallet first."
    : chainId !== targetChain.id
      ? `Switch your wallet to ${targetChain.name} first.`
      : !walletClient || !publicClient
        ? "Your wallet is getting ready…"
        : undefined;

  const run = useCallback(
    async (
      write: (clients: WriteClients) => Promise<Sent>,
      /** How the failure sentence writes amounts (a stablecoin's decimals, the tokens of an order). */
      humanize?: HumanizeOptions,
    ): Promise<TransactionReceipt | undefined> => {
      if (!walletClient || !publicClient) return undefined;
      setState({ status: "preparing" });
      try {
        const sent = await write({ publicClient, walletClient } as WriteClients);
        setState({ status: "pending", hash: sent.hash });
        const { receipt } = await sent.wait();
        setState({ status: "confirmed", hash: sent.hash, receipt });
        return receipt;
      } catch (error) {
        setState({ status: "failed", message: humanizeError(error, humanize).message });
        return undefined;
      }
    },
    [publicClient, walletClient],
  );

  const reset = useCallback(() => setState({ status: "idle" }), []);
  return { state, run, reset, blockedReason };
}
