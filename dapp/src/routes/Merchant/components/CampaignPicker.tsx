import { useSearchParams } from "react-router";
import { type Channel, isChannelOpen } from "@perks/sdk";
import { useChainNow } from "../hooks/useChainNow";
import { type MerchantCampaign, campaignStatus, useMerchant } from "../hooks/useMerchant";

/**
 * The merchant's campaigns that are open for `channel` and not ended, with the one chosen in the address bar
 * (`?campaign=`), or the newest by default.
 */
export function useCampaignChoice(channel: Channel) {
  const { data, isPending, address } = useMerchant();
  const [params, setParams] = useSearchParams();
  const now = useChainNow();
  const campaigns = (data?.campaigns ?? []).filter(
    (campaign) => isChannelOpen(campaign.rules, channel) && campaignStatus(campaign, now) !== "ended",
  );
  const wanted = params.get("campaign")?.toLowerCase();
  const selected = campaigns.find((campaign) => campaign.address.toLowerCase() === wanted) ?? campaigns[0];
  const choose = (campaign: string) =>
    setParams(
      (current) => {
        current.set("campaign", campaign);
        return current;
      },
      { replace: true },
    );
  return { campaigns, selected, choose, isPending: isPending && address !== undefined, address };
}

export function CampaignPicker({
  campaigns,
  selected,
  choose,
  label = "Campaign",
}: {
  campaigns: readonly MerchantCampaign[];
  selected: MerchantCampaign | undefined;
  choose: (campaign: string) => void;
  label?: string;
}) {
  return (
    <div className="field campaign-picker">
      <label htmlFor="campaign-picker">{label}</label>
      <select id="campaign-picker" value={selected?.address ?? ""} onChange={(event) => choose(event.target.value)}>
        {campaigns.map((campaign) => (
          <option key={campaign.address} value={campaign.address}>
            {campaign.name} ({campaign.token.symbol}){campaign.paused ? " — paused" : ""}
          </option>
        ))}
      </select>
    </div>
  );
}
