import type { Page } from "playwright-core";
import { type Address, getAddress } from "viem";
import {
  Channel,
  NO_SUPPLY_CAP,
  campaignAbi,
  campaignFactoryAbi,
  channelMask,
  createCampaign,
  getCatalogOf,
  humanizeError,
  isCampaignRetired,
  loyaltyTokenAbi,
  retireCampaign,
} from "@perks/sdk";
import { ONE, devKey, throwAwayAccount } from "../support/chain";
import { eventually, expectText, type Journey } from "../support/runner";
import { connectWallet } from "./steps";

// A merchant on a laptop, with its own wallet (not a demo key): creates a brand token and a campaign from the form,
// sees where the contracts will live before signing, deploys, then makes a receipt voucher at the point of sale
// (signed by the wallet, no transaction); a customer on a phone claims it.
//
// A demo merchant (Beta Books) moves its token to a new key, as one moving to a multisig does (on chain: the dApp
// has no page for it): the new key's back office lists the token, its campaign and its catalog and can act on them;
// the old key's lists none of them. The token goes back to Beta Books at the end, whatever happened, for the
// journeys after this one.
//
// Alpha Coffee hands on the customer records of a campaign with tiers that ended by its schedule (a short one made
// for the journey, on chain; the chain's clock then moves past its end, a few minutes, which no later journey minds):
// the page offers it only once the campaign has ended, and the factory counts the campaign as retired after the click.

