import { useState } from "react";
import { shortAddress } from "../../../lib/format";

/** An address shown short, with the full one for screen readers and a copy button. */
export function AddressText({ address, full = false }: { address: string; full?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="address">
      <code title={address}>{full ? address : shortAddress(address)}</code>
      <button
        type="button"
        className="copy"
        aria-label={`Copy address ${address}`}
        onClick={() => {
          void navigator.clipboard?.writeText(address).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          });
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </span>
  );
}
