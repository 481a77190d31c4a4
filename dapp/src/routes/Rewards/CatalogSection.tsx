import { useState } from "react";
import { type RewardInfo, RewardStatus } from "@perks/sdk";
import type { CatalogView, Catalogs, WalletRewardState } from "../../hooks/useCatalogs";
import { partnerRate, redeemability, walletContextFor } from "../../lib/rewardEligibility";
import { RedeemDialog } from "./RedeemDialog";
import { RewardCard } from "./RewardCard";

/** One merchant's rewards, with the partner points its catalog accepts. */
export function CatalogSection({
  catalog,
  data,
  wallet,
  onlyRedeemable,
}: {
  catalog: CatalogView;
  data: Catalogs;
  wallet: WalletRewardState | undefined;
  onlyRedeemable: boolean;
}) {
  const [redeeming, setRedeeming] = useState<RewardInfo>();
  const brand = data.tokens.get(catalog.token);
  const headingId = `catalog-${catalog.address}`;
  const rewards = catalog.rewards
    .filter((reward) => reward.status !== RewardStatus.Retired)
    .filter((reward) => !onlyRedeemable || redeemability(reward, walletContextFor(wallet, catalog.address, reward), data.now).blocked === undefined);

  return (
    <section className="catalog" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-heading">
        {brand?.name ?? "Rewards"} <span className="hint">· paid in {brand?.symbol ?? "points"}</span>
      </h2>
      {catalog.partners.length > 0 && (
        <p className="hint">
          Also takes partner points:{" "}
          {catalog.partners
            .map((partner) => {
              const token = data.tokens.get(partner.token);
              return `${partnerRate(partner, token?.decimals ?? 18, brand?.decimals ?? 18)} ${token?.symbol ?? "points"} per ${brand?.symbol ?? "point"}`;
            })
            .join(", ")}
          .
        </p>
      )}
      {rewards.length === 0 ? (
        <p className="hint">{onlyRedeemable ? "Nothing here you can redeem right now." : "No rewards listed yet."}</p>
      ) : (
        <div className="grid reward-grid">
          {rewards.map((reward) => (
            <RewardCard
              key={reward.id.toString()}
              catalog={catalog}
              reward={reward}
              data={data}
              wallet={wallet}
              onRedeem={() => setRedeeming(reward)}
            />
          ))}
        </div>
      )}
      <RedeemDialog
        catalog={catalog}
        reward={redeeming && (catalog.rewards.find((reward) => reward.id === redeeming.id) ?? redeeming)}
        data={data}
        wallet={wallet}
        onClose={() => setRedeeming(undefined)}
      />
    </section>
  );
}
