import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { WagmiProvider } from "wagmi";
import { hashFn } from "wagmi/query";
import { config } from "../wagmi";
import { useRefreshOnBlock } from "./useRefreshOnBlock";

afterEach(cleanup);

const BIG_KEY = ["readContracts", { args: [7n] }] as const;
const PLAIN_KEY = ["perks", "plain"] as const;

function Probe({ queryKeys }: { queryKeys: readonly (readonly unknown[])[] }) {
  // Another query in the cache, with the default hash, as other pages have.
  useQuery({ queryKey: PLAIN_KEY, queryFn: () => new Promise<string>(() => undefined) });
  useRefreshOnBlock(queryKeys);
  return null;
}

function blockQueries(client: QueryClient) {
  return client.getQueryCache().findAll({ predicate: (query) => query.queryHash.includes("blockNumber") });
}

describe("useRefreshOnBlock", () => {
  it("watches no block before its queries have loaded, and reads keys that hold bigints", () => {
    const fetch = vi.spyOn(globalThis, "fetch");
    const client = new QueryClient();
    client.getQueryCache().build(client, { queryKey: BIG_KEY, queryKeyHashFn: hashFn });
    render(
      <WagmiProvider config={config}>
        <QueryClientProvider client={client}>
          <Probe queryKeys={[BIG_KEY]} />
        </QueryClientProvider>
      </WagmiProvider>,
    );
    expect(blockQueries(client).every((query) => query.state.fetchStatus === "idle")).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });

  it("starts watching once they have", () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(JSON.stringify({ jsonrpc: "2.0", id: 0, result: "0x1" })));
    const client = new QueryClient();
    client.getQueryCache().build(client, { queryKey: BIG_KEY, queryKeyHashFn: hashFn }).setData(1n);
    render(
      <WagmiProvider config={config}>
        <QueryClientProvider client={client}>
          <Probe queryKeys={[BIG_KEY]} />
        </QueryClientProvider>
      </WagmiProvider>,
    );
    expect(blockQueries(client).some((query) => query.state.fetchStatus === "fetching")).toBe(true);
    fetch.mockRestore();
  });
});
