import type { Address } from "viem";

/** A round badge with the token's initials, its colour derived from the address so each brand keeps its own. */
export function TokenAvatar({ address, symbol }: { address: Address; symbol: string }) {
  const hue = Number.parseInt(address.slice(2, 6), 16) % 360;
  return (
    <span className="token-avatar" aria-hidden="true" style={{ background: `hsl(${hue} 55% 28%)` }}>
      {symbol.slice(0, 2).toUpperCase()}
    </span>
  );
}
