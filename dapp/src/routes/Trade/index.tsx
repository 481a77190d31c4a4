import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { type Address, getAddress, isAddress } from "viem";
import { useAccount } from "wagmi";
import { type BookOrder, cancelOrder, humanizeError, returnExpiredOrder } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { EmptyState } from "../../components/EmptyState";
import { Skeleton } from "../../components/Skeleton";
import { TransactionStatus } from "../../components/TransactionStatus";
import { useBalances } from "../../hooks/useBalances";
import { usePerksTokens } from "../../hooks/usePerksTokens";
import { useTransaction } from "../../hooks/useTransaction";
import { targetChain } from "../../chain";
import { perksAddressesOn } from "../../lib/perks";
import { formatUntil } from "../../lib/until";
import { type BookRow, type PairToken, bookRows } from "./book";
import { FillDialog } from "./FillDialog";
import { MakeOrder } from "./MakeOrder";
import { useOrderBook } from "./useOrderBook";
import "../../components/pages.css";
import "./trade.css";
import { TableScroll } from "../../components/TableScroll";

const exchange = perksAddressesOn(targetChain.id).PointsExchange;

function addressParam(value: string | null): Address | undefined {
  return value && isAddress(value) ? getAddress(value) : undefined;
}

export default function Trade() {
  const tokens = usePerksTokens();
  return (
    <section className="page" aria-labelledby="trade-title">
      <h1 id="trade-title">Trade points</h1>
      <p className="page-intro">
        Swap one brand's points for another's, or for a stablecoin. Orders are escrowed on-chain: no one holds your points but
        the contract, and you can cancel at any time.
      </p>
      {!exchange || tokens.noDeployment ? (
        <EmptyState title="Trading is not available on this network">The points exchange is not deployed here yet.</EmptyState>
      ) : tokens.error ? (
        <p className="error" role="alert">
          {humanizeError(tokens.error).message}
        </p>
      ) : !tokens.data ? (
        <Skeleton label="Loading the tokens" />
      ) : tokens.data.loyalty.length + tokens.data.stablecoins.length < 2 ? (
        <EmptyState title="Nothing to trade yet">A market needs two tokens; merchants have created fewer so far.</EmptyState>
      ) : (
        <Market exchange={exchange} tokens={[...tokens.data.loyalty, ...tokens.data.stablecoins]} stablecoins={tokens.data.stablecoins} />
      )}
    </section>
  );
}

