import type { Address } from "viem";
import { chainLabel } from "./chains";
import type { ContractName } from "./generated/abis";
import { deployedAddresses } from "./generated/addresses";

/** The Perks contracts deployed on one chain, by Ignition future id (the contract name unless a module chose
 * another). */
export type ChainAddresses = Readonly<Partial<Record<ContractName, Address>> & Record<string, Address | undefined>>;

/** Perks has no deployment on this chain (or none of this contract). */
export class UnsupportedChainError extends Error {
  override name = "UnsupportedChainError";
  constructor(
    readonly chainId: number,
    readonly contract?: string,
  ) {
    super(
      contract === undefined
        ? `Perks is not available on ${chainLabel(chainId)}: no contracts are deployed there.`
        : `Perks has no ${contract} on ${chainLabel(chainId)}.`,
    );
  }
}

const byChain: Readonly<Record<number, ChainAddresses | undefined>> = deployedAddresses;

/** Chain ids with a Perks deployment, for a network picker. */
export const supportedChainIds: readonly number[] = Object.keys(byChain).map(Number);

/** The deployed Perks contracts on `chainId`; throws `UnsupportedChainError` when there are none. */
export function getAddresses(chainId: number): ChainAddresses {
  const addresses = byChain[chainId];
  if (addresses === undefined) throw new UnsupportedChainError(chainId);
  return addresses;
}

/** The address of `contract` on `chainId`; throws `UnsupportedChainError` naming both when it is not deployed. */
export function getContractAddress(chainId: number, contract: ContractName): Address {
  const address = getAddresses(chainId)[contract];
  if (address === undefined) throw new UnsupportedChainError(chainId, contract);
  return address;
}
