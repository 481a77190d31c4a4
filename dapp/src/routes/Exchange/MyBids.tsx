import { useId, useMemo, useState } from "react";
import { type Address, parseUnits } from "viem";
import { closeBid, repriceBid, topUpBid, withdrawFromBid } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { AmountField } from "../../components/AmountField";
import { EmptyState } from "../../components/EmptyState";
import { Skeleton } from "../../components/Skeleton";
import { TransactionStatus } from "../../components/TransactionStatus";
import { useBalances } from "../../hooks/useBalances";
import type { PerksTokens } from "../../hooks/usePerksTokens";
import { type TokenLabel, useTokenLabels } from "../../hooks/useTokenLabels";
import { useTransaction } from "../../hooks/useTransaction";
import { type AmountCheck, checkAmount, exactAmount } from "../../lib/amount";
import { shortAddress } from "../../lib/format";
import { formatUntil } from "../../lib/until";
import { pricePerPoint } from "../../lib/bidMath";
import { type OperatorBid, useOperatorBids } from "./useOperatorBids";

export function MyBids({ operator, tokens }: { operator: Address; tokens: PerksTokens }) {
  const bids = useOperatorBids(operator);
  const labels = useTokenLabels(
    useMemo(() => (bids.data?.bids ?? []).flatMap((bid) => [bid.posted.stablecoin, bid.posted.token]), [bids.data]),
    tokens.byAddress,
  );
  const balances = useBalances(
    operator,
    useMemo(() => (bids.data?.bids ?? []).map((bid) => bid.posted.stablecoin), [bids.data]),
  );
  if (bids.error) {
    return (
      <p className="error" role="alert">
        {bids.error.message}
      </p>
    );
  }
  if (!bids.data) return <Skeleton label="Loading your bids" />;
  if (bids.data.bids.length === 0) {
    return (
      <EmptyState icon="💱" title="No bids yet">
        <p>Post a bid to buy a brand's points for a stablecoin; customers sell into it from their Cash out page.</p>
      </EmptyState>
    );
  }
  const { now } = bids.data;
  return (
    <div className="stack">
      {bids.data.bids.map((bid) => (
        <BidCard
          key={bid.id.toString()}
          bid={bid}
          token={labels.get(bid.posted.token)}
          coin={labels.get(bid.posted.stablecoin)}
          coinBalance={balances?.get(bid.posted.stablecoin)}
          now={now}
        />
      ))}
    </div>
  );
}

type Action = "topUp" | "reprice" | "withdraw" | "close";
const ACTIONS: { id: Action; label: string }[] = [
  { id: "topUp", label: "Fund" },
  { id: "reprice", label: "Reprice" },
  { id: "withdraw", label: "Withdraw" },
  { id: "close", label: "Close" },
];

function BidCard({
  bid,
  token,
  coin,
  coinBalance,
  now,
}: {
  bid: OperatorBid;
  token: TokenLabel | undefined;
  coin: TokenLabel | undefined;
  coinBalance: bigint | undefined;
  now: number;
}) {
  const [action, setAction] = useState<Action>();
  const { state, posted } = bid;
  const symbol = token?.symbol ?? shortAddress(posted.token);
  const coinSymbol = coin?.symbol ?? shortAddress(posted.stablecoin);
  const decimals = coin?.decimals ?? 6;
  const sold = bid.sales.reduce((sum, sale) => sum + sale.points, 0n);
  const paid = bid.sales.reduce((sum, sale) => sum + sale.payout, 0n);
  const status = !state.open ? "closed" : state.expired ? "expired" : state.sellablePoints === 0n ? "unfunded" : "open";
  const titleId = `bid-${bid.id}`;

  return (
    <article className="card bid-card" aria-labelledby={titleId}>
      <h2 id={titleId} className="bid-title">
        Bid #{bid.id.toString()}: {symbol} for {coinSymbol}
        <span className={`tag ${status === "open" ? "good" : "warn"}`}>{status}</span>
      </h2>
      <dl className="facts">
        <div>
          <dt>Price per point</dt>
          <dd>
            {pricePerPoint(state.open ? state.price : posted.price, decimals)} {coinSymbol}
          </dd>
        </div>
        <div>
          <dt>Still buys</dt>
          <dd>
            <Amount value={state.remainingPoints} symbol={symbol} /> of <Amount value={posted.maxPoints} />
          </dd>
        </div>
        <div>
          <dt>Free funds</dt>
          <dd>
            <Amount value={state.funds} decimals={decimals} symbol={coinSymbol} fractionDigits={decimals} />
          </dd>
        </div>
        <div>
          <dt>Funds cover</dt>
          <dd>
            <Amount value={state.sellablePoints} symbol={symbol} />
          </dd>
        </div>
        {state.open && (
          <div>
            <dt>Expires</dt>
            <dd>{formatUntil(Number(state.expiresAt) - now)}</dd>
          </div>
        )}
        <div>
          <dt>Bought so far</dt>
          <dd>
            <Amount value={sold} symbol={symbol} /> for <Amount value={paid} decimals={decimals} symbol={coinSymbol} fractionDigits={decimals} />
          </dd>
        </div>
      </dl>
      {bid.sales.length > 0 && (
        <details>
          <summary>Sales ({bid.sales.length})</summary>
          <ul className="sales" aria-live="polite">
            {bid.sales.map((sale) => (
              <li key={sale.transactionHash}>
                <span className="mono">{shortAddress(sale.seller)}</span> sold <Amount value={sale.points} symbol={symbol} /> for{" "}
                <Amount value={sale.payout} decimals={decimals} symbol={coinSymbol} fractionDigits={decimals} /> (block {sale.blockNumber.toString()})
              </li>
            ))}
          </ul>
        </details>
      )}
      {state.open && (
        <>
          <div className="segmented" role="group" aria-label={`Manage bid ${bid.id}`}>
            {ACTIONS.map((option) => (
              <button key={option.id} type="button" className="segment" aria-pressed={action === option.id} onClick={() => setAction(action === option.id ? undefined : option.id)}>
                {option.label}
              </button>
            ))}
          </div>
          {action && <BidAction key={action} action={action} bid={bid} coin={{ symbol: coinSymbol, decimals }} coinBalance={coinBalance} />}
        </>
      )}
    </article>
  );
}

