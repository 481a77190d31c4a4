import { type Address, isAddressEqual } from "viem";
import { DEV_ACCOUNTS, type DevAccount, type DevRole } from "@perks/sdk";
import { DEV_WALLETS_ENABLED } from "../../../chain";

const TERMINAL_OF: Partial<Record<DevRole, DevRole>> = { alphaMerchant: "alphaTerminal", betaMerchant: "betaTerminal" };

/**
 * On the local chain, the dev key a merchant's till signs with: the demo terminal of Alpha Coffee or Beta Books,
 * or the merchant's own dev key for any other dev wallet. Undefined elsewhere: a real till's key never lives in
 * this page, so the connected wallet signs instead.
 */
export function localTerminalFor(merchant: Address | undefined): DevAccount | undefined {
  if (!DEV_WALLETS_ENABLED || !merchant) return undefined;
  const dev = DEV_ACCOUNTS.find((account) => isAddressEqual(account.address, merchant));
  if (!dev) return undefined;
  const terminalRole = TERMINAL_OF[dev.role];
  return terminalRole ? DEV_ACCOUNTS.find((account) => account.role === terminalRole) : dev;
}
