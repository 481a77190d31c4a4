import {
  type Address,
  type Chain,
  type Client,
  type ContractFunctionReturnType,
  type Transport,
  erc20Abi,
  zeroAddress,
} from "viem";
import { getContractEvents, readContract } from "viem/actions";
import { cashOutGatewayAbi } from "../generated/abis";
import { type Approval, chainTime, deadlineIn, ensureAllowance, signPermitFor, withSlippageDown } from "./allowance";
import { type BlockRange, readInChunks } from "./logs";
import { type WriteClients, resolveAddress, simulateAndWrite } from "./write";

// The CashOutGateway (`ICashOutGateway`): operators' funded bids for Perks points, paid in a stablecoin of any
// decimals. Every action takes an optional `gateway`; without it, the one deployed on the client's chain.

type ReadClient = Client<Transport, Chain | undefined>;

/** A bid as the gateway stores it (`ICashOutGateway.Bid`); all zero once closed. */
export type Bid = ContractFunctionReturnType<typeof cashOutGatewayAbi, "view", "bidOf">;

/** A whole point in base units: bid prices are stablecoin base units per whole point. */
const WHOLE_POINT = 10n ** 18n;

interface OnGateway {
  gateway?: Address;
}

const gatewayOf = (client: ReadClient, gateway: Address | undefined) =>
  resolveAddress(client, gateway, "CashOutGateway");

// ------------------------------------------------------------------------------------------------ reads

/** A bid with what a seller needs to know now. */
export interface BidInfo extends Bid {
  id: bigint;
  /** False once the operator closed it (or if it was never posted). */
  open: boolean;
  /** Whether it can no longer be sold into. */
  expired: boolean;
  /** Most points to sell into it now: its remaining points, or fewer if its funds run out first. */
  sellablePoints: bigint;
}

function bidInfo(id: bigint, bid: Bid, now: bigint): BidInfo {
  const open = bid.token !== zeroAddress;
  // The points the funds pay for in full: selling more would add points whose payout rounds to nothing.
  const fundable = bid.price === 0n ? 0n : (bid.funds * WHOLE_POINT) / bid.price;
  const sellablePoints = open ? (fundable < bid.remainingPoints ? fundable : bid.remainingPoints) : 0n;
  return { ...bid, id, open, expired: now > BigInt(bid.expiresAt), sellablePoints };
}

export async function getBid(client: ReadClient, { bidId, gateway }: { bidId: bigint } & OnGateway): Promise<BidInfo> {
  const [bid, now] = await Promise.all([
    readContract(client, {
      address: await gatewayOf(client, gateway),
      abi: cashOutGatewayAbi,
      functionName: "bidOf",
      args: [bidId],
    }),
    chainTime(client),
  ]);
  return bidInfo(bidId, bid, now);
}

/** What selling `points` into the bid pays at its price now, rounded down (expiry, remaining points and funds are
 * not checked). */
export async function quoteSale(
  client: ReadClient,
  { bidId, points, gateway }: { bidId: bigint; points: bigint } & OnGateway,
): Promise<bigint> {
  return readContract(client, {
    address: await gatewayOf(client, gateway),
    abi: cashOutGatewayAbi,
    functionName: "quote",
    args: [bidId, points],
  });
}

/** A bid in a list, with its stablecoin's decimals (to show and compare prices). */
export interface ListedBid extends BidInfo {
  stablecoinDecimals: number;
}

/**
 * The open bids for `token` that can be sold into now (optionally in one `stablecoin`), best first: the highest
 * price per whole point, compared across stablecoins by their decimals (1 unit of each taken as equal), then the
 * most points sellable, then the oldest. Bids come from `BidPosted` events; their state from `bidOf` now.
 */
