import { useId, useMemo, useState } from "react";
import { type Address, parseUnits } from "viem";
import { chainTime, postBid } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { AddressInput } from "../../components/AddressInput";
import { AmountField } from "../../components/AmountField";
import { TransactionStatus } from "../../components/TransactionStatus";
import { useBalances } from "../../hooks/useBalances";
import type { PerksTokens } from "../../hooks/usePerksTokens";
import { useTokenLabels } from "../../hooks/useTokenLabels";
import { useTransaction } from "../../hooks/useTransaction";
import { type AddressCheck, checkAddress } from "../../lib/address";
import { type AmountCheck, checkAmount, exactAmount } from "../../lib/amount";
import { formatFaceValue } from "../../lib/amount";
import { fundsFor } from "../../lib/bidMath";

const EXPIRIES = [
  { days: 1, label: "1 day" },
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
] as const;
const OTHER = "other";

/**
 * Posts a funded bid: a price per whole point in a stablecoin, the most points it buys, an expiry, and the funds
 * escrowed now (all of them by default, so every point it promises to buy is paid for).
 */
export function PostBid({ operator, tokens }: { operator: Address; tokens: PerksTokens }) {
  const ids = { token: useId(), coin: useId(), price: useId(), expiry: useId() };
  const { state, run, reset, blockedReason } = useTransaction();
  const [tokenAddress, setTokenAddress] = useState<Address>(tokens.loyalty[0].address);
  const [coinChoice, setCoinChoice] = useState<string>(tokens.stablecoins[0]?.address ?? OTHER);
  const [otherText, setOtherText] = useState("");
  const [other, setOther] = useState<AddressCheck>(checkAddress(""));
  const [price, setPrice] = useState("");
  const [pointsText, setPointsText] = useState("");
  const [maxPoints, setMaxPoints] = useState<AmountCheck>(checkAmount("", { decimals: 18, symbol: "points" }));
  const [days, setDays] = useState<number>(30);
  const [fundsText, setFundsText] = useState<string>();
  const [submitted, setSubmitted] = useState(false);
  const busy = state.status === "preparing" || state.status === "pending";

  const token = tokens.loyalty.find((candidate) => candidate.address === tokenAddress) ?? tokens.loyalty[0];
  const stablecoin: Address | undefined = coinChoice === OTHER ? (other.ok ? other.address : undefined) : (coinChoice as Address);
  const labels = useTokenLabels(useMemo(() => (stablecoin ? [stablecoin] : []), [stablecoin]), tokens.byAddress);
  const coin = stablecoin ? labels.get(stablecoin) : undefined;
  const balances = useBalances(operator, [stablecoin]);
  const coinBalance = stablecoin ? balances?.get(stablecoin) : undefined;

  const priceValue = (() => {
    if (!coin) return undefined;
    try {
      const value = parseUnits(price.trim().replace(",", "."), coin.decimals);
      return value > 0n ? value : undefined;
    } catch {
      return undefined;
    }
  })();
  const fullFunding = priceValue !== undefined && maxPoints.ok ? fundsFor(maxPoints.value, priceValue) : undefined;
  const fundsInput = fundsText ?? (fullFunding !== undefined && coin ? exactAmount(fullFunding, coin.decimals) : "");
  const funds = coin ? (fundsInput === "" || fundsInput === "0" ? ({ ok: true, value: 0n } as const) : checkAmount(fundsInput, { decimals: coin.decimals, symbol: coin.symbol, max: coinBalance })) : undefined;

  const submit = () => {
    setSubmitted(true);
    if (!stablecoin || !coin || priceValue === undefined || !maxPoints.ok || !funds?.ok || busy || blockedReason) return;
    const terms = { token: token.address, stablecoin, price: priceValue, maxPoints: maxPoints.value, funds: funds.value };
    void run(async (clients) => {
      const expiresAt = (await chainTime(clients.publicClient)) + BigInt(days * 86_400);
      return postBid(clients, { ...terms, expiresAt });
    });
  };

  return (
    <form
      className="card stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2>Post a bid</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.token}>Points to buy</label>
          <select id={ids.token} value={token.address} onChange={(event) => setTokenAddress(event.target.value as Address)}>
            {tokens.loyalty.map((option) => (
              <option key={option.address} value={option.address}>
                {option.symbol} · {option.name}
              </option>
            ))}
          </select>
          {token.faceValue > 0n && <p className="hint field-hint">Face value {formatFaceValue(token.faceValue)} per point.</p>}
        </div>
        <div className="field">
          <label htmlFor={ids.coin}>Pay in</label>
          <select id={ids.coin} value={coinChoice} onChange={(event) => setCoinChoice(event.target.value)}>
            {tokens.stablecoins.map((option) => (
              <option key={option.address} value={option.address}>
                {option.symbol} ({option.decimals} decimals)
              </option>
            ))}
            <option value={OTHER}>Another stablecoin (address)…</option>
          </select>
        </div>
      </div>
      {coinChoice === OTHER && (
        <AddressInput
          label="Stablecoin contract address"
          value={otherText}
          showErrors={submitted}
          onChange={(text, check) => {
            setOtherText(text);
            setOther(check);
          }}
          hint="Any ERC-20 without a transfer fee; its decimals are read from the contract."
        />
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.price}>Price per point{coin ? ` (${coin.symbol})` : ""}</label>
          <input
            id={ids.price}
            inputMode="decimal"
            autoComplete="off"
            placeholder="0.01"
            value={price}
            aria-invalid={submitted && priceValue === undefined ? true : undefined}
            onChange={(event) => {
              setPrice(event.target.value);
              reset();
            }}
          />
          {submitted && priceValue === undefined && (
            <p className="field-error" role="alert">
              Enter a price above zero{coin ? ` with at most ${coin.decimals} decimals` : ""}.
            </p>
          )}
        </div>
        <AmountField
          label={`Most points to buy (${token.symbol})`}
          value={pointsText}
          decimals={token.decimals}
          symbol={token.symbol}
          showErrors={submitted}
          onChange={(text, check) => {
            setPointsText(text);
            setMaxPoints(check);
            reset();
          }}
        />
        <div className="field">
          <label htmlFor={ids.expiry}>Open for</label>
          <select id={ids.expiry} value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {EXPIRIES.map((option) => (
              <option key={option.days} value={option.days}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {coin && (
        <AmountField
          label={`Fund now (${coin.symbol})`}
          value={fundsInput}
          decimals={coin.decimals}
          symbol={coin.symbol}
          max={coinBalance}
          showErrors={submitted}
          hint={
            <>
              Full funding is filled in; 0 posts the bid unfunded (fund it later).
              {coinBalance !== undefined && (
                <>
                  {" "}
                  You have <Amount value={coinBalance} decimals={coin.decimals} symbol={coin.symbol} fractionDigits={coin.decimals} />.
                </>
              )}
            </>
          }
          onChange={(text) => {
            setFundsText(text);
            reset();
          }}
        />
      )}
      {coin && priceValue !== undefined && maxPoints.ok && funds?.ok && (
        <div className="summary-box" aria-live="polite">
          <p>
            Sellers get {price} {coin.symbol} per {token.symbol}, for up to <Amount value={maxPoints.value} symbol={token.symbol} />, for{" "}
            {days} days. You escrow <Amount value={funds.value} decimals={coin.decimals} symbol={coin.symbol} fractionDigits={coin.decimals} />{" "}
            now; your wallet first approves exactly that if needed. Sold points come to this wallet.
          </p>
        </div>
      )}
      <button type="submit" className="button" disabled={busy || blockedReason !== undefined}>
        {busy ? "Posting…" : "Post bid"}
      </button>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} confirmedText="Your bid is live: customers see it on their Cash out page." />
    </form>
  );
}
