import { useState } from "react";
import type { Address } from "viem";
import { fillOrder, withSlippageUp } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { AmountField } from "../../components/AmountField";
import { Dialog } from "../../components/Dialog";
import { SlippageSetting, bpsText } from "../../components/SlippageSetting";
import { TransactionDone, TransactionStatus } from "../../components/TransactionStatus";
import { useTransaction } from "../../hooks/useTransaction";
import { type AmountCheck, checkAmount, exactAmount } from "../../lib/amount";
import { shortAddress } from "../../lib/format";
import { formatDateTime } from "../../lib/time";
import { type BookRow, type PairToken, fillCost } from "./book";

type Pair = { base: PairToken; quote: PairToken };

export function FillDialog({
  row,
  closedRow,
  pair,
  exchange,
  balances,
  now,
  onClose,
}: {
  /** The order as the book shows it now; undefined once it left the book. */
  row: BookRow | undefined;
  /** The order as it was when the dialog opened. */
  closedRow: BookRow | undefined;
  pair: Pair;
  exchange: Address;
  balances: ReadonlyMap<Address, bigint> | undefined;
  /** The chain's time (seconds), as the book last read it. */
  now: number;
  onClose: () => void;
}) {
  const shown = row ?? closedRow;
  const title = shown ? (shown.side === "ask" ? `Buy ${pair.base.symbol}` : `Sell ${pair.base.symbol}`) : "Fill an order";
  return (
    <Dialog open={closedRow !== undefined} onClose={onClose} title={title}>
      {shown && (
        <FillForm key={shown.entry.orderId.toString()} row={shown} open={row !== undefined} pair={pair} exchange={exchange} balances={balances} now={now} onClose={onClose} />
      )}
    </Dialog>
  );
}

/**
 * Takes all or part of an order: the taker names exactly how much of the order's token to receive; the price is the
 * exchange's (rounded up, as it charges), and the most the taker agrees to pay is that plus the tolerance, shown
 * before signing.
 */
function FillForm({
  row,
  open,
  pair,
  exchange,
  balances,
  now,
  onClose,
}: {
  row: BookRow;
  open: boolean;
  pair: Pair;
  exchange: Address;
  balances: ReadonlyMap<Address, bigint> | undefined;
  now: number;
  onClose: () => void;
}) {
  const { state, run, reset, blockedReason } = useTransaction();
  const receive = row.side === "ask" ? pair.base : pair.quote;
  const pay = row.side === "ask" ? pair.quote : pair.base;
  const [text, setText] = useState(exactAmount(row.entry.sellAmount, receive.decimals));
  const [take, setTake] = useState<AmountCheck>(checkAmount(text, { decimals: receive.decimals, symbol: receive.symbol, max: row.entry.sellAmount }));
  const [bps, setBps] = useState(0);
  const [submitted, setSubmitted] = useState(false);
  const busy = state.status === "preparing" || state.status === "pending";
  const cost = take.ok ? fillCost(row.entry, take.value) : 0n;
  const most = withSlippageUp(cost, bps);
  const balance = balances?.get(pay.address);
  const short = balance !== undefined && take.ok && balance < cost;

  if (state.status === "confirmed") {
    return <TransactionDone state={state} confirmedText="Filled. The tokens are in your wallet." onClose={onClose} />;
  }
  if (!open) {
    // The order left the book. A fill that failed says why in the exchange's words (an order that expired while the
    // wallet asked reads "Order … expired on …"); otherwise the book's own reading says what happened.
    if (state.status === "failed") return <TransactionStatus state={state} />;
    return (
      <p className="error" role="alert">
        {now >= Number(row.entry.expiresAt)
          ? `This order expired on ${formatDateTime(Number(row.entry.expiresAt))}: it can no longer be filled. Pick another from the book.`
          : "This order is no longer open: someone filled it, or its maker cancelled it. Pick another from the book."}
      </p>
    );
  }

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (!take.ok || short || busy || blockedReason) return;
        const sellAmount = take.value;
        void run((clients) => fillOrder(clients, { order: row.entry.order, sellAmount, maxBuyAmount: most, exchange }), {
          amounts: { decimals: pay.decimals, unit: pay.symbol },
        });
      }}
    >
      <p className="hint">
        Order by <span className="mono">{shortAddress(row.entry.order.maker)}</span> at {row.price} {pair.quote.symbol} per {pair.base.symbol}.
      </p>
      <AmountField
        label={`You receive (${receive.symbol})`}
        value={text}
        decimals={receive.decimals}
        symbol={receive.symbol}
        max={row.entry.sellAmount}
        tooMuch={`Only ${exactAmount(row.entry.sellAmount, receive.decimals)} ${receive.symbol} are left in this order.`}
        showErrors={submitted}
        hint={
          <>
            Up to <Amount value={row.entry.sellAmount} decimals={receive.decimals} symbol={receive.symbol} fractionDigits={6} /> left in
            this order; take all or part.
          </>
        }
        onChange={(next, check) => {
          setText(next);
          setTake(check);
          reset();
        }}
      />
      <SlippageSetting
        bps={bps}
        onChange={setBps}
        explanation="The exchange's price never rises, so exact is safe; a tolerance only lets the fill pay more than the quote."
      />
      {take.ok && (
      <div className="summary-box" aria-live="polite">
        <p>
          You receive exactly{" "}
          <strong>
            <Amount value={take.value} decimals={receive.decimals} symbol={receive.symbol} fractionDigits={6} />
          </strong>
          .
        </p>
        <p className="total">
          You pay <Amount value={cost} decimals={pay.decimals} symbol={pay.symbol} fractionDigits={6} />
          {bps > 0 && (
            <>
              , at most <Amount value={most} decimals={pay.decimals} symbol={pay.symbol} fractionDigits={6} /> ({bpsText(bps)} tolerance)
            </>
          )}
          .
        </p>
        <p className="hint">If the exchange may not take your {pay.symbol} yet, your wallet first approves exactly this amount.</p>
      </div>
      )}
      {short && (
        <p className="error" role="alert">
          You have <Amount value={balance ?? 0n} decimals={pay.decimals} symbol={pay.symbol} fractionDigits={6} />: not enough to pay.
        </p>
      )}
      <button type="submit" className="button" disabled={busy || short || blockedReason !== undefined}>
        {busy ? "Filling…" : row.side === "ask" ? `Buy ${receive.symbol}` : `Sell ${pay.symbol}`}
      </button>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} />
    </form>
  );
}
