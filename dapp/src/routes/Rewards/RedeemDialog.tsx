import { useId, useState } from "react";
import { Link } from "react-router";
import { type Address, erc20Abi } from "viem";
import { useAccount, useReadContract } from "wagmi";
import { type RewardInfo, deliversCode, redeemReward } from "@perks/sdk";
import { Amount } from "../../components/Amount";
import { ConnectButton } from "../../components/ConnectButton";
import { Dialog } from "../../components/Dialog";
import { TransactionStatus } from "../../components/TransactionStatus";
import type { CatalogView, Catalogs, WalletRewardState } from "../../hooks/useCatalogs";
import { useMetadata } from "../../hooks/useMetadata";
import { useTransaction } from "../../hooks/useTransaction";
import { targetChain } from "../../chain";
import { createDeliveryKey } from "../../lib/deliveryKeys";
import { kindLabel, redeemability, valueText, walletContextFor } from "../../lib/rewardEligibility";

export function RedeemDialog({
  catalog,
  reward,
  data,
  wallet,
  onClose,
}: {
  catalog: CatalogView;
  reward: RewardInfo | undefined;
  data: Catalogs;
  wallet: WalletRewardState | undefined;
  onClose: () => void;
}) {
  return (
    <Dialog open={reward !== undefined} onClose={onClose} title="Redeem a reward">
      {reward && <RedeemForm key={reward.id.toString()} catalog={catalog} reward={reward} data={data} wallet={wallet} onClose={onClose} />}
    </Dialog>
  );
}

/**
 * Chooses a way to pay and a quantity, shows the most it can cost, then redeems: with a permit signed in the same
 * transaction when the catalog is not yet allowed to take the points (one transaction instead of two), or with
 * the allowance already there.
 */
