import { CopyButton } from "../../../components/CopyButton";
import { shortAddress } from "../../../lib/format";

/** An address shown short, with the full one for screen readers and a copy button. */
export function AddressText({ address, full = false }: { address: string; full?: boolean }) {
  return (
    <span className="address">
      <code title={address}>{full ? address : shortAddress(address)}</code>
      <CopyButton text={address} className="copy" ariaLabel={`Copy address ${address}`} />
    </span>
  );
}
