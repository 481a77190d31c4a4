import { describe, expect, it } from "vitest";
import {
  type Address,
  type Hex,
  compactSignatureToSignature,
  concatBytes,
  getAddress,
  hexToBytes,
  keccak256,
  recoverTypedDataAddress,
} from "viem";
import { privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import {
  type BatchClaimCode,
  type ClaimCode,
  type VoucherClaimCode,
  CLAIM_TYPES,
  MalformedClaimCodeError,
  UnknownCampaignError,
  UnsupportedClaimCodeVersionError,
  VOUCHER_TYPES,
  WrongChainError,
  campaignDomain,
  claimCall,
  createVoucher,
  encodeClaimCode,
  encodeClaimLink,
  encodeClaimQr,
  newClaimKey,
  parseClaimCode,
  signClaim,
  signVoucher,
  voucherIdFor,
} from "./index";

// Hardhat's dev account 3, used as a terminal's issuer key.
const issuer = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const campaign = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const otherCampaign = getAddress("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
const recipient = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const chainId = 31337;
const ONE = 10n ** 18n;
const BASE_URL = "https://perks.example/claim";

function voucherCode(): Promise<VoucherClaimCode> {
  return createVoucher({
    issuer,
    campaign,
    chainId,
    id: voucherIdFor(issuer.address, 7),
    points: 25n * ONE,
    spend: 1_250n,
    expiresAt: 1_900_000_000n,
  });
}

function batchCode(proofLength = 3): BatchClaimCode {
  const claimKey = newClaimKey();
  return {
    version: 1,
    kind: "batch",
    chainId,
    campaign,
    claimPrivateKey: claimKey.privateKey,
    code: { batchId: 2n, index: 41n, points: 5n * ONE, claimKey: claimKey.address },
    proof: Array.from({ length: proofLength }, (_, i) => keccak256(Uint8Array.of(i))),
  };
}

/** Re-encodes a valid code after `edit` changed its bytes (checksum excluded), with a fresh checksum. */
function tampered(code: ClaimCode, edit: (body: Uint8Array) => Uint8Array): string {
  const bytes = Buffer.from(encodeClaimCode(code), "base64url");
  const body = edit(new Uint8Array(bytes.subarray(0, bytes.length - 4)));
  const checksum = hexToBytes(keccak256(body)).subarray(0, 4);
  return Buffer.from(concatBytes([body, checksum])).toString("base64url");
}

/** Offset of the first voucher field: version, kind, chain id 31337 (length + 2 bytes), campaign, claim key. */
const VOUCHER_FIELDS_AT = 1 + 1 + 3 + 20 + 32;

describe("claimCode", () => {
  describe("signVoucher", () => {
    it("signs the voucher so that it recovers to the issuer under the campaign's EIP-712 domain", async () => {
      const { address: claimKey } = newClaimKey();
      const voucher = { id: 1n, points: 10n * ONE, spend: 0n, expiresAt: 1_900_000_000n, claimKey };
      const signature = await signVoucher(issuer, campaign, chainId, voucher);
      const recovered = await recoverTypedDataAddress({
        domain: { name: "Perks Campaign", version: "1", chainId, verifyingContract: campaign },
        types: VOUCHER_TYPES,
        primaryType: "Voucher",
        message: voucher,
        signature: compactSignatureToSignature(signature),
      });
      expect(recovered).toBe(issuer.address);
    });

    it("binds the signature to the campaign and the chain", async () => {
      const { address: claimKey } = newClaimKey();
      const voucher = { id: 1n, points: ONE, spend: 0n, expiresAt: 1_900_000_000n, claimKey };
      const signature = compactSignatureToSignature(await signVoucher(issuer, campaign, chainId, voucher));
      for (const domain of [campaignDomain(otherCampaign, chainId), campaignDomain(campaign, 1)]) {
        const recovered = await recoverTypedDataAddress({
          domain,
          types: VOUCHER_TYPES,
          primaryType: "Voucher",
          message: voucher,
          signature,
        });
        expect(recovered).not.toBe(issuer.address);
      }
    });
  });

  describe("signClaim", () => {
    it("signs Claim(recipient) so that it recovers to the claim key", async () => {
      const claimKey = newClaimKey();
      const signature = await signClaim(claimKey.privateKey, campaign, chainId, recipient);
      const recovered = await recoverTypedDataAddress({
        domain: campaignDomain(campaign, chainId),
        types: CLAIM_TYPES,
        primaryType: "Claim",
        message: { recipient },
        signature: compactSignatureToSignature(signature),
      });
      expect(recovered).toBe(claimKey.address);
    });
  });

  describe("newClaimKey", () => {
    it("returns a fresh key with its address", () => {
      const first = newClaimKey();
      const second = newClaimKey();
      expect(privateKeyToAddress(first.privateKey)).toBe(first.address);
      expect(first.privateKey).not.toBe(second.privateKey);
    });
  });

  describe("createVoucher", () => {
    it("names a new claim key and carries the issuer's signature", async () => {
      const code = await voucherCode();
      expect(code.voucher.claimKey).toBe(privateKeyToAddress(code.claimPrivateKey));
      expect(code.voucher).toMatchObject({ points: 25n * ONE, spend: 1_250n, expiresAt: 1_900_000_000n });
      const recovered = await recoverTypedDataAddress({
        domain: campaignDomain(campaign, chainId),
        types: VOUCHER_TYPES,
        primaryType: "Voucher",
        message: code.voucher,
        signature: compactSignatureToSignature(code.issuerSignature),
      });
      expect(recovered).toBe(issuer.address);
    });
  });

  describe("voucherIdFor", () => {
    const prefix = BigInt(keccak256(issuer.address).slice(0, 2 + 48));

    it("puts the first 24 bytes of keccak256(terminal) above a 64-bit sequence", () => {
      expect(voucherIdFor(issuer.address, 0)).toBe(prefix << 64n);
      expect(voucherIdFor(issuer.address, 5n)).toBe((prefix << 64n) + 5n);
      expect(voucherIdFor(issuer.address, 2n ** 64n - 1n) >> 64n).toBe(prefix);
    });

    it("gives one terminal dense ids and other terminals other ids", () => {
      const ids = [0, 1, 2].map((sequence) => voucherIdFor(issuer.address, sequence));
      expect(ids[1] - ids[0]).toBe(1n);
      expect(ids[2] >> 8n).toBe(ids[0] >> 8n);
      expect(voucherIdFor(otherCampaign, 0) >> 64n).not.toBe(prefix);
    });

    it("does not depend on the address's letter case", () => {
      expect(voucherIdFor(issuer.address.toLowerCase() as Address, 3)).toBe(voucherIdFor(issuer.address, 3));
    });

    it("rejects a sequence outside 64 bits", () => {
      expect(() => voucherIdFor(issuer.address, -1)).toThrow(RangeError);
      expect(() => voucherIdFor(issuer.address, 2n ** 64n)).toThrow(RangeError);
    });
  });

  describe("encode and parse", () => {
    it("round-trips a voucher code through a link, a QR payload, a fragment and the bare code", async () => {
      const code = await voucherCode();
      const encoded = encodeClaimCode(code);
      for (const text of [
        encodeClaimLink(code, BASE_URL),
        encodeClaimQr(code, BASE_URL),
        `#c=${encoded}`,
        `c=${encoded}`,
        ` ${encoded}\n`,
      ]) {
        expect(parseClaimCode(text, { chainId })).toEqual(code);
      }
    });

    it("round-trips a batch code, with or without proof", () => {
      for (const code of [batchCode(), batchCode(0), batchCode(255)]) {
        expect(parseClaimCode(encodeClaimLink(code, BASE_URL), { chainId })).toEqual(code);
      }
    });

    it("round-trips zero and uint256 extremes", async () => {
      const code = await voucherCode();
      const extreme = { ...code, voucher: { ...code.voucher, id: 2n ** 256n - 1n, points: 0n, spend: 0n } };
      expect(parseClaimCode(encodeClaimCode(extreme), { chainId })).toEqual(extreme);
    });

    it("puts the code in the URL fragment, which browsers never send to a server", async () => {
      const link = new URL(encodeClaimLink(await voucherCode(), `${BASE_URL}?utm=receipt#old`));
      expect(link.pathname).toBe("/claim");
      expect(link.search).toBe("?utm=receipt");
      expect(link.hash).toMatch(/^#c=[A-Za-z0-9_-]+$/);
    });

    it("keeps a voucher link short enough for a receipt's QR code", async () => {
      expect(encodeClaimCode(await voucherCode()).length).toBeLessThanOrEqual(240);
    });

    it("refuses to encode a claim key that is not the private key's address", async () => {
      const code = await voucherCode();
      const wrong = { ...code, voucher: { ...code.voucher, claimKey: recipient } };
      expect(() => encodeClaimCode(wrong)).toThrow(/not the address/);
    });

    it("accepts a known campaign in any letter case", async () => {
      const code = await voucherCode();
      const known = [otherCampaign, campaign.toLowerCase() as Address];
      expect(parseClaimCode(encodeClaimCode(code), { chainId, knownCampaigns: known })).toEqual(code);
    });
  });

  describe("parseClaimCode errors", () => {
    function parseError(text: string, options: { chainId: number; knownCampaigns?: Address[] } = { chainId }) {
      try {
        parseClaimCode(text, options);
      } catch (error) {
        return error as Error;
      }
      throw new Error("expected parseClaimCode to throw");
    }

    it.each([
      ["empty text", ""],
      ["text that is not base64url", "hello world!"],
      ["a link without a code", `${BASE_URL}#x=1`],
      ["a link with the code in the query", `${BASE_URL}?c=AQA`],
    ])("throws MalformedClaimCodeError for %s", (_, text) => {
      const error = parseError(text);
      expect(error).toBeInstanceOf(MalformedClaimCodeError);
      expect(error.name).toBe("MalformedClaimCodeError");
    });

    it("throws MalformedClaimCodeError when a character was changed", async () => {
      const encoded = encodeClaimCode(await voucherCode());
      const at = 40;
      const changed = encoded.slice(0, at) + (encoded[at] === "A" ? "B" : "A") + encoded.slice(at + 1);
      expect(parseError(changed).message).toMatch(/checksum/);
    });

    it("throws MalformedClaimCodeError when the code is cut short", async () => {
      const encoded = encodeClaimCode(await voucherCode());
      expect(parseError(encoded.slice(0, -8))).toBeInstanceOf(MalformedClaimCodeError);
      expect(parseError(tampered(await voucherCode(), (body) => body.subarray(0, body.length - 10))).message).toMatch(
        /cut short/,
      );
    });

    it("throws MalformedClaimCodeError for extra bytes, a non-minimal number, an unknown kind or a bad key", async () => {
      const code = await voucherCode();
      const cases: [(body: Uint8Array) => Uint8Array, RegExp][] = [
        [(body) => concatBytes([body, Uint8Array.of(0)]), /extra bytes/],
        [(body) => concatBytes([body.subarray(0, 2), Uint8Array.of(3, 0, 0x7a, 0x69), body.subarray(5)]), /minimally/],
        [(body) => Uint8Array.of(body[0], 9, ...body.subarray(2)), /kind 9/],
        [(body) => concatBytes([body.subarray(0, 25), new Uint8Array(32), body.subarray(57)]), /private key/],
      ];
      for (const [edit, message] of cases) {
        const error = parseError(tampered(code, edit));
        expect(error).toBeInstanceOf(MalformedClaimCodeError);
        expect(error.message).toMatch(message);
      }
    });

    it("throws MalformedClaimCodeError for an expiry beyond uint64", async () => {
      const code = await voucherCode();
      const idLength = 1 + 32;
      const expiresAt = VOUCHER_FIELDS_AT + idLength + (1 + 9) + (1 + 2);
      const body = (bytes: Uint8Array) =>
        concatBytes([bytes.subarray(0, expiresAt), Uint8Array.of(9, 1, 0, 0, 0, 0, 0, 0, 0, 0), bytes.subarray(expiresAt + 5)]);
      expect(parseError(tampered(code, body)).message).toMatch(/uint64/);
    });

    it("throws UnsupportedClaimCodeVersionError for another version", async () => {
      const error = parseError(tampered(await voucherCode(), (body) => Uint8Array.of(2, ...body.subarray(1))));
      expect(error).toBeInstanceOf(UnsupportedClaimCodeVersionError);
      expect(error.name).toBe("UnsupportedClaimCodeVersionError");
      expect((error as UnsupportedClaimCodeVersionError).version).toBe(2);
    });

    it("throws UnsupportedClaimCodeVersionError for any intact code of another version, whatever its layout", async () => {
      const code = await voucherCode();
      for (const version of [0, 2, 99, 255]) {
        const error = parseError(tampered(code, (body) => Uint8Array.of(version, ...body.subarray(1))));
        expect(error).toBeInstanceOf(UnsupportedClaimCodeVersionError);
        expect((error as UnsupportedClaimCodeVersionError).version).toBe(version);
      }
      // A later version may lay its fields out differently: a short body or an unknown kind is not "damage".
      for (const body of [Uint8Array.of(99), Uint8Array.of(99, 9), Uint8Array.of(99, 0, 0xff, 1, 2, 3)]) {
        const error = parseError(tampered(code, () => body));
        expect(error).toBeInstanceOf(UnsupportedClaimCodeVersionError);
        expect((error as UnsupportedClaimCodeVersionError).version).toBe(99);
      }
    });

    it("reports a character mistyped in the version's place as damage, not as another version", async () => {
      for (const code of [await voucherCode(), batchCode()]) {
        const encoded = encodeClaimCode(code);
        // Version 1 then kind 0 or 1: the first character holds the version's top 6 bits, the second its last 2.
        expect(encoded.slice(0, 2)).toMatch(/^A[QR]$/);
        for (const [at, char] of [[0, "B"], [0, "g"], [0, "_"], [1, "g"], [1, "A"]] as const) {
          const changed = encoded.slice(0, at) + char + encoded.slice(at + 1);
          expect(Buffer.from(changed, "base64url")[0]).not.toBe(1);
          const error = parseError(changed);
          expect(error).toBeInstanceOf(MalformedClaimCodeError);
          expect(error.message).toMatch(/checksum/);
        }
      }
    });

    it("reports a damaged code that is also too short as damage", () => {
      // Two bytes after the version cannot hold a checksum, whatever the version byte says.
      for (const text of ["Ag", "YwAB", "AQAB"]) {
        const error = parseError(text);
        expect(error).toBeInstanceOf(MalformedClaimCodeError);
        expect(error.message).toMatch(/cut short/);
      }
    });

    it("throws WrongChainError naming both chains", async () => {
      const code = await voucherCode();
      const error = parseError(encodeClaimCode({ ...code, chainId: 84532 }));
      expect(error).toBeInstanceOf(WrongChainError);
      expect(error.name).toBe("WrongChainError");
      expect(error).toMatchObject({ codeChainId: 84532, expectedChainId: chainId });
      expect(error.message).toBe(
        "This claim code is for Base Sepolia (chain 84532), but the app is connected to Hardhat (chain 31337).",
      );
      expect(parseError(encodeClaimCode({ ...code, chainId: 999_999 })).message).toMatch(/for chain 999999,/);
    });

    it("throws UnknownCampaignError for a campaign the app does not know", async () => {
      const error = parseError(encodeClaimCode(await voucherCode()), { chainId, knownCampaigns: [otherCampaign] });
      expect(error).toBeInstanceOf(UnknownCampaignError);
      expect(error.name).toBe("UnknownCampaignError");
      expect((error as UnknownCampaignError).campaign).toBe(campaign);
    });
  });

  describe("claimCall", () => {
    async function claimSigner(call: { args: readonly unknown[] }, claimR: Hex, claimVS: Hex) {
      expect(call.args).toContain(recipient);
      return recoverTypedDataAddress({
        domain: campaignDomain(campaign, chainId),
        types: CLAIM_TYPES,
        primaryType: "Claim",
        message: { recipient },
        signature: compactSignatureToSignature({ r: claimR, yParityAndS: claimVS }),
      });
    }

    it("builds claimVoucher arguments signed by the claim key", async () => {
      const code = await voucherCode();
      const call = await claimCall(code, recipient);
      if (call.functionName !== "claimVoucher") throw new Error("expected claimVoucher");
      const [voucher, issuerR, issuerVS, to, claimR, claimVS] = call.args;
      expect([voucher, issuerR, issuerVS, to]).toEqual([
        code.voucher,
        code.issuerSignature.r,
        code.issuerSignature.yParityAndS,
        recipient,
      ]);
      expect(await claimSigner(call, claimR, claimVS)).toBe(code.voucher.claimKey);
    });

    it("builds claimCode arguments signed by the claim key", async () => {
      const code = batchCode();
      const call = await claimCall(code, recipient);
      if (call.functionName !== "claimCode") throw new Error("expected claimCode");
      const [batch, proof, to, claimR, claimVS] = call.args;
      expect([batch, proof, to]).toEqual([code.code, code.proof, recipient]);
      expect(await claimSigner(call, claimR, claimVS)).toBe(code.code.claimKey);
    });
  });
});
