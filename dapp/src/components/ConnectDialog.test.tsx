import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider, createConfig, createConnector, http } from "wagmi";
import { hardhat } from "wagmi/chains";
import type { config as appConfig } from "../wagmi";
import { walletConnectConnectors } from "../walletConnect";
import { ConnectDialog } from "./ConnectDialog";

afterEach(cleanup);

const PAIRING = "wc:7f6e5d4c@2?relay-protocol=irn&symKey=0123456789abcdef";

/**
 * Stands in for WalletConnect's relay, which this machine cannot reach: a connector of WalletConnect's type that,
 * like wagmi's, announces its pairing link as a `display_uri` message and then waits for a phone to scan it.
 */
function pairingConnector() {
  let release: (() => void) | undefined;
  const connectorFn = createConnector((config) => ({
    id: "walletConnect",
    name: "WalletConnect",
    type: "walletConnect",
    async setup() {},
    async connect() {
      config.emitter.emit("message", { type: "display_uri", data: PAIRING });
      await new Promise<void>((resolve) => (release = resolve));
      throw new Error("The wallet did not answer.");
    },
    async disconnect() {},
    async getAccounts() {
      return [];
    },
    async getChainId() {
      return hardhat.id;
    },
    async getProvider() {
      return undefined;
    },
    async isAuthorized() {
      return false;
    },
    onAccountsChanged() {},
    onChainChanged() {},
    onDisconnect() {},
  }));
  return { connectorFn, stop: () => release?.() };
}

function renderDialog(connectors: ReturnType<typeof walletConnectConnectors>) {
  const config = createConfig({ chains: [hardhat], connectors, transports: { [hardhat.id]: http("http://127.0.0.1:1") } });
  return render(
    // The app registers its own config's type with wagmi (six chains); this one has the local chain only.
    <WagmiProvider config={config as unknown as typeof appConfig} reconnectOnMount={false}>
      <QueryClientProvider client={new QueryClient()}>
        <ConnectDialog open onClose={() => undefined} />
      </QueryClientProvider>
    </WagmiProvider>,
  );
}

describe("WalletConnect in the connect dialog", () => {
  it("is offered only when a project id is configured", () => {
    expect(walletConnectConnectors("")).toEqual([]);
    expect(walletConnectConnectors(undefined)).toEqual([]);
    const [connectorFn] = walletConnectConnectors("perks-test-project");
    expect(connectorFn).toBeTypeOf("function");
    const config = createConfig({ chains: [hardhat], connectors: [connectorFn], transports: { [hardhat.id]: http() } });
    expect(config.connectors.map((connector) => [connector.id, connector.type])).toEqual([["walletConnect", "walletConnect"]]);
  });

  it("shows the pairing link as a QR code while it waits for a scan, and drops it when the attempt ends", async () => {
    const { connectorFn, stop } = pairingConnector();
    renderDialog([connectorFn]);
    expect(screen.queryByRole("img", { name: /WalletConnect QR code/, hidden: true })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: /WalletConnect/, hidden: true }));
    const qr = await screen.findByRole("img", { name: /WalletConnect QR code/, hidden: true });
    expect(qr.tagName.toLowerCase()).toBe("svg");
    expect(screen.getByText("Waiting for a scan…")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open a wallet app on this device", hidden: true }).getAttribute("href")).toBe(PAIRING);
    expect(screen.getByRole("button", { name: "Copy link", hidden: true })).toBeTruthy();

    await act(async () => stop());
    expect(await screen.findByRole("alert", { hidden: true })).toBeTruthy();
    expect(screen.queryByRole("img", { name: /WalletConnect QR code/, hidden: true })).toBeNull();
  });

  it("without WalletConnect, a browser with no wallet extension is told how to get one", () => {
    renderDialog([]);
    expect(screen.queryByRole("button", { name: /WalletConnect/, hidden: true })).toBeNull();
    expect(screen.getByText(/No wallet extension found/).textContent).not.toMatch(/WalletConnect/);
  });
});
