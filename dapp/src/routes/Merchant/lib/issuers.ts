import type { Address } from "viem";

/**
 * The issuer keys allowed now: the first keys named at creation live in the campaign's rules (no event), later
 * changes are `IssuerSet` events, replayed in chain order on top.
 */
export function currentIssuers(
  initial: readonly Address[],
  events: readonly { issuer: Address; allowed: boolean }[],
): Address[] {
  const allowed = new Map<string, Address>(initial.map((issuer) => [issuer.toLowerCase(), issuer]));
  for (const { issuer, allowed: isAllowed } of events) {
    if (isAllowed) allowed.set(issuer.toLowerCase(), issuer);
    else allowed.delete(issuer.toLowerCase());
  }
  return [...allowed.values()];
}
