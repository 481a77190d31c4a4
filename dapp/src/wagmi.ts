import { createConfig, http, type CreateConnectorFn } from "wagmi";
import { injected } from "wagmi/connectors";
import { arbitrum, base, baseSepolia, hardhat, optimism, sepolia } from "wagmi/chains";
import { DEV_ACCOUNTS, LOCAL_CHAIN_ID } from "@perks/sdk";
import { devWallet } from "./devWallet";
import { perksAddressesOn } from "./lib/perks";
import { walletConnectConnectors } from "./walletConnect";

/** RPC of the local chain; `npm start` serves it on 127.0.0.1:8545 unless PERKS_PORT says otherwise. */
const LOCAL_RPC_URL = import.meta.env.VITE_LOCAL_RPC_URL ?? "http://127.0.0.1:8545";

/** Public chains have the canonical Multicall3; the local chain has the one `npm start` deploys (Ignition's
 * LocalTools module), so batched reads (wagmi's useReadContracts) are one eth_call there too. Before its address
 * is generated into the SDK, reads use viem's deployless Multicall3 (see `multicallOptions` in lib/perks.ts). */
const localMulticall3 = perksAddressesOn(LOCAL_CHAIN_ID).Multicall3;

export const localChain = {
  ...hardhat,
  rpcUrls: { default: { http: [LOCAL_RPC_URL] } },
  ...(localMulticall3 && { contracts: { multicall3: { address: localMulticall3 } } }),
} as const;

/** Demo roles offered as wallets on the local chain (the deployer and the relayer are services, not people). */
const DEV_WALLET_ROLES = new Set(["alphaMerchant", "betaMerchant", "exchange", "alice", "bob", "carol"]);

const connectors: CreateConnectorFn[] = [
  // EIP-6963: every injected wallet announces itself; this one also catches a legacy window.ethereum.
  injected({ shimDisconnect: true }),
  // A wallet on another device (a phone app) through a QR code, when VITE_WALLETCONNECT_PROJECT_ID is set. Tested
  // on the build-time constant itself, so that a build without it drops WalletConnect's code altogether.
  ...(import.meta.env.VITE_WALLETCONNECT_PROJECT_ID ? walletConnectConnectors(import.meta.env.VITE_WALLETCONNECT_PROJECT_ID) : []),
  ...DEV_ACCOUNTS.filter((account) => DEV_WALLET_ROLES.has(account.role)).map((account) => devWallet(account)),
];

export const config = createConfig({
  chains: [localChain, baseSepolia, base, optimism, arbitrum, sepolia],
  connectors,
  multiInjectedProviderDiscovery: true,
  transports: {
    // Hardhat answers reverts with -32603, which viem would retry three times: a second of delay per revert.
    [localChain.id]: http(LOCAL_RPC_URL, { batch: { wait: 16 }, retryCount: 0 }),
    [baseSepolia.id]: http(),
    [base.id]: http(),
    [optimism.id]: http(),
    [arbitrum.id]: http(),
    [sepolia.id]: http(),
  },
  pollingInterval: 1_000,
});

declare module "wagmi" {
  interface Register {
    config: typeof config;
  }
}
