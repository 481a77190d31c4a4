/** What a metadata document (ERC-1155 voucher, token or campaign metadata) tells people. */
export interface MetadataDocument {
  name?: string;
  description?: string;
  /** An image URL a browser can load (https, or a data: URI), already resolved from ipfs://. */
  image?: string;
  /** Optional names of a campaign's tiers, lowest first. */
  tierNames?: string[];
}

/** A public gateway for ipfs:// links; VITE_IPFS_GATEWAY overrides it. */
const IPFS_GATEWAY = (import.meta.env?.VITE_IPFS_GATEWAY as string | undefined) ?? "https://ipfs.io/ipfs/";

/** A URL a browser can fetch or show: ipfs:// through the gateway; http(s) and data: as they are; undefined for
 * anything else (javascript:, file:, a bare string), which must never reach an <img> or a fetch. */
export function browsableUrl(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const text = uri.trim();
  if (text.startsWith("ipfs://")) return IPFS_GATEWAY + text.slice("ipfs://".length).replace(/^ipfs\//, "");
  if (/^https?:\/\//i.test(text) || /^data:/i.test(text)) return text;
  return undefined;
}

/** The JSON text of a data: URI (`data:application/json,...` percent-encoded, or `;base64`), or undefined when the
 * URI is not a data: URI. */
export function dataUriText(uri: string): string | undefined {
  const match = /^data:([^,]*),(.*)$/is.exec(uri.trim());
  if (!match) return undefined;
  const [, header, body] = match;
  if (/;base64$/i.test(header)) {
    const binary = atob(body);
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  }
  return decodeURIComponent(body);
}

/** Keeps the fields people see, as strings, from any parsed JSON; ignores the rest. */
export function toMetadata(json: unknown): MetadataDocument {
  if (typeof json !== "object" || json === null) return {};
  const record = json as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
  const tiers = Array.isArray(record.tierNames) ? record.tierNames.filter((name): name is string => typeof name === "string") : undefined;
  return {
    name: text(record.name),
    description: text(record.description),
    image: browsableUrl(text(record.image) ?? text(record.image_url)),
    tierNames: tiers && tiers.length > 0 ? tiers : undefined,
  };
}

/**
 * Reads the metadata document at `uri`: a data: URI is decoded in place (the demo's), ipfs:// and https:// are
 * fetched. ERC-1155's `{id}` placeholder is replaced by the 64-hex-digit id when `id` is given. Never throws: a
 * missing or broken document reads as no metadata, and the page falls back to what the chain says.
 */
export async function readMetadata(uri: string, id?: bigint, fetcher: typeof fetch = fetch): Promise<MetadataDocument> {
  const resolved = id === undefined ? uri : uri.replaceAll("{id}", id.toString(16).padStart(64, "0"));
  try {
    const inline = dataUriText(resolved);
    if (inline !== undefined) return toMetadata(JSON.parse(inline));
    const url = browsableUrl(resolved);
    if (!url) return {};
    const response = await fetcher(url, { headers: { accept: "application/json" } });
    if (!response.ok) return {};
    return toMetadata(await response.json());
  } catch {
    return {};
  }
}
