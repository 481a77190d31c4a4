import { type Address, type Hex, getAddress, isAddress } from "viem";
import type { BatchCode, ClaimCall, Voucher } from "../claimCode";

/** A claim body the relayer refuses to read, with the HTTP status, an error code and the field at fault. */
export class InvalidClaimBodyError extends Error {
  override name = "InvalidClaimBodyError";
  constructor(
    readonly code: "InvalidJson" | "MissingField" | "UnknownField" | "InvalidField",
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A claim as the relayer sends it: the campaign call, and what identifies it across resubmissions. */
export interface ClaimRequest {
  chainId: number;
  campaign: Address;
  recipient: Address;
  /** `voucher:<id>` or `batch:<batchId>:<index>`: a campaign claims each once, so the relayer sends each once. */
  claimId: string;
  call: ClaimCall;
}

type Json = Record<string, unknown>;

const UINT = /^(0|[1-9][0-9]*)$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
/** A Merkle proof of a batch of up to 2^64 codes has at most 64 hashes. */
const MAX_PROOF = 64;

const FIELDS = {
  voucher: ["kind", "chainId", "campaign", "recipient", "claimSignature", "voucher", "issuerSignature"],
  batch: ["kind", "chainId", "campaign", "recipient", "claimSignature", "code", "proof"],
} as const;

function object(value: unknown, field: string | undefined, keys: readonly string[]): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidClaimBodyError("InvalidField", `${field ?? "The body"} must be a JSON object.`, field);
  }
  const at = (key: string) => (field === undefined ? key : `${field}.${key}`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key))
      throw new InvalidClaimBodyError("UnknownField", `${at(key)} is not a field of a claim.`, at(key));
  }
  for (const key of keys) {
    if (!(key in value)) throw new InvalidClaimBodyError("MissingField", `${at(key)} is missing.`, at(key));
  }
  return value as Json;
}

function uint(value: unknown, field: string, bits = 256): bigint {
  if (typeof value !== "string" || !UINT.test(value) || value.length > 78 || BigInt(value) >= 1n << BigInt(bits)) {
    throw new InvalidClaimBodyError(
      "InvalidField",
      `${field} must be a whole number below 2^${bits} written as a decimal string, like "42".`,
      field,
    );
  }
  return BigInt(value);
}

function address(value: unknown, field: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: true })) {
    throw new InvalidClaimBodyError(
      "InvalidField",
      `${field} must be an address: 0x and 40 hex digits (mixed case only with a valid checksum).`,
      field,
    );
  }
  return getAddress(value);
}

function bytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !BYTES32.test(value)) {
    throw new InvalidClaimBodyError("InvalidField", `${field} must be 32 bytes: 0x and 64 hex digits.`, field);
  }
  return value as Hex;
}

function signature(value: unknown, field: string) {
  const parts = object(value, field, ["r", "yParityAndS"]);
  return { r: bytes32(parts.r, `${field}.r`), yParityAndS: bytes32(parts.yParityAndS, `${field}.yParityAndS`) };
}

/**
 * Reads the body of `POST /claims` (see `RelayerClaimPayload`), strictly: every field present, no other field,
 * every value in its one accepted form.
 *
 * @throws InvalidClaimBodyError naming the field at fault
 */
export function parseClaimBody(text: string): ClaimRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidClaimBodyError("InvalidJson", "The body is not JSON.");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidClaimBodyError("InvalidField", "The body must be a JSON object.");
  }
  const kind = (json as Json).kind;
  if (kind !== "voucher" && kind !== "batch") {
    const missing = !("kind" in json);
    throw new InvalidClaimBodyError(
      missing ? "MissingField" : "InvalidField",
      missing ? "kind is missing." : 'kind must be "voucher" or "batch".',
      "kind",
    );
  }
  const body = object(json, undefined, FIELDS[kind]);
  if (typeof body.chainId !== "number" || !Number.isSafeInteger(body.chainId) || body.chainId <= 0) {
    throw new InvalidClaimBodyError("InvalidField", "chainId must be a positive whole number.", "chainId");
  }
  const campaign = address(body.campaign, "campaign");
  const recipient = address(body.recipient, "recipient");
  const claim = signature(body.claimSignature, "claimSignature");
  const base = { chainId: body.chainId, campaign, recipient };

  if (kind === "voucher") {
    const fields = object(body.voucher, "voucher", ["id", "points", "spend", "expiresAt", "claimKey"]);
    const voucher: Voucher = {
      id: uint(fields.id, "voucher.id"),
      points: uint(fields.points, "voucher.points"),
      spend: uint(fields.spend, "voucher.spend"),
      expiresAt: uint(fields.expiresAt, "voucher.expiresAt", 64),
      claimKey: address(fields.claimKey, "voucher.claimKey"),
    };
    const issuer = signature(body.issuerSignature, "issuerSignature");
    return {
      ...base,
      claimId: `voucher:${voucher.id}`,
      call: {
        functionName: "claimVoucher",
        args: [voucher, issuer.r, issuer.yParityAndS, recipient, claim.r, claim.yParityAndS],
      },
    };
  }

  const fields = object(body.code, "code", ["batchId", "index", "points", "claimKey"]);
  const code: BatchCode = {
    batchId: uint(fields.batchId, "code.batchId"),
    index: uint(fields.index, "code.index"),
    points: uint(fields.points, "code.points"),
    claimKey: address(fields.claimKey, "code.claimKey"),
  };
  if (!Array.isArray(body.proof) || body.proof.length > MAX_PROOF) {
    throw new InvalidClaimBodyError("InvalidField", `proof must be a list of at most ${MAX_PROOF} hashes.`, "proof");
  }
  const proof = body.proof.map((node, i) => bytes32(node, `proof[${i}]`));
  return {
    ...base,
    claimId: `batch:${code.batchId}:${code.index}`,
    call: { functionName: "claimCode", args: [code, proof, recipient, claim.r, claim.yParityAndS] },
  };
}
