import { useQuery } from "@tanstack/react-query";
import { type MetadataDocument, readMetadata } from "../lib/metadata";

/** The metadata document at `uri` (read once: documents are content, not state); `{}` while loading or broken. */
export function useMetadata(uri: string | undefined, id?: bigint): MetadataDocument {
  const { data } = useQuery({
    queryKey: ["perks", "metadata", uri, id?.toString()],
    enabled: Boolean(uri),
    staleTime: Infinity,
    gcTime: 60 * 60_000,
    queryFn: () => readMetadata(uri!, id),
  });
  return data ?? {};
}
