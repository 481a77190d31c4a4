import { zeroHash } from "viem";
import { campaignAbi, claimCall, encodeClaimCode, encodeClaimLink } from "@perks/sdk";
import { ONE, devKey, throwAwayAccount } from "../support/chain";
import { eventually, expectText, type Journey } from "../support/runner";
import { alphaVoucher, connectWallet, formatDay, linkPath } from "./steps";

// A customer claims points on a phone: from a receipt's link, by pasting the code, and through the merchant's
// relayer when the wallet has no gas; and the ways a claim goes wrong, each with the sentence the customer reads.

const CLAIMED_HEADING = "Points claimed";

export const claimJourneys: Journey[] = [
  {
    name: "customer › claims a receipt voucher by link and sees the balance on the wallet page",
    viewport: "phone",
    async run(t) {
      const customer = throwAwayAccount("claim-by-link");
      await t.stack.chain.fund(customer.address);
      const demo = t.stack.state.demoClaimLinks.find((link) => link.merchant === "Alpha Coffee" && link.kind === "voucher");
      if (!demo) throw new Error("npm start printed no Alpha Coffee voucher link");
      const { page } = await t.open(linkPath(demo.link), { wallet: customer.privateKey });

      // The claim key must not stay in the address bar or the history entry.
      await eventually(
        async () => !page.url().includes("#c="),
        () => `the code stayed in the address bar: ${page.url()}`,
      );
      await expectText(page.getByRole("heading", { level: 1 }), "Claim points");
      await expectText(page.locator(".receive-amount"), "4.8 BEAN");
      await t.checkpoint(page, "link opened, not connected");

      await connectWallet(page, customer.address);
      await page.getByRole("button", { name: "Claim", exact: true }).click();
      await expectText(page.getByRole("heading", { level: 1 }), CLAIMED_HEADING);
      await expectText(page.locator(".claimed .receive-amount"), "+4.8 BEAN added");
      await expectText(page.locator(".claimed"), /Your balance is now 4\.8 BEAN\./);
      await expectText(page.locator(".claimed"), /Claimed from your wallet\./);
      await t.checkpoint(page, "claimed");
      const token = t.stack.state.merchants[0].token.address;
      if ((await t.stack.chain.balanceOf(token, customer.address)) !== (48n * ONE) / 10n) throw new Error("the chain does not show 4.8 BEAN");

      await page.getByRole("link", { name: "See your points" }).click();
      const card = page.getByRole("article", { name: "Alpha Coffee Beans" });
      await expectText(card.locator(".token-balance"), "4.8 BEAN");
      await t.checkpoint(page, "wallet page");
    },
  },
  {
    name: "customer › claims by pasting a code, and the wallet page updates live when points arrive",
    viewport: "phone",
    async run(t) {
      const customer = throwAwayAccount("claim-by-paste");
      await t.stack.chain.fund(customer.address);
      const code = await alphaVoucher(t.stack, { spend: 1250n });
      const { page } = await t.open("/claim", { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      await page.getByLabel("Or paste a claim code or link").fill(encodeClaimCode(code));
      await t.checkpoint(page, "code pasted");
      await page.getByRole("button", { name: "Check code" }).click();
      await expectText(page.locator(".receive-amount"), "12.5 BEAN");
      await page.getByRole("button", { name: "Claim", exact: true }).click();
      await expectText(page.getByRole("heading", { level: 1 }), CLAIMED_HEADING);
      await expectText(page.locator(".claimed .receive-amount"), "+12.5 BEAN added");

      await page.getByRole("link", { name: "See your points" }).click();
      const card = page.getByRole("article", { name: "Alpha Coffee Beans" });
      await expectText(card.locator(".token-balance"), "12.5 BEAN");
      // Points issued at the till while the page is open show up without a reload.
      const alpha = t.stack.state.merchants[0];
      await t.stack.chain.send(devKey("alphaTerminal"), {
        address: alpha.campaigns[0],
        abi: campaignAbi,
        functionName: "issue",
        args: [customer.address, 0n, 700n, zeroHash],
      });
      await expectText(card.locator(".token-balance"), "19.5 BEAN", 15_000);
      await t.checkpoint(page, "balance updated live");
    },
  },
  {
    name: "customer › claims through the relayer with a wallet that holds no gas",
    viewport: "phone",
    async run(t) {
      const customer = throwAwayAccount("claim-by-relayer");
      const code = await alphaVoucher(t.stack, { spend: 300n });
      const { page } = await t.open(encodeClaimLink(code, new URL("/claim", t.stack.dappUrl).toString()), { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      // The page should see the empty wallet and offer the relayer alone; if it does not, the relayer is still
      // reachable through "Claim without gas", and the journey goes on to test it.
      await expectText(
        page.locator(".claim-page .hint").filter({ hasText: "Into your wallet" }),
        /Your wallet has no gas money, so the shop's relayer sends the claim for you, for free\.$/,
        10_000,
      ).catch((error: Error) => t.problem(`the Claim page did not notice the wallet has no gas: ${error.message}`));
      await t.checkpoint(page, "no gas: relayer offered");
      await page.getByRole("button", { name: /^Claim (for free|without gas)$/ }).click();
      await expectText(page.getByRole("heading", { level: 1 }), CLAIMED_HEADING);
      await expectText(page.locator(".claimed"), /The shop's relayer paid the gas\./);
      await t.checkpoint(page, "claimed through the relayer");
      const token = t.stack.state.merchants[0].token.address;
      if ((await t.stack.chain.balanceOf(token, customer.address)) !== 3n * ONE) throw new Error("the chain does not show 3 BEAN");
    },
  },
  {
    name: "customer › a used code says it was already claimed",
    viewport: "phone",
    async run(t) {
      const first = throwAwayAccount("used-code-first");
      const code = await alphaVoucher(t.stack, { spend: 200n });
      // Someone claimed it already (the relayer's way: anyone may send a signed claim).
      const call = await claimCall(code, first.address);
      await t.stack.chain.send(devKey("relayer"), { address: code.campaign, abi: campaignAbi, ...call });

      const customer = throwAwayAccount("used-code");
      await t.stack.chain.fund(customer.address);
      const { page } = await t.open("/claim", { wallet: customer.privateKey });
      await page.getByLabel("Or paste a claim code or link").fill(encodeClaimLink(code, new URL("/claim", t.stack.dappUrl).toString()));
      await page.getByRole("button", { name: "Check code" }).click();
      await expectText(
        page.getByRole("alert"),
        "Already claimed. The points of this receipt have already been claimed. Each code works once.",
      );
      await t.checkpoint(page, "already claimed");
    },
  },
  {
    name: "customer › an expired voucher says when it expired",
    viewport: "phone",
    async run(t) {
      const expiresAt = (await t.stack.chain.now()) - 2n * 86_400n;
      const code = await alphaVoucher(t.stack, { spend: 200n, expiresAt });
      const customer = throwAwayAccount("expired-voucher");
      const { page } = await t.open(encodeClaimLink(code, new URL("/claim", t.stack.dappUrl).toString()), { wallet: customer.privateKey });
      await expectText(
        page.getByRole("alert"),
        `Code expired. This receipt's code expired on ${formatDay(expiresAt)}. Ask the shop if they can issue the points another way.`,
      );
      await t.checkpoint(page, "expired");
    },
  },
  {
    name: "customer › a wallet on the wrong chain is blocked and offered the switch",
    viewport: "phone",
    async run(t) {
      const customer = throwAwayAccount("wrong-chain");
      await t.stack.chain.fund(customer.address);
      const code = await alphaVoucher(t.stack, { spend: 150n });
      const { page, wallet } = await t.open(encodeClaimLink(code, new URL("/claim", t.stack.dappUrl).toString()), { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      await wallet!.switchChain(1);
      const banner = page.locator(".banner.warning");
      await expectText(banner.locator("span").first(), "Your wallet is on another network. Perks runs on Hardhat; switch to continue.");
      await expectText(page.locator(".claim-page p.hint").last(), "Switch your wallet to Hardhat first.");
      const claim = page.getByRole("button", { name: "Claim", exact: true });
      if (!(await claim.isDisabled())) throw new Error("the Claim button is enabled on the wrong chain");
      await t.checkpoint(page, "wrong chain");

      await banner.getByRole("button", { name: "Switch to Hardhat" }).click();
      await eventually(async () => (await banner.count()) === 0, () => "the wrong-chain banner stayed after switching");
      await claim.click();
      await expectText(page.getByRole("heading", { level: 1 }), CLAIMED_HEADING);
    },
  },
  {
    name: "customer › a rejected signature says so and the claim can be retried",
    viewport: "phone",
    async run(t) {
      const customer = throwAwayAccount("rejected-signature");
      await t.stack.chain.fund(customer.address);
      const code = await alphaVoucher(t.stack, { spend: 150n });
      const { page, wallet } = await t.open(encodeClaimLink(code, new URL("/claim", t.stack.dappUrl).toString()), { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      wallet!.rejectNext();
      await page.getByRole("button", { name: "Claim", exact: true }).click();
      await expectText(page.locator(".tx-status").getByRole("alert"), "You rejected the request in your wallet.");
      await t.checkpoint(page, "rejected");
      await page.getByRole("button", { name: "Claim", exact: true }).click();
      await expectText(page.getByRole("heading", { level: 1 }), CLAIMED_HEADING);
    },
  },
];
