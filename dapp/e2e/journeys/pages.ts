import type { Page } from "playwright-core";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ViewportName } from "../support/browser";
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

/** Waits for the page's heading and for its loading placeholders to go (a page may legitimately keep one). */
async function settled(page: Page) {
  await page.locator("main h1").first().waitFor({ state: "visible" });
  await eventually(
    async () => (await page.locator("main .skeleton, main .loading").count()) === 0,
    () => "",
    10_000,
  ).catch(() => undefined);
}

async function visitAll(t: JourneyContext, viewport: ViewportName) {
  for (const { role, paths } of PAGES) {
    const key: Hex | undefined = role === "visitor" ? undefined : devKey(role);
    const { page } = await t.open("/", { viewport, wallet: key });
    if (key) await connectWallet(page, privateKeyToAccount(key).address as Address);
    for (const path of paths) {
      await page.goto(new URL(path, t.stack.dappUrl).toString());
      await settled(page);
      await t.checkpoint(page, `${role} ${path}`);
    }
  }
}

export const pageJourneys: Journey[] = (["phone", "desktop"] as const).map((viewport) => ({
  name: `pages › every page renders for its people (${viewport})`,
  viewport,
  run: (t) => visitAll(t, viewport),
}));
