import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useAccount } from "wagmi";
import { humanizeError } from "@perks/sdk";
import { EmptyState } from "../../components/EmptyState";
import { SkeletonCards } from "../../components/Skeleton";
import { type Catalogs, type WalletRewardState, useCatalogs, useWalletRewardState } from "../../hooks/useCatalogs";
import { CatalogSection } from "./CatalogSection";
import { Vouchers } from "./Vouchers";
import "../../components/pages.css";
import "./rewards.css";

const VIEWS = [
  { id: "browse", label: "Browse rewards" },
  { id: "vouchers", label: "My vouchers" },
] as const;

export default function Rewards() {
  const [params, setParams] = useSearchParams();
  const view = params.get("view") === "vouchers" ? "vouchers" : "browse";
  const { address } = useAccount();
  const catalogs = useCatalogs();
  const wallet = useWalletRewardState(address, catalogs.data);

  return (
    <section className="page" aria-labelledby="rewards-title">
      <h1 id="rewards-title">Rewards</h1>
      <div className="segmented" role="group" aria-label="Rewards view">
        {VIEWS.map((option) => (
          <button
            key={option.id}
            type="button"
            className="segment"
            aria-pressed={view === option.id}
            onClick={() => setParams(option.id === "browse" ? {} : { view: option.id }, { replace: true })}
          >
            {option.label}
          </button>
        ))}
      </div>
      {catalogs.noDeployment ? (
        <EmptyState title="Perks is not deployed on this network">Switch to a network where Perks runs.</EmptyState>
      ) : catalogs.error ? (
        <div className="card" role="alert">
          <p className="error">{humanizeError(catalogs.error).message}</p>
          <button type="button" className="button secondary" onClick={() => void catalogs.refetch()}>
            Try again
          </button>
        </div>
      ) : !catalogs.data ? (
        <SkeletonCards count={3} label="Loading the rewards" />
      ) : view === "vouchers" ? (
        <Vouchers data={catalogs.data} wallet={wallet.data} />
      ) : (
        <Browse data={catalogs.data} wallet={wallet.data} connected={address !== undefined} />
      )}
    </section>
  );
}

function Browse({ data, wallet, connected }: { data: Catalogs; wallet: WalletRewardState | undefined; connected: boolean }) {
  const [onlyRedeemable, setOnlyRedeemable] = useState(false);
  if (data.catalogs.length === 0) {
    return (
      <EmptyState icon="🎁" title="No rewards yet">
        <p>When merchants list rewards, they show here: discounts, free shipping, tickets, gift coupons and access codes.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={onlyRedeemable}
            disabled={!connected}
            onChange={(event) => setOnlyRedeemable(event.target.checked)}
          />
          Only what I can redeem now
        </label>
        {!connected && <p className="hint">Connect a wallet to see what your points can pay for.</p>}
        <Link to="/offers" className="hint">
          Offers for you →
        </Link>
      </div>
      {data.catalogs.map((catalog) => (
        <CatalogSection key={catalog.address} catalog={catalog} data={data} wallet={wallet} onlyRedeemable={onlyRedeemable} />
      ))}
    </>
  );
}
