import { useCallback, useEffect, useId, useMemo, useReducer, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import type { ClaimCode } from "@perks/sdk";
import { AddressInput } from "../../components/AddressInput";
import { Amount } from "../../components/Amount";
import { ConnectButton } from "../../components/ConnectButton";
import { ScanIcon } from "../../components/icons";
import { Skeleton } from "../../components/Skeleton";
import { TokenAvatar } from "../../components/TokenAvatar";
import { TransactionStatus } from "../../components/TransactionStatus";
import { TARGET_CHAIN_ID } from "../../chain";
import { useGasBalance } from "../../hooks/useGasBalance";
import { type AddressCheck, checkAddress } from "../../lib/address";
import { formatAmount } from "../../lib/amount";
import { shortAddress } from "../../lib/format";
import { formatDay } from "../../lib/time";
import { type ClaimInput, type ClaimProblem, type ClaimReceipt, type ClaimSource, claimReducer } from "./claimState";
import { QrScanner } from "./QrScanner";
import { useClaim } from "./useClaim";
import { type ClaimCheck, useClaimCheck } from "./useClaimCheck";
import "./claim.css";

const reducer = claimReducer(TARGET_CHAIN_ID);

export default function Claim() {
  const [input, dispatch] = useReducer(reducer, { step: "empty" } satisfies ClaimInput);
  const read = useCallback((text: string, source: ClaimSource) => dispatch({ type: "read", text, source }), []);
  useCodeFromLink(read);
  const heading = useRef<HTMLHeadingElement>(null);

  // A new step is announced by moving focus to the page's heading area, so keyboard and screen reader users follow.
  useEffect(() => {
    if (input.step !== "empty") heading.current?.focus();
  }, [input.step]);

  return (
    <section className="page claim-page" aria-labelledby="claim-title">
      <h1 id="claim-title" ref={heading} tabIndex={-1}>
        {input.step === "claimed" ? "Points claimed" : "Claim points"}
      </h1>
      {input.step === "parsed" ? (
        <ClaimPanel code={input.code} onClaimed={(receipt) => dispatch({ type: "claimed", receipt })} onBack={() => dispatch({ type: "clear" })} />
      ) : input.step === "claimed" ? (
        <Claimed code={input.code} receipt={input.receipt} onAnother={() => dispatch({ type: "clear" })} />
      ) : (
        <CodeEntry problem={input.step === "invalid" ? input.problem : undefined} initialText={input.step === "invalid" ? input.text : ""} onRead={read} />
      )}
    </section>
  );
}

/**
 * Reads a code from the link that opened the page (`/claim#c=…`; browsers never send the fragment to a server),
 * then clears it from the address bar and the history entry, so the claim key does not linger where others look.
 */
function useCodeFromLink(read: (text: string, source: ClaimSource) => void) {
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    if (!location.hash.includes("c=")) return;
    read(location.hash, "link");
    void navigate({ pathname: location.pathname, search: location.search, hash: "" }, { replace: true });
  }, [location.hash, location.pathname, location.search, navigate, read]);
}

// ------------------------------------------------------------------------------------------------ entry

