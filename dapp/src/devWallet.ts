import { createConnector } from "wagmi";
import {
  type Address,
  type EIP1193RequestFn,
  type Hex,
  createWalletClient,
  getAddress,
  http,
  numberToHex,
  SwitchChainError,
  UserRejectedRequestError,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { LOCAL_CHAIN_ID, type DevAccount } from "@perks/sdk";

const STORAGE_KEY = "perks.devWallet";

/**
 * A wallet for the local demo: signs with a Hardhat dev key in the page, so the demo needs no browser extension.
 * Offered only on chain 31337 (see wagmi.ts); the keys are public and worthless anywhere else.
 */
export function devWallet(dev: DevAccount) {
  let connected = false;
  return createConnector((config) => {
    const chain = config.chains.find((candidate) => candidate.id === LOCAL_CHAIN_ID);
    if (!chain) throw new Error("Dev wallets need the local chain (31337) in the wagmi config.");
    const account = privateKeyToAccount(dev.privateKey);
    const url = chain.rpcUrls.default.http[0];
    const wallet = createWalletClient({ account, chain, transport: http(url) });

    const handle = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
      const args = (params ?? []) as unknown[];
      switch (method) {
        case "eth_chainId":
          return numberToHex(LOCAL_CHAIN_ID);
        case "eth_accounts":
        case "eth_requestAccounts":
          return [account.address];
        case "eth_sendTransaction": {
          const tx = args[0] as { to?: Address; data?: Hex; value?: Hex; gas?: Hex };
          return wallet.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : undefined,
            gas: tx.gas ? BigInt(tx.gas) : undefined,
          });
        }
        case "eth_signTypedData_v4":
          return account.signTypedData(JSON.parse(args[1] as string));
        case "personal_sign":
          return account.signMessage({ message: { raw: args[0] as Hex } });
        case "wallet_switchEthereumChain": {
          const wanted = Number((args[0] as { chainId: Hex }).chainId);
          if (wanted !== LOCAL_CHAIN_ID) {
            throw new SwitchChainError(new Error(`Dev wallets only work on the local chain (${LOCAL_CHAIN_ID}).`));
          }
          return null;
        }
        default: {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: args }),
          });
          const body = (await response.json()) as { result?: unknown; error?: { message: string } };
          if (body.error) throw new Error(body.error.message);
          return body.result;
        }
      }
    };
    const provider = { request: handle as EIP1193RequestFn };

    return {
      id: `dev-${dev.role}`,
      name: dev.label,
      type: "devWallet",
      async connect<withCapabilities extends boolean = false>(_parameters?: {
        chainId?: number;
        isReconnecting?: boolean;
        withCapabilities?: withCapabilities | boolean;
      }) {
        connected = true;
        localStorage.setItem(STORAGE_KEY, dev.role);
        return {
          accounts: [account.address] as never,
          chainId: LOCAL_CHAIN_ID,
        };
      },
      async disconnect() {
        connected = false;
        if (localStorage.getItem(STORAGE_KEY) === dev.role) localStorage.removeItem(STORAGE_KEY);
      },
      async getAccounts() {
        if (!connected && localStorage.getItem(STORAGE_KEY) !== dev.role) {
          throw new UserRejectedRequestError(new Error("Not connected."));
        }
        return [getAddress(account.address)];
      },
      async getChainId() {
        return LOCAL_CHAIN_ID;
      },
      async getProvider() {
        return provider;
      },
      async isAuthorized() {
        return connected || localStorage.getItem(STORAGE_KEY) === dev.role;
      },
      async switchChain({ chainId }) {
        if (chainId !== LOCAL_CHAIN_ID) {
          throw new SwitchChainError(new Error(`Dev wallets only work on the local chain (${LOCAL_CHAIN_ID}).`));
        }
        return chain;
      },
      onAccountsChanged() {},
      onChainChanged() {},
      onDisconnect() {
        connected = false;
        config.emitter.emit("disconnect");
      },
    };
  });
}
