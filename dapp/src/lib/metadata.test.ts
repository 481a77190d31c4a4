import { describe, expect, it, vi } from "vitest";
import { browsableUrl, dataUriText, readMetadata } from "./metadata";

describe("metadata documents", () => {
  it("reads the demo's percent-encoded data: URIs and base64 ones", async () => {
    const document = { name: "Free coffee", description: "Any size", image: "https://example.com/a.png" };
    const plain = `data:application/json,${encodeURIComponent(JSON.stringify(document))}`;
    const utf8 = new TextEncoder().encode(JSON.stringify({ name: "Café" }));
    const base64 = `data:application/json;base64,${btoa(String.fromCharCode(...utf8))}`;
    expect(await readMetadata(plain)).toEqual({ ...document, tierNames: undefined });
    expect(dataUriText(base64)).toBe('{"name":"Café"}');
    expect(dataUriText("https://example.com")).toBeUndefined();
  });

  it("fetches https and ipfs documents, filling ERC-1155's {id}", async () => {
    const fetcher = vi.fn(async () => new Response(JSON.stringify({ name: "Ticket", image: "ipfs://Qm123/t.png" })));
    const result = await readMetadata("ipfs://QmDoc/{id}.json", 10n, fetcher as unknown as typeof fetch);
    expect(fetcher).toHaveBeenCalledWith(`https://ipfs.io/ipfs/QmDoc/${"0".repeat(62)}0a.json`, expect.anything());
    expect(result).toMatchObject({ name: "Ticket", image: "https://ipfs.io/ipfs/Qm123/t.png" });
  });

  it("never lets a script or a broken document through", async () => {
    expect(browsableUrl("javascript:alert(1)")).toBeUndefined();
    expect(await readMetadata("data:application/json,{not json")).toEqual({});
    expect(await readMetadata(`data:application/json,${encodeURIComponent('{"image":"javascript:alert(1)"}')}`)).toMatchObject({ image: undefined });
    const failing = vi.fn(async () => new Response("nope", { status: 404 }));
    expect(await readMetadata("https://example.com/x.json", undefined, failing as unknown as typeof fetch)).toEqual({});
  });
});
