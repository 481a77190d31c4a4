import { HttpRequestError, LimitExceededRpcError, RpcRequestError, TimeoutError } from "viem";
import { describe, expect, it } from "vitest";
import { adaptiveRange, classifyRpcError, mapLimit, suggestedRange, withRetry } from "./rpc";

const rpcError = (code: number, message: string) =>
  new RpcRequestError({ body: {}, url: "https://rpc.example", error: { code, message } });

describe("classifyRpcError", () => {
  it.each([
    [
      "Infura's result limit",
      rpcError(-32005, "query returned more than 10000 results. Try with this block range [0x10, 0x20]."),
    ],
    [
      "Alchemy's range limit",
      rpcError(
        -32600,
        "You can make eth_getLogs requests with up to a 2K block range and no limit on the response size",
      ),
    ],
    ["a geth-style range limit", rpcError(-32000, "exceed maximum block range: 5000")],
    ["Ankr's range limit", rpcError(-32600, "block range is too wide")],
    [
      "a response too large",
      new HttpRequestError({ url: "https://rpc.example", status: 413, details: "Payload Too Large" }),
    ],
    ["a query timeout on a big range", rpcError(-32000, "query timeout exceeded")],
  ])("asks for a smaller range on %s", (_name, error) => {
    expect(classifyRpcError(error)).toBe("range");
  });

  it.each([
    ["HTTP 429", new HttpRequestError({ url: "https://rpc.example", status: 429, details: "Too Many Requests" })],
    [
      "Infura's rate limit (also -32005)",
      new LimitExceededRpcError(rpcError(-32005, "project ID request rate exceeded")),
    ],
    ["HTTP 503", new HttpRequestError({ url: "https://rpc.example", status: 503 })],
    ["no answer at all", new HttpRequestError({ url: "https://rpc.example", details: "fetch failed" })],
    ["a timeout", new TimeoutError({ body: {}, url: "https://rpc.example" })],
    ["an internal error", rpcError(-32603, "Internal error")],
    ["a lagging node", rpcError(-32000, "header not found")],
  ])("tries again after %s", (_name, error) => {
    expect(classifyRpcError(error)).toBe("transient");
  });

  it.each([
    ["invalid params", rpcError(-32602, "invalid argument 0: hex string without 0x prefix")],
    ["an unknown method", rpcError(-32601, "the method eth_getLogs does not exist/is not available")],
    ["a plain bug", new TypeError("cannot read properties of undefined")],
  ])("gives up on %s", (_name, error) => {
    expect(classifyRpcError(error)).toBe("fatal");
  });
});

describe("suggestedRange", () => {
  it("reads the range Infura suggests, as a fit for this stretch only", () => {
    expect(
      suggestedRange(
        rpcError(-32005, "query returned more than 10000 results. Try with this block range [0x10, 0x1f]."),
      ),
    ).toEqual({
      blocks: 16,
      cap: false,
    });
  });

  it.each([
    ["You can make eth_getLogs requests with up to a 2K block range", 2_000],
    ["eth_getLogs is limited to a 10,000 range", 10_000],
    ["exceed maximum block range: 5000", 5_000],
    ["Max range: 800", 800],
    ["Block range limit exceeded. Maximum of 100 blocks", 100],
  ])("reads a stated limit from %j", (message, blocks) => {
    expect(suggestedRange(rpcError(-32600, message))).toEqual({ blocks, cap: true });
  });

  it("finds nothing in a message without numbers", () => {
    expect(suggestedRange(rpcError(-32600, "block range is too wide"))).toBeUndefined();
  });
});

describe("adaptiveRange", () => {
  it("halves on each refusal down to one block, then reports it cannot go lower", () => {
    const range = adaptiveRange({ initial: 5 });
    expect([range.shrink(), range.size, range.shrink(), range.size, range.shrink()]).toEqual([true, 2, true, 1, false]);
  });

  it("doubles after a run of successes, up to the maximum", () => {
    const range = adaptiveRange({ initial: 100, max: 300, growAfter: 2 });
    const sizes = Array.from({ length: 6 }, () => (range.succeeded(), range.size));
    expect(sizes).toEqual([100, 200, 200, 300, 300, 300]);
  });

  it("takes a stated limit as a ceiling for good, and a suggested range only for now", () => {
    const capped = adaptiveRange({ initial: 8_000, growAfter: 1 });
    capped.shrink(rpcError(-32600, "up to a 2K block range"));
    expect(capped.size).toBe(2_000);
    capped.succeeded();
    expect(capped.size).toBe(2_000);

    const suggested = adaptiveRange({ initial: 8_000, growAfter: 1 });
    suggested.shrink(rpcError(-32005, "Try with this block range [0x0, 0x63]."));
    expect(suggested.size).toBe(100);
    suggested.succeeded();
    expect(suggested.size).toBe(200);
  });
});

describe("withRetry", () => {
  it("retries transient failures and returns the first success", async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw rpcError(-32603, "Internal error");
        return "ok";
      },
      { baseDelayMs: 1 },
    );
    expect([result, calls]).toEqual(["ok", 3]);
  });

  it("stops after the last attempt, and at once on anything else", async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw rpcError(-32603, "Internal error");
    };
    await expect(withRetry(failing, { attempts: 4, baseDelayMs: 1 })).rejects.toThrow("Internal error");
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw rpcError(-32005, "query returned more than 10000 results");
      }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it("stops waiting when aborted", async () => {
    const controller = new AbortController();
    const pending = withRetry(
      async () => {
        throw rpcError(-32603, "Internal error");
      },
      { baseDelayMs: 60_000 },
      controller.signal,
    );
    controller.abort(new Error("stopped"));
    await expect(pending).rejects.toThrow("stopped");
  });
});

describe("mapLimit", () => {
  it("keeps the order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
