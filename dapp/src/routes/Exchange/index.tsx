import { Suspense, lazy } from "react";
import { useSearchParams } from "react-router";
import { useAccount } from "wagmi";
import { humanizeError } from "@perks/sdk";
import { ConnectButton } from "../../components/ConnectButton";
import { EmptyState } from "../../components/EmptyState";
import { Skeleton } from "../../components/Skeleton";
import { gatewayAddress } from "../../hooks/useBids";
import { usePerksTokens } from "../../hooks/usePerksTokens";
import { MyBids } from "./MyBids";
import { PostBid } from "./PostBid";
import { TokenListPanel } from "./TokenListPanel";
import "../../components/pages.css";
import "./exchange.css";

/** The guide carries the whole document: it loads only when asked for. */
const Guide = lazy(() => import("./Guide"));

const VIEWS = [
  { id: "bids", label: "My bids" },
  { id: "post", label: "Post a bid" },
  { id: "tokens", label: "Token list" },
  { id: "guide", label: "Integration guide" },
] as const;
type View = (typeof VIEWS)[number]["id"];

/** The exchanges' back office: their bids on the cash-out gateway, the token list, and how to integrate. */
export default function Exchange() {
  const [params, setParams] = useSearchParams();
  const view: View = VIEWS.find((option) => option.id === params.get("view"))?.id ?? "bids";
  const { address } = useAccount();
  const tokens = usePerksTokens();
  const needsWallet = view === "bids" || view === "post";

  return (
    <section className="page" aria-labelledby="exchange-title">
      <h1 id="exchange-title">For exchanges</h1>
      <p className="page-intro">
        Buy loyalty points for a stablecoin with funded bids, list every Perks token, and integrate them like any ERC-20.
      </p>
      <div className="segmented" role="group" aria-label="Exchange view">
        {VIEWS.map((option) => (
          <button
            key={option.id}
            type="button"
            className="segment"
            aria-pressed={view === option.id}
            onClick={() => setParams(option.id === "bids" ? {} : { view: option.id }, { replace: true })}
          >
            {option.label}
          </button>
        ))}
      </div>
      {view === "guide" ? (
        <Suspense fallback={<Skeleton label="Loading the guide" />}>
          <Guide />
        </Suspense>
      ) : tokens.noDeployment ? (
        <EmptyState title="Perks is not deployed on this network">Switch to a network where Perks runs.</EmptyState>
      ) : tokens.error ? (
        <p className="error" role="alert">
          {humanizeError(tokens.error).message}
        </p>
      ) : !tokens.data ? (
        <Skeleton label="Loading the tokens" />
      ) : view === "tokens" ? (
        <TokenListPanel tokens={tokens.data} />
      ) : !gatewayAddress ? (
        <EmptyState title="The cash-out gateway is not deployed on this network" />
      ) : needsWallet && !address ? (
        <EmptyState title="Connect the operator's wallet" action={<ConnectButton />}>
          <p>Bids belong to the wallet that posts them; only it can fund, reprice, withdraw or close them.</p>
        </EmptyState>
      ) : view === "post" ? (
        tokens.data.loyalty.length === 0 ? (
          <EmptyState title="No points to bid for yet">Merchants have not created any tokens on this network.</EmptyState>
        ) : (
          <PostBid operator={address!} tokens={tokens.data} />
        )
      ) : (
        <MyBids operator={address!} tokens={tokens.data} />
      )}
    </section>
  );
}
