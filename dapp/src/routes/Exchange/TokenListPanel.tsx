import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { buildTokenList, metadataLogo } from "@perks/sdk";
import { targetChain } from "../../chain";
import type { PerksTokens } from "../../hooks/usePerksTokens";
import { formatFaceValue } from "../../lib/amount";
import { shortAddress } from "../../lib/format";
import { browsableUrl } from "../../lib/metadata";
import { TableScroll } from "../../components/TableScroll";

/** Reads a metadata document the browser can reach (https, or ipfs through the gateway). */
async function fetchJson(uri: string): Promise<unknown> {
  const url = browsableUrl(uri);
  if (!url) return undefined;
  const response = await fetch(url, { headers: { accept: "application/json" } });
  return response.ok ? response.json() : undefined;
}

/** Saves `text` as a file named `name`. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** Every Perks token of this chain as a token list (the SDK's, Uniswap token-lists format), to preview and download. */
export function TokenListPanel({ tokens }: { tokens: PerksTokens }) {
  const logos = useQuery({
    queryKey: ["perks", "tokenLogos", targetChain.id, tokens.loyalty.map((token) => token.metadataURI)],
    staleTime: Infinity,
    queryFn: () => Promise.all(tokens.loyalty.map((token) => metadataLogo(token.metadataURI, fetchJson))),
  });
  const list = useMemo(
    () =>
      buildTokenList({
        chainId: targetChain.id,
        chainName: targetChain.name,
        tokens: tokens.loyalty.map((token, i) => ({ ...token, logoURI: logos.data?.[i] })),
      }),
    [tokens.loyalty, logos.data],
  );

  return (
    <section className="card stack" aria-labelledby="token-list-title">
      <h2 id="token-list-title">Token list</h2>
      <p>
        {list.tokens.length} Perks {list.tokens.length === 1 ? "token" : "tokens"} on {targetChain.name}, in the Uniswap token-lists
        format, built from the factory's registry just now. Published lists bump their version against the previous one
        (scripts/tokenlist.ts); this download starts at {list.version.major}.{list.version.minor}.{list.version.patch}.
      </p>
      <div>
        <button
          type="button"
          className="button"
          onClick={() => download(`perks-${targetChain.id}.tokenlist.json`, `${JSON.stringify(list, null, 2)}\n`)}
          disabled={list.tokens.length === 0}
        >
          Download token list (JSON)
        </button>
      </div>
      <TableScroll label="Tokens in the list">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Face value</th>
            </tr>
          </thead>
          <tbody>
            {tokens.loyalty.map((token) => (
              <tr key={token.address}>
                <td>{token.symbol}</td>
                <td>{token.name}</td>
                <td className="mono" title={token.address}>
                  {shortAddress(token.address)}
                </td>
                <td>{token.faceValue > 0n ? formatFaceValue(token.faceValue) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
