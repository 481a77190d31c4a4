import type { ReactNode } from "react";
import type { TransactionState } from "../hooks/useTransaction";
import { explorerTxUrl } from "../chain";

/** Pending, confirmed (with an explorer link when the chain has one) or failed, announced to screen readers. */
export function TransactionStatus({ state, confirmedText = "Done." }: { state: TransactionState; confirmedText?: string }) {
  if (state.status === "idle") return null;
  const link = "hash" in state ? explorerTxUrl(state.hash) : undefined;
  return (
    <div className="tx-status" role="status" aria-live="polite">
      {state.status === "preparing" && <p>Checking the transaction, then asking your wallet…</p>}
      {state.status === "pending" && <p>Sent. Waiting for the block…</p>}
      {state.status === "confirmed" && <p className="ok">{confirmedText}</p>}
      {state.status === "failed" && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
      {link && (
        <p>
          <a href={link} target="_blank" rel="noreferrer">
            View on the block explorer
          </a>
        </p>
      )}
    </div>
  );
}

/** What a dialog shows once its transaction is confirmed: what happened (`children`), the status with its explorer
 * link, and a Done button that closes it. */
export function TransactionDone({
  state,
  confirmedText,
  onClose,
  children,
}: {
  state: TransactionState;
  confirmedText: string;
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="stack">
      {children}
      <TransactionStatus state={state} confirmedText={confirmedText} />
      <button type="button" className="button" onClick={onClose}>
        Done
      </button>
    </div>
  );
}
