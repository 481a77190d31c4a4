import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  type Account,
  type Address,
  type Chain,
  type Client,
  type Hex,
  type Transport,
  encodeFunctionData,
  formatEther,
  keccak256,
  parseEther,
} from "viem";
import {
  getBalance,
  getChainId,
  getTransaction,
  getTransactionCount,
  prepareTransactionRequest,
  readContract,
  sendRawTransaction,
  signTransaction,
  simulateContract,
} from "viem/actions";
import { humanizeError } from "../errors";
import { campaignAbi, campaignFactoryAbi } from "../generated/abis";
import { type Rate, RateLimiter, SerialQueue } from "./limits";
import { type RelayedClaimRecord, type RelayerStore, memoryStore } from "./store";
import { type ClaimRequest, InvalidClaimBodyError, parseClaimBody } from "./validate";

/**
 * The relayer: an HTTP service that pays the gas of customers' claims for the campaigns it serves.
 *
 *   POST /claims   a claim (see `RelayerClaimPayload` in relayerClient.ts): 202 {status: "sent", hash} once the
 *                  transaction is broadcast, 200 {status: "already-sent", hash} for a claim it sent before;
 *                  otherwise {error: {code, message, ...}} with 400 (malformed, naming the field), 403 (campaign
 *                  not served), 413 (body too large), 415 (not JSON), 422 (the claim would fail: the contract's
 *                  reason, humanized, with its revert data), 429 (rate limited, Retry-After), 503 (busy, out of
 *                  gas money or node down).
 *   GET /health    the relayer's address, ETH balance, queue and counts.
 *
 * The claim code never reaches it: only the voucher or batch proof and the claim key's signature of the recipient,
 * so it can pay for a claim but not redirect it. Each claim is simulated before it is signed; transactions are
 * signed one at a time with consecutive nonces; each is recorded in the store before it is broadcast, so a restart
 * re-broadcasts the same transaction instead of sending a second one, and a claim submitted again gets the earlier
 * hash back (while the node knows that transaction: one dropped unmined, or from a local chain since restarted, is
 * forgotten and the claim sent afresh; the campaign's bitmap still lets it be claimed only once).
 */

export interface RelayerLimits {
  /** Requests from one client address; 10 a minute by default. */
  perClient?: Rate;
  /** Claims for one campaign; 120 a minute by default. */
  perCampaign?: Rate;
  /** Largest body accepted; 64 kB by default (a claim takes about 1 kB). */
  maxBodyBytes?: number;
  /** Claims waiting to be sent before new ones get 503; 100 by default. */
  maxQueue?: number;
  /** Below this ETH balance (wei) `/health` says "low-balance"; 0.01 ETH by default. */
  minBalance?: bigint;
}

/** The campaigns whose claims the relayer pays for: a list, or every campaign a factory created. */
export type RelayerCampaigns = readonly Address[] | { factory: Address };

export interface RelayerOptions {
  publicClient: Client<Transport, Chain | undefined>;
  /** The funded key that pays for claims: a local account (the relayer signs transactions itself). */
  walletClient: Client<Transport, Chain | undefined, Account>;
  campaigns: RelayerCampaigns;
  limits?: RelayerLimits;
  /** Sent claims, kept across restarts (`fileStore`); in memory by default. */
  store?: RelayerStore;
  /** Behind a reverse proxy: take the client's address from the last X-Forwarded-For entry. False by default. */
  trustProxy?: boolean;
  /** Origins allowed to call from a browser; any ("*") by default. */
  corsOrigins?: "*" | readonly string[];
  log?: (line: string) => void;
}

export interface RelayerHealth {
  /** "low-balance" when the balance is below `limits.minBalance`: claims may soon fail for gas. */
  status: "ok" | "low-balance";
  chainId: number;
  address: Address;
  /** ETH balance in wei, as a decimal string. */
  balance: string;
  /** The same in ETH. */
  balanceEth: string;
  queue: { length: number; max: number };
  counts: RelayerCounts;
  /** Claims remembered in the store. */
  stored: number;
  campaigns: Address[] | { factory: Address };
}

