import { useMemo } from "react";
import { type Address, type Hex, erc20Abi, zeroAddress } from "viem";
import { useReadContracts } from "wagmi";
import { type CampaignRules, type ClaimCode, campaignAbi, campaignFactoryAbi } from "@perks/sdk";
import { targetChain } from "../../chain";
import { useRefreshOnBlock } from "../../hooks/useRefreshOnBlock";
import { factoryOn, multicallOptions } from "../../lib/perks";
import { type CampaignFacts, type ClaimProblem, claimProblem, codeAmounts } from "./claimState";

const chainId = targetChain.id;
const batched = multicallOptions(targetChain);

/** What the claim page knows about a parsed code once the chain answered. */
export interface ClaimCheck {
  problem?: ClaimProblem;
  token?: { address: Address; name: string; symbol: string; decimals: number };
  /** What the claim would issue into `recipient` now: points after its tier's multiplier, and a milestone bonus. */
  quote?: { amount: bigint; bonus: bigint };
  /** The recipient's balance of the token now. */
  balance?: bigint;
}

/**
 * Reads, in two batched calls, everything that decides whether `code` can be claimed (a genuine campaign, its
 * schedule, pause and channels, whether the code was used, a batch's root) and what it would give `recipient`;
 * refreshed on every block, so a code claimed elsewhere meanwhile turns "already claimed" by itself.
 */
export function useClaimCheck(code: ClaimCode | undefined, recipient: Address | undefined) {
  const factory = factoryOn(chainId);
  const campaign = code?.campaign;
  const { points, spend } = code ? codeAmounts(code) : { points: 0n, spend: 0n };
  const used =
    code?.kind === "batch"
      ? ({ functionName: "isCodeClaimed", args: [code.code.batchId, code.code.index] } as const)
      : ({ functionName: "isVoucherClaimed", args: [code?.kind === "voucher" ? code.voucher.id : 0n] } as const);

  const facts = useReadContracts({
    contracts: [
      { chainId, address: factory, abi: campaignFactoryAbi, functionName: "isCampaign", args: [campaign ?? zeroAddress] },
      { chainId, address: campaign, abi: campaignAbi, functionName: "rules" },
      { chainId, address: campaign, abi: campaignAbi, functionName: "endsAt" },
      { chainId, address: campaign, abi: campaignAbi, functionName: "paused" },
      { chainId, address: campaign, abi: campaignAbi, ...used },
      {
        chainId,
        address: campaign,
        abi: campaignAbi,
        functionName: "batchRoot",
        args: [code?.kind === "batch" ? code.code.batchId : 0n],
      },
      { chainId, address: campaign, abi: campaignAbi, functionName: "quote", args: [recipient ?? zeroAddress, points, spend] },
    ],
    ...batched,
    query: { enabled: code !== undefined && factory !== undefined },
  });

  const [isCampaign, rules, endsAt, paused, claimed, batchRoot, quote] = facts.data ?? [];
  const genuine = isCampaign?.status === "success" && isCampaign.result;
  const token = genuine && rules?.status === "success" ? (rules.result as CampaignRules).token : undefined;

  const tokenReads = useReadContracts({
    contracts: [
      { chainId, address: token, abi: erc20Abi, functionName: "name" },
      { chainId, address: token, abi: erc20Abi, functionName: "symbol" },
      { chainId, address: token, abi: erc20Abi, functionName: "decimals" },
      { chainId, address: token, abi: erc20Abi, functionName: "balanceOf", args: [recipient ?? zeroAddress] },
    ],
    allowFailure: false,
    ...batched,
    query: { enabled: token !== undefined },
  });

  useRefreshOnBlock([facts.queryKey, token ? tokenReads.queryKey : undefined]);

  const check = useMemo((): ClaimCheck | undefined => {
    if (!code || !facts.data) return undefined;
    if (!genuine) return { problem: claimProblem(code, unknownCampaign, now()) };
    if (rules?.status !== "success" || endsAt?.status !== "success" || paused?.status !== "success" || claimed?.status !== "success") {
      return undefined;
    }
    const known: CampaignFacts = {
      isPerksCampaign: true,
      rules: rules.result as CampaignRules,
      endsAt: endsAt.result as bigint,
      paused: paused.result as boolean,
      claimed: claimed.result as boolean,
      batchRoot: batchRoot?.status === "success" ? (batchRoot.result as Hex) : undefined,
    };
    const [name, symbol, decimals, balance] = tokenReads.data ?? [];
    const quoted = quote?.status === "success" ? (quote.result as readonly [bigint, bigint]) : undefined;
    return {
      problem: claimProblem(code, known, now()),
      token: token && name !== undefined ? { address: token, name, symbol: symbol as string, decimals: decimals as number } : undefined,
      quote: quoted && { amount: quoted[0], bonus: quoted[1] },
      balance: recipient ? (balance as bigint | undefined) : undefined,
    };
  }, [code, facts.data, genuine, rules, endsAt, paused, claimed, batchRoot, quote, token, tokenReads.data, recipient]);

  return { check, isLoading: code !== undefined && check === undefined && !facts.error, error: facts.error ?? tokenReads.error };
}

const unknownCampaign: CampaignFacts = {
  isPerksCampaign: false,
  rules: { startsAt: 0n, channels: 0, token: zeroAddress },
  endsAt: 0n,
  paused: false,
  claimed: false,
};

function now(): number {
  return Math.floor(Date.now() / 1000);
}
