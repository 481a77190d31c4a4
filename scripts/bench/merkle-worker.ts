/**
 * Builds the benchmark's printed-code tree on a worker thread, so that hashing 2^20 codes overlaps with the
 * transactions the main thread measures meanwhile. Started by `buildCodeTreeInWorker` in gas.ts.
 */
import { parentPort, workerData } from "worker_threads";
import { type CodeLeaf, FastMerkleTree } from "../../sdk/src/merkleTree";

export interface CodeTreeJob {
  count: number;
  points: bigint;
  /** Claim-key addresses of codes nobody claims: 20 bytes per code, code i at bytes [20i, 20i + 20). */
  randomKeys: Uint8Array;
  /** Codes whose claim keys we hold: their indexes, and their addresses (20 bytes each) in the same order. */
  heldIndexes: Uint32Array;
  heldKeys: Uint8Array;
}

function build(job: CodeTreeJob): FastMerkleTree {
  const held = new Map<number, Uint8Array>();
  job.heldIndexes.forEach((index, i) => held.set(index, job.heldKeys.subarray(i * 20, i * 20 + 20)));
  const code: CodeLeaf = { index: 0n, claimKey: new Uint8Array(20), points: job.points };
  return FastMerkleTree.fromCodes(job.count, (i) => {
    code.index = BigInt(i);
    code.claimKey = held.get(i) ?? job.randomKeys.subarray(i * 20, i * 20 + 20);
    return code;
  });
}

if (parentPort !== null && workerData !== undefined) {
  const started = Date.now();
  const parts = build(workerData as CodeTreeJob).toParts();
  parentPort.postMessage({ parts, seconds: (Date.now() - started) / 1000 }, [
    parts.nodes.buffer as ArrayBuffer,
    parts.nodeOfLeaf.buffer as ArrayBuffer,
  ]);
}
