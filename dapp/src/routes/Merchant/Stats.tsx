import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useAccount } from "wagmi";
import type { BrandStats, CampaignStats } from "@perks/sdk";
import { formatMoney } from "../../lib/format";
import { useMerchant } from "./hooks/useMerchant";
import { useMerchantStats } from "./hooks/useMerchantStats";
import { activitySeries, combinedClaimRate, percent, periodLabel, retentionShares } from "./lib/statsSeries";
import { formatDown, formatMillionths, readMetadata } from "./lib/units";
import { TableScroll } from "../../components/TableScroll";

const PERIODS = [
  { seconds: 3_600, label: "Hours" },
  { seconds: 86_400, label: "Days" },
  { seconds: 7 * 86_400, label: "Weeks" },
];
const COLORS = { issued: "#0f766e", claimed: "#7c3aed", redeemed: "#c2410c" };

/** Program metrics from anonymous on-chain events: activity over time, claim rate, liability, tiers, retention
 * and the rewards customers choose. */
export default function Stats() {
  const { address } = useAccount();
  const { data: merchant } = useMerchant();
  const [periodSeconds, setPeriodSeconds] = useState(86_400);
  // The brands the account owns now (a token handed to another key takes its statistics along).
  const owned = merchant?.tokens.map((token) => token.address);
  const { data, isPending, error } = useMerchantStats(owned, periodSeconds);
  const [tokenChoice, setTokenChoice] = useState<string>();

  if (!address) return <h1>Statistics</h1>;
  if (isPending) return <p className="loading" role="status">Reading your program's events…</p>;
  if (error) return <p className="error" role="alert">Could not read the statistics: {error.message.split("\n")[0]}</p>;

  const ownedSet = new Set(owned?.map((token) => token.toLowerCase()));
  const brands = data.stats.brands.filter((brand) => ownedSet.has(brand.token.toLowerCase()));
  const brand = brands.find((candidate) => candidate.token === tokenChoice) ?? brands[0];
  if (!brand) {
    return (
      <section className="card">
        <h1>Statistics</h1>
        <p>No activity yet: create points and a campaign, then issue some.</p>
      </section>
    );
  }
  const symbol = brand.symbol ?? "points";
  const campaigns = data.stats.campaigns.filter((campaign) => brand.campaigns.includes(campaign.campaign));
  const names = new Map(merchant?.campaigns.map((campaign) => [campaign.address, campaign.name]));
  const series = activitySeries(brand, data.claimedByToken.get(brand.token) ?? new Map(), data.stats);

  return (
    <section className="stack stats">
      <div className="page-head">
        <h1>Statistics</h1>
        <div className="row compact-row">
          {brands.length > 1 && (
            <div className="field">
              <label htmlFor="stats-token">Token</label>
              <select id="stats-token" value={brand.token} onChange={(event) => setTokenChoice(event.target.value)}>
                {brands.map((candidate) => (
                  <option key={candidate.token} value={candidate.token}>
                    {candidate.symbol} — {candidate.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="stats-period">Group by</label>
            <select id="stats-period" value={periodSeconds} onChange={(event) => setPeriodSeconds(Number(event.target.value))}>
              {PERIODS.map((period) => (
                <option key={period.seconds} value={period.seconds}>
                  {period.label}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      <p className="hint">
        From {data.events.toLocaleString("en-US")} on-chain events. Customers are wallet addresses, only ever counted.
      </p>

      <Kpis brand={brand} symbol={symbol} />

      <section className="card" aria-labelledby="activity-title">
        <h2 id="activity-title">Issued, claimed and redeemed ({symbol})</h2>
        <div className="chart" role="img" aria-label={`Points issued, claimed and redeemed per ${PERIODS.find((p) => p.seconds === periodSeconds)?.label.toLowerCase().slice(0, -1)}`}>
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={series} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="label" fontSize={12} />
              <YAxis fontSize={12} width={56} />
              <Tooltip formatter={(value) => Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 })} />
              <Legend />
              <Bar dataKey="issued" name="Issued" fill={COLORS.issued} isAnimationActive={false} />
              <Bar dataKey="claimed" name="Claimed" fill={COLORS.claimed} isAnimationActive={false} />
              <Bar dataKey="redeemed" name="Redeemed" fill={COLORS.redeemed} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>

      <div className="two-columns">
        <TierDistribution campaigns={campaigns} names={names} />
        <TopRewards brand={brand} symbol={symbol} />
      </div>

      <Retention brand={brand} periodSeconds={periodSeconds} />

      <section className="card" aria-labelledby="campaign-stats-title">
        <h2 id="campaign-stats-title">Campaigns</h2>
        <TableScroll label="Statistics per campaign">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col" className="num">Issued</th>
                <th scope="col" className="num">Claims</th>
                <th scope="col" className="num">Wallets</th>
                <th scope="col" className="num">Voucher claim rate</th>
                <th scope="col" className="num">Code claim rate</th>
                <th scope="col" className="num">Cap used</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((campaign) => (
                <tr key={campaign.campaign}>
                  <td>{names.get(campaign.campaign) ?? readMetadata(campaign.metadataURI ?? "").name ?? campaign.campaign.slice(0, 10)}</td>
                  <td className="num">{formatDown(campaign.issued)}</td>
                  <td className="num">{campaign.claims}</td>
                  <td className="num">{campaign.wallets}</td>
                  <td className="num">
                    {percent(campaign.vouchers.rate)}
                    <span className="hint"> ({campaign.vouchers.claimed}{campaign.vouchers.issued !== undefined ? ` of ${campaign.vouchers.issued}` : ""})</span>
                  </td>
                  <td className="num">
                    {percent(campaign.batchCodes.rate)}
                    <span className="hint"> ({campaign.batchCodes.claimed}{campaign.batchCodes.issued !== undefined ? ` of ${campaign.batchCodes.issued}` : ""})</span>
                  </td>
                  <td className="num">{percent(campaign.capUsed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <p className="hint">Voucher claim rates count the vouchers this device's point of sale printed.</p>
      </section>
    </section>
  );
}

function Kpis({ brand, symbol }: { brand: BrandStats; symbol: string }) {
  const claimRate = combinedClaimRate(brand.vouchers, brand.batchCodes);
  const kpis: [string, string, string?][] = [
    ["Issued", `${formatDown(brand.issued)} ${symbol}`, `${formatDown(brand.claimed.points)} claimed by customers`],
    ["Claim rate", percent(claimRate), "of printed codes and this till's vouchers"],
    ["Redeemed", `${formatDown(brand.redeemed.points)} ${symbol}`, `${brand.redeemed.redemptions} redemptions · ${percent(brand.redemptionRate)} of minted`],
    ["Outstanding", `${formatDown(brand.outstanding)} ${symbol}`, `held by ${brand.holders} wallets`],
    ["Liability at face value", brand.faceValue > 0n ? formatMillionths(brand.liability) : "—", brand.faceValue > 0n ? `${formatMoney(brand.faceValue, 6)} per point` : "no face value set"],
    ["Wallets", brand.wallets.toLocaleString("en-US"), "ever active"],
  ];
  return (
    <dl className="kpis">
      {kpis.map(([label, value, note]) => (
        <div key={label} className="kpi card">
          <dt>{label}</dt>
          <dd>
            <strong>{value}</strong>
            {note && <span className="hint">{note}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function TierDistribution({ campaigns, names }: { campaigns: CampaignStats[]; names: Map<string, string> }) {
  const tiered = campaigns.filter((campaign) => campaign.tiers !== undefined);
  const [choice, setChoice] = useState<string>();
  const campaign = tiered.find((candidate) => candidate.campaign === choice) ?? tiered[0];
  if (!campaign?.tiers) {
    return (
      <section className="card">
        <h2>Tier distribution</h2>
        <p className="hint">None of these campaigns has tiers.</p>
      </section>
    );
  }
  const labels = readMetadata(campaign.metadataURI ?? "").tierNames ?? [];
  const rows = campaign.tiers.wallets.map((wallets, tier) => ({
    tier: tier === 0 ? "No tier" : (labels[tier - 1] ?? `Tier ${tier}`),
    wallets,
  }));
  return (
    <section className="card" aria-labelledby="tiers-title">
      <h2 id="tiers-title">Tier distribution</h2>
      {tiered.length > 1 && (
        <select aria-label="Campaign" value={campaign.campaign} onChange={(event) => setChoice(event.target.value)}>
          {tiered.map((candidate) => (
            <option key={candidate.campaign} value={candidate.campaign}>
              {names.get(candidate.campaign) ?? candidate.campaign}
            </option>
          ))}
        </select>
      )}
      <div className="chart" role="img" aria-label={`Wallets per tier: ${rows.map((row) => `${row.tier} ${row.wallets}`).join(", ")}`}>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="tier" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} width={40} />
            <Tooltip />
            <Bar dataKey="wallets" name="Wallets" fill={COLORS.issued} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

function TopRewards({ brand, symbol }: { brand: BrandStats; symbol: string }) {
  if (brand.topRewards.length === 0) {
    return (
      <section className="card">
        <h2>Top rewards</h2>
        <p className="hint">No reward redeemed yet.</p>
      </section>
    );
  }
  const rows = brand.topRewards.map((reward) => ({
    name: readMetadata(reward.metadataURI ?? "").name ?? `Reward ${reward.rewardId}`,
    vouchers: reward.quantity,
    used: reward.used,
    points: reward.points,
  }));
  return (
    <section className="card" aria-labelledby="top-rewards-title">
      <h2 id="top-rewards-title">Top rewards</h2>
      <div className="chart" role="img" aria-label={`Vouchers redeemed per reward: ${rows.map((row) => `${row.name} ${row.vouchers}`).join(", ")}`}>
        <ResponsiveContainer width="100%" height={Math.max(120, rows.length * 36)}>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
            <XAxis type="number" allowDecimals={false} fontSize={12} />
            <YAxis type="category" dataKey="name" width={120} fontSize={12} />
            <Tooltip />
            <Bar dataKey="vouchers" name="Redeemed" fill={COLORS.redeemed} isAnimationActive={false} />
            <Bar dataKey="used" name="Used at the till" fill={COLORS.claimed} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="hint">
        {rows.map((row) => `${row.name}: ${formatDown(row.points)} ${symbol}`).join(" · ")}
      </p>
    </section>
  );
}

function Retention({ brand, periodSeconds }: { brand: BrandStats; periodSeconds: number }) {
  const cohorts = brand.retention.slice(-12);
  const width = Math.min(12, Math.max(0, ...cohorts.map((cohort) => cohort.retained.length)));
  return (
    <section className="card" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention cohorts</h2>
      <p className="hint">Wallets grouped by their first period, and the share active again each period after.</p>
      {cohorts.length === 0 ? (
        <p className="hint">No activity yet.</p>
      ) : (
        <TableScroll label="Retention cohorts">
          <table className="table cohorts">
            <thead>
              <tr>
                <th scope="col">First active</th>
                <th scope="col" className="num">Wallets</th>
                {Array.from({ length: width }, (_, k) => (
                  <th key={k} scope="col" className="num">
                    +{k}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {cohorts.map((cohort) => {
                const shares = retentionShares(cohort);
                return (
                  <tr key={cohort.period}>
                    <th scope="row">{periodLabel(cohort.start, periodSeconds)}</th>
                    <td className="num">{cohort.size}</td>
                    {Array.from({ length: width }, (_, k) => (
                      <td key={k} className="num heat" style={{ background: shares[k] === undefined ? undefined : `rgb(15 118 110 / ${0.08 + shares[k] * 0.6})` }}>
                        {shares[k] === undefined ? "" : percent(shares[k])}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
