/**
 * Where a transaction's gas goes, from a `debug_traceTransaction` opcode trace: storage, logs, signature
 * recovery, calls and the rest of execution, the rest split by contract. Information for whoever optimises the
 * contracts; nothing here is a benchmark target.
 */

/** One step of a geth-style struct log, as Hardhat returns it. */
export interface StructLog {
  depth: number;
  gas: number;
  gasCost: number;
  op: string;
  pc: number;
  stack?: string[];
}

export interface TraceResult {
  gas: number;
  failed: boolean;
  structLogs: StructLog[];
}

/** Something that answers JSON-RPC, e.g. `hre.network.provider` or `ethers.provider`. */
export interface RpcProvider {
  send(method: string, params: unknown[]): Promise<unknown>;
}

export const CATEGORIES = [
  "intrinsic (21000)",
  "calldata",
  "SSTORE",
  "SLOAD",
  "LOG",
  "ecrecover",
  "calls & account access",
  "KECCAK256",
  "CREATE2 + code deposit",
  "other execution",
  "refund",
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface GasBreakdown {
  gasUsed: number;
  byCategory: Record<Category, number>;
  /** "other execution" split by the code that ran it (a name from `names`, else the address). */
  otherByContract: Map<string, number>;
  /** The costliest opcodes of "other execution", all contracts together. */
  topOtherOps: [string, number][];
  /** "other execution" by source line, costliest first, for the code that `lineOf` maps (see sourcemap.ts). */
  otherByLine: [string, number][];
  /** Opcode counts worth watching (SLOAD, SSTORE, calls, KECCAK256, EXTCODECOPY, ...). */
  counts: Map<string, number>;
}

const CALLS = new Set(["CALL", "CALLCODE", "DELEGATECALL", "STATICCALL"]);
/** Opcodes that touch another account: their cost is mostly EIP-2929 cold access (2,600) on first touch. */
const ACCOUNT_ACCESS = new Set(["EXTCODESIZE", "EXTCODEHASH", "BALANCE"]);
const ECRECOVER = 1n;

function stackWord(value: string): bigint {
  return BigInt(value.startsWith("0x") ? value : `0x${value}`);
}

function addressOf(word: bigint): string {
  return `0x${(word & ((1n << 160n) - 1n)).toString(16).padStart(40, "0")}`;
}

function calldataGas(data: string): number {
  let gas = 0;
  for (let i = 2; i < data.length; i += 2) gas += data.slice(i, i + 2) === "00" ? 4 : 16;
  return gas;
}

/**
 * Breaks down the gas of transaction `hash`.
 * @param names Lower-case address -> display name, for the contracts whose code runs.
 * @param lineOf Display name -> pc-to-source-line mapper, to split that code's "other execution" by line.
 */
export async function gasBreakdown(
  provider: RpcProvider,
  hash: string,
  names: Map<string, string>,
  lineOf: Map<string, (pc: number) => string> = new Map(),
): Promise<GasBreakdown> {
  const tx = (await provider.send("eth_getTransactionByHash", [hash])) as { to: string; input: string };
  const receipt = (await provider.send("eth_getTransactionReceipt", [hash])) as { gasUsed: string };
  const trace = (await provider.send("debug_traceTransaction", [
    hash,
    { disableMemory: true, disableStorage: true },
  ])) as TraceResult;
  const logs = trace.structLogs;
  const gasUsed = Number(BigInt(receipt.gasUsed));

  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const otherByContract = new Map<string, number>();
  const otherByOp = new Map<string, number>();
  const counts = new Map<string, number>();
  const otherByLineMap = new Map<string, number>();
  const name = (address: string) => names.get(address.toLowerCase()) ?? address.toLowerCase();

  // Gas each step consumed itself. A call's (or create's) own cost is what it took from its frame minus what the steps of
  // the called frame consumed (those are counted where they run); a precompile runs no steps, so its whole
  // cost stays on the call.
  const own = new Array<number>(logs.length).fill(0);
  const frames: { callStep: number; consumed: number }[] = []; // open frames, innermost last
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i];
    const next = logs[i + 1];
    if (next !== undefined && next.depth > step.depth) {
      frames.push({ callStep: i, consumed: 0 }); // settled when the frame returns
      continue;
    }
    own[i] = next !== undefined && next.depth === step.depth ? step.gas - next.gas : step.gasCost;
    if (frames.length > 0) frames[frames.length - 1].consumed += own[i];
    // The frame ends at this step: charge its call with what the steps inside do not explain.
    while (frames.length > 0 && next !== undefined && next.depth <= logs[frames[frames.length - 1].callStep].depth) {
      const frame = frames.pop()!;
      const inclusive = logs[frame.callStep].gas - next.gas;
      own[frame.callStep] = inclusive - frame.consumed;
      if (frames.length > 0) frames[frames.length - 1].consumed += inclusive;
    }
  }

  let execution = 0;
  const codeAt: string[] = []; // code running at each depth
  codeAt[1] = name(tx.to);
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i];
    const gas = own[i];
    const target = CALLS.has(step.op) && step.stack ? stackWord(step.stack[step.stack.length - 2]) : undefined;
    let category: Category;
    if (step.op === "SSTORE") category = "SSTORE";
    else if (step.op === "SLOAD") category = "SLOAD";
    else if (step.op.startsWith("LOG")) category = "LOG";
    else if (step.op === "KECCAK256" || step.op === "SHA3") category = "KECCAK256";
    else if (CALLS.has(step.op)) category = target === ECRECOVER ? "ecrecover" : "calls & account access";
    else if (ACCOUNT_ACCESS.has(step.op)) category = "calls & account access";
    else if (step.op === "CREATE" || step.op === "CREATE2") category = "CREATE2 + code deposit";
    else category = "other execution";
    byCategory[category] += gas;
    execution += gas;
    if (category === "other execution") {
      const code = codeAt[step.depth] ?? "?";
      otherByContract.set(code, (otherByContract.get(code) ?? 0) + gas);
      otherByOp.set(step.op, (otherByOp.get(step.op) ?? 0) + gas);
      const mapLine = lineOf.get(code);
      if (mapLine !== undefined) {
        const line = mapLine(step.pc);
        otherByLineMap.set(line, (otherByLineMap.get(line) ?? 0) + gas);
      }
    }
    if (category !== "other execution" || step.op === "EXTCODECOPY" || step.op === "CODECOPY") {
      const key = category === "ecrecover" ? "ecrecover" : step.op;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const next = logs[i + 1];
    if (next !== undefined && next.depth > step.depth) {
      codeAt[next.depth] = target !== undefined ? name(addressOf(target)) : `constructor (${step.op})`;
    }
  }

  byCategory["intrinsic (21000)"] = 21_000;
  byCategory.calldata = calldataGas(tx.input);
  // Whatever the steps do not explain is the refund (negative), or the EIP-7623 calldata floor (positive).
  byCategory.refund = gasUsed - (21_000 + byCategory.calldata + execution);

  const topOtherOps = [...otherByOp.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  const otherByLine = [...otherByLineMap.entries()].sort((a, b) => b[1] - a[1]);
  return { gasUsed, byCategory, otherByContract, topOtherOps, otherByLine, counts };
}
