import { type Address, type Chain, type Client, type Hex, type Transport } from "viem";
import { getBlock } from "viem/actions";
import { type Permit, approve, getAllowance, permit, signPermit } from "./token";
import type { WriteClients } from "./write";

type ReadClient = Client<Transport, Chain | undefined>;

/**
 * How an action that spends the wallet's tokens gets the right to:
 * - `"approve"` (the default): if the allowance is short, an approval of exactly what the action needs is sent and
 *   mined first;
 * - `"permit"`: the wallet signs an EIP-2612 permit (no gas). Where the contract takes permits (a catalog's
 *   redemption, a gateway sale) the permit rides in the action's own transaction; elsewhere the wallet submits it
 *   first, as it would an approval;
 * - `"none"`: the allowance is left as it is (the caller set it up; a short one fails in the simulation).
 */
export type Approval = "approve" | "permit" | "none";

/** Seconds a permit or a sale stays valid by default. */
export const DEFAULT_VALIDITY_SECONDS = 20n * 60n;

/** The timestamp of the latest block: "now" as contracts see it (a test chain may run ahead of the clock). */
export async function chainTime(client: ReadClient): Promise<bigint> {
  return (await getBlock(client)).timestamp;
}

/** A deadline `seconds` after the latest block. */
export async function deadlineIn(client: ReadClient, seconds = DEFAULT_VALIDITY_SECONDS): Promise<bigint> {
  return (await chainTime(client)) + seconds;
}

/** Signs a permit of `value` for `spender`, valid until `deadline` (by default 20 minutes after the latest block). */
export async function signPermitFor(
  clients: WriteClients,
  { token, spender, value, deadline }: { token: Address; spender: Address; value: bigint; deadline?: bigint },
): Promise<Permit> {
  return signPermit(clients, {
    token,
    spender,
    value,
    deadline: deadline ?? (await deadlineIn(clients.publicClient)),
  });
}

/**
 * Makes sure `spender` may take `amount` of the wallet's `token`, the way `approval` says (see `Approval`), and
 * waits until that is mined. Returns the hash of the transaction it sent, or undefined when none was needed.
 */
export async function ensureAllowance(
  clients: WriteClients,
  {
    token,
    spender,
    amount,
    approval = "approve",
  }: { token: Address; spender: Address; amount: bigint; approval?: Approval },
): Promise<Hex | undefined> {
  if (approval === "none") return undefined;
  const owner = clients.walletClient.account.address;
  if ((await getAllowance(clients.publicClient, { token, owner, spender })) >= amount) return undefined;
  const sent =
    approval === "permit"
      ? await permit(clients, await signPermitFor(clients, { token, spender, value: amount }))
      : await approve(clients, { token, spender, amount });
  await sent.wait();
  return sent.hash;
}

/** `amount` plus `bps` basis points, rounded up: the most to pay when a quote may move against the payer. */
export function withSlippageUp(amount: bigint, bps: number): bigint {
  return (amount * BigInt(10_000 + checkedBps(bps)) + 9_999n) / 10_000n;
}

/** `amount` less `bps` basis points, rounded down: the least to accept when a quote may move against the payee. */
export function withSlippageDown(amount: bigint, bps: number): bigint {
  return (amount * BigInt(10_000 - checkedBps(bps))) / 10_000n;
}

function checkedBps(bps: number): number {
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) {
    throw new RangeError(`Slippage ${bps} must be a whole number of basis points from 0 to 10000.`);
  }
  return bps;
}
