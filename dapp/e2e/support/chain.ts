import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Abi,
  type Address,
  type Hex,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  parseEventLogs,
  stringToHex,
  zeroHash,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { DEV_ACCOUNTS, type DevRole, campaignFactoryAbi as factoryAbi, loyaltyTokenAbi as tokenAbi, mockStablecoinAbi, pointsExchangeAbi as exchangeAbi } from "@perks/sdk";

// The harness's own view of the chain under test: viem clients, funded throw-away accounts, and the few contract
// calls that set up a journey's world (the journeys themselves act through the dApp only).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const ONE = 10n ** 18n;

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const file = path.join(ROOT, "artifacts", "contracts", `${name}.json`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

/** An account nobody else uses, the same for the same label within one run. */
export function throwAwayAccount(label: string): PrivateKeyAccount & { privateKey: Hex } {
  const privateKey = keccak256(stringToHex(`perks-e2e/${process.pid}/${label}`));
  return Object.assign(privateKeyToAccount(privateKey), { privateKey });
}

export function devKey(role: DevRole): Hex {
  return DEV_ACCOUNTS.find((account) => account.role === role)!.privateKey;
}

export function connect(rpcUrl: string) {
  const chain = defineChain({ ...hardhat, rpcUrls: { default: { http: [rpcUrl] } } });
  const transport = http(rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain, transport });
  const testClient = createTestClient({ chain, transport, mode: "hardhat" });
  const walletOf = (privateKey: Hex) => createWalletClient({ chain, transport, account: privateKeyToAccount(privateKey) });
  const deployer = walletOf(devKey("deployer"));

  /** Sends a contract call from `privateKey` and waits for its receipt; throws if it reverted. */
  async function send(privateKey: Hex, call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] }) {
    const wallet = walletOf(privateKey);
    const { request } = await publicClient.simulateContract({ ...call, account: wallet.account } as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${call.functionName} reverted (${hash})`);
    return receipt;
  }

  return {
    rpcUrl,
    chain,
    publicClient,
    testClient,
    deployer,
    walletOf,
    send,

    /** The SDK's write clients for `privateKey` (its actions simulate, send and wait). */
    clientsOf(privateKey: Hex) {
      return { publicClient, walletClient: walletOf(privateKey) };
    },

    /** Gives `address` this much ETH for gas (0 to leave it with none). */
    async fund(address: Address, wei = ONE) {
      await testClient.setBalance({ address, value: wei });
    },

    /** Moves the chain's clock forward and mines a block. */
    async increaseTime(seconds: number) {
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
    },

    async now(): Promise<bigint> {
      return (await publicClient.getBlock()).timestamp;
    },

    async campaigns(factory: Address): Promise<Address[]> {
      const [page] = await publicClient.readContract({ address: factory, abi: factoryAbi, functionName: "campaigns", args: [0n, 1_000n] });
      return [...page];
    },

    async tokens(factory: Address): Promise<Address[]> {
      const [page] = await publicClient.readContract({ address: factory, abi: factoryAbi, functionName: "tokens", args: [0n, 10_000n] });
      return [...page];
    },

    /** A brand token created through the factory by `merchantKey`. */
    async createToken(merchantKey: Hex, factory: Address, name: string, symbol: string, faceValue = 0n): Promise<Address> {
      const receipt = await send(merchantKey, {
        address: factory,
        abi: factoryAbi,
        functionName: "createToken",
        args: [{ name, symbol, faceValue, metadataURI: "" }, zeroHash],
      });
      const [created] = parseEventLogs({ abi: factoryAbi, eventName: "TokenCreated", logs: receipt.logs });
      return created.args.token;
    },

    async mint(merchantKey: Hex, token: Address, to: Address, amount: bigint) {
      await send(merchantKey, { address: token, abi: tokenAbi, functionName: "mint", args: [to, amount] });
    },

    async balanceOf(token: Address, account: Address): Promise<bigint> {
      return publicClient.readContract({ address: token, abi: tokenAbi, functionName: "balanceOf", args: [account] });
    },

    /** The test stablecoin (MockStablecoin) has an open faucet. */
    async mintStablecoin(stablecoin: Address, to: Address, amount: bigint) {
      await send(devKey("deployer"), { address: stablecoin, abi: mockStablecoinAbi, functionName: "mint", args: [to, amount] });
    },

    async stablecoinsOf(exchange: Address): Promise<Address[]> {
      const logs = await publicClient.getContractEvents({ address: exchange, abi: exchangeAbi, eventName: "StablecoinSet", fromBlock: 0n, strict: true });
      const allowed = new Map<Address, boolean>();
      for (const { args } of logs) allowed.set(args.token, args.allowed);
      return [...allowed].filter(([, ok]) => ok).map(([token]) => token);
    },

    async allowStablecoin(exchange: Address, stablecoin: Address) {
      await send(devKey("deployer"), { address: exchange, abi: exchangeAbi, functionName: "setStablecoin", args: [stablecoin, true] });
    },
  };
}

export type Chain = ReturnType<typeof connect>;

/** Deploys `contracts/<name>` (e.g. "market/PointsExchange.sol/PointsExchange") from the deployer's key. */
export async function deployFixture(chain: Chain, name: string, args: readonly unknown[]): Promise<Address> {
  const { abi, bytecode } = artifact(name);
  const hash = await chain.deployer.deployContract({ abi, bytecode, args } as never);
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error(`deploying ${name} failed (${hash})`);
  return receipt.contractAddress;
}
