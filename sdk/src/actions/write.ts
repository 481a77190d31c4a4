import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Client,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type Hex,
  type Log,
  type TransactionReceipt,
  type Transport,
  isAddressEqual,
  parseEventLogs,
} from "viem";
import { getChainId, simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { getContractAddress } from "../addresses";
import type { ContractName } from "../generated/abis";

/**
 * What a write needs: a client that reads (it simulates the call and waits for the receipt) and a wallet client
 * whose account signs and pays for gas. In a dApp these are wagmi's public and connector clients; in a script,
 * two clients over the same transport.
 */
export interface WriteClients {
  publicClient: Client<Transport, Chain | undefined>;
  walletClient: Client<Transport, Chain | undefined, Account>;
}

/** A decoded event log of `abi`. */
export type DecodedEvent<abi extends Abi, eventName extends ContractEventName<abi>> = Log<
  bigint,
  number,
  false,
  undefined,
  true,
  abi,
  eventName
>;

/** A sent transaction. */
export interface Sent<result, event> {
  hash: Hex;
  /** What the function returned when simulated just before sending, e.g. the address of the new token. */
  result: result;
  /**
   * Waits for the transaction to be mined (and `confirmations` blocks deep) and returns its receipt and the
   * action's event. Throws `TransactionRevertedError` if it reverted after all (the chain moved between the
   * simulation and the block).
   */
  wait(confirmations?: number): Promise<{ receipt: TransactionReceipt; event: event }>;
}

/** The transaction was mined but reverted. */
export class TransactionRevertedError extends Error {
  override name = "TransactionRevertedError";
  constructor(readonly hash: Hex) {
    super(`The transaction failed on chain, so nothing changed (transaction ${hash}). Please try again.`);
  }
}

/** The transaction was mined without the event its action always emits: the address is not the contract the
 * action expected. */
export class MissingEventError extends Error {
  override name = "MissingEventError";
  constructor(
    readonly hash: Hex,
    readonly eventName: string,
  ) {
    super(`Transaction ${hash} emitted no ${eventName} event.`);
  }
}

type WriteMutability = "nonpayable" | "payable";

/** A call of a contract's write function. */
export interface ContractCall<abi extends Abi, functionName extends ContractFunctionName<abi, WriteMutability>> {
  address: Address;
  abi: abi;
  functionName: functionName;
  args: ContractFunctionArgs<abi, WriteMutability, functionName>;
}

export interface WriteCall<
  abi extends Abi,
  functionName extends ContractFunctionName<abi, WriteMutability>,
  eventName extends ContractEventName<abi>,
> extends ContractCall<abi, functionName> {
  /** The event the action reports from `wait()`, emitted by `address`. */
  eventName: eventName;
}

/** The first `eventName` log of `abi` that `address` emitted in `receipt`, decoded; undefined when there is none. */
export function findEvent<const abi extends Abi, eventName extends ContractEventName<abi>>(
  receipt: Pick<TransactionReceipt, "logs">,
  { address, abi, eventName }: { address: Address; abi: abi; eventName: eventName },
): DecodedEvent<abi, eventName> | undefined {
  return parseEventLogs({ abi, eventName, logs: receipt.logs } as never).find((log: Log) => isAddressEqual(log.address, address)) as
    | DecodedEvent<abi, eventName>
    | undefined;
}

/**
 * Simulates `call` from the wallet's account (so a revert surfaces before anything is signed, with its decoded
 * custom error), then sends exactly the simulated request, on the chain it was simulated on: a wallet on another
 * chain gets viem's `ChainMismatchError` instead of a transaction. `wait()` reports what `report` finds in the
 * receipt of the mined transaction: for an action whose event another contract emits, or that may emit none.
 */
export async function simulateAndSend<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, WriteMutability>,
  event,
>(
  { publicClient, walletClient }: WriteClients,
  call: ContractCall<abi, functionName>,
  report: (receipt: TransactionReceipt) => event,
): Promise<Sent<ContractFunctionReturnType<abi, WriteMutability, functionName>, event>> {
  // viem's parameter types cannot follow a generic ABI through; `call` itself was checked against it above.
  const { request, result } = await simulateContract(publicClient, {
    ...call,
    account: walletClient.account,
  } as Parameters<typeof simulateContract>[1]);
  const hash = await writeContract(walletClient, {
    ...request,
    chain: publicClient.chain ?? walletClient.chain,
  } as Parameters<typeof writeContract>[1]);
  return {
    hash,
    result: result as ContractFunctionReturnType<abi, WriteMutability, functionName>,
    async wait(confirmations = 1) {
      const receipt = await waitForTransactionReceipt(publicClient, { hash, confirmations });
      if (receipt.status !== "success") throw new TransactionRevertedError(hash);
      return { receipt, event: report(receipt) };
    },
  };
}

/** `simulateAndSend` for an action whose event the called contract always emits (`MissingEventError` otherwise). */
export function simulateAndWrite<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, WriteMutability>,
  eventName extends ContractEventName<abi>,
>(
  clients: WriteClients,
  call: WriteCall<abi, functionName, eventName>,
): Promise<Sent<ContractFunctionReturnType<abi, WriteMutability, functionName>, DecodedEvent<abi, eventName>>> {
  const { eventName, ...parameters } = call;
  return simulateAndSend(clients, parameters, (receipt) => {
    const event = findEvent(receipt, { address: call.address, abi: call.abi, eventName });
    if (event === undefined) throw new MissingEventError(receipt.transactionHash, eventName);
    return event;
  });
}

/** `address`, or the deployment of `contract` on the client's chain. */
export async function resolveAddress(
  client: Client<Transport, Chain | undefined>,
  address: Address | undefined,
  contract: ContractName,
): Promise<Address> {
  if (address !== undefined) return address;
  return getContractAddress(client.chain?.id ?? (await getChainId(client)), contract);
}
