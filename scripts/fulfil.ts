/**
 * Fulfilment service: delivers gift-coupon and access codes to anonymous customers (`npm run fulfil`, i.e.
 * `hardhat run scripts/fulfil.ts --network localhost`).
 *
 * It watches a catalog's `RewardRedeemed` events for gift coupons and access codes, takes one code per voucher
 * from a pool file, seals the codes to the public key the customer passed with the redemption (sdk
 * `codeDelivery`: X25519 + HKDF-SHA256 + XChaCha20-Poly1305), and posts them with `deliverCode`; only the
 * customer's app can open them. Redemptions already answered on chain (`CodeDelivered`) are skipped.
 *
 * No code is ever sent to two redemptions, across restarts too: before a delivery is posted, the codes it uses are
 * appended (and synced) to a ledger file beside the pool. A redemption found in the ledger but not answered on
 * chain (the service stopped between the two) is answered again with the same codes. When the pool runs dry the
 * redemption waits; add codes to the file and the next poll delivers them.
 *
 * Environment:
 *   PERKS_CATALOG          the catalog's address (default on the local chain: the catalog of the signer's merchant)
 *   PERKS_FULFILLER_KEY    private key of the merchant or of a fulfiller it allowed (`setFulfiller`); default on the
 *                          local chain: the Alpha Coffee merchant's dev key
 *   PERKS_CODES_FILE       the pool, one code per line (default codes.txt); blank lines and lines starting with #
 *                          are ignored
 *   PERKS_LEDGER_FILE      where used codes are recorded (default: the pool's name + .used.jsonl)
 *   PERKS_FROM_BLOCK       first block to look at (default 0)
 *   PERKS_POLL_MS          pause between polls in milliseconds (default 2000)
 *   PERKS_FULFIL_ONCE=1    deliver what is pending and exit instead of watching
 */
import { ethers } from "hardhat";
import fs from "node:fs";
import path from "node:path";
import type { Signer } from "ethers";
import type { IRewardCatalog } from "../typechain-types";
import { deliveryContext, sealCodes } from "../sdk/src/codeDelivery";
import { LOCAL_CHAIN_ID, devAccount } from "../sdk/src/devAccounts";

type Hex = `0x${string}`;

/** `IRewardCatalog.RewardKind` values whose vouchers come with a code. */
export const CODE_KINDS: ReadonlySet<number> = new Set([4 /* GiftCoupon */, 5 /* AccessCode */]);

/** Most blocks asked for in one `eth_getLogs`: public RPC endpoints cap the range. */
const LOG_RANGE = 10_000;

export interface FulfilOptions {
  /** The catalog, connected to the merchant or a fulfiller key (it sends `deliverCode`). */
  catalog: IRewardCatalog;
  /** The pool: one code per line. */
  codesFile: string;
  /** The ledger of used codes; default `<codesFile>.used.jsonl`. */
  ledgerFile?: string;
  /** First block to look at; default 0. */
  fromBlock?: number;
  /** Where progress goes; default `console.log`. */
  log?: (message: string) => void;
}

/** A gift-coupon or access-code redemption waiting for its codes. */
export interface PendingRedemption {
  redemptionId: bigint;
  rewardId: bigint;
  quantity: bigint;
  encryptionKey: Hex;
}

/** A posted delivery. */
export interface Delivery {
  redemptionId: bigint;
  codes: string[];
  ciphertext: Hex;
  transactionHash: string;
}

interface LedgerEntry {
  redemptionId: string;
  codes: string[];
}

/** The pool file and the ledger of codes already given to redemptions. */
class CodeLedger {
  private readonly assigned = new Map<bigint, string[]>();
  private readonly used = new Set<string>();

