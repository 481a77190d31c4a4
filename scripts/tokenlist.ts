/**
 * `npm run tokenlist`: writes tokenlists/<chainId>.json, the token list (Uniswap token-lists format) of every token
 * the Perks factory created on a chain, validated against the schema, its version bumped from the file it replaces.
 *
 * Options (or environment):
 *   --rpc URL            the chain's JSON-RPC (PERKS_RPC_URL; the local node on PERKS_PORT or 8545 by default)
 *   --factory ADDRESS    the CampaignFactory (default: the SDK's recorded deployment on that chain)
 *   --out DIR            where to write (tokenlists/ by default)
 *   --ipfs-gateway URL   reads ipfs:// metadata for logos through this gateway (e.g. https://ipfs.io/ipfs/)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Address, createPublicClient, getAddress, http } from "viem";
import { getChainId } from "viem/actions";
import { chainLabel } from "../sdk/src/chains";
import {
  type TokenList,
  buildTokenList,
  listedTokens,
  tokenListVersionBump,
  validateTokenList,
} from "../sdk/src/tokenList";

const { values } = parseArgs({
  options: {
    rpc: { type: "string", default: process.env.PERKS_RPC_URL ?? `http://127.0.0.1:${process.env.PERKS_PORT ?? 8545}` },
    factory: { type: "string" },
    out: { type: "string", default: "tokenlists" },
    "ipfs-gateway": { type: "string" },
  },
});

/** Metadata documents over https, and over ipfs:// through the gateway when one is given. */
async function fetchJson(uri: string): Promise<unknown> {
  const gateway = values["ipfs-gateway"];
  const url =
    uri.startsWith("ipfs://") && gateway ? `${gateway.replace(/\/?$/, "/")}${uri.slice("ipfs://".length)}` : uri;
  if (!/^https:\/\//.test(url)) return undefined;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return response.ok ? response.json() : undefined;
}

async function main() {
  const client = createPublicClient({ transport: http(values.rpc) });
  const chainId = await getChainId(client);
  const factory = values.factory === undefined ? undefined : (getAddress(values.factory) as Address);
  const file = path.join(values.out!, `${chainId}.json`);
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as TokenList) : undefined;

  const tokens = await listedTokens(client, { factory, fetchJson });
  const list = buildTokenList({ chainId, chainName: chainLabel(chainId), tokens, previous });
  await validateTokenList(list);
  const bump = previous === undefined ? "first version" : `${tokenListVersionBump(previous, list)} change`;
  if (previous !== undefined && tokenListVersionBump(previous, list) === "none") {
    console.log(`${file}: ${list.tokens.length} tokens, unchanged at version ${versionText(list)}; not rewritten.`);
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
  console.log(
    `Wrote ${file}: ${list.tokens.length} tokens on ${chainLabel(chainId)}, version ${versionText(list)} (${bump}).`,
  );
}

const versionText = (list: TokenList) => `${list.version.major}.${list.version.minor}.${list.version.patch}`;

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
