import { type Abi, type Address, type ContractEventName, type Hash, getAddress } from "viem";
import type { DecodedEvent } from "../actions/write";
import {
  campaignAbi,
  campaignFactoryAbi,
  cashOutGatewayAbi,
  loyaltyTokenAbi,
  pointsExchangeAbi,
  rewardCatalogAbi,
  rewardVoucherAbi,
} from "../generated/abis";

/** Where and when a log was emitted. */
export interface EventMeta {
  /** The emitting contract, checksummed. */
  address: Address;
  blockNumber: bigint;
  blockHash: Hash;
  logIndex: number;
  transactionHash: Hash;
  /** The block's time, unix seconds. */
  timestamp: number;
}

/** A decoded log of `abi`, one variant per event name, so a `switch (event.eventName)` narrows `args`. */
export type IndexedEvent<
  abi extends Abi = PerksEventsAbi,
  eventName extends ContractEventName<abi> = ContractEventName<abi>,
> = {
  [name in eventName]: EventMeta & { eventName: name; args: DecodedEvent<abi, name>["args"] };
}[eventName];

type EventsOf<abi extends Abi> = Extract<abi[number], { type: "event" }>;
export type PerksEventsAbi = readonly (
  | EventsOf<typeof campaignFactoryAbi>
  | EventsOf<typeof campaignAbi>
  | EventsOf<typeof loyaltyTokenAbi>
  | EventsOf<typeof rewardCatalogAbi>
  | EventsOf<typeof rewardVoucherAbi>
  | EventsOf<typeof pointsExchangeAbi>
  | EventsOf<typeof cashOutGatewayAbi>
)[];

/** Every event the Perks contracts emit, once each (Ownable's and ERC-20's appear in several ABIs). */
export const perksEventsAbi: PerksEventsAbi = (() => {
  const byName = new Map<string, PerksEventsAbi[number]>();
  for (const abi of [
    campaignFactoryAbi,
    campaignAbi,
    loyaltyTokenAbi,
    rewardCatalogAbi,
    rewardVoucherAbi,
    pointsExchangeAbi,
    cashOutGatewayAbi,
  ]) {
    for (const item of abi) if (item.type === "event" && !byName.has(item.name)) byName.set(item.name, item);
  }
  return [...byName.values()];
})();

export type PerksEventName = ContractEventName<PerksEventsAbi>;
/** A decoded event of any Perks contract. */
export type PerksEvent<eventName extends PerksEventName = PerksEventName> = IndexedEvent<PerksEventsAbi, eventName>;

/** Which contracts a Perks indexer watches. */
export interface PerksSources {
  /** The factory (or factories): every token, campaign, catalog and voucher contract they create is followed. */
  factories: readonly Address[];
  /** Only these merchants' creations; every merchant's by default. */
  merchants?: readonly Address[];
  /**
   * Only these tokens, with their campaigns, catalogs and vouchers, whoever created them (a token's merchant is its
   * current owner, who may not be its creator: see listOwnedTokens); every token by default.
   */
  tokens?: readonly Address[];
  /** Other contracts to watch from the start: cash-out gateways, points exchanges. */
  contracts?: readonly Address[];
}

/**
 * The addresses for `createIndexer`'s `addresses` and `discover`: the factories and fixed contracts from the start,
 * then each token, campaign, catalog and voucher contract from the block its factory announced it.
 */
export function perksSources({ factories, merchants, tokens, contracts = [] }: PerksSources) {
  // Compared in lower case: discover runs on every log, and checksumming costs a hash.
  const lower = (addresses: readonly Address[] | undefined) =>
    addresses && new Set(addresses.map((address) => address.toLowerCase()));
  const factorySet = lower(factories)!;
  const merchantSet = lower(merchants);
  const tokenSet = lower(tokens);
  const isFollowed = ({ merchant, token }: { merchant: Address; token: Address }) =>
    (merchantSet === undefined || merchantSet.has(merchant.toLowerCase())) &&
    (tokenSet === undefined || tokenSet.has(token.toLowerCase()));
  return {
    addresses: [...factories, ...contracts].map((address) => getAddress(address)),
    discover(event: PerksEvent): Address[] {
      if (!factorySet.has(event.address.toLowerCase())) return [];
      switch (event.eventName) {
        case "TokenCreated":
          return isFollowed(event.args) ? [event.args.token] : [];
        case "CampaignCreated":
          return isFollowed(event.args) ? [event.args.token, event.args.campaign] : [];
        case "CatalogCreated":
          return isFollowed(event.args) ? [event.args.catalog, event.args.voucher] : [];
        default:
          return [];
      }
    },
  };
}

/** Chain order: by block, then by position in the block. */
export function compareEvents(a: Pick<EventMeta, "blockNumber" | "logIndex">, b: typeof a): number {
  return a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;
}
