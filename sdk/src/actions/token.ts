import { type Address, type Chain, type Client, type Hex, type Transport, erc20Abi, parseSignature } from "viem";
import { getChainId, readContract, signTypedData } from "viem/actions";
import { loyaltyTokenAbi } from "../generated/abis";
import { type WriteClients, simulateAndWrite } from "./write";

// Reads and transfers use the plain ERC-20 ABI so they work on any token (a partner's points, a stablecoin);
// the LoyaltyToken ABI is only for what a Perks token adds.

type ReadClient = Client<Transport, Chain | undefined>;

/** What every ERC-20 tells about itself. */
export interface TokenMetadata {
  address: Address;
  name: string;
  symbol: string;
  decimals: number;
  totalSupply: bigint;
}

/** A Perks token's metadata, with what its merchant set. */
export interface LoyaltyTokenInfo extends TokenMetadata {
  /** The merchant. */
  owner: Address;
  /** The factory that created the token. */
  factory: Address;
  /** Millionths of the merchant's reference currency per whole point; 0 when none is stated. */
  faceValue: bigint;
  metadataURI: string;
}

export async function getTokenMetadata(client: ReadClient, { token }: { token: Address }): Promise<TokenMetadata> {
  const read = <functionName extends "name" | "symbol" | "decimals" | "totalSupply">(functionName: functionName) =>
    readContract(client, { address: token, abi: erc20Abi, functionName });
  const [name, symbol, decimals, totalSupply] = await Promise.all([
    read("name"),
    read("symbol"),
    read("decimals"),
    read("totalSupply"),
  ]);
  return { address: token, name, symbol, decimals, totalSupply };
}

export async function getLoyaltyToken(client: ReadClient, { token }: { token: Address }): Promise<LoyaltyTokenInfo> {
  const read = <functionName extends "owner" | "factory" | "faceValue" | "metadataURI">(functionName: functionName) =>
    readContract(client, { address: token, abi: loyaltyTokenAbi, functionName });
  const [metadata, owner, factory, faceValue, metadataURI] = await Promise.all([
    getTokenMetadata(client, { token }),
    read("owner"),
    read("factory"),
    read("faceValue"),
    read("metadataURI"),
  ]);
  return { ...metadata, owner, factory, faceValue, metadataURI };
}

export function getBalance(
  client: ReadClient,
  { token, account }: { token: Address; account: Address },
): Promise<bigint> {
  return readContract(client, { address: token, abi: erc20Abi, functionName: "balanceOf", args: [account] });
}

/** `account`'s balance of each token, in the order given. */
export function getBalances(
  client: ReadClient,
  { tokens, account }: { tokens: readonly Address[]; account: Address },
): Promise<bigint[]> {
  return Promise.all(tokens.map((token) => getBalance(client, { token, account })));
}

