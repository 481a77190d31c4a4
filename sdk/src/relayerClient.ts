/**
 * Claiming through a merchant's relayer (`npm run relayer`), for a customer whose wallet has no gas.
 *
 * The claim code never leaves the device: `relayerClaimPayload` signs the recipient with the code's claim key
 * here, and the relayer receives only what the campaign call needs (the voucher and the terminal's signature, or
 * the batch code and its proof, the recipient and the claim-key signature). Anyone who copies that payload can
 * only claim the points into the same recipient.
 *
 * The wire format is JSON, with every uint as a decimal string (JSON numbers lose precision past 2^53).
 */
import type { Address, Hex } from "viem";
import { type ClaimCode, signClaim } from "./claimCode";

/** A compact (EIP-2098) signature as JSON. */
export interface RelayerSignature {
  r: Hex;
  yParityAndS: Hex;
}

interface RelayerClaimBase {
  /** The chain the claim was signed for; the relayer refuses another. */
  chainId: number;
  campaign: Address;
  recipient: Address;
  /** The claim key's EIP-712 signature of `Claim(recipient)`. */
  claimSignature: RelayerSignature;
}

/** A signed receipt voucher (`Campaign.claimVoucher`). */
export interface RelayerVoucherClaim extends RelayerClaimBase {
  kind: "voucher";
  voucher: { id: string; points: string; spend: string; expiresAt: string; claimKey: Address };
  /** The terminal's EIP-712 signature of the voucher. */
  issuerSignature: RelayerSignature;
}

/** A printed code of a Merkle batch (`Campaign.claimCode`). */
export interface RelayerBatchClaim extends RelayerClaimBase {
  kind: "batch";
  code: { batchId: string; index: string; points: string; claimKey: Address };
  proof: Hex[];
}

/** The body of `POST /claims`. */
export type RelayerClaimPayload = RelayerVoucherClaim | RelayerBatchClaim;

/** What the relayer answered. */
export interface RelayedClaim {
  /** The claim's transaction: sent now, or earlier when `alreadySent`. */
  hash: Hex;
  /** The relayer had sent this voucher or code before (a second tap, or a retry after a lost answer). */
  alreadySent: boolean;
}

/** The payload that claims `code` into `recipient` through a relayer. Signs with the claim key on this device. */
export async function relayerClaimPayload(code: ClaimCode, recipient: Address): Promise<RelayerClaimPayload> {
  const { r, yParityAndS } = await signClaim(code.claimPrivateKey, code.campaign, code.chainId, recipient);
  const base = { chainId: code.chainId, campaign: code.campaign, recipient, claimSignature: { r, yParityAndS } };
  if (code.kind === "voucher") {
    const { id, points, spend, expiresAt, claimKey } = code.voucher;
    return {
      ...base,
      kind: "voucher",
      voucher: { id: `${id}`, points: `${points}`, spend: `${spend}`, expiresAt: `${expiresAt}`, claimKey },
      issuerSignature: { r: code.issuerSignature.r, yParityAndS: code.issuerSignature.yParityAndS },
    };
  }
  const { batchId, index, points, claimKey } = code.code;
  return {
    ...base,
    kind: "batch",
    code: { batchId: `${batchId}`, index: `${index}`, points: `${points}`, claimKey },
    proof: [...code.proof],
  };
}

// ------------------------------------------------------------------------------------------------ errors

/** The relayer did not send the claim. `code` is the relayer's error code; `status` its HTTP status (0 when it
 * could not be reached). */
