import { Suspense, lazy, useMemo, useState } from "react";
import { Link } from "react-router";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { humanizeError } from "@perks/sdk";
import { ConnectButton } from "../../components/ConnectButton";
import { EmptyState } from "../../components/EmptyState";
import { CupIcon, SparkleIcon } from "../../components/icons";
import { SkeletonCards } from "../../components/Skeleton";
import type { TokenLabel } from "../../hooks/useTokenLabels";
import { useTokenLabels } from "../../hooks/useTokenLabels";
import { useWalletEvents } from "../../hooks/useWalletEvents";
import { type HeldToken, usePerksRegistry, useWalletTokens } from "../../hooks/useWalletTokens";
import { formatFaceValue } from "../../lib/amount";
import { Activity } from "./Activity";
import { toActivity } from "./activity";
import { SendDialog } from "./SendDialog";
import { TokenCard } from "./TokenCard";
import "./wallet.css";

const ReceiveDialog = lazy(() => import("./ReceiveDialog"));

export default function Wallet() {
  const { address, status } = useAccount();
  const returning = status === "reconnecting" || status === "connecting";
  // The registry needs no account: reading it while the wallet reconnects saves a round trip.
  usePerksRegistry({ enabled: address !== undefined || returning });
  return (
    <section className="page" aria-labelledby="wallet-title">
      <h1 id="wallet-title">Your points</h1>
      {address ? (
        <Holdings account={address} />
      ) : returning ? (
        <SkeletonCards count={2} label="Opening your wallet" />
      ) : (
        <EmptyState
          icon={<SparkleIcon size={32} />}
          title="Loyalty points you own"
          action={
            <>
              <ConnectButton label="Connect a wallet to see your points" />
              <Link className="button secondary" to="/claim">
                Claim a code
              </Link>
            </>
          }
        >
          <p>
            Every shop's points in one place, held in your own wallet. No account, no name, no email: a wallet address is
            all Perks needs.
          </p>
        </EmptyState>
      )}
    </section>
  );
}

function Holdings({ account }: { account: Address }) {
  const wallet = useWalletTokens(account);
  const { events } = useWalletEvents(account);
  const [sending, setSending] = useState<HeldToken>();
  const [receiving, setReceiving] = useState(false);

  const known = useMemo(
    () => new Map<Address, TokenLabel>((wallet.data ?? []).map((token) => [token.address, token])),
    [wallet.data],
  );
  const registry = wallet.registry;
  const activity = useMemo(() => {
    // Waiting for the held tokens too: their names come with them, so history needs no extra read for them.
    if (!events || !registry || !wallet.data) return undefined;
    const perksTokens = new Set(registry.tokens);
    return toActivity(events, account, {
      campaignToken: registry.campaignToken,
      isPerksToken: (token) => perksTokens.has(token),
    });
  }, [events, registry, account, wallet.data]);
  const labels = useTokenLabels(
    useMemo(() => (activity ?? []).map((item) => item.token), [activity]),
    known,
  );
  const merchants = useMemo(() => new Map((wallet.data ?? []).map((token) => [token.address, token.merchant])), [wallet.data]);
  const contracts = useMemo(() => [...(registry?.tokens ?? []), ...(registry?.campaigns ?? [])], [registry]);

  // Balances show as soon as they are read (with token facts remembered from an earlier visit); the campaign
  // standings fill in with the full read.
  const shown = wallet.preview;
  const totalValue = (shown ?? []).reduce(
    (sum, token) => sum + (token.faceValue * token.balance) / 10n ** BigInt(token.decimals),
    0n,
  );

  return (
    <>
      <div className="summary card">
        <div>
          <p className="hint">Face value of your points</p>
          <p className="summary-value">{shown ? formatFaceValue(totalValue, 10n ** 18n) : "…"}</p>
          <p className="hint">
            {shown ? `${shown.length} ${shown.length === 1 ? "brand" : "brands"}` : "Counting…"} · updates
            live
          </p>
        </div>
        <div className="summary-actions">
          <Link className="button" to="/claim">
            Claim points
          </Link>
          <button type="button" className="button secondary" onClick={() => setReceiving(true)}>
            Receive
          </button>
        </div>
      </div>

      <h2 className="section-heading">Points by brand</h2>
      {wallet.noDeployment ? (
        <EmptyState title="Perks is not deployed on this network">Switch to a network where Perks runs.</EmptyState>
      ) : wallet.error ? (
        <div className="card" role="alert">
          <p className="error">{humanizeError(wallet.error).message}</p>
          <button type="button" className="button secondary" onClick={() => void wallet.refetch()}>
            Try again
          </button>
        </div>
      ) : shown === undefined ? (
        <SkeletonCards count={2} label="Loading your points" />
      ) : shown.length === 0 ? (
        <EmptyState
          icon={<CupIcon size={32} />}
          title="No points yet"
          action={
            <Link className="button" to="/claim">
              Claim your first points
            </Link>
          }
        >
          <p>Scan the QR code on a receipt, open a claim link, or ask a friend to send you some.</p>
        </EmptyState>
      ) : (
        <div className="grid token-grid">
          {shown.map((token) => (
            <TokenCard key={token.address} token={token} onSend={setSending} />
          ))}
        </div>
      )}

      <h2 className="section-heading">Activity</h2>
      <Activity items={activity} labels={labels} merchants={merchants} />

      <SendDialog
        token={sending && (wallet.data?.find((token) => token.address === sending.address) ?? sending)}
        account={account}
        contracts={contracts}
        onClose={() => setSending(undefined)}
      />
      {receiving && (
        <Suspense fallback={null}>
          <ReceiveDialog account={account} open={receiving} onClose={() => setReceiving(false)} />
        </Suspense>
      )}
    </>
  );
}
