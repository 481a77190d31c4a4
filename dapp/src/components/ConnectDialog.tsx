import { Suspense, lazy } from "react";
import { useAccount, useConnect, useConnectors, useDisconnect } from "wagmi";
import { DEV_WALLETS_ENABLED, TARGET_CHAIN_ID } from "../chain";
import { shortAddress } from "../lib/format";
import { Dialog } from "./Dialog";
import { useWalletConnectUri } from "../walletConnect";

const WalletConnectPairing = lazy(() => import("./WalletConnectPairing"));

/**
 * Wallet choice built on wagmi's own connectors: every wallet that announced itself through EIP-6963, a plain
 * injected wallet, WalletConnect when a project id is configured (its pairing QR code shows here while it waits),
 * and on the local chain the demo's dev wallets.
 */
export function ConnectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const connectors = useConnectors();
  const { connect, isPending, error, variables } = useConnect();
  const { address, connector: current } = useAccount();
  const { disconnect } = useDisconnect();

  const wallets = connectors.filter(
    (connector) => connector.type !== "devWallet" && connector.type !== "walletConnect" && connector.id !== "injected",
  );
  const plainInjected = connectors.find((connector) => connector.id === "injected");
  const devWallets = DEV_WALLETS_ENABLED ? connectors.filter((connector) => connector.type === "devWallet") : [];
  const pendingId = isPending ? (variables?.connector as { id?: string } | undefined)?.id : undefined;
  const walletConnect = connectors.find((connector) => connector.type === "walletConnect");
  const pairing = useWalletConnectUri(walletConnect, open && walletConnect !== undefined && pendingId === walletConnect.id);

  const choose = (connector: (typeof connectors)[number]) =>
    connect({ connector, chainId: TARGET_CHAIN_ID }, { onSuccess: onClose });

  return (
    <Dialog open={open} onClose={onClose} title={address ? "Your wallet" : "Connect a wallet"}>
      {address && (
        <div className="connected">
          <p>
            Connected with <strong>{current?.name}</strong> as <code>{shortAddress(address)}</code>.
          </p>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              disconnect();
              onClose();
            }}
          >
            Disconnect
          </button>
        </div>
      )}
      <p className="hint">Perks never asks who you are: a wallet address is all it needs.</p>
      <ul className="wallet-list" aria-label="Wallets in this browser">
        {wallets.map((connector) => (
          <li key={connector.uid}>
            <button type="button" className="wallet-option" onClick={() => choose(connector)} disabled={isPending}>
              {connector.icon && <img src={connector.icon} alt="" width={24} height={24} />}
              <span>{connector.name}</span>
              {pendingId === connector.id && <span className="badge">Check your wallet…</span>}
            </button>
          </li>
        ))}
        {wallets.length === 0 && plainInjected && (
          <li>
            <button type="button" className="wallet-option" onClick={() => choose(plainInjected)} disabled={isPending}>
              <span>Browser wallet</span>
            </button>
          </li>
        )}
        {walletConnect && (
          <li>
            <button type="button" className="wallet-option" onClick={() => choose(walletConnect)} disabled={isPending}>
              <span>
                WalletConnect <span className="hint">· a wallet app on your phone</span>
              </span>
              {pendingId === walletConnect.id && <span className="badge">Waiting for a scan…</span>}
            </button>
          </li>
        )}
      </ul>
      {pairing && (
        <Suspense fallback={<p className="loading">Preparing the QR code…</p>}>
          <WalletConnectPairing uri={pairing} />
        </Suspense>
      )}
      {wallets.length === 0 && (
        <p className="hint">
          No wallet extension found. Any wallet works: install one, open this page in your wallet app's browser
          {walletConnect ? ", or connect a phone wallet with WalletConnect" : ""}.
        </p>
      )}
      {devWallets.length > 0 && (
        <>
          <h3 className="section-title">Demo wallets (local chain only)</h3>
          <ul className="wallet-list" aria-label="Demo wallets">
            {devWallets.map((connector) => (
              <li key={connector.uid}>
                <button type="button" className="wallet-option" onClick={() => choose(connector)} disabled={isPending}>
                  <span>{connector.name}</span>
                  {current?.uid === connector.uid && <span className="badge">Connected</span>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error.name === "UserRejectedRequestError" ? "You rejected the request in your wallet." : error.message.split("\n")[0]}
        </p>
      )}
    </Dialog>
  );
}