export async function listBids(
  client: ReadClient,
  { token, stablecoin, gateway, ...range }: { token: Address; stablecoin?: Address } & OnGateway & BlockRange,
): Promise<ListedBid[]> {
  const address = await gatewayOf(client, gateway);
  const [posted, now] = await Promise.all([
    readInChunks(client, range, (fromBlock, toBlock) =>
      getContractEvents(client, {
        address,
        abi: cashOutGatewayAbi,
        eventName: "BidPosted",
        args: { token },
        fromBlock,
        toBlock,
        strict: true,
      }),
    ),
    chainTime(client),
  ]);
  const ids = posted
    .filter(({ args }) => stablecoin === undefined || args.stablecoin.toLowerCase() === stablecoin.toLowerCase())
    .map(({ args }) => args.bidId);
  const bids = await Promise.all(
    ids.map(async (id) =>
      bidInfo(
        id,
        await readContract(client, { address, abi: cashOutGatewayAbi, functionName: "bidOf", args: [id] }),
        now,
      ),
    ),
  );
  const live = bids.filter((bid) => bid.open && !bid.expired && bid.sellablePoints > 0n);
  const decimals = new Map<Address, Promise<number>>();
  const decimalsOf = (coin: Address) => {
    if (!decimals.has(coin))
      decimals.set(coin, readContract(client, { address: coin, abi: erc20Abi, functionName: "decimals" }));
    return decimals.get(coin)!;
  };
  const listed = await Promise.all(
    live.map(async (bid): Promise<ListedBid> => ({ ...bid, stablecoinDecimals: await decimalsOf(bid.stablecoin) })),
  );
  return listed.sort(bestBidFirst);
}

