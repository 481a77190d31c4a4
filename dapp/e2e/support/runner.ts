import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { Hex } from "viem";
import { type ViewportName, type Violation, describeViolations, newContext, seriousViolations, STEP_TIMEOUT_MS } from "./browser";
import type { Stack } from "./stack";
import { TestWallet } from "./testWallet";

// A minimal runner: journeys run one after the other (the chain is shared, and two cores are shared by several
// engineers), each in fresh browser contexts; every checkpoint keeps a screenshot and runs axe-core. Results are
// one line each; a journey's accessibility is its own result, so a contrast problem never hides a broken claim.

const JOURNEY_TIMEOUT_MS = 180_000;

export interface Opened {
  page: Page;
  context: BrowserContext;
  /** The EIP-6963 test wallet in this context, when one was asked for. */
  wallet?: TestWallet;
}

export interface JourneyContext {
  stack: Stack;
  /**
   * Records a failure and lets the journey go on (a layout problem must not hide whether the rest works): the
   * journey fails at its end with every recorded problem.
   */
  problem(message: string): void;
  /** Opens a fresh browser context (its own storage) with a page at `url` (a path of the dApp). */
  open(url: string, options?: { viewport?: ViewportName; wallet?: Hex }): Promise<Opened>;
  /** Keeps a screenshot of the page as it is now and checks it with axe-core. */
  checkpoint(page: Page, name: string): Promise<void>;
  log(line: string): void;
}

export interface Journey {
  name: string;
  /** The viewport its pages open in unless a step asks for another. */
  viewport: ViewportName;
  run(t: JourneyContext): Promise<void>;
}

/** A journey whose page or contract is not built yet: listed, never counted as passed. */
export interface PendingJourney {
  name: string;
  waitingFor: string;
}

export interface Result {
  name: string;
  passed: boolean;
  seconds: number;
  error?: string;
  screenshots: number;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}

function withTimeout<value>(promise: Promise<value>, ms: number, what: string): Promise<value> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

export async function runJourney(browser: Browser, stack: Stack, journey: Journey, artifacts: string, print: (line: string) => void): Promise<Result[]> {
  const started = Date.now();
  const folder = path.join(artifacts, slug(journey.name));
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const problems: string[] = [];
  const consoleLines: string[] = [];
  const violations = new Map<string, Violation[]>();
  let shots = 0;

  const shoot = async (page: Page, name: string) => {
    shots += 1;
    await page.screenshot({ path: path.join(folder, `${String(shots).padStart(2, "0")}-${slug(name)}.png`), fullPage: true });
  };

  const t: JourneyContext = {
    stack,
    log: (line) => print(`    · ${line}`),
    problem: (message) => problems.push(message),
    async open(url, options = {}) {
      const context = await newContext(browser, options.viewport ?? journey.viewport);
      contexts.push(context);
      const wallet = options.wallet ? await TestWallet.install(context, { privateKey: options.wallet, rpcUrl: stack.rpcUrl }) : undefined;
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message.split("\n")[0]}`));
      page.on("console", (message) => consoleLines.push(`${new Date().toISOString()} ${message.type()} ${page.url()}: ${message.text()}`));
      await page.goto(new URL(url, stack.dappUrl).toString());
      return { page, context, wallet };
    },
    async checkpoint(page, name) {
      await shoot(page, name);
      const found = await seriousViolations(page);
      if (found.length > 0) violations.set(`${name} (${new URL(page.url()).pathname})`, found);
    },
  };

  let error: string | undefined;
  try {
    await withTimeout(journey.run(t), JOURNEY_TIMEOUT_MS, journey.name);
    const found = [...problems, ...(pageErrors.length > 0 ? [`uncaught errors in the page:\n    ${pageErrors.join("\n    ")}`] : [])];
    if (found.length > 0) error = found.join("\n");
  } catch (failure) {
    error = failure instanceof Error ? (failure.stack ?? failure.message) : String(failure);
    error = error.split("\n").filter((line) => !/node_modules|node:internal/.test(line)).slice(0, 12).join("\n");
    if (problems.length > 0) error += `\n${problems.join("\n")}`;
    if (pageErrors.length > 0) error += `\n    uncaught errors in the page:\n    ${pageErrors.join("\n    ")}`;
    for (const context of contexts) {
      for (const page of context.pages()) {
        await shoot(page, "failure").catch((reason) => print(`    (no failure screenshot: ${reason instanceof Error ? reason.message.split("\n")[0] : reason})`));
      }
    }
  } finally {
    if (consoleLines.length > 0) fs.writeFileSync(path.join(folder, "console.txt"), `${consoleLines.join("\n")}\n`);
    for (const context of contexts) await context.close().catch(() => undefined);
  }

  const seconds = (Date.now() - started) / 1000;
  const results: Result[] = [{ name: journey.name, passed: error === undefined, seconds, error, screenshots: shots }];
  if (shots > 0) {
    results.push({
      name: `accessibility › ${journey.name}`,
      passed: violations.size === 0,
      seconds: 0,
      error: violations.size > 0 ? `serious or critical axe-core violations:\n  ${describeViolations(violations)}` : undefined,
      screenshots: 0,
    });
  }
  return results;
}

// ------------------------------------------------------------------------------------------------ assertions

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Waits until `condition` holds; fails with `describe()` (what was seen instead) after the timeout. */
export async function eventually(condition: () => Promise<boolean>, describe: () => Promise<string> | string, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(await describe());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until the element's text (whitespace collapsed) is exactly `expected`, or matches it. */
export async function expectText(locator: Locator, expected: string | RegExp, timeoutMs = STEP_TIMEOUT_MS) {
  let seen = "(nothing)";
  await eventually(
    async () => {
      const texts = await locator.allInnerTexts();
      seen = texts.length === 0 ? "(no such element)" : texts.map(normalise).join(" | ");
      return texts.some((text) => (typeof expected === "string" ? normalise(text) === expected : expected.test(normalise(text))));
    },
    () => `expected ${locator} to read ${JSON.stringify(String(expected))}, saw ${JSON.stringify(seen)}`,
    timeoutMs,
  );
}

/**
 * Taps `target` as a person would. When the page's layout keeps it from being tapped (covered, off screen), the
 * problem is recorded and the tap is delivered to the element anyway, so the rest of the journey is still tested.
 */
export async function tap(t: JourneyContext, target: Locator, what: string) {
  await target.waitFor({ state: "visible" });
  try {
    await target.click({ timeout: 5_000 });
  } catch (failure) {
    const reason = failure instanceof Error ? failure.message.split("\n").filter((line) => /intercepts|outside|not stable|not visible/.test(line)).slice(-1)[0]?.trim() : undefined;
    t.problem(`${what} cannot be tapped in the ${new URL(target.page().url()).pathname} page's layout${reason ? ` (${reason.replace(/\x1b\[[0-9;]*m/g, "")})` : ""}`);
    await target.dispatchEvent("click");
  }
}
