import { type Address, isAddressEqual } from "viem";
import { Amount } from "../../components/Amount";
import { EmptyState } from "../../components/EmptyState";
import { HistoryIcon } from "../../components/icons";
import { Skeleton } from "../../components/Skeleton";
import { explorerTxUrl, targetChain } from "../../chain";
import type { TokenLabel } from "../../hooks/useTokenLabels";
import { shortAddress } from "../../lib/format";
import { formatWhen, isoTime } from "../../lib/time";
import { CHANNEL_LABELS, serviceName } from "../../lib/perks";
import type { ActivityItem } from "./activity";

const SHOWN = 50;

export function Activity({
  items,
  labels,
  merchants,
}: {
  items: ActivityItem[] | undefined;
  labels: ReadonlyMap<Address, TokenLabel>;
  /** Token → merchant, to say "from Alpha Coffee" rather than an address when points come from the merchant. */
  merchants: ReadonlyMap<Address, Address>;
}) {
  if (items === undefined) return <Skeleton lines={4} label="Loading your activity" />;
  if (items.length === 0) {
    return (
      <EmptyState icon={<HistoryIcon size={32} />} title="No activity yet">
        Points you earn, receive, send or redeem show up here as soon as they happen.
      </EmptyState>
    );
  }
  return (
    <ol className="activity" aria-label="Activity, newest first">
      {items.slice(0, SHOWN).map((item) => {
        const label = labels.get(item.token);
        const link = explorerTxUrl(item.transactionHash);
        const incoming = item.kind === "earned" || item.kind === "received";
        return (
          <li key={item.id} className="activity-item">
            <span className={`activity-icon ${incoming ? "in" : "out"}`} aria-hidden="true">
              {incoming ? "↓" : "↑"}
            </span>
            <div className="activity-text">
              <p className="activity-title">{describe(item, label?.symbol ?? "points", merchants.get(item.token))}</p>
              <p className="hint">
                {item.timestamp !== undefined ? (
                  <time dateTime={isoTime(item.timestamp)}>{formatWhen(item.timestamp)}</time>
                ) : (
                  `Block ${item.blockNumber}`
                )}
                {link && (
                  <>
                    {" · "}
                    <a href={link} target="_blank" rel="noreferrer">
                      Transaction
                    </a>
                  </>
                )}
              </p>
            </div>
            <Amount
              className={incoming ? "activity-amount in" : "activity-amount out"}
              value={incoming ? item.amount : -item.amount}
              decimals={label?.decimals ?? 18}
              symbol={label?.symbol}
              sign
            />
          </li>
        );
      })}
    </ol>
  );
}

function describe(item: ActivityItem, symbol: string, merchant: Address | undefined): string {
  const party = (address: Address) =>
    merchant && isAddressEqual(address, merchant)
      ? "the merchant"
      : (serviceName(address, targetChain.id) ?? shortAddress(address));
  switch (item.kind) {
    case "earned": {
      const how = CHANNEL_LABELS[item.channel] ?? "Earned";
      return item.bonus > 0n ? `${how} · with a stamp-card bonus` : how;
    }
    case "received":
      return `Received from ${party(item.counterparty)}`;
    case "sent":
      return `Sent to ${party(item.counterparty)}`;
    case "redeemed":
      return `Redeemed reward #${item.rewardId}${item.quantity > 1n ? ` × ${item.quantity}` : ""}`;
    case "burned":
      return `${symbol} given up (burned)`;
  }
}
