import { useState } from "react";
import type { Address } from "viem";
import { Dialog } from "../../components/Dialog";
import { QrCode } from "../../components/QrCode";

/** The wallet's address as text and QR code, for someone to send points to. Its own chunk: it brings the QR code. */
export default function ReceiveDialog({ account, open, onClose }: { account: Address; open: boolean; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog open={open} onClose={onClose} title="Receive points">
      <div className="stack center">
        <QrCode text={account} label={`QR code of your address ${account}`} size={220} />
        <p className="mono break">{account}</p>
        <button
          type="button"
          className="button"
          onClick={() =>
            navigator.clipboard?.writeText(account).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy address"}
        </button>
        <p className="hint" role="status">
          {copied ? "Address copied. " : ""}Anyone can send Perks points to this address. It tells them nothing about you.
        </p>
      </div>
    </Dialog>
  );
}
