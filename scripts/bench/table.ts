/** Result rows of the gas benchmark, their targets, and the text and Markdown tables. */

export type Target =
  /** ours / reference at most `max` */
  | { kind: "ratio"; max: number }
  /** ours at most `max` gas */
  | { kind: "absolute"; max: number };

export interface Row {
  operation: string;
  /** Average gasUsed of our operation. */
  ours: number;
  /** Operations averaged. */
  samples: number;
  reference?: { name: string; gas: number };
  target?: Target;
}

export interface Evaluated extends Row {
  ratio?: number;
  /** undefined when the row has no target (information only). */
  pass?: boolean;
}

export function evaluate(row: Row): Evaluated {
  const ratio = row.reference ? row.ours / row.reference.gas : undefined;
  let pass: boolean | undefined;
  if (row.target?.kind === "ratio") {
    if (ratio === undefined) throw new Error(`${row.operation}: a ratio target needs a reference`);
    pass = ratio <= row.target.max;
  } else if (row.target?.kind === "absolute") {
    pass = row.ours <= row.target.max;
  }
  return { ...row, ratio, pass };
}

export const gasFormat = (gas: number) => Math.round(gas).toLocaleString("en-US");

/** Two decimals, or three when two would hide which side of a ratio target the row is on. */
function formatRatio(ratio: number, target?: Target): string {
  const close = target?.kind === "ratio" && Math.abs(ratio - target.max) < 0.005;
  return `${ratio.toFixed(close ? 3 : 2)}x`;
}

function cells(row: Evaluated): string[] {
  const target =
    row.target === undefined
      ? "—"
      : row.target.kind === "ratio"
        ? `<= ${row.target.max.toFixed(2)}x`
        : `<= ${gasFormat(row.target.max)}`;
  return [
    row.operation,
    gasFormat(row.ours),
    row.reference ? `${gasFormat(row.reference.gas)} (${row.reference.name})` : "—",
    row.ratio === undefined ? "—" : formatRatio(row.ratio, row.target),
    target,
    row.pass === undefined ? "info" : row.pass ? "pass" : "FAIL",
  ];
}

const HEADER = ["operation", "ours", "reference (name)", "ratio", "target", "pass/fail"];
const NUMERIC = [false, true, false, true, false, false];

/** A plain-text table with aligned columns, for the terminal. */
export function renderText(rows: Evaluated[]): string {
  return renderGrid(HEADER, rows.map(cells), NUMERIC);
}

export function renderGrid(header: string[], body: string[][], numeric: boolean[] = []): string {
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(" | ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}

/** A GitHub Markdown table. */
export function renderMarkdown(rows: Evaluated[]): string {
  return markdownGrid(HEADER, rows.map(cells), NUMERIC);
}

export function markdownGrid(header: string[], body: string[][], numeric: boolean[] = []): string {
  const escape = (s: string) => s.replace(/\|/g, "\\|");
  const line = (r: string[]) => `| ${r.map(escape).join(" | ")} |`;
  const rule = `|${header.map((_, c) => (numeric[c] ? "---:" : "---")).join("|")}|`;
  return [line(header), rule, ...body.map(line)].join("\n");
}

/**
 * Prints a timed bench's one line (`name: details — target N s: pass`) and fails the process when the bench missed
 * its target or threw.
 */
export function reportTimed<R extends { targetSeconds: number; passed: boolean }>(
  name: string,
  run: Promise<R>,
  details: (result: R) => string,
) {
  run
    .then((result) => {
      console.log(`${name}: ${details(result)} — target ${result.targetSeconds} s: ${result.passed ? "pass" : "FAIL"}`);
      if (!result.passed) process.exitCode = 1;
    })
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
