import { type Address, zeroAddress } from "viem";
import { RewardKind, addReward, createCatalog, getCatalogOf } from "@perks/sdk";
import { ONE, devKey, throwAwayAccount } from "../support/chain";
import { expectText, type Journey, type JourneyContext } from "../support/runner";
import { connectWallet } from "./steps";

// A customer spends points on a merchant's reward: the catalog and its rewards are set up on chain the way the
// merchant's back office does it (the SDK's actions), then everything the customer does goes through the pages.

const DAY = 86_400n;

function metadataURI(document: Record<string, string>): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(document))}`;
}

/** Alpha Coffee's reward catalog, created once per run. */
async function alphaCatalog(t: JourneyContext): Promise<Address> {
  const alpha = t.stack.state.merchants[0];
  const factory = t.stack.contracts.CampaignFactory;
  const clients = t.stack.chain.clientsOf(devKey("alphaMerchant"));
  const existing = await getCatalogOf(clients.publicClient, { merchant: alpha.account, factory });
  if (existing) return existing;
  const sent = await createCatalog(clients, { token: alpha.token.address, factory });
  await sent.wait();
  return sent.result;
}

/** Lists a 15 % discount reward named `name` at `price` BEAN in Alpha Coffee's catalog. */
async function listDiscount(t: JourneyContext, catalog: Address, name: string, price: bigint) {
  const now = await t.stack.chain.now();
  const clients = t.stack.chain.clientsOf(devKey("alphaMerchant"));
  const sent = await addReward(clients, {
    catalog,
    params: {
      kind: RewardKind.DiscountPercent,
      value: 1_500n,
      price: price * ONE,
      supply: 100,
      perWallet: 0,
      startsAt: now,
      endsAt: now + 30n * DAY,
      tierCampaign: zeroAddress,
      minTier: 0,
      acceptsPartners: false,
      metadataURI: metadataURI({ name, description: "Show the voucher at the till." }),
    },
  });
  await sent.wait();
}

export const rewardJourneys: Journey[] = [
  {
    name: "customer › redeems a reward with a permit and keeps the voucher; a reward above the balance says so",
    viewport: "phone",
    async run(t) {
      const alpha = t.stack.state.merchants[0];
      const catalog = await alphaCatalog(t);
      await listDiscount(t, catalog, "15 % off a flat white", 20n);
      await listDiscount(t, catalog, "15 % off an espresso machine", 1_000n);
      const customer = throwAwayAccount("rewards");
      await t.stack.chain.fund(customer.address);
      await t.stack.chain.mint(devKey("alphaMerchant"), alpha.token.address, customer.address, 50n * ONE);

      const { page } = await t.open("/rewards", { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      // Insufficient balance: the customer is told before anything is signed.
      const machine = page.getByRole("article", { name: "15 % off an espresso machine" });
      await expectText(machine.locator(".reward-blocked"), "You do not have enough points yet.");
      if (!(await machine.getByRole("button", { name: "Redeem" }).isDisabled())) throw new Error("Redeem is enabled without enough points");
      await t.checkpoint(page, "catalog");

      const coffee = page.getByRole("article", { name: "15 % off a flat white" });
      await coffee.getByRole("button", { name: "Redeem" }).click();
      const dialog = page.getByRole("dialog", { name: "Redeem a reward" });
      await expectText(dialog.locator(".summary-box p").first(), /^You pay at most 20 BEAN\./);
      await t.checkpoint(page, "redeem dialog");
      await dialog.getByRole("button", { name: "Redeem", exact: true }).click();
      await expectText(dialog.locator("p.ok"), "Your voucher is in your wallet.", 30_000);
      if ((await t.stack.chain.balanceOf(alpha.token.address, customer.address)) !== 30n * ONE) throw new Error("20 BEAN were not spent");
      await dialog.getByRole("link", { name: "See my vouchers" }).click();
      await expectText(page.locator("main"), /15 % off a flat white/);
      await t.checkpoint(page, "my vouchers");
    },
  },
];
