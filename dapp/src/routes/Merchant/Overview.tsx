import { Link } from "react-router";
import { AddressText } from "./components/Address";
import { useChainNow } from "./hooks/useChainNow";
import { STATUS_LABEL, campaignStatus, useMerchant } from "./hooks/useMerchant";
import { formatDate, formatDown, formatMillionths } from "./lib/units";
import { TableScroll } from "../../components/TableScroll";
import { CapUsage } from "./components/CapUsage";

/** The merchant's tokens, campaigns and catalog at a glance, with the way to each page that acts on them. */
export default function Overview() {
  const { data, isPending, error, address, factory } = useMerchant();
  const now = useChainNow();

  if (!factory) return <p className="card">Perks is not deployed on this network yet.</p>;
  if (!address) return <h1>Merchant back office</h1>;
  if (isPending) return <p className="loading" role="status">Loading your program…</p>;
  if (error) return <p className="error" role="alert">Could not read your program: {error.message.split("\n")[0]}</p>;

  const { tokens, campaigns, catalog, givenAway } = data;
  return (
    <section className="stack">
      <div className="page-head">
        <h1>Your loyalty program</h1>
        <Link className="button" to="/merchant/new">
          New campaign
        </Link>
      </div>
      {givenAway > 0 && (
        <p className="hint">
          {givenAway === 1 ? "1 token you created now belongs" : `${givenAway} tokens you created now belong`} to another account.
        </p>
      )}

      {tokens.length === 0 && (
        <div className="card empty">
          <h2>No points yet</h2>
          <p>Create your brand's points and a first campaign in one step. Nothing is deployed until you confirm.</p>
          <Link className="button" to="/merchant/new">
            Create points and a campaign
          </Link>
        </div>
      )}

      {tokens.length > 0 && (
        <section aria-labelledby="tokens-title">
          <h2 id="tokens-title">Tokens</h2>
          <TableScroll label="Your tokens">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Token</th>
                  <th scope="col">Address</th>
                  <th scope="col" className="num">Outstanding</th>
                  <th scope="col" className="num">Liability at face value</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.address}>
                    <td>
                      <strong>{token.symbol}</strong> {token.name}
                    </td>
                    <td>
                      <AddressText address={token.address} />
                    </td>
                    <td className="num">{formatDown(token.totalSupply)}</td>
                    <td className="num">
                      {token.faceValue === 0n ? "—" : formatMillionths((token.totalSupply * token.faceValue) / 10n ** 18n)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      )}

      {campaigns.length > 0 && (
        <section aria-labelledby="campaigns-title">
          <h2 id="campaigns-title">Campaigns</h2>
          <div className="grid">
            {campaigns.map((campaign) => {
              const status = campaignStatus(campaign, now);
              return (
                <article key={campaign.address} className="card campaign-card">
                  <div className="card-head">
                    <h3>
                      <Link to={`/merchant/campaign/${campaign.address}`}>{campaign.name}</Link>
                    </h3>
                    <span className={`status status-${status}`}>{STATUS_LABEL[status]}</span>
                  </div>
                  <p className="hint">
                    {campaign.token.symbol} · until {formatDate(campaign.endsAt)}
                  </p>
                  <p>
                    <CapUsage issued={campaign.issued} cap={campaign.rules.supplyCap} symbol={campaign.token.symbol} />
                  </p>
                  <p className="actions">
                    <Link to={`/merchant/campaign/${campaign.address}`}>Manage</Link>
                    <Link to={`/merchant/pos?campaign=${campaign.address}`}>Point of sale</Link>
                    <Link to={`/merchant/batches?campaign=${campaign.address}`}>Batch codes</Link>
                  </p>
                </article>
              );
            })}
          </div>
        </section>
      )}

      {tokens.length > 0 && (
        <section aria-labelledby="catalog-title" className="card">
          <h2 id="catalog-title">Rewards catalog</h2>
          {catalog ? (
            <p>
              Your catalog lives at <AddressText address={catalog} />. <Link to="/merchant/rewards">Manage rewards</Link>
            </p>
          ) : (
            <p>
              You have no catalog yet. <Link to="/merchant/rewards">Create one</Link> to let customers spend points on
              rewards.
            </p>
          )}
        </section>
      )}
    </section>
  );
}
