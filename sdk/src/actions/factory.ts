import {
  type Address,
  type Chain,
  type Client,
  type ContractFunctionArgs,
  type Hex,
  type Transport,
  zeroHash,
} from "viem";
import { readContract } from "viem/actions";
import { campaignFactoryAbi } from "../generated/abis";
import { type WriteClients, resolveAddress, simulateAndWrite } from "./write";

// Every action takes an optional `factory`; without it, the factory deployed on the client's chain is used.

type ReadClient = Client<Transport, Chain | undefined>;
type FactoryArgs<functionName extends "createToken" | "createCampaign"> = ContractFunctionArgs<
  typeof campaignFactoryAbi,
  "nonpayable",
  functionName
>;

/** A new brand token: name, symbol, face value (millionths of the reference currency per point), metadata URI. */
export type TokenParams = FactoryArgs<"createToken">[0];
/** A new campaign's rules, issuer keys and metadata (see `ICampaignFactory.CampaignParams`). */
export type CampaignParams = FactoryArgs<"createCampaign">[0];

interface Salted {
  /** Any 32 bytes; with the merchant's address and the parameters it fixes the new address. Keep the salt a
   * preview was made with. Zero by default. */
  salt?: Hex;
  factory?: Address;
}

/** Creates a brand token owned by the wallet. `result` is the token's address. */
export async function createToken(
  clients: WriteClients,
  { params, salt = zeroHash, factory }: Salted & { params: TokenParams },
) {
  return simulateAndWrite(clients, {
    address: await resolveAddress(clients.publicClient, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "createToken",
    args: [params, salt],
    eventName: "TokenCreated",
  });
}

/** Creates a campaign for a token the wallet owns. `result` is the campaign's address. */
export async function createCampaign(
  clients: WriteClients,
  { params, salt = zeroHash, factory }: Salted & { params: CampaignParams },
) {
  return simulateAndWrite(clients, {
    address: await resolveAddress(clients.publicClient, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "createCampaign",
    args: [params, salt],
    eventName: "CampaignCreated",
  });
}

/** Creates a token and its first campaign in one transaction (`campaign.token` is ignored). `result` is
 * `[token, campaign]`; the event is `CampaignCreated`, which names both. */
export async function createTokenAndCampaign(
  clients: WriteClients,
  { token, campaign, salt = zeroHash, factory }: Salted & { token: TokenParams; campaign: CampaignParams },
) {
  return simulateAndWrite(clients, {
    address: await resolveAddress(clients.publicClient, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "createTokenAndCampaign",
    args: [token, campaign, salt],
    eventName: "CampaignCreated",
  });
}

/** The address `createToken` will deploy to for `merchant`, for a preview before signing. */
export async function predictTokenAddress(
  client: ReadClient,
  { merchant, params, salt = zeroHash, factory }: Salted & { merchant: Address; params: TokenParams },
): Promise<Address> {
  return readContract(client, {
    address: await resolveAddress(client, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "predictTokenAddress",
    args: [merchant, params, salt],
  });
}

/** The address `createCampaign` will deploy to for `merchant`, for a preview before signing. */
export async function predictCampaignAddress(
  client: ReadClient,
  { merchant, params, salt = zeroHash, factory }: Salted & { merchant: Address; params: CampaignParams },
): Promise<Address> {
  return readContract(client, {
    address: await resolveAddress(client, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "predictCampaignAddress",
    args: [merchant, params, salt],
  });
}

/** Whether `token` was created by the factory (a genuine Perks token). */
export async function isFactoryToken(client: ReadClient, { token, factory }: { token: Address; factory?: Address }) {
  return readContract(client, {
    address: await resolveAddress(client, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "isToken",
    args: [token],
  });
}

/** Whether `campaign` was created by the factory (a genuine Perks campaign). */
export async function isFactoryCampaign(
  client: ReadClient,
  { campaign, factory }: { campaign: Address; factory?: Address },
) {
  return readContract(client, {
    address: await resolveAddress(client, factory, "CampaignFactory"),
    abi: campaignFactoryAbi,
    functionName: "isCampaign",
    args: [campaign],
  });
}

// ------------------------------------------------------------------------------------------------ registry

/** One page of the factory's registry, oldest first. */
export interface RegistryPage {
  items: readonly Address[];
  /** How many entries the registry holds in all. */
  total: bigint;
  /** The offset of the next page, or undefined after the last one. */
  nextOffset: bigint | undefined;
}

export interface RegistryQuery {
  /** Only this merchant's entries; all merchants' by default. */
  merchant?: Address;
  offset?: bigint;
  /** Page size; 100 by default. */
  limit?: bigint;
  factory?: Address;
}

const DEFAULT_PAGE_SIZE = 100n;

async function listRegistry(
  client: ReadClient,
  kind: "tokens" | "campaigns",
  query: RegistryQuery,
): Promise<RegistryPage> {
  const { merchant, offset = 0n, limit = DEFAULT_PAGE_SIZE } = query;
  const address = await resolveAddress(client, query.factory, "CampaignFactory");
  const [items, total] =
    merchant === undefined
      ? await readContract(client, { address, abi: campaignFactoryAbi, functionName: kind, args: [offset, limit] })
      : await readContract(client, {
          address,
          abi: campaignFactoryAbi,
          functionName: kind === "tokens" ? "tokensOf" : "campaignsOf",
          args: [merchant, offset, limit],
        });
  const next = offset + BigInt(items.length);
  return { items, total, nextOffset: items.length > 0 && next < total ? next : undefined };
}

/** A page of the tokens the factory created (or of one merchant's). */
export function listTokens(client: ReadClient, query: RegistryQuery = {}): Promise<RegistryPage> {
  return listRegistry(client, "tokens", query);
}

/** A page of the campaigns the factory created (or of one merchant's). */
export function listCampaigns(client: ReadClient, query: RegistryQuery = {}): Promise<RegistryPage> {
  return listRegistry(client, "campaigns", query);
}

/** Every entry of the registry, page by page: `for await (const token of registryEntries(client, listTokens))`. */
export async function* registryEntries(
  client: ReadClient,
  list: typeof listTokens | typeof listCampaigns,
  query: RegistryQuery = {},
): AsyncGenerator<Address> {
  let offset: bigint | undefined = query.offset ?? 0n;
  while (offset !== undefined) {
    const page: RegistryPage = await list(client, { ...query, offset });
    yield* page.items;
    offset = page.nextOffset;
  }
}
