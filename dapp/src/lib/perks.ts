import type { Address } from "viem";
import { type ChainAddresses, getAddresses } from "@perks/sdk";

/** The Perks contracts deployed on `chainId`, or none (a chain without a deployment shows empty pages, not a crash). */
export function perksAddressesOn(chainId: number): ChainAddresses {
  try {
    return getAddresses(chainId);
  } catch {
    return {};
  }
}

/** The factory whose registry lists every Perks token and campaign on `chainId`. */
export function factoryOn(chainId: number): Address | undefined {
  return perksAddressesOn(chainId).CampaignFactory;
}

/**
 * Options for wagmi's `useReadContracts` on `chain`: every read in one `aggregate3` call (no chunking), through
 * the chain's Multicall3, or viem's deployless Multicall3 (the contract's code sent with the eth_call) on a chain
 * that has none deployed.
 */
export function multicallOptions(chain: { contracts?: { multicall3?: unknown } }) {
  return { batchSize: 0, deployless: chain.contracts?.multicall3 === undefined } as const;
}

/** How points reached a wallet, by `ICampaign.Channel`, in the customer's words. */
export const CHANNEL_LABELS: Readonly<Record<number, string>> = {
  0: "At the till",
  1: "Receipt voucher",
  2: "Printed code",
};

/** Words for the Perks contracts a customer trades with, for their history: "the points exchange". */
export function serviceName(address: Address, chainId: number): string | undefined {
  const { PointsExchange, CashOutGateway } = perksAddressesOn(chainId);
  if (PointsExchange && address.toLowerCase() === PointsExchange.toLowerCase()) return "the points exchange";
  if (CashOutGateway && address.toLowerCase() === CashOutGateway.toLowerCase()) return "the cash-out gateway";
  return undefined;
}