/** What the relayer did with requests since it started. */
export interface RelayerCounts {
  /** POST /claims requests. */
  received: number;
  sent: number;
  /** Claims it had sent before, answered with the earlier hash. */
  alreadySent: number;
  /** Claims that would fail on chain (422). */
  refused: number;
  /** Malformed, too large, wrong media type, wrong chain or campaign not served (400, 403, 413, 415). */
  rejected: number;
  rateLimited: number;
  /** Claims it could not send: node down, out of gas money, queue full (5xx). */
  failed: number;
}

export interface Relayer {
  /** The request handler, to mount in another server. */
  handler: (request: http.IncomingMessage, response: http.ServerResponse) => void;
  /** A server running `handler`; `listen` starts it. */
  server: http.Server;
  /** Starts `server` on `port` (0: any free port) and `host`; resolves to its base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting requests, lets queued claims finish, and closes the store. */
  close(): Promise<void>;
  health(): Promise<RelayerHealth>;
}

const DEFAULTS = {
  perClient: { max: 10, windowMs: 60_000 },
  perCampaign: { max: 120, windowMs: 60_000 },
  maxBodyBytes: 64 * 1024,
  maxQueue: 100,
  minBalance: parseEther("0.01"),
};
/** Past this much unread body, the connection of an oversized request is cut instead of drained. */
const MAX_DRAIN_BYTES = 1024 * 1024;
const BUSY_RETRY_SECONDS = 5;

/** A refusal with its HTTP status and JSON error. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code: string; message: string } & Record<string, unknown>,
    readonly counter: keyof RelayerCounts,
    readonly retryAfterSeconds?: number,
  ) {
    super(body.message);
  }
}

/** The revert data of a failed call, for the client to decode in its own words: viem's `raw`, or the `data` of
 * the node's error (where a node's answer did not fit viem's revert error). */
