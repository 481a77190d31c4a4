import { type Address, type Chain, type Client, type ContractEventArgs, type Transport, getAddress, isAddressEqual, zeroAddress } from "viem";
import { getContractEvents, readContract } from "viem/actions";
import { campaignFactoryAbi, loyaltyTokenAbi, rewardCatalogAbi } from "../generated/abis";
import { listCampaigns, listTokens, registryEntries } from "./factory";
import { type BlockRange, byChainOrder, readInChunks } from "./logs";
import { getCatalogOf } from "./rewards";
import { resolveAddress } from "./write";

// What a merchant manages follows the token's current owner (a campaign's and a catalog's merchant is its token's
// `owner()`), while the factory's registry remembers who created each thing. A token moved to a new key (a
// multisig, say) takes its campaigns and catalog along: these read both and keep what the account owns now.

type ReadClient = Client<Transport, Chain | undefined>;

interface MerchantQuery extends BlockRange {
  merchant: Address;
  factory?: Address;
}

/** The factory tokens an account owns now, and those it no longer does. */
export interface OwnedTokens {
  /** Owned now: the ones it created (registry order), then the ones handed to it (in the order it received them). */
  tokens: Address[];
  /** Of `tokens`, those another account owned at some point (handed over, or given away and back): their
   * campaigns and catalogs may have other creators. */
  inherited: Address[];
  /** Tokens it created that another account owns now. */
  givenAway: Address[];
  /** Tokens handed to it that it has handed on since. */
  passedOn: Address[];
}

async function collect(entries: AsyncGenerator<Address>): Promise<Address[]> {
  const items: Address[] = [];
  for await (const item of entries) items.push(item);
  return items;
}

const same = (a: Address) => (b: Address) => isAddressEqual(a, b);

/**
 * The factory tokens `merchant` owns now: the ones it created (`tokensOf`) and the ones whose ownership was
 * transferred to it (`OwnershipTransferred` logs naming it, from any contract, in `range`), each checked against
 * the factory (`isToken`) and its `owner()` now.
 */
export async function listOwnedTokens(client: ReadClient, { merchant, factory, ...range }: MerchantQuery): Promise<OwnedTokens> {
  const address = await resolveAddress(client, factory, "CampaignFactory");
  const [created, logs] = await Promise.all([
    collect(registryEntries(client, listTokens, { merchant, factory: address })),
    readInChunks(client, range, (fromBlock, toBlock) =>
      getContractEvents(client, {
        abi: loyaltyTokenAbi,
        eventName: "OwnershipTransferred",
        args: { newOwner: merchant },
        fromBlock,
        toBlock,
        strict: true,
      }),
    ),
  ]);
  // Compared in lower case: a busy key has many logs, and checksumming costs a hash.
  const seen = new Set(created.map((token) => token.toLowerCase()));
  const received: Address[] = [];
  const fromAnother = new Set<string>();
  for (const log of [...logs].sort(byChainOrder)) {
    const contract = log.address.toLowerCase();
    const { previousOwner } = log.args;
    if (!isAddressEqual(previousOwner, zeroAddress) && !isAddressEqual(previousOwner, merchant)) fromAnother.add(contract);
    if (!seen.has(contract)) received.push(getAddress(contract));
    seen.add(contract);
  }
  // Any Ownable contract may name the account; only the factory's tokens count.
  const known = await Promise.all(
    received.map((token) => readContract(client, { address, abi: campaignFactoryAbi, functionName: "isToken", args: [token] })),
  );
  const handed = received.filter((_, i) => known[i]);
  const owners = await Promise.all(
    [...created, ...handed].map((token) => readContract(client, { address: token, abi: loyaltyTokenAbi, functionName: "owner" })),
  );
  const owns = (_: Address, i: number) => isAddressEqual(owners[i], merchant);
  const ownsHanded = (_: Address, i: number) => isAddressEqual(owners[created.length + i], merchant);
  const tokens = [...created.filter(owns), ...handed.filter(ownsHanded)];
  return {
    tokens,
    inherited: tokens.filter((token) => fromAnother.has(token.toLowerCase())),
    givenAway: created.filter((token, i) => !owns(token, i)),
    passedOn: handed.filter((token, i) => !ownsHanded(token, i)),
  };
}

