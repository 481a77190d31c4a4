import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import campaignArtifact from "../../artifacts/contracts/campaigns/Campaign.sol/Campaign.json";

/**
 * The Perks core: one CampaignFactory per chain. The RewardVoucher and RewardCatalog implementations are deployed
 * first and passed to the factory (deploying them in its constructor would take its init code past the EIP-3860
 * limit); the factory's constructor deploys the Campaign implementation that every campaign clone delegates to,
 * from the Campaign's own compiled creation code (so the Campaign keeps its optimizer settings). The
 * module records every implementation too, so the dApp and verification find them in
 * ignition/deployments/chain-<id>/deployed_addresses.json like any other contract.
 *
 * The PointsExchange (order book between the factory's tokens and allow-listed stablecoins) and the CashOutGateway
 * (operators' stablecoin bids for points) take the factory, whose tokens they accept. The exchange's owner, who
 * alone manages its stablecoin allow-list, is the deploying account (Ownable2Step: hand it over with
 * transferOwnership and acceptOwnership); it allow-lists no stablecoin here, since which ones to trade differs by
 * chain.
 */
export default buildModule("Perks", (m) => {
  const voucherImplementation = m.contract("RewardVoucher", [], { id: "RewardVoucherImplementation" });
  const catalogImplementation = m.contract("RewardCatalog", [voucherImplementation], {
    id: "RewardCatalogImplementation",
  });
  const factory = m.contract("CampaignFactory", [catalogImplementation, campaignArtifact.bytecode]);
  const campaignImplementation = m.contractAt(
    "Campaign",
    m.staticCall(factory, "campaignImplementation"),
    { id: "CampaignImplementation" },
  );
  const exchange = m.contract("PointsExchange", [factory, m.getAccount(0)]);
  const gateway = m.contract("CashOutGateway", [factory]);
  return { factory, campaignImplementation, catalogImplementation, voucherImplementation, exchange, gateway };
});
