import { arbitrum, base, baseSepolia, hardhat, mainnet, optimism, polygon, sepolia } from "viem/chains";

/** Chains Perks names in messages; any other chain is named by its id. */
const CHAIN_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  [mainnet, sepolia, base, baseSepolia, optimism, arbitrum, polygon, hardhat].map((chain) => [chain.id, chain.name]),
);

/** "Base Sepolia (chain 84532)", or "chain 12345" for a chain Perks does not know by name. */
export function chainLabel(chainId: number): string {
  const name = CHAIN_NAMES[chainId];
  return name === undefined ? `chain ${chainId}` : `${name} (chain ${chainId})`;
}
