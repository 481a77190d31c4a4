import type { Page } from "playwright-core";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { VIEWPORTS, type ViewportName } from "../support/browser";
import { devKey } from "../support/chain";
import { eventually, type Journey, type JourneyContext } from "../support/runner";
import { connectWallet } from "./steps";

// Every page of the dApp, on a phone and on a laptop, as the person it is for sees it (the customer Alice, the
// merchant Alpha Coffee, the exchange; and a visitor without a wallet): it renders a heading, settles (no
// skeleton left), is kept as a screenshot, and has no serious or critical axe-core violation.

const PAGES: { role: "visitor" | "alice" | "alphaMerchant" | "exchange"; paths: string[] }[] = [
  { role: "visitor", paths: ["/", "/claim", "/rewards", "/merchant", "/exchange?view=guide", "/does-not-exist"] },
  { role: "alice", paths: ["/", "/claim", "/rewards", "/trade", "/cash-out", "/offers", "/privacy"] },
  {
    role: "alphaMerchant",
    paths: ["/merchant", "/merchant/new", "/merchant/pos", "/merchant/batches", "/merchant/rewards", "/merchant/stats"],
  },
  { role: "exchange", paths: ["/exchange", "/exchange?view=post", "/exchange?view=tokens", "/exchange?view=guide"] },
];

/**
 * Waits until the page has a heading, no loading placeholder, and the same content for half a second (a lazy page
 * replaces the previous one only once its chunk is in). A page that keeps loading is kept as it is after 10 s.
 */
async function settled(page: Page, before: string) {
  await eventually(async () => (await page.locator("main").innerHTML()) !== before, () => "", 5_000).catch(() => undefined);
  await page.locator("main h1").first().waitFor({ state: "visible" });
  let previous = "";
  let stableSince = Date.now();
  await eventually(
    async () => {
      const now = await page.locator("main").innerHTML();
      if (now !== previous) {
        previous = now;
        stableSince = Date.now();
      }
      const loading = await page.locator("main .skeleton, main .loading").count();
      return loading === 0 && Date.now() - stableSince >= 500;
    },
    () => "",
    10_000,
  ).catch(() => undefined);
}

/**
 * The page's width, and the innermost unclipped element that reaches furthest past the screen's right edge (tag, classes and its first
 * words), so that a failure names what to fix. Runs in the page.
 */
function widestElement(screen: number): { wide: number; culprit: string } {
  let culprit = "no single element";
  let best = 0;
  for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
    const right = element.getBoundingClientRect().right + window.scrollX;
    if (right <= screen || clipped(element)) continue;
    // Document order puts descendants after their ancestors: on a tie the innermost element wins.
    if (right >= best) {
      best = right;
      const classes = element.classList.length > 0 ? `.${Array.from(element.classList).join(".")}` : "";
      culprit = `${element.tagName.toLowerCase()}${classes} "${(element.textContent ?? "").trim().slice(0, 40)}" reaches ${Math.round(right)} px`;
    }
  }
  // Text that overflows its own box (a long word, an address) widens the page without any element doing so.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right + window.scrollX;
    const parent = node.parentElement;
    if (right <= screen || right < best || !parent || clipped(parent) || getComputedStyle(parent).overflowX !== "visible") continue;
    best = right;
    culprit = `text "${(node.textContent ?? "").trim().slice(0, 40)}" in ${parent.tagName.toLowerCase()} reaches ${Math.round(right)} px`;
  }
  return { wide: document.documentElement.scrollWidth, culprit };

  /** Inside a box that scrolls or clips sideways and itself fits the screen (a table's scroll region, the menu). */
  function clipped(element: HTMLElement): boolean {
    // An absolutely positioned element escapes every box between it and its containing block (its offsetParent).
    const position = getComputedStyle(element).position;
    if (position === "fixed") return false;
    const first = position === "absolute" ? (element.offsetParent as HTMLElement | null) : element.parentElement;
    for (let box = first; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow !== "visible" && box.getBoundingClientRect().right + window.scrollX <= screen) return true;
    }
    return false;
  }
}

async function visitAll(t: JourneyContext, viewport: ViewportName) {
  for (const { role, paths } of PAGES) {
    const key: Hex | undefined = role === "visitor" ? undefined : devKey(role);
    const { page } = await t.open("/", { viewport, wallet: key });
    if (key) await connectWallet(page, privateKeyToAccount(key).address as Address);
    for (const path of paths) {
      // In-app navigation, as the menu does it (the first page was a full load): each page's own chunk and reads.
      const current = new URL(page.url());
      const before = `${current.pathname}${current.search}` === path ? "" : await page.locator("main").innerHTML();
      await page.evaluate((to) => {
        window.history.pushState(null, "", to);
        window.dispatchEvent(new PopStateEvent("popstate"));
      }, path);
      await settled(page, before);
      await t.checkpoint(page, `${viewport} ${role} ${path}`);
      // Mobile first: nothing may push the page wider than the screen (sideways scrolling hides buttons).
      // (Compared with the screen's width as set: a phone browser zooms out to fit, so innerWidth grows with the page.)
      const screen = VIEWPORTS[viewport].viewport.width;
      const { wide, culprit } = await page.evaluate(widestElement, screen);
      if (wide > screen) t.problem(`${path} (${role}) is ${wide} px wide on a ${screen} px ${viewport} screen (${culprit})`);
    }
  }
}

// Both viewports at once: the sweep mostly waits for pages to settle, so two browser contexts share the time.
export const pageJourneys: Journey[] = [
  {
    name: "pages › every page renders for its people (phone and desktop)",
    viewport: "phone",
    run: async (t) => {
      const sweeps = await Promise.allSettled((["phone", "desktop"] as const).map((viewport) => visitAll(t, viewport)));
      for (const sweep of sweeps) if (sweep.status === "rejected") throw sweep.reason;
    },
  },
];
