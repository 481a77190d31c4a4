import { describe, expect, it } from "vitest";
import { type Address, zeroAddress } from "viem";
import type { WalletEvent } from "../../hooks/useWalletEvents";
import { contractName, eventRow, eventsJson, reference } from "./eventRows";

const ME: Address = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const BEAN: Address = "0x4ADB4FF078Aa7c46baBD228a5aaF42F2a13C8f18";
const CAMPAIGN: Address = "0xA02Bb8596B05F67542A624A3D85733982e24e08B";
const ELSEWHERE: Address = "0x1111111111111111111111111111111111111111";
const ONE = 10n ** 18n;
const naming = {
  account: ME,
  labels: new Map([[BEAN, { symbol: "BEAN", decimals: 18 }]]),
  campaignToken: new Map([[CAMPAIGN, BEAN]]),
};

function event(eventName: string, address: Address, args: Record<string, unknown>): WalletEvent {
  return { id: "0x1:0", address, eventName, args, blockNumber: 5n, logIndex: 0, transactionHash: "0x01" };
}

describe("eventRow", () => {
  it("shows a claim with the wallet as you, its channel by name and amounts in the campaign's token", () => {
    const row = eventRow(event("PointsIssued", CAMPAIGN, { recipient: ME, channel: 1, ref: 7n, amount: 48n * ONE / 10n, bonus: 0n }), naming);
    expect(row).toEqual({
      id: "0x1:0",
      contract: "BEAN campaign",
      eventName: "PointsIssued",
      fields: [
        { name: "recipient", value: "you" },
        { name: "channel", value: "Receipt voucher" },
        { name: "ref", value: `0x${"0".repeat(63)}7` },
        { name: "amount", value: "4.8 BEAN" },
        { name: "bonus", value: "0 BEAN" },
      ],
    });
  });

  it("shows a transfer's counterparty by short address and its amount in the token", () => {
    const row = eventRow(event("Transfer", BEAN, { from: zeroAddress, to: ME, amount: 2n * ONE }), naming);
    expect(row.contract).toBe("BEAN token");
    expect(row.fields).toEqual([
      { name: "from", value: "0x0000…0000" },
      { name: "to", value: "you" },
      { name: "amount", value: "2 BEAN" },
    ]);
  });

  it("names an unknown contract by address and leaves amounts it cannot place as raw numbers", () => {
    const row = eventRow(event("OrderFilled", ELSEWHERE, { orderId: 3n, taker: ME, sellAmount: 10n }), naming);
    expect(contractName(ELSEWHERE, naming)).toBe("0x1111…1111");
    expect(row.fields).toContainEqual({ name: "sellAmount", value: "10" });
  });
});

describe("reference", () => {
  it("reads a till's receipt number as text, and anything else as hex", () => {
    const receipt = BigInt(`0x${Buffer.from("ALPHA-1001").toString("hex").padEnd(64, "0")}`);
    expect(reference(receipt)).toBe(`"ALPHA-1001" (0x${Buffer.from("ALPHA-1001").toString("hex").padEnd(64, "0")})`);
    expect(reference(255n)).toBe(`0x${"0".repeat(62)}ff`);
  });
});

describe("eventsJson", () => {
  it("writes big numbers as strings", () => {
    expect(JSON.parse(eventsJson([event("Transfer", BEAN, { amount: 2n * ONE })]))[0]).toMatchObject({
      blockNumber: "5",
      args: { amount: "2000000000000000000" },
    });
  });
});
