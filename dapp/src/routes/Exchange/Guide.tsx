import { targetChain } from "../../chain";
import { perksAddressesOn } from "../../lib/perks";
import guide from "../../../../docs/exchanges.md?raw";
import { Markdown } from "./markdown";

/** The integration guide: this chain's contract addresses, then the repository's docs/exchanges.md (bundled at build
 * time, so the page and the document never disagree). */
export default function Guide() {
  const addresses = perksAddressesOn(targetChain.id);
  return (
    <article className="card guide" aria-labelledby="guide-title">
      <h2 id="guide-title">Integration guide</h2>
      <dl className="facts addresses">
        {(["CampaignFactory", "CashOutGateway", "PointsExchange"] as const).map((name) => (
          <div key={name}>
            <dt>
              {name} on {targetChain.name} ({targetChain.id})
            </dt>
            <dd className="mono">{addresses[name] ?? "not deployed"}</dd>
          </div>
        ))}
      </dl>
      <Markdown source={guide} />
    </article>
  );
}
