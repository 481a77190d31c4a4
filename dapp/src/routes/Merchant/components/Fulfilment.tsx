import { type FormEvent, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { type RewardInfo, deliverCodes, deliversCode, listRedemptions, readInChunks, rewardCatalogAbi } from "@perks/sdk";
import { TransactionStatus } from "../../../components/TransactionStatus";
import { useTransaction } from "../../../hooks/useTransaction";
import { MERCHANT_QUERY } from "../hooks/useMerchant";
import { useReadClient } from "../hooks/useReadClient";
import { LOG_RANGE } from "../lib/logRange";
import { readMetadata } from "../lib/units";
import { TxButton } from "./TxButton";

/** Gift coupons and access codes redeemed but not delivered yet: what the fulfilment service (or the merchant by
 * hand, here) still has to answer. */
function usePendingDeliveries(catalog: Address, rewards: readonly RewardInfo[]) {
  const client = useReadClient();
  const codeRewards = rewards.filter((reward) => deliversCode(reward.params.kind)).map((reward) => reward.id);
  return useQuery({
    queryKey: [MERCHANT_QUERY, "deliveries", catalog, codeRewards.join(",")],
    enabled: codeRewards.length > 0,
    queryFn: async () => {
      const [redemptions, delivered] = await Promise.all([
        listRedemptions(client, { catalog, ...LOG_RANGE }),
        readInChunks(client, LOG_RANGE, (fromBlock, toBlock) =>
          client.getContractEvents({ address: catalog, abi: rewardCatalogAbi, eventName: "CodeDelivered", fromBlock, toBlock, strict: true }),
        ),
      ]);
      const done = new Set(delivered.map((log) => log.args.redemptionId));
      return redemptions.filter((redemption) => codeRewards.includes(redemption.rewardId) && !done.has(redemption.redemptionId));
    },
  });
}

/** Delivers the codes of gift-coupon and access-code redemptions by hand, sealed to each customer's key. */
export function Fulfilment({ catalog, rewards, canEdit }: { catalog: Address; rewards: readonly RewardInfo[]; canEdit: boolean }) {
  const { data: pending } = usePendingDeliveries(catalog, rewards);
  if (!rewards.some((reward) => deliversCode(reward.params.kind))) return null;
  return (
    <section className="card" aria-labelledby="fulfilment-title">
      <h2 id="fulfilment-title">Codes to deliver</h2>
      <p className="hint">
        Gift coupons and access codes reach only the customer: each code is encrypted to the key their app sent with the
        redemption. <code>npm run fulfil</code> does this automatically; here you can answer by hand.
      </p>
      {!pending || pending.length === 0 ? (
        <p>Nothing waiting.</p>
      ) : (
        <ul className="plain-list">
          {pending.map((redemption) => (
            <PendingDelivery
              key={redemption.redemptionId.toString()}
              catalog={catalog}
              redemption={redemption}
              name={readMetadata(rewards.find((reward) => reward.id === redemption.rewardId)?.params.metadataURI ?? "").name ?? `Reward ${redemption.rewardId}`}
              canEdit={canEdit}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function PendingDelivery({
  catalog,
  redemption,
  name,
  canEdit,
}: {
  catalog: Address;
  redemption: Awaited<ReturnType<typeof listRedemptions>>[number];
  name: string;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const { state, run, blockedReason } = useTransaction();
  const [text, setText] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const codes = text.split("\n").map((line) => line.trim()).filter(Boolean);
  const wanted = Number(redemption.quantity);
  const error = codes.length !== wanted ? `Enter ${wanted} code${wanted === 1 ? "" : "s"}, one per line.` : undefined;
  const id = `codes-${redemption.redemptionId}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (error) return;
    const receipt = await run((clients) =>
      deliverCodes(clients, { catalog, redemptionId: redemption.redemptionId, encryptionKey: redemption.encryptionKey, codes }),
    );
    if (receipt) void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
  }

  return (
    <li>
      <form onSubmit={submit} noValidate className="inline-form">
        <label htmlFor={id}>
          {name} × {wanted} · redemption {redemption.redemptionId.toString()}
        </label>
        {canEdit && (
          <>
            <textarea
              id={id}
              rows={Math.min(4, wanted)}
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-invalid={submitted && error ? true : undefined}
              aria-describedby={submitted && error ? `${id}-error` : undefined}
            />
            {submitted && error && (
              <p id={`${id}-error`} className="field-error">
                {error}
              </p>
            )}
            <TxButton state={state} blockedReason={blockedReason} busyLabel="Delivering…">
              Deliver
            </TxButton>
            <TransactionStatus state={state} confirmedText="Delivered: only the customer's app can read it." />
          </>
        )}
      </form>
    </li>
  );
}
