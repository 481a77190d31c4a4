import { useEffect, useState } from "react";
import type { Connector, CreateConnectorFn } from "wagmi";
import { walletConnect } from "wagmi/connectors";

/** WalletConnect's project id (cloud.reown.com), set at build time; without it the dApp offers no WalletConnect. */
export const WALLETCONNECT_PROJECT_ID: string | undefined = import.meta.env.VITE_WALLETCONNECT_PROJECT_ID || undefined;

/**
 * The WalletConnect connector when a project id is configured, else none. Its pairing link is shown by our own
 * connect dialog (a QR code, a copy button and a link that opens a wallet app on the same phone) rather than
 * WalletConnect's modal, so the dApp loads no second UI kit and the dialog looks like the rest of the app.
 */
export function walletConnectConnectors(projectId = WALLETCONNECT_PROJECT_ID): CreateConnectorFn[] {
  if (!projectId) return [];
  return [
    walletConnect({
      projectId,
      showQrModal: false,
      metadata: {
        name: "Perks",
        description: "Open, anonymous loyalty points",
        url: typeof window === "undefined" ? "https://perks.invalid" : window.location.origin,
        icons: [],
      },
    }),
  ];
}

/**
 * The pairing link ("wc:…") the WalletConnect connector announces while it waits for a wallet to scan it, or
 * undefined. `waiting` is false once the attempt ended (connected, rejected, dialog closed): the link is then
 * dropped, as it pairs only once.
 */
export function useWalletConnectUri(connector: Connector | undefined, waiting: boolean): string | undefined {
  const [uri, setUri] = useState<string>();
  // Listening from the start: the link may be announced before React has rendered the attempt as pending.
  useEffect(() => {
    if (!connector) return;
    const onMessage = ({ type, data }: { type: string; data?: unknown }) => {
      if (type === "display_uri" && typeof data === "string") setUri(data);
    };
    connector.emitter.on("message", onMessage);
    return () => connector.emitter.off("message", onMessage);
  }, [connector]);
  useEffect(() => {
    if (!waiting) setUri(undefined);
  }, [waiting]);
  return waiting ? uri : undefined;
}
