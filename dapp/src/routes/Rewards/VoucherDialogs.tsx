import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { Address } from "viem";
import { useConnectorClient, usePublicClient } from "wagmi";
import {
  type SignedVoucherUse,
  type WriteClients,
  DEFAULT_VALIDITY_SECONDS,
  chainTime,
  encodeVoucherUse,
  giveVoucher,
  humanizeError,
  signVoucherUse,
  useVoucher as spendVoucher,
} from "@perks/sdk";
import { AddressInput } from "../../components/AddressInput";
import { Dialog } from "../../components/Dialog";
import { QrCode } from "../../components/QrCode";
import { TransactionDone, TransactionStatus } from "../../components/TransactionStatus";
import { useTransaction } from "../../hooks/useTransaction";
import { targetChain } from "../../chain";
import { type AddressCheck, checkAddress } from "../../lib/address";
import { useMetadata } from "../../hooks/useMetadata";
import { kindLabel, valueText } from "../../lib/rewardEligibility";
import type { HeldVoucher } from "./Vouchers";

export type VoucherAction = "till" | "use" | "give";

const TITLES: Record<VoucherAction, string> = { till: "Show at the till", use: "Use a voucher", give: "Give a voucher" };

export function VoucherDialog({
  action,
  voucher,
  balance,
  account,
  onClose,
}: {
  action: VoucherAction | undefined;
  voucher: HeldVoucher | undefined;
  /** What the wallet holds of this voucher now (it drops when the till uses one). */
  balance: bigint;
  account: Address;
  onClose: () => void;
}) {
  const metadata = useMetadata(voucher?.reward.params.metadataURI, voucher?.reward.id);
  const name = voucher
    ? (metadata.name ?? valueText(voucher.reward.params.kind, voucher.reward.params.value) ?? kindLabel(voucher.reward.params.kind))
    : "";
  return (
    <Dialog open={action !== undefined && voucher !== undefined} onClose={onClose} title={action ? TITLES[action] : ""}>
      {voucher && action === "till" && <TillCode voucher={voucher} name={name} balance={balance} />}
      {voucher && action === "use" && <UseNow voucher={voucher} name={name} onClose={onClose} />}
      {voucher && action === "give" && <Give voucher={voucher} name={name} balance={balance} account={account} onClose={onClose} />}
    </Dialog>
  );
}

/** The wallet's clients for a signature that is not a transaction (no gas, nothing to wait for). */
function useSigningClients(): { clients?: WriteClients; blockedReason?: string } {
  const { blockedReason } = useTransaction();
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const { data: walletClient } = useConnectorClient({ chainId: targetChain.id });
  if (blockedReason || !publicClient || !walletClient) return { blockedReason: blockedReason ?? "Your wallet is getting ready…" };
  return { clients: { publicClient, walletClient } as WriteClients };
}

/**
 * Signs an EIP-712 "Use" of one voucher (no gas) and shows it as a QR code for the merchant's till, which submits
 * it. The code works once and until its deadline; the dialog sees the voucher being used as the block lands.
 */
