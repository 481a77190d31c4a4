import { targetChain } from "../../chain";
import { perksAddressesOn } from "../../lib/perks";
import { Markdown } from "./markdown";

/** docs/exchanges.md when the repository has it at build time (an empty match otherwise, not a build error). */
const repositoryGuide = Object.values(
  import.meta.glob<string>("../../../../docs/exchanges.md", { query: "?raw", import: "default", eager: true }),
)[0];

/** The integration guide: the repository's own when it exists, else the essentials with this chain's addresses. */
export function Guide() {
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
      {repositoryGuide ? <Markdown source={repositoryGuide} /> : <FallbackGuide />}
    </article>
  );
}

function FallbackGuide() {
  return (
    <div className="markdown">
      <h3>Listing Perks tokens</h3>
      <p>
        Every Perks token is a plain ERC-20 with EIP-2612 permit: 18 decimals, no transfer fee, no rebasing, no pause, no blacklist,
        and nobody can burn a holder's points without consent. Integrate them like any other ERC-20, with no special case.
      </p>
      <ul>
        <li>
          The factory lists every token: <code>tokens(offset, limit)</code> returns a page and the total; <code>isToken(address)</code>{" "}
          tells a Perks token from a look-alike. New tokens emit <code>TokenCreated(merchant, token, name, symbol, faceValue, metadataURI)</code>.
        </li>
        <li>
          The token list (Uniswap token-lists format) on the Token list tab is built from that registry; its minor version rises with
          every new token.
        </li>
        <li>
          <code>faceValue()</code> is the merchant's stated value in millionths of a US dollar per point (0 when none): useful for pricing
          bids and for liability reports.
        </li>
      </ul>
      <h3>Buying points through the CashOutGateway</h3>
      <ol>
        <li>
          Approve the gateway for the stablecoin, then <code>postBid(token, stablecoin, recipient, price, maxPoints, expiresAt, funds)</code>:
          the price is stablecoin base units per whole point (10^18 base units), so a 6-decimal USDC bid of 0.01 per point is{" "}
          <code>price = 10000</code>. Never assume 18 decimals for the stablecoin.
        </li>
        <li>
          Customers sell with <code>sell(bidId, points, minAmountOut, deadline)</code> or <code>sellWithPermit</code>; the payout is{" "}
          <code>points * price / 1e18</code>, rounded down, and the points go straight to your recipient.
        </li>
        <li>
          Manage the bid with <code>topUp</code>, <code>reprice</code>, <code>withdraw</code> and <code>close</code> (only its operator). A
          bid can be sold into while it has remaining points and funds and has not expired.
        </li>
        <li>
          Index <code>BidPosted</code>, <code>BidFunded</code>, <code>BidRepriced</code>, <code>FundsWithdrawn</code>, <code>BidClosed</code>{" "}
          and <code>PointsSold(bidId, seller, points, payout)</code> to follow your bids; the My bids tab does exactly that.
        </li>
      </ol>
      <h3>Trading on the PointsExchange</h3>
      <p>
        Orders escrow the sell token until filled, cancelled or expired. Rebuild the book from <code>OrderCreated</code> (terms, amounts,
        expiry) and <code>OrderFilled</code> / <code>OrderCancelled</code> / <code>OrderExpired</code>. A fill pays{" "}
        <code>ceil(take * remainingBuy / remainingSell)</code>: rounding always favours the maker, and a quote never rises.
      </p>
      <h3>With the SDK</h3>
      <pre className="code-block" tabIndex={0}>
        <code>{`import { listBids, postBid, sellPoints, getOrderBook } from "@perks/sdk";
const bids = await listBids(publicClient, { token });        // best first
await postBid({ publicClient, walletClient }, { token, stablecoin, price, maxPoints, expiresAt, funds });`}</code>
      </pre>
    </div>
  );
}
