import { useId, useState } from "react";
import { type Address, erc20Abi } from "viem";
import { useAccount, useReadContract } from "wagmi";
import { type Approval, chainTime, createOrder } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { AmountField } from "../../components/AmountField";
import { TransactionStatus } from "../../components/TransactionStatus";
import { usePerksTokens } from "../../hooks/usePerksTokens";
import { useTransaction } from "../../hooks/useTransaction";
import { targetChain } from "../../chain";
import { type AmountCheck, checkAmount } from "../../lib/amount";
import { formatUntil } from "../../lib/until";
import { type PairToken, orderAmounts, priceText } from "./book";

const EXPIRIES = [
  { seconds: 3_600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 7 * 86_400, label: "7 days" },
  { seconds: 30 * 86_400, label: "30 days" },
] as const;

/**
 * Posts an order: sell or buy the base token at a price in the quote token until an expiry. The exchange escrows
 * what the maker gives; if it may not take it yet, an approval (or a signed permit, for Perks tokens) comes first.
 */
export function MakeOrder({
  exchange,
  pair,
  balances,
}: {
  exchange: Address;
  pair: { base: PairToken; quote: PairToken };
  balances: ReadonlyMap<Address, bigint> | undefined;
}) {
  const ids = { price: useId(), expiry: useId() };
  const { address: account } = useAccount();
  const tokens = usePerksTokens();
  const { state, run, reset, blockedReason } = useTransaction();
  const [side, setSide] = useState<"sell" | "buy">("sell");
  const [amountText, setAmountText] = useState("");
  const [amount, setAmount] = useState<AmountCheck>(checkAmount("", { decimals: pair.base.decimals, symbol: pair.base.symbol }));
  const [price, setPrice] = useState("");
  const [expiry, setExpiry] = useState<number>(EXPIRIES[2].seconds);
  const [approval, setApproval] = useState<Approval>("approve");
  const [submitted, setSubmitted] = useState(false);
  const busy = state.status === "preparing" || state.status === "pending";

  const order = amount.ok ? orderAmounts({ side, amount: amount.value, price }, pair) : undefined;
  const give = side === "sell" ? pair.base : pair.quote;
  const get = side === "sell" ? pair.quote : pair.base;
  const balance = balances?.get(give.address);
  const short = order !== undefined && balance !== undefined && balance < order.sellAmount;
  const allowance = useReadContract({
    chainId: targetChain.id,
    address: give.address,
    abi: erc20Abi,
    functionName: "allowance",
    args: account ? [account, exchange] : undefined,
    query: { enabled: account !== undefined },
  });
  const needsApproval = order !== undefined && (allowance.data ?? 0n) < order.sellAmount;
  const permitSupported = tokens.data?.loyalty.some((token) => token.address === give.address) ?? false;
  const priceError = submitted && amount.ok && !order ? "Enter a price above zero, like 1.5." : undefined;

  return (
    <section className="card make-order" aria-labelledby="make-title">
      <h2 id="make-title">Make an order</h2>
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setSubmitted(true);
          if (!order || short || busy || blockedReason) return;
          const terms = order;
          void run(async (clients) => {
            const expiresAt = (await chainTime(clients.publicClient)) + BigInt(expiry);
            return createOrder(clients, { ...terms, expiresAt, approval: permitSupported ? approval : "approve", exchange });
          }).then((receipt) => {
            if (receipt) {
              setAmountText("");
              setAmount(checkAmount("", { decimals: pair.base.decimals, symbol: pair.base.symbol }));
              setSubmitted(false);
            }
          });
        }}
      >
        <div className="segmented" role="group" aria-label="Order side">
          {(["sell", "buy"] as const).map((option) => (
            <button
              key={option}
              type="button"
              className="segment"
              aria-pressed={side === option}
              onClick={() => {
                setSide(option);
                reset();
              }}
            >
              {option === "sell" ? `Sell ${pair.base.symbol}` : `Buy ${pair.base.symbol}`}
            </button>
          ))}
        </div>
        <div className="form-grid">
          <AmountField
            label={`Amount of ${pair.base.symbol}`}
            value={amountText}
            decimals={pair.base.decimals}
            symbol={pair.base.symbol}
            max={side === "sell" ? balance : undefined}
            showErrors={submitted}
            onChange={(text, check) => {
              setAmountText(text);
              setAmount(check);
              reset();
            }}
          />
          <div className="field">
            <label htmlFor={ids.price}>
              Price ({pair.quote.symbol} per {pair.base.symbol})
            </label>
            <input
              id={ids.price}
              inputMode="decimal"
              autoComplete="off"
              placeholder="1.0"
              value={price}
              aria-invalid={priceError ? true : undefined}
              onChange={(event) => {
                setPrice(event.target.value);
                reset();
              }}
            />
            {priceError && (
              <p className="field-error" role="alert">
                {priceError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.expiry}>Expires after</label>
            <select id={ids.expiry} value={expiry} onChange={(event) => setExpiry(Number(event.target.value))}>
              {EXPIRIES.map((option) => (
                <option key={option.seconds} value={option.seconds}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {needsApproval && permitSupported && (
          <fieldset className="choices">
            <legend>Let the exchange take your {give.symbol}</legend>
            <label className="choice">
              <input type="radio" name="approval" checked={approval === "approve"} onChange={() => setApproval("approve")} />
              <span>Approve exactly this amount (a transaction)</span>
            </label>
            <label className="choice">
              <input type="radio" name="approval" checked={approval === "permit"} onChange={() => setApproval("permit")} />
              <span>Sign a permit for exactly this amount (EIP-2612), then submit it</span>
            </label>
          </fieldset>
        )}
        {order && (
          <div className="summary-box" aria-live="polite">
            <p>
              You escrow <strong><Amount value={order.sellAmount} decimals={give.decimals} symbol={give.symbol} fractionDigits={6} /></strong> and
              get <strong><Amount value={order.buyAmount} decimals={get.decimals} symbol={get.symbol} fractionDigits={6} /></strong> when it is
              filled in full (partly filled: in proportion, never below your price).
            </p>
            <p className="hint">
              Price {priceText(side === "sell" ? order.buyAmount : order.sellAmount, amount.ok ? amount.value : 0n, pair, side === "sell" ? "up" : "down")}{" "}
              {pair.quote.symbol} per {pair.base.symbol} · expires {formatUntil(expiry)} · cancel any time.
              {needsApproval && " Your wallet first lets the exchange take exactly this amount."}
            </p>
          </div>
        )}
        {short && (
          <p className="error" role="alert">
            You have <Amount value={balance ?? 0n} decimals={give.decimals} symbol={give.symbol} fractionDigits={6} />: not enough to escrow.
          </p>
        )}
        <button type="submit" className="button" disabled={busy || short || blockedReason !== undefined}>
          {busy ? "Placing…" : "Place order"}
        </button>
        {blockedReason && <p className="hint">{blockedReason}</p>}
        <TransactionStatus state={state} confirmedText="Your order is in the book." />
      </form>
    </section>
  );
}
