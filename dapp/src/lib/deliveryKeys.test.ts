import { describe, expect, it } from "vitest";
import { deliveryContext, openCodes, sealCodes } from "@perks/sdk";
import { createDeliveryKey, deliveryKeysByPublicKey, localStorageStore, secretKeyBytes } from "./deliveryKeys";

const catalog = "0x4ADB4FF078Aa7c46baBD228a5aaF42F2a13C8f18";

describe("delivery keys", () => {
  it("keeps the secret key on the device and opens the code sealed to its public key", async () => {
    localStorage.clear();
    const store = localStorageStore(localStorage);
    const publicKey = await createDeliveryKey({ chainId: 31337, catalog, rewardId: 4n }, store);
    const keys = await deliveryKeysByPublicKey(31337, store);
    const record = keys.get(publicKey.toLowerCase())!;
    expect(record).toMatchObject({ catalog, rewardId: "4", chainId: 31337 });

    const context = deliveryContext(31337, catalog, 7n);
    const sealed = sealCodes(publicKey, ["GIFT-1234"], context);
    expect(openCodes(secretKeyBytes(record), sealed, context)).toEqual(["GIFT-1234"]);
  });

  it("keeps keys per chain and updates a record in place", async () => {
    localStorage.clear();
    const store = localStorageStore(localStorage);
    const key = await createDeliveryKey({ chainId: 31337, catalog, rewardId: 1n }, store);
    await createDeliveryKey({ chainId: 8453, catalog, rewardId: 1n }, store);
    const [record] = [...(await deliveryKeysByPublicKey(31337, store)).values()];
    await store.put({ ...record, codes: ["A"] });
    const again = await deliveryKeysByPublicKey(31337, store);
    expect(again.size).toBe(1);
    expect(again.get(key.toLowerCase())?.codes).toEqual(["A"]);
  });
});
