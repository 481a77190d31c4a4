import { type FormEvent, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useAccount, useConnectorClient } from "wagmi";
import { Channel, createVoucher, encodeClaimLink, humanizeError, isIssuer, voucherIdFor } from "@perks/sdk";
import { targetChain } from "../../chain";
import { QrCode } from "../../components/QrCode";
import { AddressText } from "./components/Address";
import { CampaignPicker, useCampaignChoice } from "./components/CampaignPicker";
import { useChainNow } from "./hooks/useChainNow";
import { MERCHANT_QUERY } from "./hooks/useMerchant";
import { useReadClient } from "./hooks/useReadClient";
import { earnRateText, pointsForSpend } from "./lib/earnPreview";
import { countPrinted, takeSequence } from "./lib/sequence";
import { localTerminalFor } from "./lib/terminal";
import { formatDown, formatMoneyUnits, parseMoney } from "./lib/units";
import { voucherSigner } from "./lib/voucherSigner";

const DAY = 86_400;
const VALIDITY_DAYS = [7, 30, 90] as const;
const KEYS = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "0", ".", "⌫"] as const;

interface IssuedVoucher {
  link: string;
  spend: bigint;
  points: bigint;
  sequence: bigint;
  expiresAt: bigint;
  at: number;
}

/**
 * The till: a spend amount becomes a signed voucher QR at once, with no transaction. The customer scans it and
 * claims with any wallet; the voucher's id comes from this device's sequence for the terminal key.
 */