function bestBidFirst(a: ListedBid, b: ListedBid): number {
  // a.price / 10^a.decimals against b.price / 10^b.decimals, exactly.
  const left = a.price * 10n ** BigInt(b.stablecoinDecimals);
  const right = b.price * 10n ** BigInt(a.stablecoinDecimals);
  if (left !== right) return left > right ? -1 : 1;
  if (a.sellablePoints !== b.sellablePoints) return a.sellablePoints > b.sellablePoints ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// ------------------------------------------------------------------------------------------------ operators

/**
 * Posts a bid for `token` paying `price` stablecoin base units per whole point for up to `maxPoints`, until
 * `expiresAt`, escrowing `funds` now (0 to fund later). Sold points go to `recipient` (the wallet by default).
 * The gateway takes the funds with `approval` ("approve" by default). `result` is the bid id.
 */
export async function postBid(
  clients: WriteClients,
  {
    token,
    stablecoin,
    recipient = zeroAddress,
    price,
    maxPoints,
    expiresAt,
    funds = 0n,
    approval = "approve",
    gateway,
  }: {
    token: Address;
    stablecoin: Address;
    recipient?: Address;
    price: bigint;
    maxPoints: bigint;
    expiresAt: bigint;
    funds?: bigint;
    approval?: Approval;
  } & OnGateway,
) {
  const address = await gatewayOf(clients.publicClient, gateway);
  if (funds > 0n) await ensureAllowance(clients, { token: stablecoin, spender: address, amount: funds, approval });
  return simulateAndWrite(clients, {
    address,
    abi: cashOutGatewayAbi,
    functionName: "postBid",
    args: [token, stablecoin, recipient, price, maxPoints, expiresAt, funds],
    eventName: "BidPosted",
  });
}

/** Escrows `amount` more of the bid's stablecoin. Only the bid's operator. */
export async function topUpBid(
  clients: WriteClients,
  { bidId, amount, approval = "approve", gateway }: { bidId: bigint; amount: bigint; approval?: Approval } & OnGateway,
) {
  const address = await gatewayOf(clients.publicClient, gateway);
  const { stablecoin } = await getBid(clients.publicClient, { bidId, gateway: address });
  // A closed bid has no stablecoin: let the simulation say so.
  if (stablecoin !== zeroAddress)
    await ensureAllowance(clients, { token: stablecoin, spender: address, amount, approval });
  return simulateAndWrite(clients, {
    address,
    abi: cashOutGatewayAbi,
    functionName: "topUp",
    args: [bidId, amount],
    eventName: "BidFunded",
  });
}

/** Sets the bid's price per whole point, lower or higher. Only the bid's operator. */
export async function repriceBid(
  clients: WriteClients,
  { bidId, price, gateway }: { bidId: bigint; price: bigint } & OnGateway,
) {
  return simulateAndWrite(clients, {
    address: await gatewayOf(clients.publicClient, gateway),
    abi: cashOutGatewayAbi,
    functionName: "reprice",
    args: [bidId, price],
    eventName: "BidRepriced",
  });
}

/** Takes `amount` of the bid's free funds back. Only the bid's operator. */
export async function withdrawFromBid(
  clients: WriteClients,
  { bidId, amount, gateway }: { bidId: bigint; amount: bigint } & OnGateway,
) {
  return simulateAndWrite(clients, {
    address: await gatewayOf(clients.publicClient, gateway),
    abi: cashOutGatewayAbi,
    functionName: "withdraw",
    args: [bidId, amount],
    eventName: "FundsWithdrawn",
  });
}

/** Closes the bid and takes all its free funds back. Only the bid's operator. */
export async function closeBid(clients: WriteClients, { bidId, gateway }: { bidId: bigint } & OnGateway) {
  return simulateAndWrite(clients, {
    address: await gatewayOf(clients.publicClient, gateway),
    abi: cashOutGatewayAbi,
    functionName: "close",
    args: [bidId],
    eventName: "BidClosed",
  });
}

// ------------------------------------------------------------------------------------------------ sellers

export interface SellParams extends OnGateway {
  bidId: bigint;
  /** Points (base units) to sell. */
  points: bigint;
  /** Least stablecoin to accept; by default the payout at the bid's price now, less `slippageBps`. */
  minAmountOut?: bigint;
  /** Basis points the price may fall between now and the sale; 0 by default, so an operator who lowers the price
   * in between makes the sale fail rather than pay less. */
  slippageBps?: number;
  /** Last second at which the sale may execute; 20 minutes after the latest block by default. */
  deadline?: bigint;
  /** How the gateway gets the right to take the points (see `Approval`); with `"permit"` the permit rides in the
   * sale's own transaction. `"approve"` by default. */
  approval?: Approval;
}

/** Sells points into a bid for its stablecoin. `result` is the stablecoin paid; the event is `PointsSold`. */
export async function sellPoints(clients: WriteClients, params: SellParams) {
  const { bidId, points, slippageBps = 0, approval = "approve" } = params;
  const address = await gatewayOf(clients.publicClient, params.gateway);
  const [bid, payout, deadline] = await Promise.all([
    getBid(clients.publicClient, { bidId, gateway: address }),
    quoteSale(clients.publicClient, { bidId, points, gateway: address }),
    params.deadline ?? deadlineIn(clients.publicClient),
  ]);
  const minAmountOut = params.minAmountOut ?? withSlippageDown(payout, slippageBps);
  if (approval === "permit" && bid.open) {
    // The gateway reads the permit with the sale's deadline, for exactly the points sold.
    const { v, r, s } = await signPermitFor(clients, { token: bid.token, spender: address, value: points, deadline });
    return simulateAndWrite(clients, {
      address,
      abi: cashOutGatewayAbi,
      functionName: "sellWithPermit",
      args: [bidId, points, minAmountOut, deadline, v, r, s],
      eventName: "PointsSold",
    });
  }
  // A closed bid has no token: let the simulation say so.
  if (bid.open) await ensureAllowance(clients, { token: bid.token, spender: address, amount: points, approval });
  return simulateAndWrite(clients, {
    address,
    abi: cashOutGatewayAbi,
    functionName: "sell",
    args: [bidId, points, minAmountOut, deadline],
    eventName: "PointsSold",
  });
}