function CodeEntry({
  problem,
  initialText,
  onRead,
}: {
  problem?: ClaimProblem;
  initialText: string;
  onRead: (text: string, source: ClaimSource) => void;
}) {
  const id = useId();
  const [text, setText] = useState(initialText);
  const [scanning, setScanning] = useState(false);
  const [pasteProblem, setPasteProblem] = useState<string>();
  const canPaste = typeof navigator !== "undefined" && typeof navigator.clipboard?.readText === "function";

  if (scanning) {
    return (
      <QrScanner
        onResult={(scanned) => {
          setScanning(false);
          setText(scanned);
          onRead(scanned, "scan");
        }}
        onCancel={() => setScanning(false)}
      />
    );
  }

  return (
    <div className="stack">
      <p className="lead">Got a receipt, a card or a link with a Perks code? Claim its points into your wallet. No sign-up, no personal data.</p>
      <button type="button" className="button scan-button" onClick={() => setScanning(true)}>
        <ScanIcon /> Scan a QR code
      </button>
      <form
        className="card stack"
        onSubmit={(event) => {
          event.preventDefault();
          onRead(text, "paste");
        }}
      >
        <div className="field">
          <label htmlFor={id}>Or paste a claim code or link</label>
          <textarea
            id={id}
            rows={3}
            className="mono"
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            placeholder="https://…/claim#c=… or the code itself"
            value={text}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        {problem && (
          <div id={`${id}-problem`} className="problem" role="alert">
            <strong>{problem.title}.</strong> {problem.message}
          </div>
        )}
        {pasteProblem && (
          <p className="field-error" role="alert">
            {pasteProblem}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button" disabled={text.trim() === ""}>
            Check code
          </button>
          {canPaste && (
            <button
              type="button"
              className="button secondary"
              onClick={() =>
                navigator.clipboard.readText().then(
                  (pasted) => {
                    setPasteProblem(undefined);
                    setText(pasted);
                    onRead(pasted, "paste");
                  },
                  () => setPasteProblem("The browser did not allow reading the clipboard. Paste into the field instead."),
                )
              }
            >
              Paste from clipboard
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------ claim

function ClaimPanel({ code, onClaimed, onBack }: { code: ClaimCode; onClaimed: (receipt: ClaimReceipt) => void; onBack: () => void }) {
  const { address, isConnected } = useAccount();
  const [otherText, setOtherText] = useState("");
  const [other, setOther] = useState<AddressCheck>(checkAddress(""));
  const recipient: Address | undefined = address ?? (other.ok ? other.address : undefined);
  const { check, error } = useClaimCheck(code, recipient);
  const claim = useClaim(code, onClaimed);
  const gas = useGasBalance(address);
  const noGas = gas.data === 0n;

  return (
    <div className="stack">
      <CodeSummary code={code} check={check} />
      {error && !check ? (
        <div className="problem" role="alert">
          <strong>Could not check this code.</strong> The network did not answer; check your connection and try again.
        </div>
      ) : !check ? (
        <Skeleton lines={2} label="Checking the code" />
      ) : check.problem ? (
        <div className="problem" role="alert">
          <strong>{check.problem.title}.</strong> {check.problem.message}
        </div>
      ) : (
        <div className="card stack">
          <Receive check={check} />
          {isConnected && address ? (
            <>
              <p className="hint">
                Into your wallet <span className="mono">{shortAddress(address)}</span>
                {noGas && ". Your wallet has no gas money, so the shop's relayer sends the claim for you, for free"}.
              </p>
              <div className="button-row">
                {noGas ? (
                  <button type="button" className="button" disabled={claim.busy} onClick={() => void claim.withRelayer(address)}>
                    {claim.busy ? "Claiming…" : "Claim for free"}
                  </button>
                ) : (
                  <>
                    <button
                      type="button"
                      className="button"
                      disabled={claim.busy || claim.walletBlockedReason !== undefined}
                      onClick={() => void claim.withWallet(address)}
                    >
                      {claim.busy && claim.via === "wallet" ? "Claiming…" : "Claim"}
                    </button>
                    <button type="button" className="button secondary" disabled={claim.busy} onClick={() => void claim.withRelayer(address)}>
                      {claim.busy && claim.via === "relayer" ? "Claiming…" : "Claim without gas"}
                    </button>
                  </>
                )}
              </div>
              {!noGas && claim.walletBlockedReason && <p className="hint">{claim.walletBlockedReason}</p>}
            </>
          ) : (
            <>
              <p>Connect the wallet that should receive the points.</p>
              <ConnectButton />
              <details className="other-address">
                <summary>No wallet here? Claim to an address</summary>
                <form
                  className="stack"
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (other.ok) void claim.withRelayer(other.address);
                  }}
                >
                  <AddressInput
                    label="Wallet address to receive the points"
                    hint="The shop's relayer sends the claim for free; only this address can receive these points."
                    value={otherText}
                    onChange={(text, result) => {
                      setOtherText(text);
                      setOther(result);
                    }}
                  />
                  <button type="submit" className="button" disabled={!other.ok || claim.busy}>
                    {claim.busy ? "Claiming…" : "Claim to this address"}
                  </button>
                </form>
              </details>
            </>
          )}
          <TransactionStatus state={claim.state} confirmedText="Claimed." />
        </div>
      )}
      <button type="button" className="button link-like" onClick={onBack}>
        Use another code
      </button>
    </div>
  );
}

function CodeSummary({ code, check }: { code: ClaimCode; check: ClaimCheck | undefined }) {
  const token = check?.token;
  return (
    <div className="code-summary">
      {token && <TokenAvatar address={token.address} symbol={token.symbol} />}
      <div>
        <p className="code-title">{token ? token.name : "Perks code"}</p>
        <p className="hint">
          {code.kind === "voucher"
            ? `Receipt code · valid until ${formatDay(Number(code.voucher.expiresAt))}`
            : `Printed code no. ${code.code.index} of batch ${code.code.batchId}`}
        </p>
      </div>
    </div>
  );
}

function Receive({ check }: { check: ClaimCheck }) {
  const { token, quote, balance } = check;
  if (!token || !quote) return <Skeleton lines={1} label="Working out your points" />;
  const total = quote.amount + quote.bonus;
  return (
    <div className="receive">
      <p className="hint">You receive</p>
      <p className="receive-amount">
        <Amount value={total} decimals={token.decimals} symbol={token.symbol} />
      </p>
      {quote.bonus > 0n && (
        <p className="bonus">
          Includes a stamp-card bonus of {formatAmount(quote.bonus, token.decimals)} {token.symbol}!
        </p>
      )}
      {balance !== undefined && (
        <p className="hint">
          Your balance: {formatAmount(balance, token.decimals)} → {formatAmount(balance + total, token.decimals)} {token.symbol}
        </p>
      )}
    </div>
  );
}

function Claimed({ code, receipt, onAnother }: { code: ClaimCode; receipt: ClaimReceipt; onAnother: () => void }) {
  const { check } = useClaimCheck(code, receipt.recipient);
  const token = check?.token;
  const total = receipt.amount + receipt.bonus;
  const connected = useAccount().address;
  const ownWallet = useMemo(() => connected?.toLowerCase() === receipt.recipient.toLowerCase(), [connected, receipt.recipient]);
  return (
    <div className="card stack claimed" role="status">
      <p className="claimed-icon" aria-hidden="true">
        ✓
      </p>
      <p className="receive-amount">
        {token ? <Amount value={total} decimals={token.decimals} symbol={token.symbol} sign /> : "Points"} added
      </p>
      {receipt.bonus > 0n && token && (
        <p className="bonus">
          Including a {formatAmount(receipt.bonus, token.decimals)} {token.symbol} stamp-card bonus.
        </p>
      )}
      {token && check?.balance !== undefined && (
        <p>
          {ownWallet ? "Your" : `${shortAddress(receipt.recipient)}'s`} balance is now{" "}
          <strong>
            <Amount value={check.balance} decimals={token.decimals} symbol={token.symbol} />
          </strong>
          .
        </p>
      )}
      <p className="hint">{receipt.via === "relayer" ? "The shop's relayer paid the gas." : "Claimed from your wallet."}</p>
      <div className="button-row">
        {ownWallet && (
          <Link className="button" to="/">
            See your points
          </Link>
        )}
        <button type="button" className="button secondary" onClick={onAnother}>
          Claim another code
        </button>
      </div>
    </div>
  );
}
