/** A worker of `generateBatchKeysInParallel`: generates the codes of each job it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { type BatchPoints, generateBatchKeys } from "../batchKeys";
import { fastestPublicKeyDeriver } from "./batchKeys";

const { points } = workerData as { points: BatchPoints };
const { name, derive } = fastestPublicKeyDeriver();

parentPort?.on("message", ({ start, end }: { start: number; end: number }) => {
  const keys = generateBatchKeys(start, end, points, derive);
  parentPort?.postMessage({ start, end, keys, deriver: name }, [
    keys.privateKeys.buffer as ArrayBuffer,
    keys.addresses.buffer as ArrayBuffer,
    keys.leaves.buffer as ArrayBuffer,
  ]);
});
