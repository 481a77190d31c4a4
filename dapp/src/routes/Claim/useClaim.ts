import { useCallback, useState } from "react";
import {
  type Address,
  type EncodeFunctionDataParameters,
  type TransactionReceipt,
  encodeFunctionData,
  isAddressEqual,
  parseEventLogs,
} from "viem";
import { usePublicClient } from "wagmi";
import {
  type ClaimCode,
  RelayerClaimRefusedError,
  RelayerError,
  TransactionRevertedError,
  campaignAbi,
  claimBatchCode,
  claimCall,
  claimThroughRelayer,
  claimVoucher,
  humanizeError,
  relayerClaimPayload,
  signClaim,
} from "@perks/sdk";
import { targetChain } from "../../chain";
import { type TransactionState, useTransaction } from "../../hooks/useTransaction";
import type { ClaimReceipt } from "./claimState";

/** The merchant's relayer, which pays the gas of claims for wallets that have none. */
export const RELAYER_URL: string = import.meta.env.VITE_RELAYER_URL ?? "http://127.0.0.1:8788";

/** The points a mined claim issued, from its campaign's `PointsIssued` event. */
export function issuedBy(receipt: TransactionReceipt, code: ClaimCode): { amount: bigint; bonus: bigint } | undefined {
  const event = parseEventLogs({ abi: campaignAbi, eventName: "PointsIssued", logs: receipt.logs }).find((log) =>
    isAddressEqual(log.address, code.campaign),
  );
  return event && { amount: event.args.amount, bonus: event.args.bonus };
}

/** A relayer's refusal in the customer's words: a contract's refusal decoded like any revert, the rest as sent. */
export function relayerMessage(error: unknown): string {
  if (error instanceof RelayerError && !(error instanceof RelayerClaimRefusedError && error.raw)) return error.message;
  return humanizeError(error).message;
}

/**
 * Claims a code into `recipient`, either from the connected wallet (the claim key signs the recipient here, the
 * wallet sends `claimVoucher`/`claimCode` after a simulation) or through the merchant's relayer (simulated here
 * first, then only the signed call is posted: the code never leaves the device). Both report the same states.
 */
export function useClaim(code: ClaimCode | undefined, onClaimed: (receipt: ClaimReceipt) => void) {
  const wallet = useTransaction();
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const [relayed, setRelayed] = useState<TransactionState>({ status: "idle" });
  const [via, setVia] = useState<ClaimReceipt["via"]>("wallet");

  const finish = useCallback(
    (receipt: TransactionReceipt, recipient: Address, through: ClaimReceipt["via"]) => {
      if (!code) return;
      const issued = issuedBy(receipt, code) ?? { amount: 0n, bonus: 0n };
      onClaimed({ hash: receipt.transactionHash, recipient, ...issued, via: through });
    },
    [code, onClaimed],
  );

  const withWallet = useCallback(
    async (recipient: Address) => {
      if (!code) return;
      setVia("wallet");
      setRelayed({ status: "idle" });
      const receipt = await wallet.run(async (clients) => {
        const claimSignature = await signClaim(code.claimPrivateKey, code.campaign, code.chainId, recipient);
        return code.kind === "voucher"
          ? claimVoucher(clients, {
              campaign: code.campaign,
              voucher: code.voucher,
              issuerSignature: code.issuerSignature,
              recipient,
              claimSignature,
            })
          : claimBatchCode(clients, { campaign: code.campaign, code: code.code, proof: code.proof, recipient, claimSignature });
      });
      if (receipt) finish(receipt, recipient, "wallet");
    },
    [code, wallet, finish],
  );

  const withRelayer = useCallback(
    async (recipient: Address) => {
      if (!code || !publicClient) return;
      setVia("relayer");
      wallet.reset();
      setRelayed({ status: "preparing" });
      try {
        // Anyone may send a claim, so simulating it from the recipient shows the contract's answer before the relayer
        // is asked.
        const call = await claimCall(code, recipient);
        const data = encodeFunctionData({ abi: campaignAbi, ...call } as EncodeFunctionDataParameters);
        await publicClient.call({ account: recipient, to: code.campaign, data });
        const { hash } = await claimThroughRelayer(RELAYER_URL, await relayerClaimPayload(code, recipient));
        setRelayed({ status: "pending", hash });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        if (receipt.status !== "success") throw new TransactionRevertedError(hash);
        setRelayed({ status: "confirmed", hash, receipt });
        finish(receipt, recipient, "relayer");
      } catch (error) {
        setRelayed({ status: "failed", message: relayerMessage(error) });
      }
    },
    [code, publicClient, wallet, finish],
  );

  const state = via === "wallet" ? wallet.state : relayed;
  const reset = useCallback(() => {
    wallet.reset();
    setRelayed({ status: "idle" });
  }, [wallet]);
  return {
    state,
    via,
    busy: state.status === "preparing" || state.status === "pending",
    withWallet,
    withRelayer,
    reset,
    /** Why the wallet cannot send the claim itself now (the relayer still can). */
    walletBlockedReason: wallet.blockedReason,
  };
}