function Market({ exchange, tokens, stablecoins }: { exchange: Address; tokens: PairToken[]; stablecoins: readonly PairToken[] }) {
  const [params, setParams] = useSearchParams();
  const { address: account } = useAccount();
  const find = (address: Address | undefined) => tokens.find((token) => token.address === address);
  const base = find(addressParam(params.get("base"))) ?? tokens[0];
  // Points priced in a stablecoin by default: the market most people look for first.
  const quote =
    find(addressParam(params.get("quote"))) ??
    [...stablecoins, ...tokens].find((token) => token.address !== base.address)!;
  const pair = useMemo(() => ({ base, quote }), [base, quote]);
  const book = useOrderBook(exchange, base.address, quote.address);
  const balances = useBalances(account, [base.address, quote.address]);
  const rows = useMemo(() => (book.data ? bookRows(book.data.book, pair, account) : undefined), [book.data, pair, account]);
  const [filling, setFilling] = useState<BookRow>();

  const choose = (next: { base: Address; quote: Address }) => setParams({ base: next.base, quote: next.quote }, { replace: true });

  return (
    <>
      <div className="pair-picker card">
        <div className="field">
          <label htmlFor="pair-base">Token</label>
          <select id="pair-base" value={base.address} onChange={(event) => choose({ base: event.target.value as Address, quote: event.target.value === quote.address ? base.address : quote.address })}>
            {tokens.map((token) => (
              <option key={token.address} value={token.address}>
                {token.symbol}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="icon-button swap" aria-label="Swap the pair" onClick={() => choose({ base: quote.address, quote: base.address })}>
          ⇄
        </button>
        <div className="field">
          <label htmlFor="pair-quote">Priced in</label>
          <select id="pair-quote" value={quote.address} onChange={(event) => choose({ base: event.target.value === base.address ? quote.address : base.address, quote: event.target.value as Address })}>
            {tokens.map((token) => (
              <option key={token.address} value={token.address}>
                {token.symbol}
              </option>
            ))}
          </select>
        </div>
        {balances && (
          <p className="hint pair-balances">
            You have <Amount value={balances.get(base.address) ?? 0n} decimals={base.decimals} symbol={base.symbol} /> and{" "}
            <Amount value={balances.get(quote.address) ?? 0n} decimals={quote.decimals} symbol={quote.symbol} />.
          </p>
        )}
      </div>

      {book.error ? (
        <p className="error" role="alert">
          {humanizeError(book.error).message}
        </p>
      ) : !rows || !book.data ? (
        <Skeleton label="Loading the order book" />
      ) : (
        <div className="book">
          <BookTable
            caption={`Buy ${base.symbol}`}
            hint={`Orders selling ${base.symbol}, lowest price first.`}
            rows={rows.asks}
            pair={pair}
            now={book.data.now}
            onFill={setFilling}
          />
          <BookTable
            caption={`Sell ${base.symbol}`}
            hint={`Orders buying ${base.symbol}, highest price first.`}
            rows={rows.bids}
            pair={pair}
            now={book.data.now}
            onFill={setFilling}
          />
        </div>
      )}
      {rows && rows.expired.length > 0 && <ExpiredOrders rows={rows.expired} pair={pair} />}

      <MakeOrder exchange={exchange} pair={pair} balances={balances} />

      <FillDialog
        row={filling && (rows ? [...rows.asks, ...rows.bids].find((row) => row.entry.orderId === filling.entry.orderId) : undefined)}
        closedRow={filling}
        pair={pair}
        exchange={exchange}
        balances={balances}
        now={book.data?.now ?? Math.floor(Date.now() / 1000)}
        onClose={() => setFilling(undefined)}
      />
    </>
  );
}

function BookTable({
  caption,
  hint,
  rows,
  pair,
  now,
  onFill,
}: {
  caption: string;
  hint: string;
  rows: BookRow[];
  pair: { base: PairToken; quote: PairToken };
  now: number;
  onFill: (row: BookRow) => void;
}) {
  return (
    <section className="card book-side">
      <h2 className="book-title">
        {caption} <span className="hint">· {hint}</span>
      </h2>
      <TableScroll label={caption}>
      <table className="data" aria-label={caption}>
        <thead>
          <tr>
            <th scope="col">
              Price ({pair.quote.symbol} per {pair.base.symbol})
            </th>
            <th scope="col">Amount ({pair.base.symbol})</th>
            <th scope="col" className="col-total">
              Total ({pair.quote.symbol})
            </th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={5} className="hint">
                No orders.
              </td>
            </tr>
          ) : (
            rows.map((row, i) => (
              <tr key={row.entry.orderId.toString()} className={[row.mine && "mine", i === 0 && "best"].filter(Boolean).join(" ") || undefined}>
                <td>
                  {row.price}
                  {i === 0 && <span className="tag good">best</span>}
                </td>
                <td>
                  <Amount value={row.base} decimals={pair.base.decimals} fractionDigits={4} />
                </td>
                <td className="col-total">
                  <Amount value={row.quote} decimals={pair.quote.decimals} fractionDigits={4} />
                </td>
                <td>{formatUntil(Number(row.entry.expiresAt) - now)}</td>
                <td>{row.mine ? <OrderActionButton entry={row.entry} action={cancelOrder} label="Cancel" busyLabel="Cancelling…" confirmedText="Cancelled; your escrow is back." /> : <button type="button" className="button small" onClick={() => onFill(row)}>{row.side === "ask" ? "Buy" : "Sell"}</button>}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      </TableScroll>
    </section>
  );
}

/** A row's own write (cancel, return an expired order), with its status beside the button. */
function OrderActionButton({
  entry,
  action,
  label,
  busyLabel,
  confirmedText,
}: {
  entry: BookOrder;
  action: typeof cancelOrder | typeof returnExpiredOrder;
  label: string;
  busyLabel: string;
  confirmedText: string;
}) {
  const { state, run, blockedReason } = useTransaction();
  const busy = state.status === "preparing" || state.status === "pending";
  return (
    <span className="row-action">
      <button
        type="button"
        className="button secondary small"
        disabled={busy || blockedReason !== undefined}
        title={blockedReason}
        onClick={() => void run((clients) => action(clients, { order: entry.order, exchange }))}
      >
        {busy ? busyLabel : label}
      </button>
      <TransactionStatus state={state} confirmedText={confirmedText} />
    </span>
  );
}

function ExpiredOrders({ rows, pair }: { rows: BookRow[]; pair: { base: PairToken; quote: PairToken } }) {
  return (
    <section aria-labelledby="expired-title" className="card book-side">
      <h2 id="expired-title" className="section-heading">
        Expired orders
      </h2>
      <p className="hint">
        These can no longer be filled. Their escrow is still in the exchange: anyone can send it back to its maker.
      </p>
      <TableScroll label="Expired orders">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Side</th>
            <th scope="col">Escrow</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const token = row.side === "ask" ? pair.base : pair.quote;
            return (
              <tr key={row.entry.orderId.toString()} className={row.mine ? "mine" : undefined}>
                <td>
                  {row.side === "ask" ? `Selling ${pair.base.symbol}` : `Buying ${pair.base.symbol}`}
                  <span className="tag warn">expired</span>
                  {row.mine && <span className="tag">yours</span>}
                </td>
                <td>
                  <Amount value={row.entry.sellAmount} decimals={token.decimals} symbol={token.symbol} fractionDigits={4} />
                </td>
                <td>
                  <OrderActionButton entry={row.entry} action={returnExpiredOrder} label="Return to maker" busyLabel="Returning…" confirmedText="Returned to the maker." />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </TableScroll>
    </section>
  );
}

