import { type RewardInfo, deliversCode } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import type { CatalogView, Catalogs, WalletRewardState } from "../../hooks/useCatalogs";
import { useMetadata } from "../../hooks/useMetadata";
import { formatDay } from "../../lib/time";
import { kindLabel, redeemability, valueText, walletContextFor } from "../../lib/rewardEligibility";

/** A reward as a customer weighs it: what it is, how many are left, who may redeem it and every way to pay. */
export function RewardCard({
  catalog,
  reward,
  data,
  wallet,
  onRedeem,
}: {
  catalog: CatalogView;
  reward: RewardInfo;
  data: Catalogs;
  wallet: WalletRewardState | undefined;
  onRedeem: () => void;
}) {
  const { params } = reward;
  const metadata = useMetadata(params.metadataURI, reward.id);
  const context = walletContextFor(wallet, catalog.address, reward);
  const { blocked, choices } = redeemability(reward, context, data.now);
  const value = valueText(params.kind, params.value);
  const title = metadata.name ?? value ?? kindLabel(params.kind);
  const titleId = `reward-${catalog.address}-${reward.id}`;

  return (
    <article className="card reward-card" aria-labelledby={titleId}>
      {metadata.image && <img className="reward-image" src={metadata.image} alt="" loading="lazy" />}
      <p className="reward-kind">
        <span className="badge">{kindLabel(params.kind)}</span>
        {value && metadata.name && <span className="reward-value">{value}</span>}
      </p>
      <h3 id={titleId} className="reward-title">
        {title}
      </h3>
      {metadata.description && <p className="reward-description">{metadata.description}</p>}
      <dl className="facts">
        <div>
          <dt>Left</dt>
          <dd>
            {reward.remaining.toLocaleString("en-US")} of {params.supply.toLocaleString("en-US")}
          </dd>
        </div>
        <div>
          <dt>Per wallet</dt>
          <dd>
            {params.perWallet === 0 ? "No limit" : `Up to ${params.perWallet}`}
            {params.perWallet > 0 && wallet && ` (you: ${context.redeemedByWallet})`}
          </dd>
        </div>
        {params.minTier > 0 && (
          <div>
            <dt>Tier</dt>
            <dd>
              Tier {params.minTier} or higher{wallet && ` (you: ${context.tier})`}
            </dd>
          </div>
        )}
        <div>
          <dt>Until</dt>
          <dd>{formatDay(Number(params.endsAt))}</dd>
        </div>
      </dl>
      {deliversCode(params.kind) && (
        <p className="hint">The code is delivered privately, encrypted to a key kept on this device.</p>
      )}
      <div className="pay-options">
        <p className="pay-title">Pay with</p>
        <ul>
          {choices.map((choice) => {
            const token = data.tokens.get(choice.token);
            const enough = choice.balance >= choice.price;
            return (
              <li key={choice.token} className={wallet && !enough ? "short" : undefined}>
                <Amount value={choice.price} decimals={token?.decimals} symbol={token?.symbol} fractionDigits={4} />
                {!choice.own && <span className="hint"> · partner points</span>}
                {wallet && (
                  <span className="hint">
                    {" "}
                    · you have <Amount value={choice.balance} decimals={token?.decimals} />
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
      {blocked && wallet && <p className="hint reward-blocked">{blocked}</p>}
      <button type="button" className="button" onClick={onRedeem} disabled={wallet !== undefined && blocked !== undefined}>
        Redeem
      </button>
    </article>
  );
}
