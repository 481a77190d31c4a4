import { describe, expect, it } from "vitest";
import { createWalletClient, custom, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { DEV_ACCOUNTS, VOUCHER_TYPES, campaignDomain, createVoucher, voucherIdFor } from "@perks/sdk";
import { voucherSigner } from "./voucherSigner";

const CAMPAIGN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const terminal = DEV_ACCOUNTS.find((account) => account.role === "alphaTerminal")!;

async function signerOf(issuer: NonNullable<ReturnType<typeof voucherSigner>>) {
  const code = await createVoucher({ issuer, campaign: CAMPAIGN, chainId: 31337, id: voucherIdFor(issuer.address, 7), spend: 1234n, expiresAt: 2_000_000_000n });
  const { r, yParityAndS } = code.issuerSignature;
  const yParity = BigInt(yParityAndS) >> 255n;
  const s = `0x${(BigInt(yParityAndS) & ((1n << 255n) - 1n)).toString(16).padStart(64, "0")}` as const;
  return recoverTypedDataAddress({
    domain: campaignDomain(CAMPAIGN, 31337),
    types: VOUCHER_TYPES,
    primaryType: "Voucher",
    message: code.voucher,
    signature: { r, s, yParity: Number(yParity) },
  });
}

describe("voucherSigner", () => {
  it("signs with the local terminal's dev key on the local chain", async () => {
    const signer = voucherSigner(terminal, undefined)!;
    expect(await signerOf(signer)).toBe(terminal.address);
  });

  it("asks the connected wallet for an EIP-712 signature elsewhere, and refuses anything else", async () => {
    // A browser wallet: the key stays in the wallet, which answers eth_signTypedData_v4.
    const key = privateKeyToAccount(DEV_ACCOUNTS[1].privateKey);
    const requests: string[] = [];
    const walletClient = createWalletClient({
      account: key.address,
      chain: hardhat,
      transport: custom({
        request: async ({ method, params }) => {
          requests.push(method);
          if (method === "eth_signTypedData_v4") return key.signTypedData(JSON.parse((params as string[])[1]));
          throw new Error(`unexpected ${method}`);
        },
      }),
    });
    const signer = voucherSigner(undefined, walletClient)!;
    expect(await signerOf(signer)).toBe(key.address);
    expect(requests).toEqual(["eth_signTypedData_v4"]);
    await expect(signer.signMessage({ message: "hi" })).rejects.toThrow(/only signs vouchers/);
  });

  it("has no signer without a wallet", () => {
    expect(voucherSigner(undefined, undefined)).toBeUndefined();
  });
});
