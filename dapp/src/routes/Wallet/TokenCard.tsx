import { useId } from "react";
import { RECORD_UNIT } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { TokenAvatar } from "../../components/TokenAvatar";
import type { CampaignStanding, HeldToken } from "../../hooks/useWalletTokens";
import { formatAmount, formatFaceValue } from "../../lib/amount";
import { shortAddress } from "../../lib/format";
import { bonusPercent, tierMultiplierBps, tierName } from "../../lib/standing";
import { formatDay } from "../../lib/time";

/** Stamp cards longer than this show a bar instead of one stamp per claim. */
const MAX_STAMPS = 12;

export function TokenCard({ token, onSend }: { token: HeldToken; onSend: (token: HeldToken) => void }) {
  const titleId = useId();
  return (
    <article className="card token-card" aria-labelledby={titleId}>
      <div className="token-head">
        <TokenAvatar address={token.address} symbol={token.symbol} />
        <div className="token-title">
          <h3 id={titleId}>{token.name}</h3>
          <p className="hint">
            {token.symbol} · merchant <span className="mono nowrap">{shortAddress(token.merchant)}</span>
          </p>
        </div>
      </div>
      <p className="token-balance">
        <Amount value={token.balance} decimals={token.decimals} symbol={token.symbol} />
      </p>
      <p className="hint">
        {token.faceValue > 0n
          ? `Worth ${formatFaceValue(token.faceValue, token.balance, token.decimals)} at face value (${formatFaceValue(token.faceValue)} a point).`
          : "No face value stated by the merchant."}
      </p>
      {token.campaigns.map((campaign) => (
        <Standing key={campaign.address} campaign={campaign} token={token} />
      ))}
      <div className="card-actions">
        <button type="button" className="button secondary" onClick={() => onSend(token)}>
          Send
        </button>
      </div>
    </article>
  );
}

function Standing({ campaign, token }: { campaign: CampaignStanding; token: HeldToken }) {
  const { standing, milestone, rules } = campaign;
  const points = (value: bigint) => `${formatAmount(value, token.decimals)} ${token.symbol}`;
  const hasTiers = rules.tiers.length > 0 && rules.tierPeriod > 0;
  // The campaign counts hundredths of a point: the bar's goal is the next threshold rounded up to one (what the
  // record must reach), so it fills exactly when the tier is reached.
  const goal = standing.next ? standing.qualifying + standing.next.missing : 0n;
  if (!hasTiers && !milestone) return null;
  return (
    <div className="standing">
      {hasTiers && (
        <>
          <p className="standing-line">
            <span className={`tier-badge tier-${Math.min(standing.tier, 3)}`}>{tierName(standing.tier)}</span>
            {standing.tier > 0 && <span className="hint">earns {bonusPercent(tierMultiplierBps(rules, standing.tier))}</span>}
          </p>
          {standing.next ? (
            <>
              <progress
                className="progress"
                max={Number(goal / RECORD_UNIT) || 1}
                value={Number(standing.qualifying / RECORD_UNIT)}
                aria-label={`Progress to ${tierName(standing.next.tier)}`}
                aria-valuetext={`${points(standing.qualifying)} of ${points(goal)}`}
              />
              <p className="hint">
                Earn <strong>{points(standing.next.missing)}</strong> more to reach {tierName(standing.next.tier)} (
                {bonusPercent(standing.next.multiplierBps)} on everything you earn).
              </p>
            </>
          ) : (
            <p className="hint">Top tier reached.</p>
          )}
          {standing.toKeep !== undefined && standing.toKeep > 0n && standing.periodEndsAt !== undefined && (
            <p className="hint">
              To keep {tierName(standing.tier)} next period, earn {points(standing.toKeep)} by {formatDay(standing.periodEndsAt)}.
            </p>
          )}
        </>
      )}
      {milestone && <StampCard claims={campaign.claims} milestone={milestone} bonus={points(milestone.bonus)} />}
    </div>
  );
}

function StampCard({
  claims,
  milestone,
  bonus,
}: {
  claims: number;
  milestone: { claimNumber: number; claimsToGo: number };
  bonus: string;
}) {
  const sentence = (
    <>
      {milestone.claimsToGo === 1 ? "Your next visit earns" : `${milestone.claimsToGo} more visits to earn`} a{" "}
      <strong>{bonus}</strong> bonus (visit {milestone.claimNumber}).
    </>
  );
  if (milestone.claimNumber > MAX_STAMPS) {
    return (
      <>
        <progress className="progress" max={milestone.claimNumber} value={claims} aria-label="Visits toward the next bonus" />
        <p className="hint">{sentence}</p>
      </>
    );
  }
  return (
    <>
      <ol className="stamps" aria-label={`Stamp card: ${claims} of ${milestone.claimNumber} visits`}>
        {Array.from({ length: milestone.claimNumber }, (_, i) => (
          <li key={i} className={i < claims ? "stamp filled" : "stamp"} aria-hidden="true" />
        ))}
      </ol>
      <p className="hint">{sentence}</p>
    </>
  );
}
