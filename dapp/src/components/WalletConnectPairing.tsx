import { CopyButton } from "./CopyButton";
import { QrCode } from "./QrCode";

/**
 * WalletConnect's pairing link while the dApp waits for a wallet: a QR code for a wallet app on another device, a
 * link that opens a wallet app on this one, and a copy button. Its own chunk (it brings the QR code).
 */
export default function WalletConnectPairing({ uri }: { uri: string }) {
  return (
    <section className="stack center walletconnect" aria-labelledby="walletconnect-title">
      <h3 id="walletconnect-title" className="section-title">
        Scan with your phone's wallet app
      </h3>
      <QrCode text={uri} label="WalletConnect QR code: scan it with a wallet app to connect" size={220} />
      <p className="hint">The wallet asks you to approve; nothing else is shared.</p>
      <div className="actions">
        <a className="button secondary small" href={uri}>
          Open a wallet app on this device
        </a>
        <CopyButton text={uri} label="Copy link" />
      </div>
    </section>
  );
}
