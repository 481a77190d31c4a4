import type { Address, Chain, Client, Transport } from "viem";
import { getContractEvents } from "viem/actions";
import { type BlockRange, campaignFactoryAbi, pointsExchangeAbi, readInChunks } from "@perks/sdk";

// Lists the SDK does not offer yet, read from the contracts' events. Replace with the SDK's when it has them.

/** Any client that reads: wagmi's public client, or a viem client in a test. */
export type ReadClient = Client<Transport, Chain | undefined>;

/** Where event searches start and how many blocks one eth_getLogs covers (public RPCs cap it); the same settings
 * as the wallet's activity. */
export const EVENT_RANGE = {
  fromBlock: BigInt(import.meta.env.VITE_EVENTS_FROM_BLOCK ?? 0),
  blockRange: BigInt(import.meta.env.VITE_LOGS_BLOCK_RANGE ?? 10_000),
} as const satisfies BlockRange;

/** A merchant's catalog as `CatalogCreated` announced it. */
export interface CatalogEntry {
  catalog: Address;
  merchant: Address;
  token: Address;
  voucher: Address;
}

/** Every reward catalog the factory created, oldest first (the factory keeps no list of them, only the events). */
export async function listCatalogs(client: ReadClient, { factory }: { factory: Address }): Promise<CatalogEntry[]> {
  const logs = await readInChunks(client, EVENT_RANGE, (fromBlock, toBlock) =>
    getContractEvents(client, { address: factory, abi: campaignFactoryAbi, eventName: "CatalogCreated", fromBlock, toBlock, strict: true }),
  );
  return logs.map(({ args }) => ({ catalog: args.catalog, merchant: args.merchant, token: args.token, voucher: args.voucher }));
}

/** The stablecoins the exchange allows now, in the order they were first allowed. */
export async function listStablecoins(client: ReadClient, { exchange }: { exchange: Address }): Promise<Address[]> {
  const logs = await readInChunks(client, EVENT_RANGE, (fromBlock, toBlock) =>
    getContractEvents(client, { address: exchange, abi: pointsExchangeAbi, eventName: "StablecoinSet", fromBlock, toBlock, strict: true }),
  );
  const allowed = new Map<Address, boolean>();
  for (const { args } of logs) allowed.set(args.token, args.allowed);
  return [...allowed].filter(([, isAllowed]) => isAllowed).map(([token]) => token);
}
