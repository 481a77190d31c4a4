import type { ButtonHTMLAttributes } from "react";
import type { TransactionState } from "../../../hooks/useTransaction";

interface TxButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  state: TransactionState;
  /** Why no write can start now (no wallet, wrong chain), from `useTransaction`. */
  blockedReason?: string;
  busyLabel?: string;
}

/** A write's button: disabled while one is under way or when writes are blocked, saying why. */
export function TxButton({ state, blockedReason, busyLabel = "Working…", children, disabled, className, ...button }: TxButtonProps) {
  const busy = state.status === "preparing" || state.status === "pending";
  return (
    <span className="tx-button">
      <button
        type="submit"
        className={`button ${className ?? ""}`}
        disabled={disabled || busy || blockedReason !== undefined}
        aria-busy={busy || undefined}
        {...button}
      >
        {busy ? busyLabel : children}
      </button>
      {blockedReason && <span className="hint blocked">{blockedReason}</span>}
    </span>
  );
}
