import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { type Address, getAddress, isAddress } from "viem";
import { useAccount } from "wagmi";
import { type ListedBid, type LoyaltyTokenInfo, humanizeError } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { EmptyState } from "../../components/EmptyState";
import { Skeleton } from "../../components/Skeleton";
import { useBalances } from "../../hooks/useBalances";
import { gatewayAddress, useBids } from "../../hooks/useBids";
import { usePerksTokens } from "../../hooks/usePerksTokens";
import { type TokenLabel, useTokenLabels } from "../../hooks/useTokenLabels";
import { shortAddress } from "../../lib/format";
import { formatUntil } from "../../lib/until";
import { percentOfFaceValue, pricePerPoint } from "../../lib/bidMath";
import { SellDialog } from "./SellDialog";
import "../../components/pages.css";
import "./cashout.css";
import { TableScroll } from "../../components/TableScroll";

export default function CashOut() {
  const tokens = usePerksTokens();
  return (
    <section className="page" aria-labelledby="cashout-title">
      <h1 id="cashout-title">Cash out</h1>
      <p className="page-intro">
        Sell points for a stablecoin to an exchange (or to the merchant, buying back at face value). You see the least you receive
        before you sign; the sale pays in the same transaction.
      </p>
      {!gatewayAddress || tokens.noDeployment ? (
        <EmptyState title="Cash out is not available on this network">The cash-out gateway is not deployed here yet.</EmptyState>
      ) : tokens.error ? (
        <p className="error" role="alert">
          {humanizeError(tokens.error).message}
        </p>
      ) : !tokens.data ? (
        <Skeleton label="Loading the tokens" />
      ) : tokens.data.loyalty.length === 0 ? (
        <EmptyState title="No points exist yet">When merchants create points, bids for them show here.</EmptyState>
      ) : (
        <Bids loyalty={tokens.data.loyalty} known={tokens.data.byAddress} />
      )}
    </section>
  );
}

function Bids({ loyalty, known }: { loyalty: LoyaltyTokenInfo[]; known: ReadonlyMap<Address, TokenLabel> }) {
  const [params, setParams] = useSearchParams();
  const { address: account } = useAccount();
  const balances = useBalances(
    account,
    useMemo(() => loyalty.map((token) => token.address), [loyalty]),
  );
  const param = params.get("token");
  const held = loyalty.find((token) => (balances?.get(token.address) ?? 0n) > 0n);
  const token = loyalty.find((candidate) => param && isAddress(param) && candidate.address === getAddress(param)) ?? held ?? loyalty[0];
  const bids = useBids(useMemo(() => [token.address], [token.address]));
  const list = bids.data?.bids.get(token.address);
  const labels = useTokenLabels(
    useMemo(() => (list ?? []).map((bid) => bid.stablecoin), [list]),
    known,
  );
  const [selling, setSelling] = useState<ListedBid>();
  const balance = balances?.get(token.address);

  return (
    <>
      <div className="card token-picker">
        <div className="field">
          <label htmlFor="cashout-token">Points to sell</label>
          <select id="cashout-token" value={token.address} onChange={(event) => setParams({ token: event.target.value }, { replace: true })}>
            {loyalty.map((option) => (
              <option key={option.address} value={option.address}>
                {option.symbol} · {option.name}
                {balances && (balances.get(option.address) ?? 0n) > 0n ? " (held)" : ""}
              </option>
            ))}
          </select>
        </div>
        {balance !== undefined && (
          <p className="hint">
            You have <Amount value={balance} decimals={token.decimals} symbol={token.symbol} fractionDigits={4} />.
          </p>
        )}
      </div>

      {bids.error ? (
        <p className="error" role="alert">
          {humanizeError(bids.error).message}
        </p>
      ) : !list ? (
        <Skeleton label="Loading the bids" />
      ) : list.length === 0 ? (
        <EmptyState icon="💱" title={`No bids for ${token.symbol} right now`}>
          <p>Exchanges post bids when they want to buy. This list updates by itself when one arrives.</p>
        </EmptyState>
      ) : (
        <TableScroll className="card" label={`Bids for ${token.symbol}`}>
          <table className="data">
            <caption>
              Bids for {token.symbol} <span className="hint">· best price first</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Price per point</th>
                <th scope="col">Buys up to</th>
                <th scope="col">Expires</th>
                <th scope="col">Buyer</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((bid, i) => {
                const coin = labels.get(bid.stablecoin);
                const percent = percentOfFaceValue(bid.price, bid.stablecoinDecimals, token.faceValue);
                return (
                  <tr key={bid.id.toString()} className={i === 0 ? "best" : undefined}>
                    <td>
                      {pricePerPoint(bid.price, bid.stablecoinDecimals)} {coin?.symbol ?? shortAddress(bid.stablecoin)}
                      {i === 0 && <span className="tag good">best</span>}
                      {percent !== undefined && <span className="tag">{percent}% of face value</span>}
                    </td>
                    <td>
                      <Amount value={bid.sellablePoints} decimals={token.decimals} symbol={token.symbol} fractionDigits={2} />
                    </td>
                    <td>{formatUntil(Number(bid.expiresAt) - (bids.data?.now ?? 0))}</td>
                    <td className="mono">{shortAddress(bid.operator)}</td>
                    <td>
                      <button type="button" className="button small" onClick={() => setSelling(bid)}>
                        Sell
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      <SellDialog
        bid={selling && (list?.find((bid) => bid.id === selling.id) ?? selling)}
        open={selling !== undefined}
        stillListed={selling !== undefined && (list?.some((bid) => bid.id === selling.id) ?? false)}
        token={token}
        stablecoin={selling ? labels.get(selling.stablecoin) : undefined}
        balance={balance}
        onClose={() => setSelling(undefined)}
      />
    </>
  );
}
