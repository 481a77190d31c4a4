import { useQuery } from "@tanstack/react-query";
import { type Address, isAddress } from "viem";
import { byChainOrder, campaignAbi, getCampaign, getLoyaltyToken, isCampaignRetired, isFactoryCampaign, readInChunks } from "@perks/sdk";
import { targetChain } from "../../../chain";
import { currentIssuers } from "../lib/issuers";
import { LOG_RANGE } from "../lib/logRange";
import { readMetadata } from "../lib/units";
import { MERCHANT_QUERY, campaignMetadataURI } from "./useMerchant";
import { type ReadClient, useReadClient } from "./useReadClient";

async function campaignEvents(client: ReadClient, campaign: Address, initialIssuers: readonly Address[]) {
  const [issuerLogs, batchLogs] = await Promise.all([
    readInChunks(client, LOG_RANGE, (fromBlock, toBlock) =>
      client.getContractEvents({ address: campaign, abi: campaignAbi, eventName: "IssuerSet", fromBlock, toBlock, strict: true }),
    ),
    readInChunks(client, LOG_RANGE, (fromBlock, toBlock) =>
      client.getContractEvents({ address: campaign, abi: campaignAbi, eventName: "BatchPublished", fromBlock, toBlock, strict: true }),
    ),
  ]);
  return {
    issuers: currentIssuers(initialIssuers, [...issuerLogs].sort(byChainOrder).map((log) => log.args)),
    batches: batchLogs.map((log) => ({ ...log.args, transactionHash: log.transactionHash })),
  };
}

/** One campaign as its manage page shows it: rules and state, token, name, issuer keys and published batches, and
 * whether it retired (its customer records handed on to the token's later campaigns). */
export function useCampaignDetail(address: string | undefined) {
  const client = useReadClient();
  return useQuery({
    queryKey: [MERCHANT_QUERY, "campaign", targetChain.id, address],
    enabled: address !== undefined && isAddress(address),
    queryFn: async () => {
      const campaign = address as Address;
      if (!(await isFactoryCampaign(client, { campaign }))) return null;
      const [state, metadataURI] = await Promise.all([getCampaign(client, { campaign }), campaignMetadataURI(client, campaign)]);
      const events = await campaignEvents(client, campaign, state.rules.issuers);
      const [token, retired] = await Promise.all([
        getLoyaltyToken(client, { token: state.rules.token }),
        isCampaignRetired(client, { serial: state.serial }),
      ]);
      const metadata = readMetadata(metadataURI);
      return { ...state, ...events, token, retired, name: metadata.name ?? "Campaign", description: metadata.description, tierNames: metadata.tierNames ?? [] };
    },
  });
}

export type CampaignDetail = NonNullable<ReturnType<typeof useCampaignDetail>["data"]>;
