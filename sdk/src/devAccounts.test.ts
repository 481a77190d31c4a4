import { describe, expect, it } from "vitest";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { bytesToHex } from "viem";
import { DEV_ACCOUNTS, devAccount } from "./devAccounts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

describe("DEV_ACCOUNTS", () => {
  it("are Hardhat's default accounts at their indexes, with matching keys", () => {
    for (const account of DEV_ACCOUNTS) {
      const derived = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: account.index });
      expect(derived.address).toBe(account.address);
      expect(bytesToHex(derived.getHdKey().privateKey!)).toBe(account.privateKey);
      expect(privateKeyToAccount(account.privateKey).address).toBe(account.address);
    }
  });

  it("gives each role one account and names an unknown role", () => {
    expect(new Set(DEV_ACCOUNTS.map((account) => account.role)).size).toBe(DEV_ACCOUNTS.length);
    expect(devAccount("alice").index).toBe(5);
    expect(() => devAccount("nobody" as never)).toThrow(/nobody/);
  });
});
