import { useEffect, useRef } from "react";
import { useAccount, useConnect, useConnectors, useDisconnect } from "wagmi";
import { DEV_WALLETS_ENABLED, TARGET_CHAIN_ID } from "../chain";
import { shortAddress } from "../lib/format";

/**
 * Wallet choice built on wagmi's own connectors: every wallet that announced itself through EIP-6963, a plain
 * injected wallet, and on the local chain the demo's dev wallets.
 */
export function ConnectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const connectors = useConnectors();
  const { connect, isPending, error, variables } = useConnect();
  const { address, connector: current } = useAccount();
  const { disconnect } = useDisconnect();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const wallets = connectors.filter((connector) => connector.type !== "devWallet" && connector.id !== "injected");
  const plainInjected = connectors.find((connector) => connector.id === "injected");
  const devWallets = DEV_WALLETS_ENABLED ? connectors.filter((connector) => connector.type === "devWallet") : [];
  const pendingId = isPending ? (variables?.connector as { id?: string } | undefined)?.id : undefined;

  const choose = (connector: (typeof connectors)[number]) =>
    connect({ connector, chainId: TARGET_CHAIN_ID }, { onSuccess: onClose });

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="connect-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="connect-title">{address ? "Your wallet" : "Connect a wallet"}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
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
      </ul>
      {wallets.length === 0 && (
        <p className="hint">
          No wallet extension found. Any wallet works: install one, or open this page in your wallet app's browser.
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
    </dialog>
  );
}