export default function Pos() {
  const { address } = useAccount();
  const { campaigns, selected, choose, isPending } = useCampaignChoice(Channel.Voucher);
  const client = useReadClient();
  const { data: walletClient } = useConnectorClient({ chainId: targetChain.id });
  const localTerminal = localTerminalFor(address);
  const now = useChainNow();
  const signer = useMemo(() => voucherSigner(localTerminal, walletClient), [localTerminal, walletClient]);

  const [amount, setAmount] = useState("");
  const [validityDays, setValidityDays] = useState<number>(30);
  const [error, setError] = useState<string>();
  const [signing, setSigning] = useState(false);
  const [history, setHistory] = useState<IssuedVoucher[]>([]);
  const amountInput = useRef<HTMLInputElement>(null);
  const current = history[0];

  const issuer = useQuery({
    queryKey: [MERCHANT_QUERY, "isIssuer", selected?.address, signer?.address],
    enabled: selected !== undefined && signer !== undefined,
    queryFn: () => isIssuer(client, { campaign: selected!.address, account: signer!.address }),
  });

  const parsed = parseMoney(amount);
  const spend = parsed.value ?? 0n;
  const preview = selected ? pointsForSpend(spend, selected.rules.earnPoints, selected.rules.earnSpend) : 0n;
  const earnRate = selected !== undefined && selected.rules.earnSpend > 0n;

  async function issue(event?: FormEvent) {
    event?.preventDefault();
    setError(undefined);
    if (!selected || !signer) return;
    if (parsed.error !== undefined || spend === 0n) {
      setError(parsed.error ?? "Enter the amount of the sale.");
      amountInput.current?.focus();
      return;
    }
    setSigning(true);
    try {
      // The number is taken before signing: a voucher abandoned in the wallet never reuses it.
      const sequence = takeSequence(localStorage, targetChain.id, signer.address);
      const expiresAt = BigInt(now + validityDays * DAY);
      const code = await createVoucher({
        issuer: signer,
        campaign: selected.address,
        chainId: targetChain.id,
        id: voucherIdFor(signer.address, sequence),
        spend,
        expiresAt,
      });
      const link = encodeClaimLink(code, new URL("/claim", window.location.origin).toString());
      countPrinted(localStorage, targetChain.id, selected.address);
      setHistory((previous) => [{ link, spend, points: preview, sequence, expiresAt, at: Date.now() }, ...previous].slice(0, 20));
      setAmount("");
    } catch (failure) {
      setError(humanizeError(failure).message);
    } finally {
      setSigning(false);
    }
  }

  function press(key: (typeof KEYS)[number]) {
    setError(undefined);
    setAmount((value) => (key === "⌫" ? value.slice(0, -1) : key === "." && value.includes(".") ? value : value + key));
  }

  if (!address) return <h1>Point of sale</h1>;
  if (isPending) return <p className="loading" role="status">Loading your campaigns…</p>;
  if (!selected) {
    return (
      <section className="card">
        <h1>Point of sale</h1>
        <p>No running campaign accepts receipt vouchers.</p>
        <Link className="button" to="/merchant/new">
          Create a campaign
        </Link>
      </section>
    );
  }

  const symbol = selected.token.symbol;
  return (
    <section className="pos">
      <div className="page-head">
        <h1>Point of sale</h1>
        <CampaignPicker campaigns={campaigns} selected={selected} choose={choose} />
      </div>
      <div className="pos-layout">
        <form className="card till" onSubmit={issue} noValidate>
          <label htmlFor="pos-amount" className="till-label">
            Amount of the sale
          </label>
          <input
            id="pos-amount"
            ref={amountInput}
            className="till-amount"
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            placeholder="0.00"
            value={amount}
            onChange={(event) => {
              setAmount(event.target.value);
              setError(undefined);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby="pos-preview pos-error"
          />
          <p id="pos-preview" className="till-preview" aria-live="polite">
            {!earnRate
              ? "This campaign has no earn rate: vouchers need fixed points."
              : spend === 0n
                ? `Type the amount: ${earnRateText(selected.rules.earnPoints, selected.rules.earnSpend, symbol)}.`
                : `Earns ${formatDown(preview)} ${symbol}${selected.rules.tiers.length > 0 ? " before any tier bonus" : ""}`}
          </p>
          <p id="pos-error" className="field-error" role={error ? "alert" : undefined}>
            {error}
          </p>
          <div className="keypad" role="group" aria-label="Keypad">
            {KEYS.map((key) => (
              <button key={key} type="button" className="key" onClick={() => press(key)} aria-label={key === "⌫" ? "Delete last digit" : key}>
                {key}
              </button>
            ))}
          </div>
          <div className="field">
            <label htmlFor="pos-validity">Claim within</label>
            <select id="pos-validity" value={validityDays} onChange={(event) => setValidityDays(Number(event.target.value))}>
              {VALIDITY_DAYS.map((days) => (
                <option key={days} value={days}>
                  {days} days
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button big" disabled={signing || !signer || !earnRate || selected.paused}>
            {signing ? "Signing…" : "Make voucher"}
          </button>
          {!signer && <p className="hint blocked">Connect the till's wallet to sign vouchers.</p>}
          {selected.paused && <p className="hint blocked">The campaign is paused: resume it to issue points.</p>}
          {signer && (
            <p className="hint">
              {localTerminal ? `Signed offline with ${localTerminal.label}` : "Signed by your wallet"} (
              <AddressText address={signer.address} />)
              {issuer.data === false && (
                <strong className="error"> — this key is not an issuer of the campaign: its vouchers would be refused.</strong>
              )}
            </p>
          )}
        </form>

        <div className="card voucher" aria-live="polite">
          {current ? (
            <>
              <h2>Scan to claim {formatDown(current.points)} {symbol}</h2>
              <QrCode text={current.link} label={`Claim QR code for a ${formatMoneyUnits(current.spend)} purchase`} size={280} />
              <p className="hint">
                Sale {formatMoneyUnits(current.spend)} · voucher #{current.sequence.toString()} · claim by{" "}
                {new Date(Number(current.expiresAt) * 1000).toLocaleDateString()}
              </p>
              <div className="link-box">
                <input readOnly value={current.link} aria-label="Claim link" onFocus={(event) => event.target.select()} />
                <button type="button" className="button secondary small" onClick={() => void navigator.clipboard?.writeText(current.link)}>
                  Copy link
                </button>
              </div>
            </>
          ) : (
            <p className="hint">Type the amount and press “Make voucher”: the QR code appears here, no transaction needed.</p>
          )}
        </div>
      </div>

      {history.length > 1 && (
        <section aria-labelledby="pos-history">
          <h2 id="pos-history">Earlier vouchers on this screen</h2>
          <ul className="plain-list">
            {history.slice(1).map((voucher) => (
              <li key={voucher.sequence.toString()}>
                {new Date(voucher.at).toLocaleTimeString()} · {formatMoneyUnits(voucher.spend)} · {formatDown(voucher.points)} {symbol} ·{" "}
                <button type="button" className="link-button" onClick={() => setHistory((all) => [voucher, ...all.filter((v) => v !== voucher)])}>
                  Show again
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
