import {
  type Address,
  type Hex,
  createWalletClient,
  custom,
  decodeFunctionData,
  encodeErrorResult,
  encodeFunctionResult,
  encodePacked,
  getAddress,
  isAddressEqual,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { humanizeError } from "../errors";
import { campaignAbi, campaignFactoryAbi } from "../generated/abis";
import { fakeChain } from "../indexer/fakeChain";
import {
  Channel,
  channelMask,
  decodePackedRules,
  getCampaign,
  isCampaignRetired,
  isChannelOpen,
  keepsRecords,
  retireCampaign,
} from "./campaign";

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** Rules packed as `CampaignRules.encode` packs them. */
const ISSUER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

function pack(tiers: [bigint, number][], milestones: [number, bigint][], issuers: `0x${string}`[] = []) {
  return encodePacked(
    ["address", "uint64", "uint64", "uint128", "uint128", "uint128", "uint128", "uint8", "uint32", "uint8", "uint8", "uint8"],
    [
      TOKEN,
      1_700_000_000n,
      1_800_000_000n,
      10n ** 24n,
      0n,
      10n ** 18n,
      500n,
      0b011,
      604_800,
      tiers.length,
      milestones.length,
      issuers.length,
    ],
  ).concat(
    tiers.map(([threshold, bps]) => encodePacked(["uint128", "uint16"], [threshold, bps]).slice(2)).join(""),
    milestones.map(([claim, bonus]) => encodePacked(["uint32", "uint128"], [claim, bonus]).slice(2)).join(""),
    issuers.map((issuer) => issuer.slice(2)).join(""),
  ) as `0x${string}`;
}

describe("decodePackedRules", () => {
  it("unpacks the header, the tiers, the milestones and the issuer keys", () => {
    expect(
      decodePackedRules(
        pack(
          [
            [100n, 12_500],
            [500n, 15_000],
          ],
          [[3, 7n]],
          [ISSUER],
        ),
      ),
    ).toEqual({
      token: TOKEN,
      startsAt: 1_700_000_000n,
      endsAt: 1_800_000_000n,
      supplyCap: 10n ** 24n,
      maxPerClaim: 0n,
      earnPoints: 10n ** 18n,
      earnSpend: 500n,
      channels: 0b011,
      tierPeriod: 604_800,
      tiers: [
        { threshold: 100n, multiplierBps: 12_500 },
        { threshold: 500n, multiplierBps: 15_000 },
      ],
      milestones: [{ claimNumber: 3, bonus: 7n }],
      issuers: [ISSUER],
    });
  });

  it("refuses bytes cut short or followed by more", () => {
    const packed = pack([[100n, 12_500]], []);
    expect(() => decodePackedRules(packed.slice(0, -2) as `0x${string}`)).toThrow(RangeError);
    expect(() => decodePackedRules(`${packed}00`)).toThrow(RangeError);
  });
});

describe("channels", () => {
  it("builds and reads the channel mask", () => {
    const channels = channelMask(Channel.Direct, Channel.Batch);
    expect(channels).toBe(0b101);
    expect([Channel.Direct, Channel.Voucher, Channel.Batch].map((c) => isChannelOpen({ channels }, c))).toEqual([
      true,
      false,
      true,
    ]);
  });
});

describe("keepsRecords", () => {
  it("is true for a campaign with tiers or milestones, false for one with neither", () => {
    const rules = decodePackedRules(pack([], []));
    expect(keepsRecords({ ...rules, tierPeriod: 0, milestones: [] })).toBe(false);
    expect(keepsRecords(decodePackedRules(pack([[100n, 12_500]], [])))).toBe(true);
    expect(keepsRecords({ ...rules, tierPeriod: 0, milestones: [{ claimNumber: 5, bonus: 1n }] })).toBe(true);
  });
});

// A campaign (serial 7, ends at ENDS_AT) and its factory behind a scripted chain: each answers its view functions,
// and the campaign's `retire` reverts as the contract does before the end.
const CAMPAIGN = getAddress("0xca00000000000000000000000000000000000007");
const FACTORY = getAddress("0xfac7000000000000000000000000000000000001");
const ENDS_AT = 1_800_000_000n;

function campaignWorld({ serial, retired }: { serial: number; retired: number[] }) {
  const rules = decodePackedRules(pack([[100n, 12_500]], [[5, 7n]]));
  function call(to: Address, data: Hex): Hex {
    if (isAddressEqual(to, CAMPAIGN)) {
      const { functionName } = decodeFunctionData({ abi: campaignAbi, data });
      if (functionName === "retire") {
        throw { code: 3, message: "execution reverted", data: encodeErrorResult({ abi: campaignAbi, errorName: "CampaignStillRunning", args: [ENDS_AT] }) };
      }
      const result = { rules, issued: 5n, paused: false, endsAt: ENDS_AT, batchCount: 2n, serial, factory: FACTORY }[functionName as string];
      if (result === undefined) throw new Error(`the campaign has no ${functionName}`);
      return encodeFunctionResult({ abi: campaignAbi, functionName, result } as never);
    }
    if (isAddressEqual(to, FACTORY)) {
      const { functionName, args } = decodeFunctionData({ abi: campaignFactoryAbi, data });
      if (functionName !== "isRetired") throw new Error(`the factory has no ${functionName}`);
      return encodeFunctionResult({ abi: campaignFactoryAbi, functionName, result: retired.includes(Number(args[0])) });
    }
    throw new Error(`nothing at ${to}`);
  }
  return { chain: fakeChain({ call }), rules };
}

describe("campaign records", () => {
  it("getCampaign reads the campaign's serial with its state", async () => {
    const { chain, rules } = campaignWorld({ serial: 7, retired: [] });
    expect(await getCampaign(chain.client, { campaign: CAMPAIGN })).toEqual({
      address: CAMPAIGN,
      rules,
      issued: 5n,
      paused: false,
      endsAt: ENDS_AT,
      batchCount: 2n,
      serial: 7,
    });
  });

  it("isCampaignRetired asks the factory about that serial", async () => {
    const { chain } = campaignWorld({ serial: 7, retired: [7] });
    expect(await isCampaignRetired(chain.client, { serial: 7, factory: FACTORY })).toBe(true);
    expect(await isCampaignRetired(chain.client, { serial: 8n, factory: FACTORY })).toBe(false);
  });

  it("retireCampaign is refused before the end, with the contract's reason, and nothing is sent", async () => {
    const { chain } = campaignWorld({ serial: 7, retired: [] });
    const walletClient = createWalletClient({
      account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
      transport: custom({ request: chain.client.request }),
    });
    const error = await retireCampaign({ publicClient: chain.client, walletClient }, { campaign: CAMPAIGN }).catch((e: unknown) => e);
    expect(humanizeError(error, { locale: "en-GB", timeZone: "UTC" })).toEqual({
      code: "CampaignStillRunning",
      title: "Campaign still running",
      message: "This campaign issues points until 15 Jan 2027, 08:00 UTC; its customer records can be handed on only after it ends.",
    });
    // The campaign's factory (which logs the retirement), then the simulation; no transaction.
    const called = chain.calls.filter((request) => request.method === "eth_call").map((request) => request.params[0] as { to: Address; data: Hex });
    expect(called.map(({ to, data }) => [getAddress(to), decodeFunctionData({ abi: campaignAbi, data }).functionName])).toEqual([
      [CAMPAIGN, "factory"],
      [CAMPAIGN, "retire"],
    ]);
    expect(chain.calls.map((request) => request.method)).not.toContain("eth_sendRawTransaction");
  });
});
