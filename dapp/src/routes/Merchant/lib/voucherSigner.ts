import type { Account, Address, Chain, Client, LocalAccount, Transport } from "viem";
import { privateKeyToAccount, toAccount } from "viem/accounts";
import { signTypedData } from "viem/actions";
import type { DevAccount } from "@perks/sdk";

/**
 * The key that signs the till's vouchers, as the SDK's `createVoucher` takes it: on the local chain the demo
 * terminal's dev key (offline, instant, as at a real till); elsewhere the connected wallet, asked for an EIP-712
 * signature per voucher. Only typed data is ever signed with it.
 */
export function voucherSigner(
  localTerminal: DevAccount | undefined,
  walletClient: Client<Transport, Chain | undefined, Account> | undefined,
): LocalAccount | undefined {
  if (localTerminal) return privateKeyToAccount(localTerminal.privateKey);
  if (!walletClient) return undefined;
  const refuse = async (): Promise<never> => {
    throw new Error("The till only signs vouchers.");
  };
  return toAccount({
    address: walletClient.account.address as Address,
    signTypedData: (typedData) => signTypedData(walletClient, { ...typedData, account: walletClient.account } as Parameters<typeof signTypedData>[1]),
    signMessage: refuse,
    signTransaction: refuse,
  });
}
