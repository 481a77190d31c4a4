import { describe, expect, it } from "vitest";
import { UnsupportedChainError, getAddresses, getContractAddress, supportedChainIds } from "./addresses";

describe("getAddresses", () => {
  it("names the chain it has no deployment for", () => {
    expect(() => getAddresses(84532)).toThrow(UnsupportedChainError);
    expect(() => getAddresses(84532)).toThrow(
      "Perks is not available on Base Sepolia (chain 84532): no contracts are deployed there.",
    );
    expect(() => getContractAddress(987_654_321, "CampaignFactory")).toThrow("chain 987654321");
  });

  it("lists only chains it can answer for", () => {
    for (const chainId of supportedChainIds) expect(getAddresses(chainId)).toBeTypeOf("object");
  });
});
