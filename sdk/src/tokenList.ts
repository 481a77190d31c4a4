/**
 * Token lists (https://tokenlists.org, Uniswap's token-lists schema) of the Perks tokens on a chain, from the
 * factory's registry, so that wallets, DEX interfaces and exchanges list them like any ERC-20.
 *
 * Each token: chain id, checksummed address, name and symbol (trimmed to what the schema allows), 18 decimals,
 * `logoURI` from the token's metadata document when it names an https or ipfs image, the tag `perks`, and the
 * extensions `merchant` (the token's owner) and `faceValue` (reference-currency units per whole point, as a
 * decimal string, when the merchant states one).
 *
 * Versions follow the standard: against the previous list, a token removed or whose address changed is a major
 * bump, a token added a minor one, any other change (name, symbol, decimals, logo, tags, extensions) a patch; no
 * change keeps the version. (@uniswap/token-lists' own `minVersionBump` sees every `extensions` object as changed,
 * since it compares objects by reference, so a list with extensions would take a patch on every build.)
 */
import { type TokenInfo, type TokenList, VersionUpgrade, nextVersion, schema } from "@uniswap/token-lists";
import { type Address, type Chain, type Client, type Transport, getAddress } from "viem";
import { listTokens, registryEntries } from "./actions/factory";
import { getLoyaltyToken } from "./actions/token";

export type { TokenInfo, TokenList };

/** What a token list says about one Perks token (see `listedTokens`). */
export interface ListedToken {
  address: Address;
  name: string;
  symbol: string;
  decimals: number;
  /** The merchant: the token's owner. */
  owner: Address;
  /** Millionths of the reference currency per whole point; 0 when none is stated. */
  faceValue: bigint;
  /** An image from the token's metadata document. */
  logoURI?: string;
}

export const PERKS_TAG = "perks";

/** A list's name: letters, digits and spaces, at most 30 characters (the schema's rule). */
function listName(text: string): string {
  return (
    text
      .replace(/[^\w ]/g, "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 30) || "Perks"
  );
}

/** A token's name: no line breaks or tabs, at most 60 characters. */
const tokenName = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 60);

/** A token's symbol: no whitespace, at most 20 characters. */
const tokenSymbol = (text: string) => text.replace(/\s+/g, "").slice(0, 20);

/** Only https and ipfs logos: the schema wants a URI, and a data: image would bloat every copy of the list. */
const listLogo = (uri: string | undefined) => (uri && /^(https|ipfs):\/\/\S+$/.test(uri) ? uri : undefined);

