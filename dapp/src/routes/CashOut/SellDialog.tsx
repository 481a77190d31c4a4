import { useState } from "react";
import { erc20Abi } from "viem";
import { useAccount, useReadContract } from "wagmi";
import { type ListedBid, type LoyaltyTokenInfo, sellPoints } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { AmountField } from "../../components/AmountField";
import { Dialog } from "../../components/Dialog";
import { SlippageSetting, bpsText } from "../../components/SlippageSetting";
import { TransactionDone, TransactionStatus } from "../../components/TransactionStatus";
import { gatewayAddress } from "../../hooks/useBids";
import type { TokenLabel } from "../../hooks/useTokenLabels";
import { useTransaction } from "../../hooks/useTransaction";
import { targetChain } from "../../chain";
import { type AmountCheck, checkAmount, exactAmount } from "../../lib/amount";
import { maxSellable, pricePerPoint, saleQuote } from "../../lib/bidMath";

export function SellDialog({
  bid,
  open,
  stillListed,
  token,
  stablecoin,
  balance,
  onClose,
}: {
  bid: ListedBid | undefined;
  open: boolean;
  /** Whether the bid can still be sold into (it leaves the list once exhausted, expired or closed). */
  stillListed: boolean;
  token: LoyaltyTokenInfo;
  stablecoin: TokenLabel | undefined;
  balance: bigint | undefined;
  onClose: () => void;
}) {
  return (
    <Dialog open={open && bid !== undefined} onClose={onClose} title={`Sell ${token.symbol}`}>
      {bid && (
        <SellForm
          key={bid.id.toString()}
          bid={bid}
          stillListed={stillListed}
          token={token}
          coin={stablecoin ?? { symbol: "stablecoin", decimals: bid.stablecoinDecimals }}
          balance={balance}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

/**
 * Sells points into one bid. The payout at the bid's price now and the minimum accepted (the payout less the
 * tolerance) are computed here and shown before signing; exactly that minimum goes into the transaction, so a bid
 * repriced in between makes the sale fail rather than pay less. With a permit, approving and selling are one
 * transaction.
 */
function SellForm({
  bid,
  stillListed,
  token,
  coin,
  balance,
  onClose,
}: {
  bid: ListedBid;
  stillListed: boolean;
  token: LoyaltyTokenInfo;
  coin: TokenLabel;
  /** Undefined without a wallet. */
  balance: bigint | undefined;
  onClose: () => void;
}) {
  const { address } = useAccount();
  const { state, run, reset, blockedReason } = useTransaction();
  const max = balance === undefined ? bid.sellablePoints : maxSellable(balance, bid.sellablePoints);
  const [text, setText] = useState("");
  const [points, setPoints] = useState<AmountCheck>(checkAmount("", { decimals: token.decimals, symbol: token.symbol, max }));
  const [bps, setBps] = useState(0);
  const [usePermit, setUsePermit] = useState(true);
  const [submitted, setSubmitted] = useState(false);
  const busy = state.status === "preparing" || state.status === "pending";
  const quote = points.ok ? saleQuote({ points: points.value, price: bid.price, slippageBps: bps }) : undefined;
  const paysNothing = quote !== undefined && quote.payout === 0n;
  const allowance = useReadContract({
    chainId: targetChain.id,
    address: token.address,
    abi: erc20Abi,
    functionName: "allowance",
    args: address && gatewayAddress ? [address, gatewayAddress] : undefined,
    query: { enabled: address !== undefined && gatewayAddress !== undefined },
  });
  const alreadyAllowed = points.ok && allowance.data !== undefined && allowance.data >= points.value;

  if (state.status === "confirmed") {
    return <TransactionDone state={state} confirmedText={`Sold. The ${coin.symbol} is in your wallet.`} onClose={onClose} />;
  }
  if (!stillListed && state.status === "idle") {
    return (
      <p className="error" role="alert">
        This bid can no longer be sold into: it is used up, expired or closed. Pick another one.
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
        if (!points.ok || !quote || paysNothing || busy || blockedReason) return;
        const amount = points.value;
        const minAmountOut = quote.minAmountOut;
        void run((clients) =>
          sellPoints(clients, {
            bidId: bid.id,
            points: amount,
            minAmountOut,
            approval: alreadyAllowed ? "approve" : usePermit ? "permit" : "approve",
            gateway: gatewayAddress,
          }),
          { currency: { decimals: coin.decimals, unit: coin.symbol }, points: { decimals: token.decimals, unit: token.symbol } },
        );
      }}
    >
      <p className="hint">
        This bid pays {pricePerPoint(bid.price, bid.stablecoinDecimals)} {coin.symbol} per {token.symbol} and buys up to{" "}
        <Amount value={bid.sellablePoints} decimals={token.decimals} symbol={token.symbol} fractionDigits={2} />.
      </p>
      <AmountField
        label={`Points to sell (${token.symbol})`}
        value={text}
        decimals={token.decimals}
        symbol={token.symbol}
        max={max}
        tooMuch={
          balance !== undefined && balance < bid.sellablePoints
            ? `You have ${exactAmount(balance, token.decimals)} ${token.symbol}.`
            : `This bid buys at most ${exactAmount(max, token.decimals)} ${token.symbol} now.`
        }
        showErrors={submitted}
        hint={
          balance !== undefined && (
            <>
              You can sell up to <Amount value={max} decimals={token.decimals} symbol={token.symbol} fractionDigits={4} /> here.
            </>
          )
        }
        onChange={(next, check) => {
          setText(next);
          setPoints(check);
          reset();
        }}
      />
      <SlippageSetting
        bps={bps}
        onChange={setBps}
        explanation="The operator may reprice the bid at any time. Exact means the sale fails rather than pay less than shown."
      />
      {!alreadyAllowed && (
        <label className="check">
          <input type="checkbox" checked={usePermit} onChange={(event) => setUsePermit(event.target.checked)} />
          Sign a permit instead of a separate approval (one transaction)
        </label>
      )}
      {quote && (
        <div className="summary-box" aria-live="polite">
          <p>
            At today's price you receive{" "}
            <strong>
              <Amount value={quote.payout} decimals={coin.decimals} symbol={coin.symbol} fractionDigits={coin.decimals} />
            </strong>
            .
          </p>
          <p className="total">
            You accept no less than{" "}
            <strong>
              <Amount value={quote.minAmountOut} decimals={coin.decimals} symbol={coin.symbol} fractionDigits={coin.decimals} />
            </strong>
            {bps > 0 && ` (${bpsText(bps)} tolerance)`}.
          </p>
          <p className="hint">The sale must land within 20 minutes.</p>
        </div>
      )}
      {paysNothing && (
        <p className="error" role="alert">
          That few points pay nothing at this price once rounded down. Sell more.
        </p>
      )}
      <button type="submit" className="button" disabled={busy || paysNothing || blockedReason !== undefined}>
        {busy ? "Selling…" : `Sell for ${coin.symbol}`}
      </button>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} />
    </form>
  );
}
