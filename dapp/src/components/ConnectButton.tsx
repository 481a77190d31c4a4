import { useState } from "react";
import { ConnectDialog } from "./ConnectDialog";

/** A call to action inside a page: opens the same wallet choice as the header's button. */
export function ConnectButton({ label = "Connect a wallet" }: { label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {label}
      </button>
      <ConnectDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
