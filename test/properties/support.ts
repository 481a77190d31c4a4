import { expect } from "chai";
import { ethers } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { BaseContract, ContractTransactionResponse, Wallet } from "ethers";
import type { Campaign } from "../../typechain-types";
import { CODE_LEAF_ENCODING, signClaim, type CampaignParams, type CodeLeaf } from "../helpers/fixtures";
import { ModelRevert, type Rules } from "../helpers/model";

/** Generated cases per property: 200 unless PERKS_FC_RUNS says otherwise (e.g. PERKS_FC_RUNS=2000). */
export const NUM_RUNS = runsFromEnvironment();

/** Mocha's limit for one property: generous per case, so a larger PERKS_FC_RUNS never needs a flag. */
export const PROPERTY_TIMEOUT_MS = 60_000 + NUM_RUNS * 1_000;

function runsFromEnvironment(): number {
  const value = process.env.PERKS_FC_RUNS;
  if (value === undefined || value === "") return 200;
  const runs = Number(value);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`PERKS_FC_RUNS must be a positive integer, not "${value}"`);
  return runs;
}

/** One-time claim keys from fixed seeds: a random key per voucher would cost a mnemonic derivation each time. */
export const CLAIM_KEYS: readonly Wallet[] = Array.from(
  { length: 4 },
  (_, i) => new ethers.Wallet(ethers.id(`perks property claim key ${i}`)),
);

/** The model's view of a campaign's parameters. */
export function modelRules(params: CampaignParams): Rules {
  return {
    startsAt: BigInt(params.startsAt),
    endsAt: BigInt(params.endsAt),
    supplyCap: BigInt(params.supplyCap),
    maxPerClaim: BigInt(params.maxPerClaim),
    earnPoints: BigInt(params.earnPoints),
    earnSpend: BigInt(params.earnSpend),
    tierPeriod: BigInt(params.tierPeriod),
    tiers: params.tiers.map((t) => ({ threshold: BigInt(t.threshold), multiplierBps: BigInt(t.multiplierBps) })),
    milestones: params.milestones.map((m) => ({ claimNumber: BigInt(m.claimNumber), bonus: BigInt(m.bonus) })),
  };
}

/** Holds a call or a transaction to a predicted revert: exactly this custom error (decoded from `contract`'s ABI). */
export async function expectRevert(call: Promise<unknown>, contract: BaseContract, predicted: ModelRevert) {
  await expect(call)
    .to.be.revertedWithCustomError(contract, predicted.error)
    .withArgs(...predicted.args);
}

/** Sends the transaction and holds it to the model: it must revert exactly as predicted, or succeed. */
export async function expectOutcome(
  send: () => Promise<ContractTransactionResponse>,
  contract: BaseContract,
  predicted: ModelRevert | undefined,
) {
  if (predicted) return expectRevert(send(), contract, predicted);
  await (await send()).wait();
}

/** Runs `model`: the revert it predicts, or its result. */
export function predict<T>(
  model: () => T,
): { revert: ModelRevert; result?: undefined } | { revert?: undefined; result: T } {
  try {
    return { result: model() };
  } catch (error) {
    if (error instanceof ModelRevert) return { revert: error };
    throw error;
  }
}

/** The Merkle tree of a batch of printed codes (index, claim key, points), with indexes of any value. */
export function codeTree(leaves: CodeLeaf[]) {
  return StandardMerkleTree.of(leaves, CODE_LEAF_ENCODING);
}

/** The claimCode arguments for leaf `position` of `tree` (published as `batchId`), claimed into `recipient`. */
export async function claimCodeArgs(
  campaign: Campaign,
  batchId: bigint,
  tree: StandardMerkleTree<CodeLeaf>,
  position: number,
  claimKey: Wallet,
  recipient: string,
) {
  const [index, key, points] = tree.at(position)!;
  if (key !== claimKey.address) throw new Error(`leaf ${position} was printed with ${key}, not ${claimKey.address}`);
  const [claimR, claimVS] = await signClaim(campaign, claimKey, recipient);
  return [{ batchId, index, points, claimKey: key }, tree.getProof(position), recipient, claimR, claimVS] as const;
}