function RedeemForm({
  catalog,
  reward,
  data,
  wallet,
  onClose,
}: {
  catalog: CatalogView;
  reward: RewardInfo;
  data: Catalogs;
  wallet: WalletRewardState | undefined;
  onClose: () => void;
}) {
  const { address } = useAccount();
  const quantityId = useId();
  const { state, run, reset, blockedReason } = useTransaction();
  const metadata = useMetadata(reward.params.metadataURI, reward.id);
  const { blocked, maxQuantity, choices } = redeemability(reward, walletContextFor(wallet, catalog.address, reward), data.now);
  const firstAffordable = choices.find((choice) => choice.balance >= choice.price) ?? choices[0];
  const [payToken, setPayToken] = useState<Address | undefined>(firstAffordable?.token);
  const [quantity, setQuantity] = useState(1);
  const [usePermit, setUsePermit] = useState(true);
  const choice = choices.find((candidate) => candidate.token === payToken) ?? firstAffordable;
  const token = choice && data.tokens.get(choice.token);
  const maxCost = choice ? choice.price * BigInt(quantity) : 0n;
  const allowance = useReadContract({
    chainId: targetChain.id,
    address: choice?.token,
    abi: erc20Abi,
    functionName: "allowance",
    args: address ? [address, catalog.address] : undefined,
    query: { enabled: address !== undefined && choice !== undefined },
  });
  const alreadyAllowed = allowance.data !== undefined && allowance.data >= maxCost;
  const codeReward = deliversCode(reward.params.kind);
  const busy = state.status === "preparing" || state.status === "pending";
  const shortBy = choice && choice.balance < maxCost ? maxCost - choice.balance : 0n;
  const name = metadata.name ?? valueText(reward.params.kind, reward.params.value) ?? kindLabel(reward.params.kind);

  if (state.status === "confirmed") {
    return (
      <div className="stack">
        <p className="ok" role="status">
          {quantity === 1 ? "Your voucher is" : `Your ${quantity} vouchers are`} in your wallet.
          {codeReward && " The merchant will deliver the code privately; it appears under My vouchers as soon as it arrives."}
        </p>
        <TransactionStatus state={state} confirmedText="Redeemed." />
        <Link className="button" to="/rewards?view=vouchers" onClick={onClose}>
          See my vouchers
        </Link>
      </div>
    );
  }

  if (!address) {
    return (
      <div className="stack">
        <p>Connect the wallet that holds your points to redeem {name}.</p>
        <ConnectButton />
      </div>
    );
  }

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (!choice || blocked || blockedReason || busy || shortBy > 0n) return;
        const approval = alreadyAllowed ? "none" : usePermit ? "permit" : "approve";
        void run(async (clients) => {
          const encryptionKey = codeReward
            ? await createDeliveryKey({ chainId: targetChain.id, catalog: catalog.address, rewardId: reward.id })
            : undefined;
          return redeemReward(clients, {
            catalog: catalog.address,
            rewardId: reward.id,
            quantity: BigInt(quantity),
            payToken: choice.token,
            maxCost,
            encryptionKey,
            approval,
          });
        });
      }}
    >
      <p>
        <strong>{name}</strong> <span className="badge">{kindLabel(reward.params.kind)}</span>
      </p>
      <fieldset className="choices">
        <legend>Pay with</legend>
        {choices.map((option) => {
          const optionToken = data.tokens.get(option.token);
          return (
            <label key={option.token} className="choice">
              <input
                type="radio"
                name="payToken"
                value={option.token}
                checked={choice?.token === option.token}
                onChange={() => {
                  setPayToken(option.token);
                  reset();
                }}
              />
              <span>
                <Amount value={option.price} decimals={optionToken?.decimals} symbol={optionToken?.symbol} fractionDigits={4} /> each
                {option.own ? " (burned)" : " (partner points, to the merchant)"}
                <span className="hint">
                  {" "}
                  · you have <Amount value={option.balance} decimals={optionToken?.decimals} fractionDigits={4} />
                </span>
              </span>
            </label>
          );
        })}
      </fieldset>
      {maxQuantity > 1 && (
        <div className="field">
          <label htmlFor={quantityId}>How many</label>
          <input
            id={quantityId}
            type="number"
            inputMode="numeric"
            min={1}
            max={maxQuantity}
            value={quantity}
            onChange={(event) => {
              const next = Math.trunc(Number(event.target.value));
              setQuantity(Number.isFinite(next) ? Math.min(Math.max(next, 1), maxQuantity) : 1);
              reset();
            }}
          />
          <p className="hint field-hint">At most {maxQuantity} now.</p>
        </div>
      )}
      {!alreadyAllowed && (
        <label className="check">
          <input type="checkbox" checked={usePermit} onChange={(event) => setUsePermit(event.target.checked)} />
          Sign a permit instead of a separate approval (one transaction, no extra gas)
        </label>
      )}
      <div className="summary-box" aria-live="polite">
        <p>
          You pay at most{" "}
          <strong>
            <Amount value={maxCost} decimals={token?.decimals} symbol={token?.symbol} fractionDigits={6} />
          </strong>
          . If the merchant raises the price before your transaction lands, it fails instead of costing more.
        </p>
        {codeReward && (
          <p className="hint">
            A private key for your code is made now and kept on this device only: read the code here, in this browser.
          </p>
        )}
      </div>
      {blocked && (
        <p className="error" role="alert">
          {blocked}
        </p>
      )}
      {!blocked && shortBy > 0n && (
        <p className="error" role="alert">
          You need <Amount value={shortBy} decimals={token?.decimals} symbol={token?.symbol} fractionDigits={4} /> more.
        </p>
      )}
      <button type="submit" className="button" disabled={busy || Boolean(blocked) || Boolean(blockedReason) || shortBy > 0n}>
        {busy ? "Redeeming…" : quantity > 1 ? `Redeem ${quantity}` : "Redeem"}
      </button>
      {blockedReason && <p className="hint">{blockedReason}</p>}
      <TransactionStatus state={state} />
    </form>
  );
}