export class RelayerError extends Error {
  override name = "RelayerError";
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The app sent a claim the relayer cannot read (a bug in the app, not the customer's doing). */
export class RelayerRequestError extends RelayerError {
  override name = "RelayerRequestError";
  constructor(
    message: string,
    status: number,
    code: string,
    /** The offending field of the payload, e.g. "voucher.claimKey". */
    readonly field?: string,
  ) {
    super(`The claim could not be sent: ${message}`, status, code);
  }
}

/** The relayer does not pay for claims of this campaign (or of this chain). */
export class RelayerCampaignNotServedError extends RelayerError {
  override name = "RelayerCampaignNotServedError";
  constructor(message: string, status: number, code: string) {
    super(`${message} Claim from your own wallet instead.`, status, code);
  }
}

/** The claim would fail on chain, so the relayer refused it: already claimed, expired, wrong signature… */
export class RelayerClaimRefusedError extends RelayerError {
  override name = "RelayerClaimRefusedError";
  constructor(
    message: string,
    status: number,
    /** The contract's error, e.g. "CampaignVoucherAlreadyClaimed". */
    readonly reason: string,
    /** A few words for a heading, from the relayer. */
    readonly title: string,
    /** The contract's revert data: `humanizeError` decodes it with the app's own number and date formats. */
    readonly raw?: Hex,
  ) {
    super(message, status, "ClaimRefused");
  }
}

/** Too many claims from this connection or for this campaign just now; try again after `retryAfterSeconds`. */
export class RelayerRateLimitedError extends RelayerError {
  override name = "RelayerRateLimitedError";
  constructor(
    message: string,
    status: number,
    code: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status, code);
  }
}

/** The relayer could not be reached, or failed to send (busy, out of gas money, node down). Trying again later
 * is safe: a claim is never sent twice. */
export class RelayerUnavailableError extends RelayerError {
  override name = "RelayerUnavailableError";
  constructor(message: string, status: number, code: string) {
    super(message, status, code);
  }
}

interface ErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    field?: unknown;
    title?: unknown;
    reason?: unknown;
    raw?: unknown;
    retryAfterSeconds?: unknown;
  };
}

const text = (value: unknown, fallback: string) => (typeof value === "string" && value !== "" ? value : fallback);

function relayerError(status: number, body: ErrorBody, retryAfter: string | null): RelayerError {
  const error = body.error ?? {};
  const code = text(error.code, `HTTP${status}`);
  const message = text(error.message, `The relayer answered ${status}.`);
  if (status === 422 && code === "ClaimRefused") {
    const raw = typeof error.raw === "string" && /^0x[0-9a-fA-F]*$/.test(error.raw) ? (error.raw as Hex) : undefined;
    return new RelayerClaimRefusedError(
      message,
      status,
      text(error.reason, "Unknown"),
      text(error.title, "Claim refused"),
      raw,
    );
  }
  if (status === 403 || code === "WrongChain") return new RelayerCampaignNotServedError(message, status, code);
  if (status === 429) {
    const seconds = Number(retryAfter ?? error.retryAfterSeconds);
    return new RelayerRateLimitedError(message, status, code, Number.isFinite(seconds) && seconds > 0 ? seconds : 60);
  }
  if (status >= 500) return new RelayerUnavailableError(message, status, code);
  return new RelayerRequestError(message, status, code, typeof error.field === "string" ? error.field : undefined);
}

/**
 * Sends a claim to the relayer at `relayerUrl` (its base URL, e.g. "https://relayer.example.com") and returns the
 * transaction's hash once the relayer has sent it (it is not mined yet: wait for its receipt with a public client).
 *
 * @throws RelayerClaimRefusedError, RelayerRateLimitedError, RelayerCampaignNotServedError, RelayerRequestError,
 *   RelayerUnavailableError (all `RelayerError`s)
 */
export async function claimThroughRelayer(
  relayerUrl: string,
  claimPayload: RelayerClaimPayload,
  options: { fetch?: typeof fetch; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<RelayedClaim> {
  const url = new URL("claims", relayerUrl.endsWith("/") ? relayerUrl : `${relayerUrl}/`);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(claimPayload),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const reason = timeout.aborted ? "did not answer in time" : "could not be reached";
    throw new RelayerUnavailableError(`The relayer ${reason}. Check your connection and try again.`, 0, "Network");
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new RelayerUnavailableError(
      `The relayer answered ${response.status} with something unreadable.`,
      response.status,
      "BadResponse",
    );
  }
  if (!response.ok) throw relayerError(response.status, (body ?? {}) as ErrorBody, response.headers.get("retry-after"));
  const { hash, status } = body as { hash?: unknown; status?: unknown };
  if (typeof hash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(hash)) {
    throw new RelayerUnavailableError(
      "The relayer answered without a transaction hash.",
      response.status,
      "BadResponse",
    );
  }
  return { hash: hash as Hex, alreadySent: status === "already-sent" };
}
