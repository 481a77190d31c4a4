import type { Address, Hex } from "viem";

/** What the page asks the batch worker (batch.worker.ts) and what it answers. */
export type BatchRequest =
  | { type: "build"; chainId: number; campaign: Address; count: number; points: bigint }
  | { type: "csv"; baseUrl: string; batchId: bigint }
  | { type: "pdf"; baseUrl: string; batchId: bigint; symbol: string; title: string };

export type BatchReply =
  | { type: "progress"; step: "keys" | "csv" | "pdf"; done: number; total: number }
  | { type: "built"; root: Hex; count: number }
  | { type: "file"; kind: "csv" | "pdf"; bytes: ArrayBuffer }
  | { type: "error"; message: string };

