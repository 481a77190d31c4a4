import { Link } from "react-router";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import type { Offer, OfferKind } from "@perks/sdk";
import { ConnectButton } from "../../components/ConnectButton";
import { EmptyState } from "../../components/EmptyState";
import { NotificationList } from "../../components/Notifications";
import { SkeletonCards } from "../../components/Skeleton";
import { useNotifications } from "../../hooks/useNotifications";
import { useOffers } from "./useOffers";
import "../../components/pages.css";
import "../../components/Notifications.css";
import "./offers.css";

const KIND_LABELS: Record<OfferKind, string> = {
  reward: "Redeem now",
  nearReward: "Almost there",
  partnerReward: "Partner points",
  nextTier: "Next tier",
  keepTier: "Keep your tier",
  milestone: "Stamp card",
  campaign: "New campaign",
  cashOut: "Cash out",
};

/** Where an offer leads: the reward, the bid, or the wallet where tiers and stamp cards show. */
function offerLink(offer: Offer): { to: string; label: string } {
  switch (offer.kind) {
    case "reward":
    case "nearReward":
    case "partnerReward":
      return { to: "/rewards", label: "See the reward" };
    case "cashOut":
      return { to: `/cash-out?token=${offer.token}`, label: "See the bids" };
    case "campaign":
      return { to: "/claim", label: "Claim points" };
    default:
      return { to: "/", label: "See your progress" };
  }
}

export default function Offers() {
  const { address } = useAccount();
  return (
    <section className="page" aria-labelledby="offers-title">
      <h1 id="offers-title">For you</h1>
      <p className="page-intro">
        Offers worked out in this browser from your wallet's own history. Nothing about you is sent anywhere or kept in a profile.
      </p>
      {address ? (
        <Personal account={address} />
      ) : (
        <EmptyState icon="✦" title="Offers that follow what you do" action={<ConnectButton label="Connect a wallet to see yours" />}>
          <p>Rewards within reach, points that also pay at partners, tiers to keep and bids for your points.</p>
        </EmptyState>
      )}
    </section>
  );
}

function Personal({ account }: { account: Address }) {
  const { offers, error } = useOffers(account);
  const { items, unread, markAllRead, markRead, browser } = useNotifications(account);
  return (
    <>
      <h2 className="section-heading">Offers</h2>
      {error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : !offers ? (
        <SkeletonCards count={2} label="Working out your offers" />
      ) : offers.length === 0 ? (
        <EmptyState icon="☕" title="Nothing to suggest yet">
          <p>Claim points at a shop that runs Perks: offers follow what you do.</p>
        </EmptyState>
      ) : (
        <ul className="offer-list">
          {offers.map((offer, i) => {
            const link = offerLink(offer);
            return (
              <li key={`${offer.kind}:${offer.catalog ?? offer.campaign ?? offer.token}:${offer.rewardId ?? offer.bid?.bidId ?? i}`} className="card offer">
                <span className="badge">{KIND_LABELS[offer.kind]}</span>
                <p className="offer-reason">{offer.reason}</p>
                <Link to={link.to}>{link.label} →</Link>
              </li>
            );
          })}
        </ul>
      )}

      <div className="notifications-head">
        <h2 className="section-heading">Notifications</h2>
        {unread > 0 && (
          <button type="button" className="button secondary small" onClick={markAllRead}>
            Mark all read
          </button>
        )}
      </div>
      <div className="card">
        <NotificationList items={items} onOpen={markRead} />
      </div>

      <h2 className="section-heading">Browser notifications</h2>
      <div className="card stack">
        <p>
          Get a notification from your browser when points arrive, a reward becomes affordable, a tier is about to drop or a new bid
          comes in, while Perks is open in a tab. Off unless you turn it on.
        </p>
        {browser.permission === "unsupported" ? (
          <p className="hint">This browser does not support notifications.</p>
        ) : browser.permission === "denied" ? (
          <p className="hint" role="status">
            Notifications are blocked for this site in your browser's settings. Allow them there, then come back.
          </p>
        ) : browser.active ? (
          <div>
            <p className="ok" role="status">
              Browser notifications are on.
            </p>
            <button type="button" className="button secondary" onClick={browser.disable}>
              Turn off
            </button>
          </div>
        ) : (
          <div>
            <button type="button" className="button" onClick={() => void browser.enable()}>
              Allow browser notifications
            </button>
          </div>
        )}
      </div>
    </>
  );
}
