/**
 * Node only: a batch's claim keys generated on every core (worker threads), with libsecp256k1 (the `secp256k1`
 * package's native binding) when it is installed, about ten times faster than the portable @noble/curves.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import {
  type BatchKeys,
  type BatchPoints,
  type PublicKeyDeriver,
  generateBatchKeys,
  noblePublicKey,
} from "../batchKeys";

export type DeriverName = "libsecp256k1" | "@noble/curves";

/** The fastest public-key derivation this process can load. */
export function fastestPublicKeyDeriver(): { name: DeriverName; derive: PublicKeyDeriver } {
  try {
    // The binding itself: the package's main module would fall back to elliptic, slower than noble.
    const native = require("secp256k1/bindings") as {
      publicKeyCreate(privateKey: Uint8Array, compressed: boolean): Uint8Array;
    };
    return { name: "libsecp256k1", derive: (privateKey) => native.publicKeyCreate(privateKey, false) };
  } catch {
    return { name: "@noble/curves", derive: noblePublicKey };
  }
}

export interface ParallelKeysOptions {
  /** Worker threads; the machine's available parallelism by default. 1 generates on this thread. */
  threads?: number;
  /** Codes per job handed to a worker; 8,192 by default. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GeneratedKeys {
  keys: BatchKeys;
  deriver: DeriverName;
  threads: number;
}

interface Job {
  start: number;
  end: number;
}

interface JobDone extends Job {
  keys: BatchKeys;
  deriver: DeriverName;
}

/** The worker module beside this one, loaded the way this process loaded TypeScript (ts-node or vitest). */
function workerModule(): { file: string; execArgv: string[]; env: NodeJS.ProcessEnv } {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `batchKeys.worker${extension}`);
  if (extension !== ".ts") return { file, execArgv: [], env: process.env };
  return {
    file,
    execArgv: ["--require", "ts-node/register/transpile-only"],
    // Whatever tsconfig ts-node finds from here, a worker is a CommonJS module.
    env: { ...process.env, TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs", moduleResolution: "node" }) },
  };
}

/** `count` codes (indexes 0 to count - 1) with fresh claim keys, their addresses and leaves. */
export async function generateBatchKeysInParallel(
  count: number,
  points: BatchPoints,
  options: ParallelKeysOptions = {},
): Promise<GeneratedKeys> {
  if (!Number.isSafeInteger(count) || count <= 0)
    throw new RangeError(`A batch needs at least one code, not ${count}.`);
  const chunk = options.chunk ?? 8_192;
  const jobs: Job[] = [];
  for (let start = 0; start < count; start += chunk) jobs.push({ start, end: Math.min(start + chunk, count) });
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), jobs.length));

  const keys: BatchKeys = {
    count,
    privateKeys: new Uint8Array(count * 32),
    addresses: new Uint8Array(count * 20),
    leaves: new Uint8Array(count * 32),
  };
  let done = 0;
  const store = (job: Job, part: BatchKeys) => {
    keys.privateKeys.set(part.privateKeys, job.start * 32);
    keys.addresses.set(part.addresses, job.start * 20);
    keys.leaves.set(part.leaves, job.start * 32);
    done += part.count;
    options.onProgress?.(done, count);
  };

  if (threads === 1) {
    const { name, derive } = fastestPublicKeyDeriver();
    for (const job of jobs) store(job, generateBatchKeys(job.start, job.end, points, derive));
    return { keys, deriver: name, threads };
  }

  const { file, execArgv, env } = workerModule();
  const workers = Array.from({ length: threads }, () => new Worker(file, { workerData: { points }, execArgv, env }));
  let deriver: DeriverName = "libsecp256k1";
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = () => {
              const job = jobs.shift();
              if (job === undefined) resolve();
              else worker.postMessage(job);
            };
            worker.on("message", (message: JobDone) => {
              store(message, message.keys);
              if (message.deriver !== "libsecp256k1") deriver = message.deriver;
              next();
            });
            worker.once("error", reject);
            worker.once("exit", (code) => reject(new Error(`A claim-key worker stopped (exit code ${code}).`)));
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { keys, deriver, threads };
}
