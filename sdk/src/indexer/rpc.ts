// How the indexer copes with JSON-RPC providers: which failures mean "ask for fewer blocks", which are worth
// another try after a pause, and how big a getLogs range to ask for next.

/** What a failed request means: ask for a smaller block range, try again later, or give up. */
export type RpcFailure = "range" | "transient" | "fatal";

/** Every code, HTTP status, name and message along an error's `cause` chain (viem wraps the provider's error). */
function facts(error: unknown) {
  const codes = new Set<number>();
  const statuses = new Set<number>();
  const names = new Set<string>();
  const texts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (typeof e !== "object") {
      texts.push(String(e));
      break;
    }
    const { code, status, name, message, details, shortMessage, cause } = e as Record<string, unknown>;
    if (typeof code === "number") codes.add(code);
    if (typeof status === "number") statuses.add(status);
    if (typeof name === "string") names.add(name);
    // viem's `message` adds the URL, request body and its version to the provider's words (`details`).
    const own = typeof shortMessage === "string" ? [shortMessage, details] : [message, details];
    for (const text of own) if (typeof text === "string") texts.push(text);
    e = cause;
  }
  return { codes, statuses, names, text: texts.join("\n").toLowerCase() };
}

const RATE_LIMITED =
  /rate limit|rate-limit|rate exceeded|too many requests|requests per second|throttl|capacity exceeded/;
const RANGE_TOO_LARGE =
  /block range|range (is )?too (large|wide|big)|too many (results|logs|blocks)|more than [\d,]+ (results|logs)|returned more than|response size|(result|response) (set )?(is )?too (large|big)|max(imum)? (block )?range|range limit|exceeds? (the )?(max|limit)|limit exceeded|logs? limit|query timeout/;
const TRANSIENT =
  /timeout|timed out|temporar|try again|unavailable|busy|header not found|unknown block|block not found|not synced|syncing|econnreset|econnrefused|socket|network|fetch failed|bad gateway|internal error/;

/** Sorts a failed getLogs (or any JSON-RPC) request into what the indexer should do about it. */
export function classifyRpcError(error: unknown): RpcFailure {
  const { codes, statuses, names, text } = facts(error);
  if (names.has("AbortError")) return "fatal";
  if (statuses.has(429) || RATE_LIMITED.test(text)) return "transient";
  if (codes.has(-32005) || statuses.has(413) || RANGE_TOO_LARGE.test(text)) return "range";
  if ([...statuses].some((status) => status === 408 || status >= 500)) return "transient";
  if (codes.has(-32603) || codes.has(-32002) || codes.has(-32001)) return "transient";
  if (names.has("TimeoutError") || names.has("IndexerBlockUnavailableError") || TRANSIENT.test(text))
    return "transient";
  // viem's HttpRequestError without a status: the request never got an answer.
  if (names.has("HttpRequestError") && statuses.size === 0) return "transient";
  return "fatal";
}

/**
 * The block range a provider's "range too large" answer suggests, if it names one. `cap` says the provider limits
 * ranges as such (Alchemy's "up to a 2K block range", "maximum block range: 5000"), so the indexer never asks for
 * more; without it the number only fits this stretch of the chain (Infura's "try with this block range [a, b]"
 * after too many results).
 */
export function suggestedRange(error: unknown): { blocks: number; cap: boolean } | undefined {
  const { text } = facts(error);
  const pair = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/.exec(text);
  if (pair) {
    const blocks = Number(BigInt(pair[2]) - BigInt(pair[1])) + 1;
    if (blocks > 0) return { blocks, cap: false };
  }
  const number = (digits: string, thousands?: string) => Number(digits.replace(/,/g, "")) * (thousands ? 1000 : 1);
  const sized = /(?<![\d.])(\d[\d,]*) ?(k)? ?-?(?:block)? ?range/.exec(text);
  if (sized) return { blocks: number(sized[1], sized[2]), cap: true };
  const max = /max(?:imum)?\s*(?:block\s*)?range\D{0,12}(\d[\d,]*)\s*(k)?|maximum (?:of )?(\d[\d,]*) blocks/.exec(text);
  if (max) return { blocks: max[1] ? number(max[1], max[2]) : number(max[3]), cap: true };
  return undefined;
}

export interface RetryOptions {
  /** Tries in all, the first included; 6 by default. */
  attempts?: number;
  /** The pause before the second try; each further pause doubles, with jitter. 250 ms by default. */
  baseDelayMs?: number;
  /** The longest pause; 30 s by default. */
  maxDelayMs?: number;
}

/** Runs `request`, trying again after a growing pause while it fails with a transient error. */
export async function withRetry<result>(
  request: () => Promise<result>,
  { attempts = 6, baseDelayMs = 250, maxDelayMs = 30_000 }: RetryOptions = {},
  signal?: AbortSignal,
): Promise<result> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await request();
    } catch (error) {
      if (attempt >= attempts || classifyRpcError(error) !== "transient") throw error;
      await sleep(backoff(attempt, baseDelayMs, maxDelayMs), signal);
    }
  }
}

/** The pause after failed try number `attempt`: exponential, capped, with half of it random so that many clients
 * failing together do not all come back together. */
export function backoff(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return delay / 2 + (Math.random() * delay) / 2;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}

export interface RangeOptions {
  /** Blocks per getLogs request at first; 2,000 by default. */
  initial?: number;
  /** The most blocks per request; 50,000 by default. */
  max?: number;
  /** Successful requests in a row after which the range doubles; 3 by default. */
  growAfter?: number;
}

/** The getLogs block range: halves (or takes the provider's suggestion) on "too large", doubles back after
 * successes, and never again reaches a limit the provider stated. */
export function adaptiveRange({ initial = 2_000, max = 50_000, growAfter = 3 }: RangeOptions = {}) {
  let size = Math.max(1, Math.min(initial, max));
  let cap = max;
  let streak = 0;
  return {
    get size() {
      return size;
    },
    /** The provider refused the current size with `error`. Returns false when one block is already too many. */
    shrink(error?: unknown): boolean {
      streak = 0;
      if (size === 1) return false;
      const suggestion = error === undefined ? undefined : suggestedRange(error);
      if (suggestion?.cap) cap = Math.max(1, Math.min(cap, suggestion.blocks));
      const halved = Math.floor(size / 2);
      size = Math.max(1, Math.min(cap, suggestion && suggestion.blocks < size ? suggestion.blocks : halved));
      return true;
    },
    succeeded() {
      if (++streak < growAfter || size >= cap) return;
      size = Math.min(cap, size * 2);
      streak = 0;
    },
  };
}

/** Runs `work` on every item with at most `limit` running at once; results in the items' order. */
export async function mapLimit<item, result>(
  items: readonly item[],
  limit: number,
  work: (item: item) => Promise<result>,
): Promise<result[]> {
  const results = new Array<result>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
