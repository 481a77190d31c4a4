import { type Address, type Hex, bytesToHex, hexToBytes } from "viem";
import { generateDeliveryKeyPair } from "@perks/sdk";

/**
 * The secret halves of the X25519 key pairs made for gift-coupon and access-code redemptions. They stay on this
 * device (IndexedDB, or localStorage where IndexedDB is unavailable) and are never sent anywhere: whoever holds one
 * can read the code the merchant delivers for its redemption.
 */
export interface DeliveryKeyRecord {
  /** The public key the redemption named (its `encryptionKey`); the record's key. */
  publicKey: Hex;
  secretKey: Hex;
  chainId: number;
  catalog: Address;
  rewardId: string;
  /** Unix milliseconds. */
  createdAt: number;
  /** The codes once delivered and opened, so they show at once next time. */
  codes?: string[];
}

export interface DeliveryKeyStore {
  put(record: DeliveryKeyRecord): Promise<void>;
  all(): Promise<DeliveryKeyRecord[]>;
}

const DATABASE = "perks";
const STORE = "deliveryKeys";
const LOCAL_STORAGE_KEY = "perks.deliveryKeys";

function request<result>(req: IDBRequest<result>): Promise<result> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function indexedDbStore(factory: IDBFactory): DeliveryKeyStore {
  let opened: Promise<IDBDatabase> | undefined;
  const database = () => {
    opened ??= new Promise((resolve, reject) => {
      const open = factory.open(DATABASE, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "publicKey" });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return opened;
  };
  const store = async (mode: IDBTransactionMode) => (await database()).transaction(STORE, mode).objectStore(STORE);
  return {
    async put(record) {
      await request((await store("readwrite")).put(record));
    },
    async all() {
      return request((await store("readonly")).getAll() as IDBRequest<DeliveryKeyRecord[]>);
    },
  };
}

export function localStorageStore(storage: Storage): DeliveryKeyStore {
  const read = (): DeliveryKeyRecord[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(LOCAL_STORAGE_KEY) ?? "[]");
      return Array.isArray(parsed) ? (parsed as DeliveryKeyRecord[]) : [];
    } catch {
      return [];
    }
  };
  return {
    async put(record) {
      const others = read().filter((entry) => entry.publicKey !== record.publicKey);
      storage.setItem(LOCAL_STORAGE_KEY, JSON.stringify([...others, record]));
    },
    async all() {
      return read();
    },
  };
}

let defaultStore: DeliveryKeyStore | undefined;

/** This device's key store: IndexedDB when the browser has it, else localStorage. */
export function deliveryKeyStore(): DeliveryKeyStore {
  defaultStore ??= typeof indexedDB !== "undefined" ? indexedDbStore(indexedDB) : localStorageStore(localStorage);
  return defaultStore;
}

/**
 * A fresh key pair for one redemption, saved before the redemption is sent (so a closed tab between signing and
 * the block loses nothing). Returns the public key to pass to `redeem`.
 */
export async function createDeliveryKey(
  { chainId, catalog, rewardId }: { chainId: number; catalog: Address; rewardId: bigint },
  store = deliveryKeyStore(),
): Promise<Hex> {
  const pair = generateDeliveryKeyPair();
  await store.put({
    publicKey: pair.publicKey,
    secretKey: bytesToHex(pair.secretKey),
    chainId,
    catalog,
    rewardId: rewardId.toString(),
    createdAt: Date.now(),
  });
  return pair.publicKey;
}

/** The secret key as the SDK takes it. */
export function secretKeyBytes(record: DeliveryKeyRecord): Uint8Array {
  return hexToBytes(record.secretKey);
}

/** This device's keys on `chainId`, by public key (lower case, as logs spell it). */
export async function deliveryKeysByPublicKey(chainId: number, store = deliveryKeyStore()): Promise<Map<string, DeliveryKeyRecord>> {
  const records = await store.all();
  return new Map(records.filter((record) => record.chainId === chainId).map((record) => [record.publicKey.toLowerCase(), record]));
}
