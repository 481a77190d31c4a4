import type { Address } from "viem";

// A token list in the Uniswap token-lists format (https://tokenlists.org, schema v1) built from the factory's
// registry. A stand-in until the SDK has its own builder: same input, same output, so it can be swapped for it.

export interface TokenListToken {
  chainId: number;
  address: Address;
  name: string;
  symbol: string;
  decimals: number;
  logoURI?: string;
  tags?: string[];
  extensions?: Record<string, string | number | boolean | null>;
}

export interface TokenList {
  name: string;
  timestamp: string;
  version: { major: number; minor: number; patch: number };
  tokens: TokenListToken[];
  keywords: string[];
  tags: Record<string, { name: string; description: string }>;
}

/** What the list says about one Perks token. */
export interface ListedToken {
  address: Address;
  name: string;
  symbol: string;
  decimals: number;
  /** The merchant: the token's owner. */
  owner: Address;
  /** Millionths of a US dollar per whole point; 0 when none is stated. */
  faceValue: bigint;
  /** An https or ipfs image, from the token's metadata document. */
  logoURI?: string;
}

/** The schema allows letters, digits, spaces and a few marks in names (at most 40 characters). */
function listName(text: string, fallback: string): string {
  const cleaned = text.replace(/[^ \w.'+\-%/À-ÖØ-öø-ÿ:&[\]()]/g, "").replace(/\s+/g, " ").trim().slice(0, 40);
  return cleaned === "" ? fallback : cleaned;
}

/** A symbol has no spaces and at most 20 characters. */
function listSymbol(text: string, fallback: string): string {
  const cleaned = text.replace(/\s/g, "").slice(0, 20);
  return cleaned === "" ? fallback : cleaned;
}

/** Schema v1 logos are URIs; data: documents can be huge, so only https and ipfs ones are listed. */
function listLogo(uri: string | undefined): string | undefined {
  return uri && /^(https|ipfs):\/\//.test(uri) ? uri : undefined;
}

/**
 * The token list of every Perks token on `chainId`. Tokens are never removed from the factory, so the minor version
 * is the number of tokens: it rises whenever one is added, as the token-lists versioning rules ask.
 */
export function buildTokenList({
  chainId,
  chainName,
  tokens,
  now = new Date(),
}: {
  chainId: number;
  chainName: string;
  tokens: readonly ListedToken[];
  now?: Date;
}): TokenList {
  return {
    // The list's own name allows only letters, digits and spaces, at most 30.
    name: `Perks ${chainName}`.replace(/[^\w ]/g, "").replace(/\s+/g, " ").trim().slice(0, 30),
    timestamp: now.toISOString(),
    version: { major: 1, minor: tokens.length, patch: 0 },
    keywords: ["perks", "loyalty"],
    tags: {
      loyalty: {
        name: "Loyalty points",
        // The schema allows only letters, digits, spaces and . , : in a tag's description.
        description: "A merchant loyalty token: standard ERC20 with permit, 18 decimals, no transfer fee.",
      },
    },
    tokens: tokens.map((token) => {
      const logoURI = listLogo(token.logoURI);
      return {
        chainId,
        address: token.address,
        name: listName(token.name, listSymbol(token.symbol, "PERKS")),
        symbol: listSymbol(token.symbol, "PERKS"),
        decimals: token.decimals,
        ...(logoURI && { logoURI }),
        tags: ["loyalty"],
        extensions: {
          merchant: token.owner,
          faceValueMicroUsd: token.faceValue.toString(),
        },
      };
    }),
  };
}

/** The list as a file to save: pretty JSON, named after the chain. */
export function tokenListFile(list: TokenList, chainId: number): { name: string; blob: Blob } {
  return {
    name: `perks-${chainId}.tokenlist.json`,
    blob: new Blob([`${JSON.stringify(list, null, 2)}\n`], { type: "application/json" }),
  };
}
