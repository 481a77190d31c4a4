import {
  type AbiParameter,
  ChainMismatchError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  RpcRequestError,
  UserRejectedRequestError,
  encodeErrorResult,
  parseAbi,
  zeroAddress,
} from "viem";
import { base, mainnet } from "viem/chains";
import { describe, expect, it } from "vitest";
import { UnsupportedChainError } from "./addresses";
import { ERROR_MESSAGES, type HumanizeOptions, humanizeError, perksErrorsAbi } from "./errors";
import { campaignAbi, campaignFactoryAbi, cashOutGatewayAbi, loyaltyTokenAbi, pointsExchangeAbi } from "./generated/abis";

const OPTIONS: HumanizeOptions = { locale: "en-GB", timeZone: "UTC" };
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ONE = 10n ** 18n;
/** 2030-01-02 03:04:05 UTC */
const TIMESTAMP = 1_893_553_445n;

/** The error viem throws when `functionName` of `abi` reverts with `data`, as a write's simulation does. */
function reverted(abi: typeof campaignAbi | typeof campaignFactoryAbi | typeof pointsExchangeAbi, functionName: string, data: `0x${string}`) {
  const cause = new ContractFunctionRevertedError({ abi, data, functionName });
  return new ContractFunctionExecutionError(cause, { abi, functionName, contractAddress: zeroAddress, args: [] });
}

