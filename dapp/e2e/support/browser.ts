import fs from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";

// Debian's Chromium, driven by playwright-core: no tool downloads a browser of its own (../../shared DESIGN.md,
// Toolchain). Playwright's launch() gives every run a fresh temporary profile (its own --user-data-dir) and every
// context an empty storage, so journeys never share a wallet connection or local storage.

export const CHROMIUM = process.env.PERKS_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Dates and numbers on the pages are formatted with the browser's locale and time zone: both are fixed. */
export const LOCALE = "en-US";
export const TIME_ZONE = "UTC";

/** How long an action or a wait may take before the step fails. */
export const STEP_TIMEOUT_MS = 20_000;

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set PERKS_CHROMIUM.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A fresh context (its own storage and cache); `storageState` restores a returning visitor's local storage. */
export async function newContext(browser: Browser, viewport: ViewportName, storageState?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ ...VIEWPORTS[viewport], locale: LOCALE, timezoneId: TIME_ZONE, storageState });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  return context;
}

// ------------------------------------------------------------------------------------------------ accessibility

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** The serious and critical axe-core violations on the page as it is now (every rule axe runs by default). */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ["violations"] })).violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[]; failureSummary?: string }[];
    }[];
  });
  return results
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact!,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(" ")}${node.failureSummary ? ` (${node.failureSummary.split("\n").slice(1).join("; ").trim()})` : ""}`),
    }));
}

/**
 * The violations found at several checkpoints, each rule and element once with the checkpoints it was seen at
 * (a header problem shows on every page: one line, not twenty).
 */
export function describeViolations(found: ReadonlyMap<string, Violation[]>): string {
  const grouped = new Map<string, { violation: Violation; node: string; where: string[] }>();
  for (const [where, violations] of found) {
    for (const violation of violations) {
      for (const node of violation.nodes) {
        const key = `${violation.id} ${node}`;
        const entry = grouped.get(key) ?? { violation, node, where: [] };
        entry.where.push(where);
        grouped.set(key, entry);
      }
    }
  }
  return [...grouped.values()]
    .map(({ violation, node, where }) => {
      const places = where.length > 3 ? `${where.slice(0, 3).join("; ")} and ${where.length - 3} more` : where.join("; ");
      return `${violation.impact} ${violation.id}: ${violation.help}\n      ${node}\n      at ${places}`;
    })
    .join("\n  ");
}
