import { NavLink, Outlet } from "react-router";
import { useAccount } from "wagmi";
import { useRefreshOnBlock } from "../../hooks/useRefreshOnBlock";
import { MERCHANT_QUERY } from "./hooks/useMerchant";
import "./merchant.css";

const PAGES = [
  { to: "/merchant", label: "Overview", end: true },
  { to: "/merchant/new", label: "Create" },
  { to: "/merchant/pos", label: "Point of sale" },
  { to: "/merchant/batches", label: "Batch codes" },
  { to: "/merchant/rewards", label: "Rewards" },
  { to: "/merchant/stats", label: "Statistics" },
];

/** Lists and figures follow the chain: every new block refreshes them. */
const MERCHANT_QUERIES = [[MERCHANT_QUERY]];

/** The back office shell: its own navigation, and live data while any of its pages is open. */
export default function MerchantLayout() {
  const { isConnected } = useAccount();
  useRefreshOnBlock(MERCHANT_QUERIES);

  return (
    <div className="merchant">
      <nav aria-label="Merchant" className="merchant-nav">
        {PAGES.map((page) => (
          <NavLink key={page.to} to={page.to} end={page.end} className="merchant-nav-link">
            {page.label}
          </NavLink>
        ))}
      </nav>
      {!isConnected && (
        <p className="card notice" role="status">
          Connect the merchant's wallet (top right) to see its tokens and campaigns and to sign.
        </p>
      )}
      <Outlet />
    </div>
  );
}