describe("humanizeError", () => {
  describe("custom errors", () => {
    it("names the expiry date of an expired voucher", () => {
      const data = encodeErrorResult({ abi: campaignAbi, errorName: "CampaignVoucherExpired", args: [TIMESTAMP] });
      expect(humanizeError(reverted(campaignAbi, "claimVoucher", data), OPTIONS)).toEqual({
        code: "CampaignVoucherExpired",
        title: "Voucher expired",
        message: "This voucher expired on 2 Jan 2030, 03:04 UTC.",
      });
    });

    it("shows small ids as numbers and hash-like ids (orders, terminal vouchers) as a short hex", () => {
      const orderId = 0x1a2b3c4d5e6f00000000000000000000000000000000000000000000000000ffn;
      const order = encodeErrorResult({ abi: pointsExchangeAbi, errorName: "PointsExchangeNotMaker", args: [orderId, ALICE] });
      expect(humanizeError(reverted(pointsExchangeAbi, "cancel", order), OPTIONS).message).toBe(
        "Only the maker of order no. 0x1a2b…00ff can cancel it.",
      );
      const voucher = encodeErrorResult({ abi: campaignAbi, errorName: "CampaignVoucherAlreadyClaimed", args: [42n] });
      expect(humanizeError(reverted(campaignAbi, "claimVoucher", voucher), OPTIONS).message).toBe(
        "This voucher (no. 42) has already been claimed.",
      );
    });

    it("formats points with 18 decimals", () => {
      const data = encodeErrorResult({
        abi: campaignAbi,
        errorName: "CampaignAboveMaximumPerClaim",
        args: [1_500n * ONE + ONE / 2n, 1_000n * ONE],
      });
      expect(humanizeError(reverted(campaignAbi, "issue", data), OPTIONS).message).toBe(
        "A single claim can give at most 1,000 points; this one asks for 1,500.5 points.",
      );
    });

    it("names the factory's upper limits for tier thresholds and milestone claim numbers", () => {
      const tier = encodeErrorResult({ abi: campaignFactoryAbi, errorName: "CampaignFactoryInvalidTier", args: [1n] });
      expect(humanizeError(reverted(campaignFactoryAbi, "createCampaign", tier), OPTIONS).message).toBe(
        "Tier 2 is invalid: thresholds must rise up to at most 42,949,672.95 points, multipliers must be at least 1× and must not fall, and there may be at most 255 tiers.",
      );
      const milestone = encodeErrorResult({
        abi: campaignFactoryAbi,
        errorName: "CampaignFactoryInvalidMilestone",
        args: [0n],
      });
      expect(humanizeError(reverted(campaignFactoryAbi, "createCampaign", milestone), OPTIONS).message).toBe(
        "Milestone 1 is invalid: claim numbers must rise from 1 up to at most 65,534, every bonus must be above zero, and there may be at most 255 milestones.",
      );
    });

    it("tells the token's owner which campaign number it may activate with", () => {
      const data = encodeErrorResult({ abi: campaignAbi, errorName: "CampaignSerialReserved", args: [3] });
      expect(humanizeError(reverted(campaignAbi, "activate", data), OPTIONS)).toEqual({
        code: "CampaignSerialReserved",
        title: "Number reserved",
        message:
          "Only the Perks factory numbers campaigns (this asked for no. 3); activate a campaign you deployed yourself with number 0.",
      });
    });

    it("formats a gateway's stablecoin amounts with the stablecoin's decimals", () => {
      const data = encodeErrorResult({
        abi: cashOutGatewayAbi,
        errorName: "CashOutGatewayInsufficientOutput",
        args: [1_250_000n, 2_000_000n],
      });
      const error = new ContractFunctionRevertedError({ abi: cashOutGatewayAbi, data, functionName: "sell" });
      expect(humanizeError(error, { ...OPTIONS, currency: { decimals: 6, unit: "USDC" } }).message).toBe(
        "This sale would pay 1.25 USDC, less than the 2 USDC you asked for at least.",
      );
    });

    it("decodes an error bubbled up from another contract (not in the called ABI)", () => {
      const data = encodeErrorResult({
        abi: loyaltyTokenAbi,
        errorName: "LoyaltyTokenUnauthorizedMinter",
        args: [ALICE],
      });
      expect(humanizeError(reverted(campaignFactoryAbi, "createCampaign", data), OPTIONS)).toMatchObject({
        code: "LoyaltyTokenUnauthorizedMinter",
        message: "0x7099…79C8 is not allowed to create these points.",
      });
    });

    it("decodes the revert data of a raw JSON-RPC error", () => {
      const data = encodeErrorResult({ abi: campaignAbi, errorName: "CampaignVoucherAlreadyClaimed", args: [7n] });
      const error = new RpcRequestError({
        body: {},
        url: "http://127.0.0.1:8545",
        error: { code: 3, message: "execution reverted", data },
      });
      expect(humanizeError(error, OPTIONS).message).toBe("This voucher (no. 7) has already been claimed.");
    });

    it("keeps the reason of a revert string and explains a panic", () => {
      const errorString = encodeErrorResult({
        abi: parseAbi(["error Error(string)"]),
        errorName: "Error",
        args: ["ERC20: transfer amount exceeds balance"],
      });
      expect(humanizeError(reverted(campaignAbi, "issue", errorString)).message).toBe(
        "The contract refused this: ERC20: transfer amount exceeds balance.",
      );
      const panic = encodeErrorResult({ abi: parseAbi(["error Panic(uint256)"]), errorName: "Panic", args: [0x11n] });
      expect(humanizeError(reverted(campaignAbi, "issue", panic)).message).toBe(
        "The contract stopped because a number went out of range.",
      );
    });

    it("still answers for a revert without data and for an error no ABI knows", () => {
      expect(humanizeError(reverted(campaignAbi, "issue", "0x"))).toMatchObject({
        code: "Reverted",
        message: "The contract refused this without giving a reason.",
      });
      expect(humanizeError(reverted(campaignAbi, "issue", "0xdeadbeef"))).toMatchObject({
        code: "Reverted",
        message: "The contract refused this with an error this app does not know (0xdeadbeef).",
      });
    });

    it("has a sentence for every custom error of every generated ABI", () => {
      const names = new Set(perksErrorsAbi.map((item) => item.name));
      expect([...names].filter((name) => ERROR_MESSAGES[name] === undefined)).toEqual([]);
    });

    it("renders every custom error with its values as a finished sentence", () => {
      for (const item of perksErrorsAbi) {
        const data = encodeErrorResult({ abi: [item], errorName: item.name, args: item.inputs.map(sampleValue) });
        const { code, title, message } = humanizeError(reverted(campaignAbi, "issue", data), OPTIONS);
        expect(code, item.name).toBe(item.name);
        expect(title, item.name).not.toBe("");
        expect(message, item.name).toMatch(/^[A-Z0-9].*[.!]$/);
        expect(message, item.name).not.toMatch(/undefined|NaN|\[object/);
      }
    });
  });

  describe("wallet and network failures", () => {
    it("recognises a rejection in the wallet, wrapped by viem or raw from EIP-1193 (code 4001)", () => {
      const expected = { code: "UserRejected", message: "You rejected the request in your wallet." };
      expect(humanizeError(new UserRejectedRequestError(new Error("User denied")))).toMatchObject(expected);
      expect(humanizeError({ code: 4001, message: "User rejected the request." })).toMatchObject(expected);
    });

    it("names the chain the wallet must switch to", () => {
      expect(humanizeError(new ChainMismatchError({ chain: base, currentChainId: mainnet.id }))).toMatchObject({
        code: "WrongChain",
        message: "Your wallet is on Ethereum (chain 1). Switch it to Base (chain 8453) and try again.",
      });
    });

    it("points a wallet without gas money to the relayer", () => {
      expect(humanizeError(new InsufficientFundsError())).toMatchObject({
        code: "InsufficientFunds",
        message:
          "Your wallet does not have enough ETH to pay for gas. To claim points without gas, claim through the relayer instead.",
      });
    });

    it("tells an unreachable network apart", () => {
      expect(humanizeError(new HttpRequestError({ url: "https://rpc.example", status: 502 })).code).toBe("Network");
    });
  });

  it("passes an SDK error's own sentence through", () => {
    expect(humanizeError(new UnsupportedChainError(84532))).toEqual({
      code: "UnsupportedChainError",
      title: "Network not supported",
      message: "Perks is not available on Base Sepolia (chain 84532): no contracts are deployed there.",
    });
  });

  it("keeps the short message of anything else", () => {
    expect(humanizeError(new Error("boom\n  at somewhere"))).toEqual({
      code: "Unknown",
      title: "Something went wrong",
      message: "Something went wrong: boom.",
    });
    expect(humanizeError("plain string").message).toBe("Something went wrong: plain string.");
  });
});

/** A plausible value of an ABI type, for rendering every error's sentence. */
function sampleValue(parameter: AbiParameter): unknown {
  if (parameter.type === "address") return ALICE;
  if (parameter.type === "bool") return true;
  if (parameter.type === "string") return "Alpha Coffee";
  if (parameter.type.startsWith("bytes")) return `0x${"ab".repeat(Number(parameter.type.slice(5)) || 4)}`;
  const bits = Number(parameter.type.replace(/^u?int/, "") || 256);
  return bits <= 8 ? 2 : bits <= 48 ? Number(TIMESTAMP) : TIMESTAMP;
}