export function getAllowance(
  client: ReadClient,
  { token, owner, spender }: { token: Address; owner: Address; spender: Address },
): Promise<bigint> {
  return readContract(client, { address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
}

/** Whether `account` may mint `token`: its merchant, a minter the merchant added, or one of its campaigns. */
export function isMinter(
  client: ReadClient,
  { token, account }: { token: Address; account: Address },
): Promise<boolean> {
  return readContract(client, { address: token, abi: loyaltyTokenAbi, functionName: "isMinter", args: [account] });
}

export function transfer(
  clients: WriteClients,
  { token, to, amount }: { token: Address; to: Address; amount: bigint },
) {
  return simulateAndWrite(clients, {
    address: token,
    abi: erc20Abi,
    functionName: "transfer",
    args: [to, amount],
    eventName: "Transfer",
  });
}

export function approve(
  clients: WriteClients,
  { token, spender, amount }: { token: Address; spender: Address; amount: bigint },
) {
  return simulateAndWrite(clients, {
    address: token,
    abi: erc20Abi,
    functionName: "approve",
    args: [spender, amount],
    eventName: "Approval",
  });
}

/** Mints new points. Only the merchant or a minter it added. */
export function mint(clients: WriteClients, { token, to, amount }: { token: Address; to: Address; amount: bigint }) {
  return simulateAndWrite(clients, {
    address: token,
    abi: loyaltyTokenAbi,
    functionName: "mint",
    args: [to, amount],
    eventName: "Transfer",
  });
}

/** Burns the wallet's own points. */
export function burn(clients: WriteClients, { token, amount }: { token: Address; amount: bigint }) {
  return simulateAndWrite(clients, {
    address: token,
    abi: loyaltyTokenAbi,
    functionName: "burn",
    args: [amount],
    eventName: "Transfer",
  });
}

/** Burns `account`'s points, spending the allowance it gave the wallet. */
export function burnFrom(
  clients: WriteClients,
  { token, account, amount }: { token: Address; account: Address; amount: bigint },
) {
  return simulateAndWrite(clients, {
    address: token,
    abi: loyaltyTokenAbi,
    functionName: "burnFrom",
    args: [account, amount],
    eventName: "Transfer",
  });
}

/** Allows or stops a minter. Only the merchant. */
export function setMinter(
  clients: WriteClients,
  { token, minter, allowed }: { token: Address; minter: Address; allowed: boolean },
) {
  return simulateAndWrite(clients, {
    address: token,
    abi: loyaltyTokenAbi,
    functionName: "setMinter",
    args: [minter, allowed],
    eventName: "MinterSet",
  });
}

/** Sets the face value in millionths of the reference currency per whole point (metadata only). Only the merchant. */
export function setFaceValue(clients: WriteClients, { token, faceValue }: { token: Address; faceValue: bigint }) {
  return simulateAndWrite(clients, {
    address: token,
    abi: loyaltyTokenAbi,
    functionName: "setFaceValue",
    args: [faceValue],
    eventName: "FaceValueSet",
  });
}

export function setMetadataURI(clients: WriteClients, { token, metadataURI }: { token: Address; metadataURI: string }) {
  return simulateAndWrite(clients, {
    address: token,
    abi: loyaltyTokenAbi,
    functionName: "setMetadataURI",
    args: [metadataURI],
    eventName: "MetadataURISet",
  });
}

// ------------------------------------------------------------------------------------------------ EIP-2612

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** An EIP-2612 permit: lets `spender` move `value` of the owner's tokens until `deadline`, without a transaction. */
export interface Permit {
  token: Address;
  owner: Address;
  spender: Address;
  value: bigint;
  deadline: bigint;
  v: number;
  r: Hex;
  s: Hex;
}

/**
 * Signs a permit with the wallet's account (no gas): a market or gateway can then take the points in the same
 * transaction as the trade, with no separate approval. Works for any EIP-2612 token with the usual domain
 * (the token's name, version "1").
 */
export async function signPermit(
  { publicClient, walletClient }: WriteClients,
  { token, spender, value, deadline }: { token: Address; spender: Address; value: bigint; deadline: bigint },
): Promise<Permit> {
  const owner = walletClient.account.address;
  const [name, nonce, chainId] = await Promise.all([
    readContract(publicClient, { address: token, abi: erc20Abi, functionName: "name" }),
    readContract(publicClient, { address: token, abi: loyaltyTokenAbi, functionName: "nonces", args: [owner] }),
    publicClient.chain?.id ?? getChainId(publicClient),
  ]);
  const signature = await signTypedData(walletClient, {
    account: walletClient.account,
    domain: { name, version: "1", chainId, verifyingContract: token },
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message: { owner, spender, value, nonce, deadline },
  });
  const { r, s, yParity } = parseSignature(signature);
  return { token, owner, spender, value, deadline, v: 27 + yParity, r, s };
}

/** Submits a signed permit; anyone may send it. */
export function permit(clients: WriteClients, { token, owner, spender, value, deadline, v, r, s }: Permit) {
  return simulateAndWrite(clients, {
    address: token,
    abi: loyaltyTokenAbi,
    functionName: "permit",
    args: [owner, spender, value, deadline, v, r, s],
    eventName: "Approval",
  });
}