/** The campaign links the overview lists, once it has loaded (its heading shows). */
async function listedCampaigns(page: Page): Promise<string[]> {
  await expectText(page.getByRole("heading", { level: 1 }), "Your loyalty program");
  const links = page.getByRole("main").getByRole("link", { name: "Manage", exact: true });
  return (await links.evaluateAll((all) => all.map((link) => link.getAttribute("href") ?? ""))).map((href) => href.split("/").pop()!.toLowerCase());
}

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
  {
    name: "merchant › a token moved to a new key brings its campaigns and catalog to that key's back office, and leaves the old one's",
    viewport: "desktop",
    async run(t) {
      const beta = t.stack.state.merchants[1];
      const betaKey = devKey("betaMerchant");
      const factory = t.stack.contracts.CampaignFactory;
      const catalog = await getCatalogOf(t.stack.chain.publicClient, { merchant: beta.account, factory });
      if (!catalog) throw new Error("the demo seed gave Beta Books no catalog");
      const [campaign] = beta.campaigns;
      const multisig = throwAwayAccount("new-owner");
      await t.stack.chain.fund(multisig.address);
      const ownerOf = () => t.stack.chain.publicClient.readContract({ address: beta.token.address, abi: loyaltyTokenAbi, functionName: "owner" });
      const isPaused = () => t.stack.chain.publicClient.readContract({ address: campaign, abi: campaignAbi, functionName: "paused" });

      await t.stack.chain.send(betaKey, { address: beta.token.address, abi: loyaltyTokenAbi, functionName: "transferOwnership", args: [multisig.address] });
      try {
        // The new key created nothing, yet its back office lists the token, its campaign and its catalog.
        const { page } = await t.open("/merchant", { wallet: multisig.privateKey });
        await connectWallet(page, multisig.address);
        const tokenRows = page.getByRole("region", { name: "Your tokens" }).locator("tbody tr");
        await expectText(tokenRows.first(), new RegExp(`^PAGE ${beta.token.name}`));
        if ((await tokenRows.count()) !== 1) throw new Error(`the new owner's back office lists ${await tokenRows.count()} tokens, not 1`);
        const campaigns = await listedCampaigns(page);
        if (campaigns.join() !== beta.campaigns.map((address) => address.toLowerCase()).join()) {
          throw new Error(`the new owner's back office lists campaigns ${campaigns.join(", ") || "none"}, not Beta Books' ${beta.campaigns.join(", ")}`);
        }
        const catalogAddress = page.locator("section[aria-labelledby=catalog-title] code");
        await eventually(async () => (await catalogAddress.getAttribute("title")) === catalog, async () => `the overview shows catalog ${await catalogAddress.getAttribute("title")}, not ${catalog}`);
        await t.checkpoint(page, "the new owner's back office");

        // It can act: pause and resume issuance of the campaign it did not create.
        await page.getByRole("main").getByRole("link", { name: "Manage", exact: true }).first().click();
        await page.getByRole("button", { name: "Pause issuance" }).click();
        await expectText(page.locator(".page-head .status"), "Paused", 30_000);
        if (!(await isPaused())) throw new Error("the page says paused, the campaign is not");
        await page.getByRole("button", { name: "Resume issuance" }).click();
        await expectText(page.locator(".page-head .status"), "Active", 30_000);
        if (await isPaused()) throw new Error("the page says active, the campaign is still paused");
        await t.checkpoint(page, "the new owner resumed issuance");

        // And it manages the catalog: the rewards page offers to add one.
        await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Rewards" }).click();
        await expectText(page.locator(".page-head .hint"), /priced in PAGE/);
        await page.getByRole("button", { name: "Add a reward" }).waitFor();
        await t.checkpoint(page, "the new owner's catalog");

        // And its statistics: the brand's events, though another account created it.
        await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Statistics" }).click();
        await expectText(page.locator("#activity-title"), "Issued, claimed and redeemed (PAGE)", 30_000);
        await t.checkpoint(page, "the new owner's statistics");

        // The old key lists none of it and says where the token went.
        const old = await t.open("/merchant", { wallet: betaKey });
        await connectWallet(old.page, beta.account);
        await expectText(old.page.getByRole("main").locator("p.hint").first(), "1 token you created now belongs to another account.");
        const oldCampaigns = await listedCampaigns(old.page);
        if (oldCampaigns.length > 0) throw new Error(`the old owner's back office still lists campaigns ${oldCampaigns.join(", ")}`);
        if ((await old.page.getByRole("region", { name: "Your tokens" }).count()) > 0) throw new Error("the old owner's back office still lists tokens");
        await t.checkpoint(old.page, "the old owner's back office");
        await old.page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Rewards" }).click();
        await expectText(old.page.getByRole("main").locator("section.card > p"), /^The catalog you created .* is priced in points another account owns now/);
        await t.checkpoint(old.page, "the old owner's rewards page");
        await old.page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Statistics" }).click();
        await expectText(old.page.getByRole("main").locator("section.card > p"), /^No activity yet/, 30_000);
        await t.checkpoint(old.page, "the old owner's statistics");
      } finally {
        if (await isPaused()) await t.stack.chain.send(multisig.privateKey, { address: campaign, abi: campaignAbi, functionName: "setPaused", args: [false] });
        if (getAddress(await ownerOf()) === getAddress(multisig.address)) {
          await t.stack.chain.send(multisig.privateKey, { address: beta.token.address, abi: loyaltyTokenAbi, functionName: "transferOwnership", args: [beta.account] });
        }
      }
    },
  },
  {
    name: "merchant › hands on the customer records of a campaign with tiers that ended by its schedule",
    viewport: "desktop",
    async run(t) {
      const alpha = t.stack.state.merchants[0];
      const alphaKey = devKey("alphaMerchant");
      const factory = t.stack.contracts.CampaignFactory;
      const handOn = (page: Page) => page.getByRole("heading", { name: "Hand on customer records" });
      const issuance = (page: Page) => page.getByRole("heading", { name: "Issuance" });
      const isRetired = (serial: number) => t.stack.chain.publicClient.readContract({ address: factory, abi: campaignFactoryAbi, functionName: "isRetired", args: [BigInt(serial)] });

      // A running campaign with tiers and a stamp card (the seeded one) offers nothing to hand on, to its merchant.
      const { page } = await t.open(`/merchant/campaign/${alpha.campaigns[0]}`, { wallet: alphaKey });
      await connectWallet(page, alpha.account);
      await expectText(page.getByRole("heading", { level: 1 }), "Alpha Coffee stamp card");
      await issuance(page).waitFor();
      if ((await handOn(page).count()) > 0) throw new Error("a running campaign offers to hand on its customer records");

      // A short campaign with tiers, ending in five minutes.
      const now = await t.stack.chain.now();
      const created = await createCampaign(t.stack.chain.clientsOf(alphaKey), {
        factory,
        params: {
          token: alpha.token.address,
          startsAt: now,
          endsAt: now + 300n,
          supplyCap: NO_SUPPLY_CAP,
          maxPerClaim: 0n,
          earnPoints: ONE,
          earnSpend: 100n,
          channels: channelMask(Channel.Direct),
          tierPeriod: 30 * 86_400,
          tiers: [{ threshold: 40n * ONE, multiplierBps: 11_000 }],
          milestones: [],
          issuers: [],
          metadataURI: `data:application/json,${encodeURIComponent(JSON.stringify({ name: "Autumn tiers" }))}`,
          optionalDataFields: [],
        },
      });
      await created.wait();
      const campaign = created.result;
      const serial = await t.stack.chain.publicClient.readContract({ address: campaign, abi: campaignAbi, functionName: "serial" });
      const registered = (await t.stack.chain.campaigns(factory)).findIndex((address) => getAddress(address) === getAddress(campaign)) + 1;
      if (serial === 0 || serial !== registered) throw new Error(`the new campaign has serial ${serial}, not its place in the factory (${registered})`);

      await page.goto(new URL(`/merchant/campaign/${campaign}`, t.stack.dappUrl).toString());
      await expectText(page.getByRole("heading", { level: 1 }), "Autumn tiers");
      await expectText(page.locator(".page-head .status"), "Active");
      await issuance(page).waitFor();
      if ((await handOn(page).count()) > 0) throw new Error("a campaign still running offers to hand on its customer records");
      // The SDK is refused before the end, with the contract's reason.
      const early = await retireCampaign(t.stack.chain.clientsOf(alphaKey), { campaign }).then(
        () => undefined,
        (error: unknown) => humanizeError(error).code,
      );
      if (early !== "CampaignStillRunning") throw new Error(`retiring a running campaign gave ${early ?? "no error"}, not CampaignStillRunning`);
      await t.checkpoint(page, "running: nothing to hand on");

      // Its end passes; the page follows the chain's clock.
      await t.stack.chain.increaseTime(301);
      await expectText(page.locator(".page-head .status"), "Ended", 30_000);
      await handOn(page).waitFor();
      if (await isRetired(serial)) throw new Error("the campaign retired before the merchant handed its records on");
      await t.checkpoint(page, "ended: records to hand on");

      await page.getByRole("button", { name: "Hand on records" }).click();
      const done = page.getByRole("main").getByRole("status").filter({ hasText: /^Records handed on/ });
      await expectText(done, "Records handed on: your next campaign with tiers or a stamp card takes over this campaign's customer records.", 30_000);
      if ((await handOn(page).count()) > 0) throw new Error("the page still offers to hand the records on");
      await t.checkpoint(page, "records handed on");

      if (!(await isRetired(serial))) throw new Error(`the page says handed on, but the factory does not count campaign ${serial} as retired`);
      const logs = await t.stack.chain.publicClient.getContractEvents({ address: factory, abi: campaignFactoryAbi, eventName: "CampaignRetired", args: { campaign }, fromBlock: 0n, strict: true });
      if (logs.length !== 1 || logs[0].args.serial !== serial) throw new Error(`the factory logged ${logs.length} CampaignRetired for the campaign (${logs.map((log) => log.args.serial).join(", ")}), not one for serial ${serial}`);
      if (!(await isCampaignRetired(t.stack.chain.publicClient, { serial, factory }))) throw new Error("the SDK's isCampaignRetired says the campaign has not retired");
      // Anyone may send it again: nothing changes, and the SDK reports no event.
      const someone = throwAwayAccount("retires-again");
      await t.stack.chain.fund(someone.address);
      const again = await (await retireCampaign(t.stack.chain.clientsOf(someone.privateKey), { campaign })).wait();
      if (again.receipt.status !== "success" || again.event !== undefined) throw new Error("retiring a retired campaign again reported a retirement");

      // The page reads it from the chain, not from the click.
      await page.reload();
      await expectText(done, /^Records handed on: /);
      if ((await page.getByRole("button", { name: "Hand on records" }).count()) > 0) throw new Error("a retired campaign offers to hand its records on again");
    },
  },
];
