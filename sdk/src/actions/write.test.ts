import { type Address, type Hex, type Log, encodeAbiParameters, encodeEventTopics, getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { campaignFactoryAbi } from "../generated/abis";
import { findEvent } from "./write";

const FACTORY = getAddress("0xfac7000000000000000000000000000000000001");
const IMPOSTOR = getAddress("0x0bad000000000000000000000000000000000002");
const CAMPAIGN = getAddress("0xca00000000000000000000000000000000000007");

/** A `CampaignRetired` log (the factory's event) as a node returns it in a receipt. */
function retired(address: Address, campaign: Address, serial: number, logIndex: number): Log<bigint, number, false> {
  return {
    address,
    topics: encodeEventTopics({ abi: campaignFactoryAbi, eventName: "CampaignRetired", args: { campaign } }) as [Hex, ...Hex[]],
    data: encodeAbiParameters([{ type: "uint32" }], [serial]),
    blockHash: `0x${"11".repeat(32)}`,
    blockNumber: 1n,
    logIndex,
    transactionHash: `0x${"22".repeat(32)}`,
    transactionIndex: 0,
    removed: false,
  };
}

describe("findEvent", () => {
  it("decodes the event the given contract emitted, not a look-alike from another address", () => {
    const receipt = { logs: [retired(IMPOSTOR, CAMPAIGN, 99, 0), retired(FACTORY, CAMPAIGN, 7, 1)] };
    const event = findEvent(receipt, { address: FACTORY, abi: campaignFactoryAbi, eventName: "CampaignRetired" });
    expect(event?.args).toEqual({ campaign: CAMPAIGN, serial: 7 });
    expect(event?.logIndex).toBe(1);
  });

  it("finds nothing when the contract emitted no such event", () => {
    const receipt = { logs: [retired(IMPOSTOR, CAMPAIGN, 7, 0)] };
    expect(findEvent(receipt, { address: FACTORY, abi: campaignFactoryAbi, eventName: "CampaignRetired" })).toBeUndefined();
    expect(findEvent({ logs: [] }, { address: FACTORY, abi: campaignFactoryAbi, eventName: "CampaignRetired" })).toBeUndefined();
  });
});