  constructor(
    private readonly codesFile: string,
    private readonly ledgerFile: string,
  ) {
    if (!fs.existsSync(ledgerFile)) return;
    for (const line of fs.readFileSync(ledgerFile, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const entry = JSON.parse(line) as LedgerEntry;
      this.assigned.set(BigInt(entry.redemptionId), entry.codes);
      for (const code of entry.codes) this.used.add(code);
    }
  }

  /** Codes already given to `redemptionId`, if any. */
  codesOf(redemptionId: bigint): string[] | undefined {
    return this.assigned.get(redemptionId);
  }

  /** The next `count` unused codes of the pool (read afresh, so codes added while running count), or undefined. */
  peek(count: number): string[] | undefined {
    if (!fs.existsSync(this.codesFile)) return undefined;
    const free: string[] = [];
    for (const raw of fs.readFileSync(this.codesFile, "utf8").split("\n")) {
      const code = raw.trim();
      if (code === "" || code.startsWith("#") || this.used.has(code) || free.includes(code)) continue;
      free.push(code);
      if (free.length === count) return free;
    }
    return undefined;
  }

  /** Records for good that `codes` belong to `redemptionId`, before they are sent. */
  record(redemptionId: bigint, codes: string[]) {
    const entry: LedgerEntry = { redemptionId: redemptionId.toString(), codes };
    fs.mkdirSync(path.dirname(this.ledgerFile), { recursive: true });
    const fd = fs.openSync(this.ledgerFile, "a");
    try {
      fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.assigned.set(redemptionId, codes);
    for (const code of codes) this.used.add(code);
  }
}

/**
 * A fulfiller for one catalog. `poll()` reads the events since the last poll and delivers every pending
 * redemption it has codes for; `watch()` polls until stopped.
 */
export class Fulfiller {
  private readonly catalog: IRewardCatalog;
  private readonly ledger: CodeLedger;
  private readonly log: (message: string) => void;
  private readonly pending = new Map<bigint, PendingRedemption>();
  private readonly kinds = new Map<bigint, number>();
  private nextBlock: number;
  private chainId?: bigint;
  private catalogAddress?: string;

  constructor(options: FulfilOptions) {
    this.catalog = options.catalog;
    this.ledger = new CodeLedger(options.codesFile, options.ledgerFile ?? `${options.codesFile}.used.jsonl`);
    this.nextBlock = options.fromBlock ?? 0;
    this.log = options.log ?? ((message) => console.log(message));
  }

  /** Redemptions seen and not yet answered, oldest first. */
  pendingRedemptions(): PendingRedemption[] {
    return [...this.pending.values()];
  }

  /** Reads new events, then delivers what it can. Returns the deliveries it posted. */
  async poll(): Promise<Delivery[]> {
    await this.readEvents();
    const deliveries: Delivery[] = [];
    for (const redemption of this.pending.values()) {
      const delivery = await this.deliver(redemption);
      if (delivery === "no codes") break; // keep the order: later redemptions wait for the same refill
      if (delivery !== undefined) deliveries.push(delivery);
    }
    return deliveries;
  }

  /** Polls every `intervalMs` until `signal` aborts. */
  async watch(intervalMs: number, signal?: AbortSignal) {
    while (!signal?.aborted) {
      try {
        await this.poll();
      } catch (error) {
        this.log(`poll failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  private async readEvents() {
    const provider = this.catalog.runner?.provider;
    if (!provider) throw new Error("The catalog must be connected to a signer with a provider.");
    this.chainId ??= (await provider.getNetwork()).chainId;
    this.catalogAddress ??= await this.catalog.getAddress();
    const latest = await provider.getBlockNumber();
    for (let from = this.nextBlock; from <= latest; from += LOG_RANGE) {
      const to = Math.min(from + LOG_RANGE - 1, latest);
      const redeemed = await this.catalog.queryFilter(this.catalog.filters.RewardRedeemed(), from, to);
      const delivered = await this.catalog.queryFilter(this.catalog.filters.CodeDelivered(), from, to);
      // Within a range, deliveries follow their redemptions: add first, then remove what was answered.
      for (const event of redeemed) {
        const { rewardId, redemptionId, quantity, encryptionKey } = event.args;
        if (!CODE_KINDS.has(await this.kindOf(rewardId))) continue;
        this.pending.set(redemptionId, { redemptionId, rewardId, quantity, encryptionKey: encryptionKey as Hex });
      }
      for (const event of delivered) this.pending.delete(event.args.redemptionId);
    }
    this.nextBlock = latest + 1;
  }

  /** A reward's kind never changes once listed, so it is read once. */
  private async kindOf(rewardId: bigint): Promise<number> {
    let kind = this.kinds.get(rewardId);
    if (kind === undefined) {
      kind = Number((await this.catalog.reward(rewardId)).params.kind);
      this.kinds.set(rewardId, kind);
    }
    return kind;
  }

  private async deliver(redemption: PendingRedemption): Promise<Delivery | "no codes" | undefined> {
    const { redemptionId, quantity, encryptionKey } = redemption;
    const recorded = this.ledger.codesOf(redemptionId);
    const codes = recorded ?? this.ledger.peek(Number(quantity));
    if (codes === undefined) {
      this.log(`redemption ${redemptionId}: waiting for ${quantity} more code(s) in the pool`);
      return "no codes";
    }
    let ciphertext: Hex;
    try {
      ciphertext = sealCodes(encryptionKey, codes, deliveryContext(this.chainId!, this.catalogAddress!, redemptionId));
    } catch (error) {
      // The customer's key is unusable: no code is spent on a delivery nobody could open.
      this.log(`redemption ${redemptionId}: skipped, ${error instanceof Error ? error.message : String(error)}`);
      this.pending.delete(redemptionId);
      return undefined;
    }
    if (recorded === undefined) this.ledger.record(redemptionId, codes);
    const receipt = await (await this.catalog.deliverCode(redemptionId, ciphertext)).wait();
    this.pending.delete(redemptionId);
    this.log(`redemption ${redemptionId}: delivered ${codes.length} code(s) in ${receipt!.hash}`);
    return { redemptionId, codes, ciphertext, transactionHash: receipt!.hash };
  }
}

// ------------------------------------------------------------------------------------------------ command line

async function signerFromEnvironment(chainId: bigint): Promise<Signer> {
  const key = process.env.PERKS_FULFILLER_KEY;
  if (key) return new ethers.Wallet(key, ethers.provider);
  if (chainId !== BigInt(LOCAL_CHAIN_ID)) throw new Error("Set PERKS_FULFILLER_KEY to the merchant's or a fulfiller's key.");
  return new ethers.Wallet(devAccount("alphaMerchant").privateKey, ethers.provider);
}

async function catalogFromEnvironment(signer: Signer, chainId: bigint): Promise<string> {
  if (process.env.PERKS_CATALOG) return process.env.PERKS_CATALOG;
  const file = path.join(__dirname, "..", "ignition", "deployments", `chain-${chainId}`, "deployed_addresses.json");
  if (!fs.existsSync(file)) throw new Error("Set PERKS_CATALOG: no Ignition deployment found for this chain.");
  const factoryAddress = (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>)["Perks#CampaignFactory"];
  const factory = await ethers.getContractAt("ICampaignFactory", factoryAddress);
  const catalog = await factory.catalogOf(await signer.getAddress());
  if (catalog === ethers.ZeroAddress) throw new Error("Set PERKS_CATALOG: the signer's merchant has no catalog.");
  return catalog;
}

async function main() {
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const signer = await signerFromEnvironment(chainId);
  const catalogAddress = await catalogFromEnvironment(signer, chainId);
  const catalog = (await ethers.getContractAt("IRewardCatalog", catalogAddress, signer)) as unknown as IRewardCatalog;
  if (!(await catalog.isFulfiller(await signer.getAddress()))) {
    throw new Error(`${await signer.getAddress()} is neither the merchant of ${catalogAddress} nor one of its fulfillers.`);
  }
  const codesFile = path.resolve(process.env.PERKS_CODES_FILE ?? "codes.txt");
  const fulfiller = new Fulfiller({
    catalog,
    codesFile,
    ledgerFile: process.env.PERKS_LEDGER_FILE,
    fromBlock: Number(process.env.PERKS_FROM_BLOCK ?? 0),
  });
  console.log(`fulfilling ${catalogAddress} on chain ${chainId} from ${codesFile}`);
  if (process.env.PERKS_FULFIL_ONCE === "1") {
    await fulfiller.poll();
    return;
  }
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  await fulfiller.watch(Number(process.env.PERKS_POLL_MS ?? 2000), stop.signal);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
