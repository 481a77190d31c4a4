import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import {
  type CampaignState,
  campaignFactoryAbi,
  type LoyaltyTokenInfo,
  getCampaign,
  getLoyaltyToken,
  getMerchantAssets,
  readInChunks,
} from "@perks/sdk";
import { factoryOn } from "../../../lib/perks";
import { targetChain } from "../../../chain";
import { LOG_RANGE } from "../lib/logRange";
import { readMetadata } from "../lib/units";
import { type ReadClient, useReadClient } from "./useReadClient";

/** Every merchant query starts with this key, so one invalidation refreshes the back office after a write. */
export const MERCHANT_QUERY = "merchant";

export interface MerchantCampaign extends CampaignState {
  name: string;
  token: LoyaltyTokenInfo;
}

/**
 * What the connected account manages now: the tokens it owns (created, or transferred to it), their campaigns
 * (newest first) whoever created them, and its reward catalog. Tokens it created and gave away are only counted.
 */
export function useMerchant() {
  const { address } = useAccount();
  const client = useReadClient();
  const factory = factoryOn(targetChain.id);
  const query = useQuery({
    queryKey: [MERCHANT_QUERY, "overview", targetChain.id, address],
    enabled: address !== undefined && factory !== undefined,
    queryFn: async () => {
      const merchant = address!;
      const assets = await getMerchantAssets(client, { merchant, factory, ...LOG_RANGE });
      const tokens = await Promise.all(assets.tokens.map((token) => getLoyaltyToken(client, { token })));
      const campaigns = await Promise.all(
        assets.campaigns.map(async (campaign): Promise<MerchantCampaign> => {
          const [state, metadataURI] = await Promise.all([
            getCampaign(client, { campaign }),
            campaignMetadataURI(client, campaign),
          ]);
          const token = tokens.find((candidate) => candidate.address === state.rules.token) ?? (await getLoyaltyToken(client, { token: state.rules.token }));
          return { ...state, token, name: readMetadata(metadataURI).name ?? "Campaign" };
        }),
      );
      const { catalog, createdCatalog, givenAway } = assets;
      return { merchant, tokens, campaigns: campaigns.reverse(), catalog, createdCatalog, givenAway: givenAway.length };
    },
  });
  return { ...query, address, factory };
}

/** The metadata URI the campaign was created with (its `CampaignCreated` event); the clone does not store it. */
export async function campaignMetadataURI(client: ReadClient, campaign: Address): Promise<string> {
  const factory = factoryOn(targetChain.id);
  if (!factory) return "";
  const logs = await readInChunks(client, LOG_RANGE, (fromBlock, toBlock) =>
    client.getContractEvents({
      address: factory,
      abi: campaignFactoryAbi,
      eventName: "CampaignCreated",
      args: { campaign },
      fromBlock,
      toBlock,
    }),
  );
  return logs[0]?.args.metadataURI ?? "";
}

export type CampaignStatus = "scheduled" | "active" | "paused" | "ended";

export function campaignStatus(campaign: Pick<CampaignState, "rules" | "paused" | "endsAt">, now: number): CampaignStatus {
  if (BigInt(now) >= campaign.endsAt) return "ended";
  if (campaign.paused) return "paused";
  if (BigInt(now) < campaign.rules.startsAt) return "scheduled";
  return "active";
}

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  scheduled: "Scheduled",
  active: "Active",
  paused: "Paused",
  ended: "Ended",
};
