import { describe, expect, it } from "vitest";
import { type Address, type Hash, zeroAddress } from "viem";
import type { WalletEvent } from "../../hooks/useWalletEvents";
import { toActivity } from "./activity";

const ME: Address = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const FRIEND: Address = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const BEAN: Address = "0x4ADB4FF078Aa7c46baBD228a5aaF42F2a13C8f18";
const CAMPAIGN: Address = "0xA02Bb8596B05F67542A624A3D85733982e24e08B";
const CATALOG: Address = "0x1111111111111111111111111111111111111111";
const OTHER_TOKEN: Address = "0x2222222222222222222222222222222222222222";

let block = 100n;
function event(eventName: string, address: Address, args: Record<string, unknown>, tx: Hash, logIndex = 0): WalletEvent {
  return { id: `${tx}:${logIndex}`, address, eventName, args, blockNumber: block, logIndex, transactionHash: tx, timestamp: 1_700_000_000 };
}
const tx = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hash;
const options = { campaignToken: new Map([[CAMPAIGN, BEAN]]), isPerksToken: (token: Address) => token === BEAN };

describe("toActivity", () => {
  it("turns a claim's mint and PointsIssued into one earned line with its channel and bonus", () => {
    const items = toActivity(
      [
        event("PointsIssued", CAMPAIGN, { recipient: ME, channel: 1, ref: 7n, amount: 5n, bonus: 10n }, tx(1), 1),
        event("Transfer", BEAN, { from: zeroAddress, to: ME, amount: 15n }, tx(1), 0),
      ],
      ME,
      options,
    );
    expect(items).toEqual([expect.objectContaining({ kind: "earned", token: BEAN, amount: 15n, bonus: 10n, channel: 1 })]);
  });

  it("tells points sent and received, with either name of the Transfer amount", () => {
    const items = toActivity(
      [
        event("Transfer", BEAN, { from: ME, to: FRIEND, amount: 3n }, tx(2)),
        event("Transfer", BEAN, { from: FRIEND, to: ME, value: 4n }, tx(3)),
      ],
      ME,
      options,
    );
    expect(items).toEqual([
      expect.objectContaining({ kind: "sent", amount: 3n, counterparty: FRIEND }),
      expect.objectContaining({ kind: "received", amount: 4n, counterparty: FRIEND }),
    ]);
  });

  it("turns a redemption and its payment into one redeemed line", () => {
    const items = toActivity(
      [
        event("RewardRedeemed", CATALOG, { rewardId: 2n, account: ME, redemptionId: 1n, quantity: 1n, payToken: BEAN, cost: 50n }, tx(4), 1),
        event("Transfer", BEAN, { from: ME, to: zeroAddress, amount: 50n }, tx(4), 0),
      ],
      ME,
      options,
    );
    expect(items).toEqual([expect.objectContaining({ kind: "redeemed", token: BEAN, amount: 50n, rewardId: 2n })]);
  });

  it("leaves out other tokens, other wallets' claims and transfers to oneself", () => {
    const items = toActivity(
      [
        event("Transfer", OTHER_TOKEN, { from: FRIEND, to: ME, value: 9n }, tx(5)),
        event("PointsIssued", CAMPAIGN, { recipient: FRIEND, channel: 0, ref: 0n, amount: 1n, bonus: 0n }, tx(6)),
        event("Transfer", BEAN, { from: ME, to: ME, amount: 1n }, tx(7)),
      ],
      ME,
      options,
    );
    expect(items).toEqual([]);
  });

  it("calls giving points to the zero address a burn", () => {
    block++;
    expect(toActivity([event("Transfer", BEAN, { from: ME, to: zeroAddress, amount: 2n }, tx(8))], ME, options)).toEqual([
      expect.objectContaining({ kind: "burned", amount: 2n }),
    ]);
  });
});
