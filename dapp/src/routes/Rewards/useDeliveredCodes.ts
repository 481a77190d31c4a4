import { useQuery } from "@tanstack/react-query";
import { type Address, type Hex, zeroHash } from "viem";
import { usePublicClient } from "wagmi";
import { CodeDecryptionError, humanizeError, listRedemptions, readDeliveredCodes } from "@perks/sdk";
import { targetChain } from "../../chain";
import { useRefreshOnBlock } from "../../hooks/useRefreshOnBlock";
import { deliveryKeyStore, deliveryKeysByPublicKey, secretKeyBytes } from "../../lib/deliveryKeys";
import { EVENT_RANGE } from "../../lib/registry";

/** A gift-coupon or access-code redemption of the wallet, and where its code stands. */
export interface CodeRedemption {
  catalog: Address;
  rewardId: bigint;
  redemptionId: bigint;
  quantity: bigint;
  transactionHash: Hex;
  status:
    | { kind: "delivered"; codes: string[] }
    | { kind: "waiting" }
    /** Redeemed from another device or browser: only that one holds the key. */
    | { kind: "elsewhere" }
    | { kind: "unreadable"; message: string };
}

/**
 * The wallet's code redemptions in `catalogs`, newest first, each opened with the key this device kept for it. New
 * blocks re-read the ones still waiting, so a code shows the moment the merchant's `CodeDelivered` lands; opened
 * codes are kept with their key and not read again.
 */
export function useDeliveredCodes(account: Address | undefined, catalogs: readonly Address[]) {
  const publicClient = usePublicClient({ chainId: targetChain.id });
  const queryKey = ["perks", "deliveredCodes", targetChain.id, account, catalogs] as const;
  const query = useQuery({
    queryKey,
    enabled: account !== undefined && publicClient !== undefined && catalogs.length > 0,
    queryFn: async (): Promise<CodeRedemption[]> => {
      const client = publicClient!;
      const store = deliveryKeyStore();
      const [keys, redemptions] = await Promise.all([
        deliveryKeysByPublicKey(targetChain.id, store),
        Promise.all(catalogs.map((catalog) => listRedemptions(client, { catalog, account, ...EVENT_RANGE }))).then((lists) =>
          lists.flatMap((list, i) => list.map((redemption) => ({ ...redemption, catalog: catalogs[i] }))),
        ),
      ]);
      const withCodes = redemptions.filter((redemption) => redemption.encryptionKey !== zeroHash);
      const rows = await Promise.all(
        withCodes.map(async (redemption): Promise<CodeRedemption & { blockNumber: bigint }> => {
          const base = {
            catalog: redemption.catalog,
            rewardId: redemption.rewardId,
            redemptionId: redemption.redemptionId,
            quantity: redemption.quantity,
            transactionHash: redemption.transactionHash,
            blockNumber: redemption.blockNumber,
          };
          const record = keys.get(redemption.encryptionKey.toLowerCase());
          if (!record) return { ...base, status: { kind: "elsewhere" } };
          if (record.codes) return { ...base, status: { kind: "delivered", codes: record.codes } };
          try {
            const codes = await readDeliveredCodes(client, {
              catalog: redemption.catalog,
              redemptionId: redemption.redemptionId,
              secretKey: secretKeyBytes(record),
              ...EVENT_RANGE,
              fromBlock: redemption.blockNumber,
            });
            if (!codes) return { ...base, status: { kind: "waiting" } };
            await store.put({ ...record, codes });
            return { ...base, status: { kind: "delivered", codes } };
          } catch (error) {
            const message = error instanceof CodeDecryptionError ? error.message : humanizeError(error).message;
            return { ...base, status: { kind: "unreadable", message } };
          }
        }),
      );
      return rows.sort((a, b) => (a.blockNumber > b.blockNumber ? -1 : a.blockNumber < b.blockNumber ? 1 : 0));
    },
  });
  useRefreshOnBlock([queryKey]);
  return query;
}