function BidAction({
  action,
  bid,
  coin,
  coinBalance,
}: {
  action: Action;
  bid: OperatorBid;
  coin: TokenLabel;
  coinBalance: bigint | undefined;
}) {
  const priceId = useId();
  const { state, run, reset, blockedReason } = useTransaction();
  const [text, setText] = useState("");
  const [amount, setAmount] = useState<AmountCheck>(checkAmount("", { decimals: coin.decimals, symbol: coin.symbol }));
  const [price, setPrice] = useState(pricePerPoint(bid.state.price, coin.decimals));
  const [submitted, setSubmitted] = useState(false);
  const busy = state.status === "preparing" || state.status === "pending";
  const newPrice = (() => {
    try {
      const value = parseUnits(price.trim().replace(",", "."), coin.decimals);
      return value > 0n ? value : undefined;
    } catch {
      return undefined;
    }
  })();
  const bidId = bid.id;

  const submit = () => {
    setSubmitted(true);
    if (busy || blockedReason) return;
    if (action === "close") return void run((clients) => closeBid(clients, { bidId }));
    if (action === "reprice") {
      if (newPrice === undefined) return;
      return void run((clients) => repriceBid(clients, { bidId, price: newPrice }));
    }
    if (!amount.ok) return;
    const value = amount.value;
    void run(
      (clients) => (action === "topUp" ? topUpBid(clients, { bidId, amount: value }) : withdrawFromBid(clients, { bidId, amount: value })),
      { currency: { decimals: coin.decimals, unit: coin.symbol } },
    );
  };

  const confirmed = {
    topUp: "Funded.",
    reprice: "Repriced. Sellers see the new price now.",
    withdraw: "Withdrawn to your wallet.",
    close: "Closed; its free funds are back in your wallet.",
  }[action];

  return (
    <form
      className="stack bid-action"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {action === "close" && (
        <p>Close this bid for good? Nobody can sell into it any more, and all its free funds come back to you.</p>
      )}
      {action === "reprice" && (
        <div className="field">
          <label htmlFor={priceId}>New price per point ({coin.symbol})</label>
          <input
            id={priceId}
            inputMode="decimal"
            value={price}
            aria-invalid={submitted && newPrice === undefined ? true : undefined}
            onChange={(event) => {
              setPrice(event.target.value);
              reset();
            }}
          />
          <p className="hint field-hint">Sellers already signing are protected by their minimum out: a lower price makes their sale fail, not pay less.</p>
          {submitted && newPrice === undefined && (
            <p className="field-error" role="alert">
              Enter a price above zero with at most {coin.decimals} decimals.
            </p>
          )}
        </div>
      )}
      {(action === "topUp" || action === "withdraw") && (
        <AmountField
          label={action === "topUp" ? `Add ${coin.symbol}` : `Take back ${coin.symbol}`}
          value={text}
          decimals={coin.decimals}
          symbol={coin.symbol}
          max={action === "topUp" ? coinBalance : bid.state.funds}
          tooMuch={action === "withdraw" ? `The bid has ${exactAmount(bid.state.funds, coin.decimals)} ${coin.symbol} free.` : undefined}
          showErrors={submitted}
          onChange={(next, check) => {
            setText(next);
            setAmount(check);
            reset();
          }}
        />
      )}
      <button type="submit" className={action === "close" ? "button danger" : "button"} disabled={busy || blockedReason !== undefined}>
        {busy ? "Working…" : ACTIONS.find((option) => option.id === action)!.label}
      </button>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} confirmedText={confirmed} />
    </form>
  );
}
