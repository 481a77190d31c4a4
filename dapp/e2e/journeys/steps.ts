import type { Page } from "playwright-core";
import { type Address, type Hex, getAddress } from "viem";
import { type VoucherClaimCode, createVoucher, voucherIdFor } from "@perks/sdk";
import { privateKeyToAccount } from "viem/accounts";
import { LOCALE, TIME_ZONE } from "../support/browser";
import { devKey } from "../support/chain";
import { expectText } from "../support/runner";
import type { Stack } from "../support/stack";
import { TEST_WALLET_NAME } from "../support/testWallet";

// Steps several journeys share, written the way a person does them: through visible labels and roles.

/** The wallet choice as the header's button names it once connected: "<wallet> · 0x1234…abcd". */
function connectedLabel(name: string, address: Address): RegExp {
  const checksummed = getAddress(address);
  return new RegExp(`${name.replace(/[()]/g, "\\$&")} · ${checksummed.slice(0, 6)}…${checksummed.slice(-4)}`);
}

/** Connects a wallet from the header's button (the test wallet unless a dev wallet's name is given). */
export async function connectWallet(page: Page, address: Address, name = TEST_WALLET_NAME) {
  await page.getByRole("banner").getByRole("button", { name: "Connect wallet" }).click();
  const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
  await dialog.getByRole("button", { name }).click();
  await expectText(page.getByRole("banner").getByRole("button", { name: connectedLabel(name, address) }), connectedLabel(name, address));
}

/** A day as the dApp shows it (lib/time.ts formatDay) in the browser's fixed locale and time zone. */
export function formatDay(unixSeconds: bigint | number): string {
  return new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric", timeZone: TIME_ZONE }).format(
    Number(unixSeconds) * 1000,
  );
}

let sequence = BigInt(Date.now()) << 16n;

/** A receipt voucher signed by Alpha Coffee's till, as its terminal makes them offline. */
export async function alphaVoucher(
  stack: Stack,
  { spend = 0n, points = 0n, expiresAt }: { spend?: bigint; points?: bigint; expiresAt?: bigint },
): Promise<VoucherClaimCode> {
  const alpha = stack.state.merchants[0];
  const terminal = privateKeyToAccount(devKey("alphaTerminal"));
  return createVoucher({
    issuer: terminal,
    campaign: alpha.campaigns[0],
    chainId: stack.state.chainId,
    id: voucherIdFor(terminal.address, sequence++),
    spend,
    points,
    expiresAt: expiresAt ?? (await stack.chain.now()) + 30n * 86_400n,
  });
}

/** The path and fragment of a claim link, for opening it on the dApp under test. */
export function linkPath(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.hash}`;
}

export type { Hex };