function TillCode({ voucher, name, balance }: { voucher: HeldVoucher; name: string; balance: bigint }) {
  const { clients, blockedReason } = useSigningClients();
  const [signed, setSigned] = useState<{ use: SignedVoucherUse; balanceAtSigning: bigint; expiresAt: number }>();
  const [error, setError] = useState<string>();
  const [signing, setSigning] = useState(false);
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  const asked = useRef(false);

  const sign = useCallback(async () => {
    if (!clients) return;
    setSigning(true);
    setError(undefined);
    try {
      // The deadline is chain time, which a local chain may run ahead of the clock: count down from now instead.
      const deadline = (await chainTime(clients.publicClient)) + DEFAULT_VALIDITY_SECONDS;
      const use = await signVoucherUse(clients, { voucher: voucher.catalog.voucher, rewardId: voucher.reward.id, deadline });
      setSigned({ use, balanceAtSigning: balance, expiresAt: Math.floor(Date.now() / 1000) + Number(DEFAULT_VALIDITY_SECONDS) });
    } catch (failure) {
      setError(humanizeError(failure).message);
    } finally {
      setSigning(false);
    }
  }, [clients, voucher, balance]);

  useEffect(() => {
    if (clients && !asked.current) {
      asked.current = true;
      void sign();
    }
  }, [clients, sign]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);

  const used = signed !== undefined && balance < signed.balanceAtSigning;
  const secondsLeft = signed ? signed.expiresAt - now : 0;
  const expired = signed !== undefined && !used && secondsLeft <= 0;

  return (
    <div className="stack till">
      <p>
        <strong>{name}</strong> — {balance > 1n ? `you hold ${balance.toString()}; this code uses one.` : "this code uses it."}
      </p>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      {signing && <p role="status">Confirm in your wallet: signing costs nothing and sends nothing.</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {used ? (
        <p className="ok till-used" role="status">
          ✓ Used at the till. Enjoy!
        </p>
      ) : signed && !expired ? (
        <>
          <div className="qr-frame">
            <QrCode text={encodeVoucherUse(signed.use)} label={`Voucher code for ${name}`} size={260} />
          </div>
          <p className="hint" role="timer" aria-live="off">
            Valid for {Math.floor(secondsLeft / 60)}:{String(secondsLeft % 60).padStart(2, "0")} more. It works once, and only at
            this merchant.
          </p>
          <details>
            <summary>Can't scan? Show the code as text</summary>
            <code className="code-value wrap">{encodeVoucherUse(signed.use)}</code>
          </details>
        </>
      ) : null}
      {(expired || (error && !signing)) && (
        <button type="button" className="button" onClick={() => void sign()} disabled={!clients || signing}>
          {expired ? "Show a new code" : "Try again"}
        </button>
      )}
    </div>
  );
}

function UseNow({ voucher, name, onClose }: { voucher: HeldVoucher; name: string; onClose: () => void }) {
  const { state, run, blockedReason } = useTransaction();
  const busy = state.status === "preparing" || state.status === "pending";
  return (
    <div className="stack">
      <p>
        Use one <strong>{name}</strong> now, from your wallet? Do this for an online checkout or when the merchant asks you to. At a
        till, show the QR code instead: the cashier uses it for you.
      </p>
      {state.status === "confirmed" ? (
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      ) : (
        <button
          type="button"
          className="button"
          disabled={busy || blockedReason !== undefined}
          onClick={() => void run((clients) => spendVoucher(clients, { voucher: voucher.catalog.voucher, rewardId: voucher.reward.id }))}
        >
          {busy ? "Using…" : "Use one voucher"}
        </button>
      )}
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} confirmedText="Used. The merchant sees it on-chain." />
    </div>
  );
}

function Give({
  voucher,
  name,
  balance,
  account,
  onClose,
}: {
  voucher: HeldVoucher;
  name: string;
  balance: bigint;
  account: Address;
  onClose: () => void;
}) {
  const amountId = useId();
  const { state, run, reset, blockedReason } = useTransaction();
  const [text, setText] = useState("");
  const [recipient, setRecipient] = useState<AddressCheck>(checkAddress("", { self: account }));
  const [amount, setAmount] = useState(1);
  const [submitted, setSubmitted] = useState(false);
  const busy = state.status === "preparing" || state.status === "pending";
  const contracts = [voucher.catalog.address, voucher.catalog.voucher, voucher.catalog.token];

  if (state.status === "confirmed") {
    return <TransactionDone state={state} confirmedText={`Given: ${amount} × ${name}.`} onClose={onClose} />;
  }
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (!recipient.ok || busy || blockedReason) return;
        const to = recipient.address;
        void run((clients) => giveVoucher(clients, { voucher: voucher.catalog.voucher, rewardId: voucher.reward.id, to, amount: BigInt(amount) }));
      }}
    >
      <p>
        Give <strong>{name}</strong> to someone: it moves to their wallet, and they use it as you would.
      </p>
      <AddressInput
        label="Their wallet address"
        value={text}
        self={account}
        contracts={contracts}
        showErrors={submitted}
        onChange={(next, check) => {
          setText(next);
          setRecipient(check);
          reset();
        }}
      />
      {balance > 1n && (
        <div className="field">
          <label htmlFor={amountId}>How many</label>
          <input
            id={amountId}
            type="number"
            min={1}
            max={Number(balance)}
            value={amount}
            onChange={(event) => setAmount(Math.min(Math.max(Math.trunc(Number(event.target.value)) || 1, 1), Number(balance)))}
          />
        </div>
      )}
      <button type="submit" className="button" disabled={busy || blockedReason !== undefined}>
        {busy ? "Giving…" : "Give"}
      </button>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} />
    </form>
  );
}
