import { useAccount, useSwitchChain } from "wagmi";
import { targetChain } from "../chain";

/** Blocks nothing by itself: it tells the user the wallet is on the wrong chain and offers the switch. */
export function ChainGuard() {
  const { chainId, isConnected } = useAccount();
  const { switchChain, isPending, error } = useSwitchChain();
  if (!isConnected || chainId === targetChain.id) return null;
  return (
    <div className="banner warning" role="alert">
      <span>
        Your wallet is on another network. Perks runs on <strong>{targetChain.name}</strong>; switch to continue.
      </span>
      <button type="button" className="button" onClick={() => switchChain({ chainId: targetChain.id })} disabled={isPending}>
        {isPending ? "Switching…" : `Switch to ${targetChain.name}`}
      </button>
      {error && <span className="error">{error.name === "UserRejectedRequestError" ? "Switch rejected in your wallet." : error.message.split("\n")[0]}</span>}
    </div>
  );
}