/** What a merchant's back office manages: what the account owns now, whoever created it. */
export interface MerchantAssets extends OwnedTokens {
  /** The campaigns of `tokens`, whoever created them, oldest first. */
  campaigns: Address[];
  /**
   * The reward catalog to manage: the one the account created if it still owns its token, or else one of its
   * tokens' catalogs created by an earlier owner (the first token in `tokens` that has one; of several catalogs
   * for one token, the newest).
   */
  catalog: Address | undefined;
  /** The catalog the account created (`catalogOf`), even when another account owns its token now: the factory
   * gives each creator one catalog, so while this is set, the account cannot create another. */
  createdCatalog: Address | undefined;
}

/** `CampaignCreated` or `CatalogCreated` logs of the factory for any of `tokens`, in chain order. */
async function createdFor<eventName extends "CampaignCreated" | "CatalogCreated">(
  client: ReadClient,
  factory: Address,
  eventName: eventName,
  tokens: Address[],
  range: BlockRange,
) {
  const logs = await readInChunks(client, range, (fromBlock, toBlock) =>
    getContractEvents(client, {
      address: factory,
      abi: campaignFactoryAbi,
      eventName,
      // Both events index the token: one search for any of them.
      args: { token: tokens } as ContractEventArgs<typeof campaignFactoryAbi, eventName>,
      fromBlock,
      toBlock,
      strict: true,
    }),
  );
  return logs.sort(byChainOrder);
}

/**
 * The tokens `merchant` owns now, their campaigns and the reward catalog it manages. An account that owns every
 * token it ever held and received none costs what the registry alone does (`tokensOf`, `campaignsOf`, `catalogOf`)
 * plus one search for `OwnershipTransferred`; once tokens changed hands, the campaigns are read from the factory's
 * `CampaignCreated` logs for the tokens it owns, and the catalog from `CatalogCreated` when its own does not serve.
 */
export async function getMerchantAssets(client: ReadClient, query: MerchantQuery): Promise<MerchantAssets> {
  const { merchant, factory, ...range } = query;
  const address = await resolveAddress(client, factory, "CampaignFactory");
  const [owned, createdCatalog] = await Promise.all([
    listOwnedTokens(client, { ...query, factory: address }),
    getCatalogOf(client, { merchant, factory: address }),
  ]);
  const unchanged = owned.inherited.length === 0 && owned.givenAway.length === 0 && owned.passedOn.length === 0;

  async function campaigns(): Promise<Address[]> {
    if (unchanged) return collect(registryEntries(client, listCampaigns, { merchant, factory: address }));
    if (owned.tokens.length === 0) return [];
    const logs = await createdFor(client, address, "CampaignCreated", owned.tokens, range);
    return logs.map((log) => log.args.campaign);
  }

  async function catalog(): Promise<Address | undefined> {
    if (createdCatalog) {
      const token = unchanged ? undefined : await readContract(client, { address: createdCatalog, abi: rewardCatalogAbi, functionName: "token" });
      if (token === undefined || owned.tokens.some(same(token))) return createdCatalog;
    }
    if (owned.inherited.length === 0) return undefined;
    const newest = new Map<string, Address>();
    for (const { args } of await createdFor(client, address, "CatalogCreated", owned.inherited, range)) {
      newest.set(args.token.toLowerCase(), args.catalog);
    }
    return owned.tokens.map((token) => newest.get(token.toLowerCase())).find((found) => found !== undefined);
  }

  const [campaignList, managed] = await Promise.all([campaigns(), catalog()]);
  return { ...owned, campaigns: campaignList, catalog: managed, createdCatalog };
}