function revertData(error: unknown): Hex | undefined {
  for (let e = error as { raw?: unknown; data?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    const nested = typeof e.data === "object" && e.data !== null ? (e.data as { data?: unknown }).data : undefined;
    for (const data of [e.raw, e.data, nested]) {
      if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data as Hex;
    }
  }
  return undefined;
}

/** Turns a failed simulation or send into the answer the client gets. */
function failure(error: unknown, when: "simulating" | "sending"): HttpError {
  const human = humanizeError(error);
  if (human.code === "InsufficientFunds") {
    return new HttpError(
      503,
      {
        code: "RelayerOutOfFunds",
        message: "The relayer has run out of gas money. Claim from your own wallet, or try later.",
      },
      "failed",
      60,
    );
  }
  if (human.code === "Network") {
    return new HttpError(
      503,
      { code: "NodeUnavailable", message: "The relayer cannot reach the network. Try again soon." },
      "failed",
      10,
    );
  }
  if (when === "simulating" && human.code !== "Unknown") {
    return new HttpError(
      422,
      { code: "ClaimRefused", reason: human.code, title: human.title, message: human.message, raw: revertData(error) },
      "refused",
    );
  }
  return new HttpError(
    502,
    { code: "SendFailed", message: `The relayer could not send the claim: ${human.message}` },
    "failed",
    10,
  );
}

function clientAddress(request: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers["x-forwarded-for"];
  const proxied = trustProxy && typeof forwarded === "string" ? forwarded.split(",").at(-1)?.trim() : undefined;
  const address = proxied || request.socket.remoteAddress || "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** The body, up to `max` bytes; a larger one is drained (or cut) and refused with 413. */
function readBody(request: http.IncomingMessage, max: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, { code: "BodyTooLarge", message: `The body is larger than ${max} bytes.` }, "rejected");
  return new Promise((resolve, reject) => {
    if (Number(request.headers["content-length"]) > max) {
      drain(request);
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      request.off("data", onData);
      drain(request, size);
      reject(tooLarge());
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Reads and drops the rest of a refused body so the client can read the answer; cuts a huge one. */
function drain(request: http.IncomingMessage, already = 0) {
  let size = already;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_DRAIN_BYTES) request.socket.destroy();
  });
  request.resume();
}

/** `compute`, remembered once it succeeds (a failure is tried again on the next call). */
function once<value>(compute: () => Promise<value>): () => Promise<value> {
  let pending: Promise<value> | undefined;
  return () => {
    pending ??= compute().catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export function createRelayer(options: RelayerOptions): Relayer {
  const { publicClient, walletClient, campaigns, store = memoryStore(), trustProxy = false } = options;
  const limits = { ...DEFAULTS, ...options.limits };
  const corsOrigins = options.corsOrigins ?? "*";
  const log = options.log ?? (() => {});
  const account = walletClient.account;
  if (account.type !== "local") {
    throw new Error(
      "The relayer signs its own transactions: give it a wallet client with a local account (a private key).",
    );
  }
  const perClient = new RateLimiter(limits.perClient);
  const perCampaign = new RateLimiter(limits.perCampaign);
  const queue = new SerialQueue();
  const counts: RelayerCounts = {
    received: 0,
    sent: 0,
    alreadySent: 0,
    refused: 0,
    rejected: 0,
    rateLimited: 0,
    failed: 0,
  };
  const servedList = "factory" in campaigns ? undefined : new Set(campaigns.map((c) => c.toLowerCase()));
  const factoryCampaigns = new Set<string>();
  let nextNonce: number | undefined;

  const chainId = once(async () => publicClient.chain?.id ?? (await getChainId(publicClient)));
  const isKnown = async (hash: Hex) => {
    try {
      await getTransaction(publicClient, { hash });
      return true;
    } catch {
      return false;
    }
  };

  /** Broadcasts again what was signed but maybe never sent before a restart; forgets what the node never got. */
  const ready = once(async () => {
    await chainId();
    for (const record of store.records().filter(({ status }) => status === "signed")) {
      try {
        await sendRawTransaction(publicClient, { serializedTransaction: record.raw });
      } catch {
        if (!(await isKnown(record.hash))) {
          await store.delete(record.key);
          log(`forgot ${record.key}: its transaction ${record.hash} never reached the node`);
          continue;
        }
      }
      await store.put({ ...record, status: "sent" });
      log(`re-broadcast ${record.key} ${record.hash}`);
    }
  });

  /**
   * The store's record of `key` if its transaction is still known to the node. One it does not know was dropped
   * before it was mined, or belongs to a chain since reset (a local chain restarted under the same addresses): it
   * is forgotten, so the claim is sent again rather than answered with a hash that leads nowhere.
   */
  async function standing(key: string): Promise<RelayedClaimRecord | undefined> {
    const record = store.get(key);
    if (record === undefined || (await isKnown(record.hash))) return record;
    await store.delete(key);
    log(`forgot ${key}: the node does not know its transaction ${record.hash}`);
    return undefined;
  }

  async function serves(campaign: Address): Promise<boolean> {
    const key = campaign.toLowerCase();
    if (servedList !== undefined) return servedList.has(key);
    if (factoryCampaigns.has(key)) return true;
    const created = await readContract(publicClient, {
      address: (campaigns as { factory: Address }).factory,
      abi: campaignFactoryAbi,
      functionName: "isCampaign",
      args: [campaign],
    });
    if (created) factoryCampaigns.add(key);
    return created;
  }

  async function simulate({ campaign, call }: ClaimRequest) {
    try {
      await simulateContract(publicClient, {
        address: campaign,
        abi: campaignAbi,
        ...call,
        account,
      } as Parameters<typeof simulateContract>[1]);
    } catch (error) {
      throw failure(error, "simulating");
    }
  }

  /** Signs, records and broadcasts one claim. Runs in the queue, so nonces follow each other. */
  async function send(
    request: ClaimRequest,
    key: string,
  ): Promise<{ record: RelayedClaimRecord; alreadySent: boolean }> {
    const earlier = await standing(key);
    if (earlier !== undefined) return { record: earlier, alreadySent: true };
    await simulate(request); // again: the chain may have moved while the claim waited
    let raw: Hex;
    let nonce: number;
    try {
      nonce = nextNonce ?? (await getTransactionCount(publicClient, { address: account.address, blockTag: "pending" }));
      const prepared = await prepareTransactionRequest(walletClient, {
        account,
        chain: publicClient.chain ?? walletClient.chain,
        chainId: await chainId(),
        to: request.campaign,
        data: encodeFunctionData({ abi: campaignAbi, ...request.call } as Parameters<typeof encodeFunctionData>[0]),
        nonce,
      } as Parameters<typeof prepareTransactionRequest>[1]);
      raw = await signTransaction(walletClient, prepared as Parameters<typeof signTransaction>[1]);
    } catch (error) {
      throw failure(error, "sending");
    }
    const record: RelayedClaimRecord = {
      key,
      campaign: request.campaign,
      recipient: request.recipient,
      hash: keccak256(raw),
      nonce,
      raw,
      status: "signed",
      signedAt: Date.now(),
    };
    await store.put(record);
    try {
      await sendRawTransaction(publicClient, { serializedTransaction: raw });
    } catch (error) {
      if (!(await isKnown(record.hash))) {
        await store.delete(key);
        nextNonce = undefined; // ask the node again: this nonce may still be free, or taken elsewhere
        throw failure(error, "sending");
      }
    }
    nextNonce = nonce + 1;
    const sent: RelayedClaimRecord = { ...record, status: "sent" };
    await store.put(sent);
    return { record: sent, alreadySent: false };
  }

  async function claim(request: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
    counts.received++;
    const wait = perClient.take(clientAddress(request, trustProxy));
    if (wait > 0) {
      drain(request);
      throw new HttpError(
        429,
        {
          code: "TooManyRequests",
          message: `Too many claims from your connection. Try again in ${wait} seconds.`,
          retryAfterSeconds: wait,
        },
        "rateLimited",
        wait,
      );
    }
    const type = request.headers["content-type"] ?? "";
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      drain(request);
      throw new HttpError(
        415,
        { code: "UnsupportedMediaType", message: "Send the claim as application/json." },
        "rejected",
      );
    }
    const text = await readBody(request, limits.maxBodyBytes);
    let parsed: ClaimRequest;
    try {
      parsed = parseClaimBody(text);
    } catch (error) {
      if (!(error instanceof InvalidClaimBodyError)) throw error;
      throw new HttpError(400, { code: error.code, message: error.message, field: error.field }, "rejected");
    }
    try {
      await ready();
    } catch (error) {
      throw failure(error, "sending");
    }
    const chain = await chainId();
    if (parsed.chainId !== chain) {
      throw new HttpError(
        403,
        {
          code: "WrongChain",
          message: `This relayer serves chain ${chain}, and the claim is for chain ${parsed.chainId}.`,
        },
        "rejected",
      );
    }
    if (!(await serves(parsed.campaign))) {
      throw new HttpError(
        403,
        { code: "CampaignNotServed", message: `This relayer does not pay for claims of campaign ${parsed.campaign}.` },
        "rejected",
      );
    }
    const key = `${parsed.campaign.toLowerCase()}:${parsed.claimId}`;
    const answer = (record: RelayedClaimRecord, alreadySent: boolean) => {
      counts[alreadySent ? "alreadySent" : "sent"]++;
      const { hash, campaign, recipient } = record;
      return {
        status: alreadySent ? 200 : 202,
        body: { status: alreadySent ? "already-sent" : "sent", hash, campaign, recipient },
      };
    };
    const earlier = await standing(key);
    if (earlier !== undefined) return answer(earlier, true);
    const campaignWait = perCampaign.take(parsed.campaign.toLowerCase());
    if (campaignWait > 0) {
      throw new HttpError(
        429,
        {
          code: "CampaignBusy",
          message: `Too many claims for this campaign just now. Try again in ${campaignWait} seconds.`,
          retryAfterSeconds: campaignWait,
        },
        "rateLimited",
        campaignWait,
      );
    }
    if (queue.length >= limits.maxQueue) {
      throw new HttpError(
        503,
        { code: "Busy", message: "The relayer is busy. Try again in a few seconds." },
        "failed",
        BUSY_RETRY_SECONDS,
      );
    }
    try {
      await simulate(parsed); // refuse a doomed claim at once, without waiting in the queue
    } catch (error) {
      // The same claim, sent meanwhile by a request that came a moment earlier, is no refusal.
      const sentMeanwhile = store.get(key);
      if (sentMeanwhile !== undefined) return answer(sentMeanwhile, true);
      throw error;
    }
    const { record, alreadySent } = await queue.run(() => send(parsed, key));
    log(`${alreadySent ? "already sent" : "sent"} ${key} ${record.hash}`);
    return answer(record, alreadySent);
  }

  let balanceRead: { at: number; value: Promise<bigint> } | undefined;
  async function health(): Promise<RelayerHealth> {
    // One balance read a second at most, however often /health is asked; a send makes the next one fresh.
    if (balanceRead === undefined || Date.now() - balanceRead.at > 1000) {
      balanceRead = { at: Date.now(), value: getBalance(publicClient, { address: account.address }) };
    }
    const [chain, balance] = await Promise.all([chainId(), balanceRead.value]);
    return {
      status: balance < limits.minBalance ? "low-balance" : "ok",
      chainId: chain,
      address: account.address,
      balance: balance.toString(),
      balanceEth: formatEther(balance),
      queue: { length: queue.length, max: limits.maxQueue },
      counts: { ...counts },
      stored: store.records().length,
      campaigns:
        servedList === undefined
          ? { factory: (campaigns as { factory: Address }).factory }
          : [...(campaigns as readonly Address[])],
    };
  }

  function setCors(request: http.IncomingMessage, response: http.ServerResponse) {
    const origin = request.headers.origin;
    if (corsOrigins === "*") response.setHeader("Access-Control-Allow-Origin", "*");
    else if (origin !== undefined && corsOrigins.includes(origin))
      response.setHeader("Access-Control-Allow-Origin", origin);
    if (corsOrigins !== "*") response.setHeader("Vary", "Origin");
    response.setHeader("Access-Control-Expose-Headers", "Retry-After");
  }

  function reply(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const json = JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(json),
      "Cache-Control": "no-store",
    });
    response.end(json);
  }

  async function route(request: http.IncomingMessage, response: http.ServerResponse) {
    setCors(request, response);
    const path = new URL(request.url ?? "/", "http://relayer").pathname;
    const methods = path === "/claims" ? "POST" : path === "/health" ? "GET" : undefined;
    if (methods === undefined) {
      drain(request);
      return reply(response, 404, { error: { code: "NotFound", message: "Try POST /claims or GET /health." } });
    }
    if (request.method === "OPTIONS") {
      response.writeHead(204, {
        "Access-Control-Allow-Methods": `${methods}, OPTIONS`,
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
      });
      return response.end();
    }
    if (request.method !== methods) {
      drain(request);
      return reply(
        response,
        405,
        { error: { code: "MethodNotAllowed", message: `Use ${methods} ${path}.` } },
        { Allow: `${methods}, OPTIONS` },
      );
    }
    if (path === "/health") return reply(response, 200, await health());
    try {
      const { status, body } = await claim(request);
      balanceRead = undefined;
      reply(response, status, body);
    } catch (error) {
      balanceRead = undefined;
      const refusal =
        error instanceof HttpError
          ? error
          : new HttpError(
              500,
              { code: "Internal", message: "The relayer failed unexpectedly. Try again later." },
              "failed",
            );
      if (!(error instanceof HttpError)) log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      counts[refusal.counter]++;
      const headers: Record<string, string> =
        refusal.retryAfterSeconds === undefined ? {} : { "Retry-After": String(refusal.retryAfterSeconds) };
      reply(response, refusal.status, { error: refusal.body }, headers);
    }
  }

  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    route(request, response).catch((error) => {
      log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!response.headersSent)
        reply(response, 500, { error: { code: "Internal", message: "The relayer failed unexpectedly." } });
      else response.destroy();
    });
  };
  const server = http.createServer(handler);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  return {
    handler,
    server,
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          // Re-broadcast what a previous run signed but may not have sent, before the first claim asks.
          ready().catch((error) => log(`startup check failed, retrying with the first claim: ${String(error)}`));
          const { address, port: bound } = server.address() as AddressInfo;
          resolve(`http://${address.includes(":") ? `[${address}]` : address}:${bound}`);
        });
      });
    },
    close: once(async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await queue.idle();
      await store.close();
    }),
    health,
  };
}
