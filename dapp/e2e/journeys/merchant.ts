import { type Address, getAddress } from "viem";
import { ONE, throwAwayAccount } from "../support/chain";
import { eventually, expectText, type Journey } from "../support/runner";
import { connectWallet } from "./steps";

// A merchant on a laptop, with its own wallet (not a demo key): creates a brand token and a campaign from the form,
// sees where the contracts will live before signing, deploys, then makes a receipt voucher at the point of sale
// (signed by the wallet, no transaction); a customer on a phone claims it.

export const merchantJourneys: Journey[] = [
  {
    name: "merchant › creates a token and a campaign, prints a voucher at the till, and a customer claims it",
    viewport: "desktop",
    async run(t) {
      const merchant = throwAwayAccount("merchant");
      await t.stack.chain.fund(merchant.address);
      const { page } = await t.open("/merchant/new", { wallet: merchant.privateKey });
      await connectWallet(page, merchant.address);

      await page.getByLabel("Name", { exact: true }).fill("Gamma Tea Leaves");
      await page.getByLabel("Symbol", { exact: true }).fill("LEAF");
      await page.getByLabel("Face value per point").fill("0.01");
      await page.getByLabel("Campaign name").fill("Tea card");
      await page.getByLabel("Issuer keys (terminals), one per line").fill(merchant.address);
      // The addresses the contracts will get, shown before anything is signed.
      const preview = page.locator(".preview dl.facts dd");
      await eventually(async () => (await preview.count()) === 2, async () => `no predicted addresses: ${await page.locator(".preview").innerText()}`);
      const [predictedToken, predictedCampaign] = (await preview.allInnerTexts()).map((text) => text.match(/0x[0-9a-fA-F]{40}/)?.[0]);
      await expectText(page.locator(".earn-sentence"), /LEAF/);
      await t.checkpoint(page, "form filled, addresses predicted");

      await page.getByRole("button", { name: "Deploy token and campaign" }).click();
      await expectText(page.getByRole("heading", { level: 1 }), "Your campaign is live", 60_000);
      const deployed = (await page.locator("dl.facts dd").allInnerTexts()).map((text) => text.match(/0x[0-9a-fA-F]{40}/)?.[0]);
      if (deployed[0] !== predictedToken || deployed[1] !== predictedCampaign) {
        throw new Error(`deployed ${deployed.join(", ")}, but the preview showed ${predictedToken}, ${predictedCampaign}`);
      }
      await t.checkpoint(page, "deployed");

      await page.getByRole("link", { name: "Open the point of sale" }).click();
      await page.getByLabel("Amount of the sale").fill("12.50");
      await expectText(page.locator("#pos-preview"), "Earns 2.5 LEAF");
      await page.getByRole("button", { name: "Make voucher" }).click();
      await expectText(page.locator(".voucher h2"), "Scan to claim 2.5 LEAF");
      const link = await page.getByLabel("Claim link").inputValue();
      await t.checkpoint(page, "voucher QR at the till");

      const customer = throwAwayAccount("merchant-customer");
      await t.stack.chain.fund(customer.address);
      const phone = await t.open(link, { viewport: "phone", wallet: customer.privateKey });
      await connectWallet(phone.page, customer.address);
      await phone.page.getByRole("button", { name: "Claim", exact: true }).click();
      await expectText(phone.page.locator(".claimed .receive-amount"), "+2.5 LEAF added");
      await t.checkpoint(phone.page, "customer claimed the till's voucher");
      const balance = await t.stack.chain.balanceOf(getAddress(deployed[0]!) as Address, customer.address);
      if (balance !== (25n * ONE) / 10n) throw new Error(`the customer holds ${balance} LEAF base units, not 2.5 LEAF`);
    },
  },
];
