import { useQuery } from "@tanstack/react-query";
import { type Address, isAddress } from "viem";
import { byChainOrder, campaignAbi, getCampaign, getLoyaltyToken, isFactoryCampaign, readInChunks } from "@perks/sdk";
import { targetChain } from "../../../chain";
import { LOG_RANGE } from "../lib/logRange";
import { readMetadata } from "../lib/units";
import { MERCHANT_QUERY, campaignMetadataURI } from "./useMerchant";
import { type ReadClient, useReadClient } from "./useReadClient";

/** Issuer keys allowed now, replayed from the campaign's `IssuerSet` events (the factory's at creation included). */
export function currentIssuers(events: readonly { issuer: Address; allowed: boolean }[]): Address[] {
  const allowed = new Map<string, Address>();
  for (const { issuer, allowed: isAllowed } of events) {
    if (isAllowed) allowed.set(issuer.toLowerCase(), issuer);
    else allowed.delete(issuer.toLowerCase());
  }
  return [...allowed.values()];
}

async function campaignEvents(client: ReadClient, campaign: Address) {
  const [issuerLogs, batchLogs] = await Promise.all([
    readInChunks(client, LOG_RANGE, (fromBlock, toBlock) =>
      client.getContractEvents({ address: campaign, abi: campaignAbi, eventName: "IssuerSet", fromBlock, toBlock, strict: true }),
    ),
    readInChunks(client, LOG_RANGE, (fromBlock, toBlock) =>
      client.getContractEvents({ address: campaign, abi: campaignAbi, eventName: "BatchPublished", fromBlock, toBlock, strict: true }),
    ),
  ]);
  return {
    issuers: currentIssuers([...issuerLogs].sort(byChainOrder).map((log) => log.args)),
    batches: batchLogs.map((log) => ({ ...log.args, transactionHash: log.transactionHash })),
  };
}

/** One campaign as its manage page shows it: rules and state, token, name, issuer keys and published batches. */
export function useCampaignDetail(address: string | undefined) {
  const client = useReadClient();
  return useQuery({
    queryKey: [MERCHANT_QUERY, "campaign", targetChain.id, address],
    enabled: address !== undefined && isAddress(address),
    queryFn: async () => {
      const campaign = address as Address;
      if (!(await isFactoryCampaign(client, { campaign }))) return null;
      const [state, metadataURI, events] = await Promise.all([
        getCampaign(client, { campaign }),
        campaignMetadataURI(client, campaign),
        campaignEvents(client, campaign),
      ]);
      const token = await getLoyaltyToken(client, { token: state.rules.token });
      const metadata = readMetadata(metadataURI);
      return { ...state, ...events, token, name: metadata.name ?? "Campaign", description: metadata.description, tierNames: metadata.tierNames ?? [] };
    },
  });
}

export type CampaignDetail = NonNullable<ReturnType<typeof useCampaignDetail>["data"]>;
