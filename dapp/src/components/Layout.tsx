import { Suspense, lazy, useState } from "react";
import { NavLink, Outlet } from "react-router";
import { useAccount } from "wagmi";
import { ConnectDialog } from "./ConnectDialog";
import { ChainGuard } from "./ChainGuard";
import { shortAddress } from "../lib/format";

const NAV = [
  { to: "/", label: "Wallet", end: true },
  { to: "/claim", label: "Claim" },
  { to: "/rewards", label: "Rewards" },
  { to: "/trade", label: "Trade" },
  { to: "/cash-out", label: "Cash out" },
  { to: "/offers", label: "For you" },
  { to: "/merchant", label: "Merchant" },
  { to: "/exchange", label: "Exchange" },
  { to: "/privacy", label: "Privacy" },
];

/** The bell loads after the page: its reads are not part of the first render. */
const NotificationBell = lazy(() => import("./Notifications"));

export function Layout() {
  const { address, connector } = useAccount();
  const [connectOpen, setConnectOpen] = useState(false);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">P</span> Perks
        </NavLink>
        <nav aria-label="Main" className="nav">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end} className="nav-link">
              {item.label}
            </NavLink>
          ))}
        </nav>
        {address && (
          <Suspense fallback={null}>
            <NotificationBell key={address} account={address} />
          </Suspense>
        )}
        <button type="button" className="button connect" onClick={() => setConnectOpen(true)}>
          {address ? (
            <>
              <span className="dot" aria-hidden="true" /> {connector?.name ?? "Wallet"} · {shortAddress(address)}
            </>
          ) : (
            "Connect wallet"
          )}
        </button>
      </header>
      <ChainGuard />
      <main id="main" className="main">
        <Suspense fallback={<p className="loading" role="status">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
      <ConnectDialog open={connectOpen} onClose={() => setConnectOpen(false)} />
    </div>
  );
}
