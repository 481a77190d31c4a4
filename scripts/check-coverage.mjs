// Fails when line or branch coverage of the contracts (outside mocks/ and bench/) drops below the bar.
import { readFileSync } from "node:fs";

const MINIMUM = Number(process.env.PERKS_MIN_COVERAGE ?? 95);
const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8"));

const failures = [];
for (const [file, metrics] of Object.entries(summary)) {
  for (const metric of ["lines", "branches"]) {
    const { pct } = metrics[metric];
    if (file === "total") console.log(`${metric}: ${pct}%`);
    if (pct < MINIMUM) failures.push(`${file === "total" ? "all contracts" : file}: ${metric} ${pct}% < ${MINIMUM}%`);
  }
}
if (failures.length > 0) {
  console.error(`Coverage below ${MINIMUM}%:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(`Coverage of every contract is at least ${MINIMUM}% of lines and branches.`);
