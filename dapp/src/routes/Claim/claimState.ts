import type { Hex } from "viem";
import { type CampaignRules, type ClaimCode, Channel, humanizeError, isChannelOpen, parseClaimCode } from "@perks/sdk";
import { formatDay } from "../../lib/time";

/** Why a code cannot be claimed, told to the customer: a heading and a sentence with what to do. */
export interface ClaimProblem {
  /** For code to branch on and tests to assert: the SDK error's name or a reason below. */
  code: string;
  title: string;
  message: string;
}

// ------------------------------------------------------------------------------------------------ input

/** Where the claim page stands with the text it was given (link, pasted code or scanned QR). */
export type ClaimInput =
  | { step: "empty" }
  | { step: "invalid"; text: string; problem: ClaimProblem }
  | { step: "parsed"; text: string; code: ClaimCode; source: ClaimSource }
  | { step: "claimed"; code: ClaimCode; receipt: ClaimReceipt };

/** How the code reached the page: a link opened, text pasted or typed, a QR code scanned. */
export type ClaimSource = "link" | "paste" | "scan";

/** What a successful claim issued, from its `PointsIssued` event. */
export interface ClaimReceipt {
  hash: Hex;
  recipient: Hex;
  /** Points after the tier multiplier. */
  amount: bigint;
  /** The stamp-card bonus the claim reached (included in nothing above). */
  bonus: bigint;
  via: "wallet" | "relayer";
}

export type ClaimAction =
  | { type: "read"; text: string; source: ClaimSource }
  | { type: "clear" }
  | { type: "claimed"; receipt: ClaimReceipt };

/** Reads a link, fragment or bare code with the SDK and checks it belongs to `chainId`. */
export function readClaimText(text: string, chainId: number): { code: ClaimCode } | { problem: ClaimProblem } {
  try {
    return { code: parseClaimCode(text, { chainId }) };
  } catch (error) {
    const { code, title, message } = humanizeError(error);
    return { problem: { code, title, message } };
  }
}

/**
 * The claim page's input state machine. Reading text parses it (empty text clears); a claimed code stays shown
 * until another is read or the page is cleared, and the same code read again after its claim stays claimed.
 */
export function claimReducer(chainId: number) {
  return (state: ClaimInput, action: ClaimAction): ClaimInput => {
    switch (action.type) {
      case "clear":
        return { step: "empty" };
      case "claimed":
        return state.step === "parsed" ? { step: "claimed", code: state.code, receipt: action.receipt } : state;
      case "read": {
        const text = action.text.trim();
        if (text === "") return { step: "empty" };
        const read = readClaimText(text, chainId);
        if ("problem" in read) return { step: "invalid", text, problem: read.problem };
        if (state.step === "claimed" && sameCode(state.code, read.code)) return state;
        return { step: "parsed", text, code: read.code, source: action.source };
      }
    }
  };
}

function sameCode(a: ClaimCode, b: ClaimCode): boolean {
  return a.campaign === b.campaign && a.claimPrivateKey === b.claimPrivateKey;
}

// ------------------------------------------------------------------------------------------------ chain checks

/** What the chain says about a parsed code's campaign, read before anything is signed. */
export interface CampaignFacts {
  /** Whether the Perks factory created the campaign (a fake campaign could mint anything). */
  isPerksCampaign: boolean;
  rules: Pick<CampaignRules, "startsAt" | "channels" | "token">;
  /** Issuance end: the rules' end, or earlier if the merchant ended the campaign. */
  endsAt: bigint;
  paused: boolean;
  /** Whether this voucher id or printed code was claimed already. */
  claimed: boolean;
  /** A batch code's Merkle root on chain; zero when the batch was never published. */
  batchRoot?: Hex;
}

const ZERO_ROOT = `0x${"0".repeat(64)}`;

/**
 * Why `code` cannot be claimed at `now` (unix seconds), or undefined when it can: the checks the campaign makes,
 * in the order that tells the customer the most useful thing first.
 */
export function claimProblem(code: ClaimCode, facts: CampaignFacts, now: number): ClaimProblem | undefined {
  if (!facts.isPerksCampaign) {
    return {
      code: "UnknownCampaign",
      title: "Unknown campaign",
      message: "This code is not from a Perks campaign, so it cannot be claimed here. It may be fake: ask the shop for a new one.",
    };
  }
  if (facts.claimed) {
    return code.kind === "voucher"
      ? {
          code: "AlreadyClaimed",
          title: "Already claimed",
          message: "The points of this receipt have already been claimed. Each code works once.",
        }
      : {
          code: "AlreadyClaimed",
          title: "Already claimed",
          message: `Printed code no. ${code.code.index} has already been claimed. Each code works once.`,
        };
  }
  if (code.kind === "voucher" && BigInt(now) > code.voucher.expiresAt) {
    return {
      code: "Expired",
      title: "Code expired",
      message: `This receipt's code expired on ${formatDay(Number(code.voucher.expiresAt))}. Ask the shop if they can issue the points another way.`,
    };
  }
  if (BigInt(now) < facts.rules.startsAt) {
    const expiry =
      code.kind === "voucher" ? ` The code stays valid until ${formatDay(Number(code.voucher.expiresAt))}.` : "";
    return {
      code: "NotStarted",
      title: "Not started yet",
      message: `This campaign starts on ${formatDay(Number(facts.rules.startsAt))}: claim it from then.${expiry}`,
    };
  }
  if (BigInt(now) >= facts.endsAt) {
    return {
      code: "Ended",
      title: "Campaign ended",
      message: `This campaign ended on ${formatDay(Number(facts.endsAt))}, so its codes can no longer be claimed. Points you already hold stay yours.`,
    };
  }
  if (facts.paused) {
    return {
      code: "Paused",
      title: "Campaign paused",
      message: "The shop has paused this campaign for now. Keep the code and try again later.",
    };
  }
  const channel = code.kind === "voucher" ? Channel.Voucher : Channel.Batch;
  if (!isChannelOpen(facts.rules, channel)) {
    return {
      code: "ChannelClosed",
      title: "Codes not accepted",
      message: `This campaign does not accept ${code.kind === "voucher" ? "receipt codes" : "printed codes"}.`,
    };
  }
  if (code.kind === "batch" && (facts.batchRoot === undefined || facts.batchRoot === ZERO_ROOT)) {
    return {
      code: "UnknownBatch",
      title: "Code not active yet",
      message: "The shop has not activated this batch of printed codes yet. Try again later.",
    };
  }
  return undefined;
}

/** The points a code asks for before its campaign's earn rate and tier multiplier: voucher points and spend. */
export function codeAmounts(code: ClaimCode): { points: bigint; spend: bigint } {
  return code.kind === "voucher"
    ? { points: code.voucher.points, spend: code.voucher.spend }
    : { points: code.code.points, spend: 0n };
}
