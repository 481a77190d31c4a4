import type { BrowserContext } from "playwright-core";
import { type Address, type Hex, createWalletClient, http, numberToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/**
 * A browser wallet for the tests, announced to the page through EIP-6963 like any extension: the page sees an
 * EIP-1193 provider whose every request crosses to Node (`exposeFunction`), where the key signs with viem and raw
 * transactions go to the chain, as a real extension does outside the page. The test can make it refuse the next
 * request that a real wallet would show to its user (code 4001) and make it report another chain.
 */

const BINDING = "__perksTestWalletRequest";
const HANDLE = "__perksTestWallet";
export const TEST_WALLET_NAME = "Perks Test Wallet";

/** Requests a real wallet shows to its user: the ones `rejectNext()` refuses. */
const USER_ACTIONS = new Set([
  "eth_requestAccounts",
  "eth_sendTransaction",
  "eth_signTypedData_v4",
  "personal_sign",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
  "wallet_requestPermissions",
  "wallet_watchAsset",
]);

interface Answer {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Runs in the page before any of its scripts: announces the provider and forwards its requests to Node. */
function announceProvider({ binding, handle, info }: { binding: string; handle: string; info: Record<string, string> }) {
  const listeners = new Map<string, Set<(value: unknown) => void>>();
  const provider = {
    async request({ method, params }: { method: string; params?: unknown }) {
      const forward = (window as unknown as Record<string, (method: string, params: unknown) => Promise<Answer>>)[binding];
      const answer = await forward(method, params ?? []);
      if (answer.error) {
        throw Object.assign(new Error(answer.error.message), { code: answer.error.code, data: answer.error.data });
      }
      return answer.result;
    },
    on(event: string, listener: (value: unknown) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return provider;
    },
    removeListener(event: string, listener: (value: unknown) => void) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };
  (window as unknown as Record<string, unknown>)[handle] = {
    emit(event: string, value: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(value);
    },
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}

const ICON =
  "data:image/svg+xml;base64," +
  Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#2b59c3"/></svg>').toString("base64");

export class TestWallet {
  readonly address: Address;
  /** Methods the page asked for, in order. */
  readonly requests: string[] = [];
  private chainId: number;
  private authorized = false;
  private rejectNextRequest = false;
  private readonly hooks: { method: string; action: () => Promise<void> }[] = [];
  private readonly wallet;

  private constructor(
    private readonly context: BrowserContext,
    privateKey: Hex,
    private readonly rpcUrl: string,
    chainId: number,
  ) {
    const account = privateKeyToAccount(privateKey);
    this.address = account.address;
    this.chainId = chainId;
    this.wallet = createWalletClient({ account, transport: http(rpcUrl, { retryCount: 0 }) });
  }

  /** Installs the wallet in every page of `context` (call before the first page opens); `authorized` when the page
   * was connected to it before (a returning visitor). */
  static async install(
    context: BrowserContext,
    options: { privateKey: Hex; rpcUrl: string; chainId?: number; authorized?: boolean },
  ): Promise<TestWallet> {
    const wallet = new TestWallet(context, options.privateKey, options.rpcUrl, options.chainId ?? 31337);
    wallet.authorized = options.authorized ?? false;
    await context.exposeFunction(BINDING, (method: string, params: unknown) => wallet.handle(method, params as unknown[]));
    await context.addInitScript(announceProvider, {
      binding: BINDING,
      handle: HANDLE,
      info: { uuid: "5f3b6c1e-3d4c-4a8e-9a51-7e2b1c0d9e11", name: TEST_WALLET_NAME, icon: ICON, rdns: "dev.perks.testwallet" },
    });
    return wallet;
  }

  /** The next request the user would see (a signature, a transaction, a connection, a switch) is refused with 4001. */
  rejectNext(): void {
    this.rejectNextRequest = true;
  }

  /**
   * Runs `action` when the page next asks for `method`, before the wallet answers: the world changing while the
   * user looks at the wallet's prompt (a price moves, an order expires).
   */
  before(method: string, action: () => Promise<void>): void {
    this.hooks.push({ method, action });
  }

  /** Reports `chainId` from now on and tells the open pages, as a wallet does when its user switches networks. */
  async switchChain(chainId: number): Promise<void> {
    this.chainId = chainId;
    await this.emit("chainChanged", numberToHex(chainId));
  }

  private async emit(event: string, value: unknown) {
    for (const page of this.context.pages()) {
      await page.evaluate(
        ([handle, name, payload]) => (window as unknown as Record<string, { emit(e: unknown, v: unknown): void }>)[handle as string]?.emit(name, payload),
        [HANDLE, event, value] as const,
      );
    }
  }

  private async handle(method: string, params: unknown[]): Promise<Answer> {
    this.requests.push(method);
    if (this.rejectNextRequest && USER_ACTIONS.has(method)) {
      this.rejectNextRequest = false;
      return { error: { code: 4001, message: "User rejected the request." } };
    }
    try {
      const hook = this.hooks.findIndex((candidate) => candidate.method === method);
      if (hook >= 0) await this.hooks.splice(hook, 1)[0].action();
      return { result: await this.answer(method, params) };
    } catch (error) {
      const { code, message, data } = error as { code?: number; message?: string; data?: unknown };
      return { error: { code: typeof code === "number" ? code : -32603, message: message ?? String(error), data } };
    }
  }

  private async answer(method: string, params: unknown[]): Promise<unknown> {
    const account = this.wallet.account;
    switch (method) {
      case "eth_chainId":
        return numberToHex(this.chainId);
      case "net_version":
        return String(this.chainId);
      case "eth_accounts":
        return this.authorized ? [this.address] : [];
      case "eth_requestAccounts":
        this.authorized = true;
        return [this.address];
      case "wallet_requestPermissions":
        this.authorized = true;
        return [{ parentCapability: "eth_accounts" }];
      case "wallet_getPermissions":
        return this.authorized ? [{ parentCapability: "eth_accounts" }] : [];
      case "wallet_revokePermissions":
        this.authorized = false;
        return null;
      case "wallet_switchEthereumChain": {
        const wanted = Number((params[0] as { chainId: Hex }).chainId);
        if (wanted !== 31337) throw Object.assign(new Error(`Unrecognized chain ID ${wanted}.`), { code: 4902 });
        await this.switchChain(wanted);
        return null;
      }
      case "eth_sendTransaction": {
        if (this.chainId !== 31337) throw Object.assign(new Error("The test wallet sends only on the local chain."), { code: 4100 });
        const tx = params[0] as { to?: Address; data?: Hex; value?: Hex; gas?: Hex };
        return this.wallet.sendTransaction({
          account,
          chain: null,
          to: tx.to,
          data: tx.data,
          value: tx.value === undefined ? undefined : BigInt(tx.value),
          gas: tx.gas === undefined ? undefined : BigInt(tx.gas),
        });
      }
      case "eth_signTypedData_v4":
        return account.signTypedData(JSON.parse(params[1] as string));
      case "personal_sign":
        return account.signMessage({ message: { raw: params[0] as Hex } });
      default:
        if (method.startsWith("wallet_")) {
          throw Object.assign(new Error(`The test wallet does not support ${method}.`), { code: 4200 });
        }
        return this.forward(method, params);
    }
  }

  /** Reads go to the chain, as a wallet's own RPC connection does (not through the page's network). */
  private async forward(method: string, params: unknown[]): Promise<unknown> {
    const response = await fetch(this.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (body.error) throw Object.assign(new Error(body.error.message), body.error);
    return body.result;
  }
}
