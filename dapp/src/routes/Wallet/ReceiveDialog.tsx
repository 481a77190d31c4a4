import type { Address } from "viem";
import { CopyButton } from "../../components/CopyButton";
import { Dialog } from "../../components/Dialog";
import { QrCode } from "../../components/QrCode";

/** The wallet's address as text and QR code, for someone to send points to. Its own chunk: it brings the QR code. */
export default function ReceiveDialog({ account, open, onClose }: { account: Address; open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Receive points">
      <div className="stack center">
        <QrCode text={account} label={`QR code of your address ${account}`} size={220} />
        <p className="mono break">{account}</p>
        <CopyButton text={account} label="Copy address" className="button" />
        <p className="hint">
          Anyone can send Perks points to this address. It tells them nothing about you.
        </p>
      </div>
    </Dialog>
  );
}
