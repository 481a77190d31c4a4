import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { type Account, type Address, createPublicClient, createWalletClient, custom, getAddress } from "viem";
import { hardhat } from "viem/chains";
import { writeContract } from "viem/actions";
import { type TokenParams, createToken } from "../../sdk/src/actions/factory";
import type { WriteClients } from "../../sdk/src/actions/write";
import { mockStablecoinAbi } from "../../sdk/src/generated/abis";
import { deployFactory } from "../helpers/fixtures";

// What the on-chain SDK tests share: viem clients over Hardhat's in-process EIP-1193 provider, as the dApp and the
// scripts use them on a real chain.

// Hardhat answers a revert with JSON-RPC code -32603, which viem would retry three times (a second lost per
// revert) as if the node had failed.
export const transport = custom(network.provider, { retryCount: 0 });
export const publicClient = createPublicClient({ chain: hardhat, transport });

/** A wallet client that sends as `account` (an unlocked Hardhat account, or a local key), typed for that account. */
export function walletClientOf<A extends Address | Account>(account: A) {
  return createWalletClient({ chain: hardhat, account, transport });
}

/** Clients that send as `account`: an unlocked Hardhat account, or a local key. */
export function clientsOf(account: Address | Account): WriteClients {
  return { publicClient, walletClient: walletClientOf(account) };
}

/** Hardhat's unlocked accounts, checksummed. */
export async function hardhatAccounts(): Promise<Address[]> {
  return ((await network.provider.request({ method: "eth_accounts" })) as string[]).map((account) =>
    getAddress(account),
  );
}

/** The error `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected a rejection");
}

/** Dates in messages, fixed for assertions. */
export const HUMANIZE = { locale: "en-GB", timeZone: "UTC" } as const;

export async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** The factory (with its implementations), deployed as the contract tests deploy it. */
export async function factoryAddress(): Promise<Address> {
  return getAddress(await (await deployFactory()).getAddress());
}

/** A brand token `merchant` creates through the SDK. */
export async function sdkToken(factory: Address, merchant: Address, params: Partial<TokenParams> = {}) {
  const sent = await createToken(clientsOf(merchant), {
    params: { name: "Alpha Coffee Beans", symbol: "BEAN", faceValue: 10_000n, metadataURI: "ipfs://alpha", ...params },
    factory,
  });
  return getAddress((await sent.wait()).event.args.token);
}

/** A test stablecoin with `decimals` decimals and an open faucet (`MockStablecoin`). */
export async function stablecoin(symbol: string, decimals: number): Promise<Address> {
  const coin = await ethers.deployContract("MockStablecoin", [`${symbol} Stablecoin`, symbol, decimals]);
  return getAddress(await coin.getAddress());
}

/** Deploys `contract` with `args` and returns its address. */
export async function deploy(contract: string, args: unknown[]): Promise<Address> {
  return getAddress(await (await ethers.deployContract(contract, args)).getAddress());
}

/** Mints `amount` of a test stablecoin to `to` (anyone may). */
export async function faucet(coin: Address, to: Address, amount: bigint) {
  const [funder] = await hardhatAccounts();
  const hash = await writeContract(clientsOf(funder).walletClient, {
    address: coin,
    abi: mockStablecoinAbi,
    functionName: "mint",
    args: [to, amount],
    chain: hardhat,
  });
  await publicClient.waitForTransactionReceipt({ hash });
}
