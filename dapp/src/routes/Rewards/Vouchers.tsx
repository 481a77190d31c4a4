import { useMemo, useState } from "react";
import { Link } from "react-router";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { type RewardInfo, deliversCode } from "@perks/sdk";
import { ConnectButton } from "../../components/ConnectButton";
import { EmptyState } from "../../components/EmptyState";
import { Skeleton } from "../../components/Skeleton";
import { type CatalogView, type Catalogs, type WalletRewardState, rewardKey } from "../../hooks/useCatalogs";
import { useMetadata } from "../../hooks/useMetadata";
import { shortAddress } from "../../lib/format";
import { kindLabel, valueText } from "../../lib/rewardEligibility";
import { useDeliveredCodes } from "./useDeliveredCodes";
import { type VoucherAction, VoucherDialog } from "./VoucherDialogs";

/** A voucher the wallet holds: which reward, of which catalog, how many. */
export interface HeldVoucher {
  catalog: CatalogView;
  reward: RewardInfo;
  balance: bigint;
}

export function Vouchers({ data, wallet }: { data: Catalogs; wallet: WalletRewardState | undefined }) {
  const { address } = useAccount();
  const [action, setAction] = useState<{ kind: VoucherAction; voucher: HeldVoucher }>();
  const held = useMemo(
    () =>
      data.catalogs.flatMap((catalog) =>
        catalog.rewards
          .map((reward) => ({ catalog, reward, balance: wallet?.vouchers.get(rewardKey(catalog.address, reward.id)) ?? 0n }))
          .filter((voucher) => voucher.balance > 0n),
      ),
    [data, wallet],
  );
  const codeCatalogs = useMemo(
    () => data.catalogs.filter((catalog) => catalog.rewards.some((reward) => deliversCode(reward.params.kind))).map((catalog) => catalog.address),
    [data],
  );

  if (!address) {
    return (
      <EmptyState icon="🎟" title="Your vouchers live in your wallet" action={<ConnectButton label="Connect a wallet to see them" />}>
        <p>Vouchers you redeem or are given show here, ready for the till.</p>
      </EmptyState>
    );
  }

  return (
    <>
      {!wallet ? (
        <Skeleton label="Loading your vouchers" />
      ) : held.length === 0 ? (
        <EmptyState
          icon="🎟"
          title="No vouchers yet"
          action={
            <Link className="button" to="/rewards">
              Browse rewards
            </Link>
          }
        >
          <p>Redeem points for a reward, or ask a friend to give you one.</p>
        </EmptyState>
      ) : (
        <div className="grid reward-grid">
          {held.map((voucher) => (
            <VoucherCard key={rewardKey(voucher.catalog.address, voucher.reward.id)} voucher={voucher} data={data} onAction={(kind) => setAction({ kind, voucher })} />
          ))}
        </div>
      )}
      <Codes account={address} catalogs={codeCatalogs} data={data} />
      <VoucherDialog
        action={action?.kind}
        voucher={action?.voucher}
        balance={action ? (wallet?.vouchers.get(rewardKey(action.voucher.catalog.address, action.voucher.reward.id)) ?? 0n) : 0n}
        account={address}
        onClose={() => setAction(undefined)}
      />
    </>
  );
}

function useRewardName(reward: RewardInfo) {
  const metadata = useMetadata(reward.params.metadataURI, reward.id);
  return { metadata, name: metadata.name ?? valueText(reward.params.kind, reward.params.value) ?? kindLabel(reward.params.kind) };
}

function VoucherCard({ voucher, data, onAction }: { voucher: HeldVoucher; data: Catalogs; onAction: (kind: VoucherAction) => void }) {
  const { reward, catalog, balance } = voucher;
  const { metadata, name } = useRewardName(reward);
  const value = valueText(reward.params.kind, reward.params.value);
  const brand = data.tokens.get(catalog.token);
  const titleId = `voucher-${catalog.address}-${reward.id}`;
  return (
    <article className="card reward-card voucher-card" aria-labelledby={titleId}>
      {metadata.image && <img className="reward-image" src={metadata.image} alt="" loading="lazy" />}
      <p className="reward-kind">
        <span className="badge">{kindLabel(reward.params.kind)}</span>
        <span className="voucher-count" aria-label={`${balance} held`}>
          ×{balance.toString()}
        </span>
      </p>
      <h3 id={titleId} className="reward-title">
        {name}
      </h3>
      <p className="hint">
        {brand?.name ?? shortAddress(catalog.address)}
        {value && metadata.name && ` · ${value}`}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={() => onAction("till")}>
          Show at the till
        </button>
        <button type="button" className="button secondary" onClick={() => onAction("use")}>
          Use now
        </button>
        <button type="button" className="button secondary" onClick={() => onAction("give")}>
          Give
        </button>
      </div>
    </article>
  );
}

function Codes({ account, catalogs, data }: { account: Address; catalogs: readonly Address[]; data: Catalogs }) {
  const codes = useDeliveredCodes(account, catalogs);
  if (catalogs.length === 0 || (codes.data && codes.data.length === 0)) return null;
  return (
    <section aria-labelledby="codes-title">
      <h2 id="codes-title" className="section-heading">
        Your codes
      </h2>
      <p className="hint">Gift coupons and access codes arrive encrypted to a key only this device holds.</p>
      {codes.error && (
        <p className="error" role="alert">
          {codes.error.message}
        </p>
      )}
      {!codes.data ? (
        <Skeleton lines={2} label="Opening your codes" />
      ) : (
        <ul className="code-list">
          {codes.data.map((row) => {
            const reward = data.catalogs.find((catalog) => catalog.address === row.catalog)?.rewards.find((candidate) => candidate.id === row.rewardId);
            return (
              <li key={`${row.catalog}:${row.redemptionId}`} className="card code-row">
                {reward ? <CodeTitle reward={reward} /> : <strong>Reward {row.rewardId.toString()}</strong>}
                {row.status.kind === "delivered" && (
                  <ul className="codes" aria-label="Codes">
                    {row.status.codes.map((code) => (
                      <li key={code}>
                        <code className="code-value">{code}</code>{" "}
                        <button type="button" className="button secondary small" onClick={() => void navigator.clipboard?.writeText(code)}>
                          Copy
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                {row.status.kind === "waiting" && (
                  <p className="hint" role="status">
                    Waiting for the merchant to deliver your code. It shows here as soon as it arrives.
                  </p>
                )}
                {row.status.kind === "elsewhere" && (
                  <p className="hint">Redeemed from another device or browser: open it there to read the code.</p>
                )}
                {row.status.kind === "unreadable" && (
                  <p className="error" role="alert">
                    {row.status.message}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function CodeTitle({ reward }: { reward: RewardInfo }) {
  const { name } = useRewardName(reward);
  return <strong>{name}</strong>;
}
