import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { targetChain } from "../../chain";
import type { PerksTokens } from "../../hooks/usePerksTokens";
import { formatFaceValue } from "../../lib/amount";
import { shortAddress } from "../../lib/format";
import { readMetadata } from "../../lib/metadata";
import { buildTokenList, tokenListFile } from "../../lib/tokenList";

/** Every Perks token of this chain as a token list (Uniswap token-lists format), to preview and download. */
export function TokenListPanel({ tokens }: { tokens: PerksTokens }) {
  const logos = useQuery({
    queryKey: ["perks", "tokenLogos", targetChain.id, tokens.loyalty.map((token) => token.metadataURI)],
    staleTime: Infinity,
    queryFn: async () => Promise.all(tokens.loyalty.map(async (token) => (await readMetadata(token.metadataURI)).image)),
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

  const download = () => {
    const { name, blob } = tokenListFile(list, targetChain.id);
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section className="card stack" aria-labelledby="token-list-title">
      <h2 id="token-list-title">Token list</h2>
      <p>
        {list.tokens.length} Perks {list.tokens.length === 1 ? "token" : "tokens"} on {targetChain.name}, in the Uniswap token-lists
        format (version {list.version.major}.{list.version.minor}.{list.version.patch}), built from the factory's registry just now.
      </p>
      <div>
        <button type="button" className="button" onClick={download} disabled={list.tokens.length === 0}>
          Download token list (JSON)
        </button>
      </div>
      <div className="table-wrap" tabIndex={0} role="group" aria-label="Tokens in the list">
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
      </div>
    </section>
  );
}
