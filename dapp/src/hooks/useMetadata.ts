import { useQuery } from "@tanstack/react-query";
import { type MetadataDocument, readMetadata } from "../lib/metadata";

/** The query of the metadata document at `uri`, shared by every component that shows it (read once: documents
 * are content, not state). */
export function metadataQuery(uri: string | undefined, id?: bigint) {
  return {
    queryKey: ["perks", "metadata", uri, id?.toString()] as const,
    enabled: Boolean(uri),
    staleTime: Infinity,
    gcTime: 60 * 60_000,
    queryFn: () => readMetadata(uri!, id),
  };
}

/** The metadata document at `uri`; `{}` while loading or broken. */
export function useMetadata(uri: string | undefined, id?: bigint): MetadataDocument {
  const { data } = useQuery(metadataQuery(uri, id));
  return data ?? {};
}
