/**
 * Maps a contract's program counters to Solidity source lines with solc's source map, so that a trace's
 * execution gas can be charged to lines (see `gasBreakdown`'s `lineOf`). Information for optimising only.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** `pc` -> "File.sol:line  source text", or "(generated)" for code solc maps to no source (ABI coding, dispatch). */
export type LineOf = (pc: number) => string;

export async function sourceLineMapper(hre: HardhatRuntimeEnvironment, fullyQualifiedName: string): Promise<LineOf> {
  const [sourceName, contractName] = fullyQualifiedName.split(":");
  const buildInfo = await hre.artifacts.getBuildInfo(fullyQualifiedName);
  if (buildInfo === undefined) throw new Error(`no build info for ${fullyQualifiedName}`);
  const deployed = buildInfo.output.contracts[sourceName][contractName].evm.deployedBytecode;
  const code = Buffer.from(deployed.object, "hex");

  // Instruction number of each pc (PUSH1..PUSH32 carry 1..32 bytes of data).
  const instructionAt = new Map<number, number>();
  for (let pc = 0, i = 0; pc < code.length; i++) {
    instructionAt.set(pc, i);
    const op = code[pc];
    pc += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
  }

  // Source map entries "s:l:f:j:m", each field inheriting the previous entry's when empty.
  const ranges: { start: number; file: number }[] = [];
  let start = -1;
  let file = -1;
  for (const entry of deployed.sourceMap.split(";")) {
    const [s, , f] = entry.split(":");
    if (s) start = Number(s);
    if (f) file = Number(f);
    ranges.push({ start, file });
  }

  const sources = new Map<number, { name: string; lines: string[]; lineStarts: number[] }>();
  for (const [name, output] of Object.entries(buildInfo.output.sources)) {
    const content = buildInfo.input.sources[name]?.content ?? "";
    const lines = content.split("\n");
    const lineStarts: number[] = [];
    let offset = 0;
    for (const line of lines) {
      lineStarts.push(offset);
      offset += line.length + 1;
    }
    sources.set(output.id, { name: name.split("/").pop() ?? name, lines, lineStarts });
  }

  return (pc: number) => {
    const i = instructionAt.get(pc);
    const range = i === undefined ? undefined : ranges[i];
    const source = range === undefined ? undefined : sources.get(range.file);
    if (range === undefined || source === undefined || range.start < 0) return "(generated)";
    // Last line starting at or before the byte offset (binary search).
    let lo = 0;
    let hi = source.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (source.lineStarts[mid] <= range.start) lo = mid;
      else hi = mid - 1;
    }
    return `${source.name}:${lo + 1}  ${source.lines[lo].trim().slice(0, 80)}`;
  };
}
