/** At most `max` requests per `windowMs`, refilled continuously (a token bucket), so a client that waits
 * `windowMs / max` may send one more. */
export interface Rate {
  max: number;
  windowMs: number;
}

/** Rates by key (a client's IP address, a campaign). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = Date.now,
  ) {
    if (!(rate.max >= 1) || !(rate.windowMs > 0)) throw new RangeError("A rate needs max >= 1 and windowMs > 0.");
  }

  /** Takes one request from `key`'s allowance: 0 if it may go ahead, else the seconds to wait before the next. */
  take(key: string): number {
    const now = this.now();
    const perMs = this.rate.max / this.rate.windowMs;
    const bucket = this.buckets.get(key);
    const tokens =
      bucket === undefined ? this.rate.max : Math.min(this.rate.max, bucket.tokens + (now - bucket.at) * perMs);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > 10_000) this.forgetFull(now, perMs);
    return 0;
  }

  /** Buckets that have filled up again say nothing a fresh one would not: dropping them bounds the memory a flood
   * of addresses can take. */
  private forgetFull(now: number, perMs: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.rate.max) this.buckets.delete(key);
    }
  }
}

/** Runs jobs one at a time, in the order they came: the relayer's transactions take consecutive nonces. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Jobs waiting or running. */
  length = 0;

  run<result>(job: () => Promise<result>): Promise<result> {
    this.length++;
    const run = this.tail.then(job).finally(() => this.length--);
    this.tail = run.catch(() => {});
    return run;
  }

  /** Resolves once every job queued so far has finished. */
  async idle(): Promise<void> {
    while (this.length > 0) await this.tail;
  }
}
