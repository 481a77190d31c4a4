/** What the gas benches share: averaging receipts, reproducible fresh wallets, and running one bench alone. */
import { ethers } from "hardhat";
import type { ContractTransactionResponse, Wallet } from "ethers";

/** Average gasUsed of `count` transactions `send` makes, each of which must succeed. */
export async function average(count: number, send: (i: number) => Promise<ContractTransactionResponse>) {
  let total = 0n;
  for (let i = 0; i < count; i++) {
    const receipt = await (await send(i)).wait();
    if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${i} failed`);
    total += receipt.gasUsed;
  }
  return Number(total) / count;
}

/**
 * `count` wallets nobody has used, with keys derived from `bench` and `label` so that two runs measure the same
 * accounts.
 */
export function wallets(bench: string, label: string, count: number): Wallet[] {
  return Array.from(
    { length: count },
    (_, i) => new ethers.Wallet(ethers.id(`perks-bench/${bench}/${label}/${i}`), ethers.provider),
  );
}

/** Runs `bench` with PERKS_BENCH_SAMPLES operations per row (64 by default) and prints its rows. */
export function runAlone(bench: (samples: number) => Promise<object[]>) {
  bench(Number(process.env.PERKS_BENCH_SAMPLES ?? 64))
    .then((rows) => console.table(rows))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
