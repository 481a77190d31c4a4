import { useId, useState } from "react";
import type { Address } from "viem";
import { transfer } from "@perks/sdk";
import { AddressInput } from "../../components/AddressInput";
import { Amount } from "../../components/Amount";
import { Dialog } from "../../components/Dialog";
import { TransactionDone, TransactionStatus } from "../../components/TransactionStatus";
import type { HeldToken } from "../../hooks/useWalletTokens";
import { useTransaction } from "../../hooks/useTransaction";
import type { AddressCheck } from "../../lib/address";
import { checkAddress } from "../../lib/address";
import { checkAmount, exactAmount, formatAmount } from "../../lib/amount";
import { shortAddress } from "../../lib/format";

/**
 * Sends points to another wallet with a plain ERC-20 transfer: the holder sends its own points, so there is
 * nothing to approve and a permit would save no step.
 */
export function SendDialog({
  token,
  account,
  contracts,
  onClose,
}: {
  token: HeldToken | undefined;
  account: Address;
  /** Perks contract addresses, refused as recipients. */
  contracts: readonly Address[];
  onClose: () => void;
}) {
  return (
    <Dialog open={token !== undefined} onClose={onClose} title={token ? `Send ${token.symbol}` : "Send"}>
      {token && <SendForm key={token.address} token={token} account={account} contracts={contracts} onClose={onClose} />}
    </Dialog>
  );
}

function SendForm({
  token,
  account,
  contracts,
  onClose,
}: {
  token: HeldToken;
  account: Address;
  contracts: readonly Address[];
  onClose: () => void;
}) {
  const amountId = useId();
  const { state, run, reset, blockedReason } = useTransaction();
  const [recipientText, setRecipientText] = useState("");
  const [recipient, setRecipient] = useState<AddressCheck>(checkAddress("", { self: account }));
  const [amountText, setAmountText] = useState("");
  const [amountTouched, setAmountTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const amount = checkAmount(amountText, { decimals: token.decimals, symbol: token.symbol, max: token.balance });
  // The button says what was typed even beyond the balance: the field's error explains the refusal.
  const typed = checkAmount(amountText, { decimals: token.decimals, symbol: token.symbol });
  const busy = state.status === "preparing" || state.status === "pending";
  const amountError = !amount.ok && (amountTouched || submitted) ? amount.error : undefined;

  if (state.status === "confirmed" && recipient.ok && amount.ok) {
    return (
      <TransactionDone state={state} confirmedText="The transfer is confirmed on-chain." onClose={onClose}>
        <p className="ok" role="status">
          Sent <Amount value={amount.value} decimals={token.decimals} symbol={token.symbol} /> to{" "}
          <span className="mono">{shortAddress(recipient.address)}</span>.
        </p>
      </TransactionDone>
    );
  }

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (!recipient.ok || !amount.ok || blockedReason || busy) return;
        const to = recipient.address;
        const value = amount.value;
        void run((clients) => transfer(clients, { token: token.address, to, amount: value }));
      }}
    >
      <AddressInput
        label="Recipient's wallet address"
        value={recipientText}
        onChange={(text, check) => {
          setRecipientText(text);
          setRecipient(check);
          if (state.status === "failed") reset();
        }}
        self={account}
        contracts={contracts}
        showErrors={submitted}
      />
      <div className="field">
        <label htmlFor={amountId}>Amount of {token.symbol}</label>
        <div className="input-row">
          <input
            id={amountId}
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder="0"
            value={amountText}
            aria-invalid={amountError ? true : undefined}
            aria-describedby={`${amountId}-balance${amountError ? ` ${amountId}-error` : ""}`}
            onChange={(event) => {
              setAmountText(event.target.value);
              if (state.status === "failed") reset();
            }}
            onBlur={() => setAmountTouched(true)}
          />
          <button
            type="button"
            className="button secondary"
            onClick={() => setAmountText(exactAmount(token.balance, token.decimals))}
          >
            Max
          </button>
        </div>
        <p id={`${amountId}-balance`} className="hint field-hint">
          You have <Amount value={token.balance} decimals={token.decimals} symbol={token.symbol} fractionDigits={4} />.
        </p>
        {amountError && (
          <p id={`${amountId}-error`} className="field-error" role="alert">
            {amountError}
          </p>
        )}
      </div>
      <p className="hint">Check the address: points sent to a wrong address cannot be recovered. Your wallet pays a little gas.</p>
      <button type="submit" className="button" disabled={busy || blockedReason !== undefined}>
        {busy
          ? "Sending…"
          : typed.ok
            ? `Send ${formatAmount(typed.value, token.decimals, 4)} ${token.symbol}`
            : `Send ${token.symbol}`}
      </button>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} />
    </form>
  );
}