/** Millionths as a decimal string: 10000 -> "0.01". */
function decimalMillionths(value: bigint): string {
  const whole = value / 1_000_000n;
  const fraction = (value % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}

/** One token's entry. */
export function tokenInfo(chainId: number, token: ListedToken): TokenInfo {
  const logoURI = listLogo(token.logoURI);
  const extensions: Record<string, string> = { merchant: getAddress(token.owner) };
  if (token.faceValue > 0n) extensions.faceValue = decimalMillionths(token.faceValue);
  return {
    chainId,
    address: getAddress(token.address),
    name: tokenName(token.name),
    symbol: tokenSymbol(token.symbol),
    decimals: token.decimals,
    ...(logoURI && { logoURI }),
    tags: [PERKS_TAG],
    extensions,
  };
}

/**
 * The list of `tokens` on `chainId`, its version bumped from `previous` (1.0.0 without one), tokens in address
 * order so that two builds of the same registry are identical.
 */
export function buildTokenList(params: {
  chainId: number;
  /** Shown in the list's name: "Perks <chainName>". */
  chainName?: string;
  tokens: readonly ListedToken[];
  previous?: TokenList;
  now?: Date;
}): TokenList {
  const tokens = params.tokens
    .map((token) => tokenInfo(params.chainId, token))
    .sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
  const bump = params.previous === undefined ? VersionUpgrade.NONE : versionUpgrade(params.previous.tokens, tokens);
  return {
    name: listName(`Perks ${params.chainName ?? params.chainId}`),
    timestamp: (params.now ?? new Date()).toISOString(),
    version:
      params.previous === undefined ? { major: 1, minor: 0, patch: 0 } : nextVersion(params.previous.version, bump),
    keywords: ["perks", "loyalty"],
    tags: {
      [PERKS_TAG]: {
        name: "Perks loyalty points",
        description:
          "A merchant loyalty token: plain ERC20 with permit, 18 decimals, no transfer fee, no rebase, no pause.",
      },
    },
    tokens,
  };
}

/** Object keys sorted at every depth, so that two equal entries serialise the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

function versionUpgrade(previous: readonly TokenInfo[], next: readonly TokenInfo[]): VersionUpgrade {
  const key = (token: TokenInfo) => `${token.chainId}:${token.address.toLowerCase()}`;
  const before = new Map(
    previous.map((token) => [key(token), canonical({ ...token, address: getAddress(token.address) })]),
  );
  const after = new Map(next.map((token) => [key(token), canonical({ ...token, address: getAddress(token.address) })]));
  if ([...before.keys()].some((id) => !after.has(id))) return VersionUpgrade.MAJOR;
  if ([...after.keys()].some((id) => !before.has(id))) return VersionUpgrade.MINOR;
  if ([...after].some(([id, entry]) => before.get(id) !== entry)) return VersionUpgrade.PATCH;
  return VersionUpgrade.NONE;
}

/** How the version of `next` must differ from `previous`'s by the standard's rules. */
export function tokenListVersionBump(previous: TokenList, next: TokenList): "major" | "minor" | "patch" | "none" {
  const bump = versionUpgrade(previous.tokens, next.tokens);
  return bump === VersionUpgrade.MAJOR
    ? "major"
    : bump === VersionUpgrade.MINOR
      ? "minor"
      : bump === VersionUpgrade.PATCH
        ? "patch"
        : "none";
}

/** The list breaks the token-lists schema; `errors` says where. */
export class InvalidTokenListError extends Error {
  override name = "InvalidTokenListError";
  constructor(readonly errors: readonly string[]) {
    super(`The token list does not match the token-lists schema: ${errors.join("; ")}.`);
  }
}

/**
 * Checks `list` against the JSON schema of @uniswap/token-lists (with Ajv and ajv-formats, loaded on first use,
 * so that a dApp that only builds lists does not load them).
 * @throws InvalidTokenListError
 */
export async function validateTokenList(list: unknown): Promise<void> {
  const [{ default: Ajv }, { default: addFormats }] = await Promise.all([import("ajv"), import("ajv-formats")]);
  const ajv = new Ajv({ allErrors: true, verbose: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (!validate(list)) {
    throw new InvalidTokenListError(
      (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}`),
    );
  }
}

// ------------------------------------------------------------------------------------------------ from the chain

type ReadClient = Client<Transport, Chain | undefined>;

/** The JSON document a metadata URI points to: data: URIs are read in place; others by `fetchJson` if given. */
async function metadataDocument(uri: string, fetchJson?: (uri: string) => Promise<unknown>): Promise<unknown> {
  const inline = /^data:([^,]*),(.*)$/s.exec(uri.trim());
  if (inline) {
    const [, header, body] = inline;
    const text = /;base64$/i.test(header)
      ? new TextDecoder().decode(Uint8Array.from(atob(body), (char) => char.charCodeAt(0)))
      : decodeURIComponent(body);
    return JSON.parse(text);
  }
  return fetchJson?.(uri);
}

/** The logo a metadata document names (`logoURI`, `logo` or `image`), if any. Never throws. */
export async function metadataLogo(
  uri: string,
  fetchJson?: (uri: string) => Promise<unknown>,
): Promise<string | undefined> {
  if (uri.trim() === "") return undefined;
  try {
    const document = (await metadataDocument(uri, fetchJson)) as Record<string, unknown> | undefined;
    const logo = document?.logoURI ?? document?.logo ?? document?.image;
    return typeof logo === "string" ? logo : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every token the factory created, as a list describes it, oldest first.
 * @param fetchJson Reads a metadata document that is not a data: URI (https, or ipfs through a gateway); without
 * it, only data: documents give logos.
 */
export async function listedTokens(
  client: ReadClient,
  { factory, fetchJson }: { factory?: Address; fetchJson?: (uri: string) => Promise<unknown> } = {},
): Promise<ListedToken[]> {
  const tokens: ListedToken[] = [];
  for await (const address of registryEntries(client, listTokens, { factory })) {
    const token = await getLoyaltyToken(client, { token: address });
    tokens.push({
      address: token.address,
      name: token.name,
      symbol: token.symbol,
      decimals: token.decimals,
      owner: token.owner,
      faceValue: token.faceValue,
      logoURI: await metadataLogo(token.metadataURI, fetchJson),
    });
  }
  return tokens;
}
