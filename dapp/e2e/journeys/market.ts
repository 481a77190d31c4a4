import { type Address, formatUnits } from "viem";
import { chainTime, createOrder, orderIdOf, postBid, repriceBid } from "@perks/sdk";
import { LOCALE, TIME_ZONE } from "../support/browser";
import { ONE, devKey, throwAwayAccount } from "../support/chain";
import { expectText, type Journey, type JourneyContext } from "../support/runner";
import { connectWallet } from "./steps";

// Trading points and cashing them out. Makers' orders and other operators' bids are set up on chain with the SDK's
// actions (someone else's doing); the customer's and the exchange's own actions go through the pages. Bad paths
// change the world while the wallet's prompt is open (TestWallet.before), as happens to real people.

const USD = 10n ** 6n;
const HOUR = 3_600n;

/** A date and time as the SDK's error sentences write them (errors.ts valueFormat), in the browser's locale. */
function errorDate(unixSeconds: bigint): string {
  return new Intl.DateTimeFormat(LOCALE, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: TIME_ZONE,
    timeZoneName: "short",
  }).format(Number(unixSeconds) * 1000);
}

function tokens(t: JourneyContext) {
  const [alpha, beta] = t.stack.state.merchants;
  return { bean: alpha.token.address, page: beta.token.address, tusd: t.stack.contracts.TestStablecoin, exchange: t.stack.contracts.PointsExchange, gateway: t.stack.contracts.CashOutGateway };
}

/** A maker (a throw-away wallet) escrows `points` of a merchant's token for `usd` of the stablecoin. */
async function makerOrder(t: JourneyContext, label: string, token: "bean" | "page", points: bigint, usd: bigint, expiresIn: bigint) {
  const all = tokens(t);
  const maker = throwAwayAccount(label);
  await t.stack.chain.fund(maker.address);
  await t.stack.chain.mint(devKey(token === "bean" ? "alphaMerchant" : "betaMerchant"), all[token], maker.address, points);
  const clients = t.stack.chain.clientsOf(maker.privateKey);
  const expiresAt = (await chainTime(clients.publicClient)) + expiresIn;
  const sent = await createOrder(clients, { sellToken: all[token], buyToken: all.tusd, sellAmount: points, buyAmount: usd, expiresAt, exchange: all.exchange });
  await sent.wait();
  const [, order] = sent.result;
  return { order, expiresAt };
}

/** A customer with gas and `usd` of the stablecoin. */
async function buyer(t: JourneyContext, label: string, usd: bigint) {
  const customer = throwAwayAccount(label);
  await t.stack.chain.fund(customer.address);
  await t.stack.chain.mintStablecoin(tokens(t).tusd, customer.address, usd);
  return customer;
}

export const marketJourneys: Journey[] = [
  {
    name: "customer › fills part of an order from the book",
    viewport: "phone",
    async run(t) {
      const { bean, tusd } = tokens(t);
      await makerOrder(t, "maker-fill", "bean", 10n * ONE, 2n * USD, 24n * HOUR);
      const customer = await buyer(t, "taker-fill", 5n * USD);
      const { page } = await t.open(`/trade?base=${bean}&quote=${tusd}`, { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      const asks = page.getByRole("group", { name: "Buy BEAN" });
      await asks.getByRole("row").filter({ hasText: "0.2" }).getByRole("button", { name: "Buy" }).click();
      const dialog = page.getByRole("dialog", { name: "Buy BEAN" });
      await dialog.getByLabel("You receive (BEAN)").fill("4");
      await expectText(dialog.locator(".summary-box .total"), "You pay 0.8 TUSD.");
      await t.checkpoint(page, "fill dialog");
      await dialog.getByRole("button", { name: "Buy BEAN" }).click();
      await expectText(dialog.getByRole("status").first(), "Filled. The tokens are in your wallet.", 30_000);
      await t.checkpoint(page, "filled");
      if ((await t.stack.chain.balanceOf(bean, customer.address)) !== 4n * ONE) throw new Error("the customer did not get 4 BEAN");
    },
  },
  {
    name: "customer › an order that expires while the wallet asks says when it expired",
    viewport: "phone",
    async run(t) {
      const { page: pageToken, tusd } = tokens(t);
      const { order, expiresAt } = await makerOrder(t, "maker-expiring", "page", 10n * ONE, 3n * USD, HOUR);
      const customer = await buyer(t, "taker-expired", 5n * USD);
      const { page, wallet } = await t.open(`/trade?base=${pageToken}&quote=${tusd}`, { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      await page.getByRole("group", { name: "Buy PAGE" }).getByRole("row").filter({ hasText: "0.3" }).getByRole("button", { name: "Buy" }).click();
      const dialog = page.getByRole("dialog", { name: "Buy PAGE" });
      // The customer takes two hours to approve in the wallet.
      wallet!.before("eth_sendTransaction", () => t.stack.chain.increaseTime(Number(2n * HOUR)));
      await dialog.getByRole("button", { name: "Buy PAGE" }).click();
      await expectText(dialog.locator(".tx-status").getByRole("alert"), `Order no. ${orderIdOf(order)} expired on ${errorDate(expiresAt)}.`, 30_000);
      await t.checkpoint(page, "order expired");
      await dialog.getByRole("button", { name: "Close" }).click();
      await expectText(page.getByRole("heading", { name: "Expired orders" }), "Expired orders");
      await expectText(page.locator("section[aria-labelledby='expired-title'] p.hint"), "These can no longer be filled. Their escrow is still in the exchange: anyone can send it back to its maker.");
    },
  },
  {
    name: "exchange › posts a funded bid, a customer sells into it, and the exchange sees the sale",
    viewport: "desktop",
    async run(t) {
      const { bean, tusd } = tokens(t);
      const alpha = t.stack.state.merchants[0];
      const operator = throwAwayAccount("operator");
      await t.stack.chain.fund(operator.address);
      await t.stack.chain.mintStablecoin(tusd, operator.address, 100n * USD);
      const desk = await t.open("/exchange?view=post", { wallet: operator.privateKey });
      await connectWallet(desk.page, operator.address);
      await desk.page.getByLabel("Points to buy").selectOption({ label: "BEAN · Alpha Coffee Beans" });
      await desk.page.getByLabel("Price per point (TUSD)").fill("0.008");
      await desk.page.getByLabel("Most points to buy (BEAN)").fill("500");
      const funds = await desk.page.getByLabel("Fund now (TUSD)").inputValue();
      if (funds !== "4") throw new Error(`full funding should be filled in as 4 TUSD, not ${JSON.stringify(funds)}`);
      await t.checkpoint(desk.page, "bid form");
      await desk.page.getByRole("button", { name: "Post bid" }).click();
      await expectText(desk.page.locator(".tx-status").first(), /Your bid is live: customers see it on their Cash out page\./, 30_000);

      const customer = throwAwayAccount("seller");
      await t.stack.chain.fund(customer.address);
      await t.stack.chain.mint(devKey("alphaMerchant"), alpha.token.address, customer.address, 25n * ONE);
      const phone = await t.open(`/cash-out?token=${bean}`, { viewport: "phone", wallet: customer.privateKey });
      await connectWallet(phone.page, customer.address);
      const bids = phone.page.getByRole("group", { name: "Bids for BEAN" });
      await bids.getByRole("row").filter({ hasText: "0.008 TUSD" }).getByRole("button", { name: "Sell" }).click();
      const dialog = phone.page.getByRole("dialog", { name: "Sell BEAN" });
      await dialog.getByLabel("Points to sell (BEAN)").fill("25");
      await expectText(dialog.locator(".summary-box .total"), "You accept no less than 0.2 TUSD.");
      await t.checkpoint(phone.page, "sell dialog: minimum shown before signing");
      await dialog.getByRole("button", { name: "Sell for TUSD" }).click();
      await expectText(dialog.getByRole("status").first(), "Sold. The TUSD is in your wallet.", 30_000);
      await t.checkpoint(phone.page, "sold");

      await desk.page.goto(new URL("/exchange", t.stack.dappUrl).toString());
      const card = desk.page.getByRole("article").filter({ hasText: "BEAN for TUSD" });
      await expectText(card.locator("dt:text('Bought so far') + dd"), "25 BEAN for 0.2 TUSD", 30_000);
      await t.checkpoint(desk.page, "the exchange sees the sale");
    },
  },
  {
    name: "customer › a bid repriced while the wallet asks fails on the minimum out instead of paying less",
    viewport: "phone",
    async run(t) {
      const { page: pageToken, tusd, gateway } = tokens(t);
      const beta = t.stack.state.merchants[1];
      const operator = throwAwayAccount("repricing-operator");
      await t.stack.chain.fund(operator.address);
      await t.stack.chain.mintStablecoin(tusd, operator.address, 10n * USD);
      const operatorClients = t.stack.chain.clientsOf(operator.privateKey);
      const expiresAt = (await chainTime(operatorClients.publicClient)) + 24n * HOUR;
      const posted = await postBid(operatorClients, { token: pageToken, stablecoin: tusd, price: USD / 100n, maxPoints: 100n * ONE, expiresAt, funds: USD, gateway });
      await posted.wait();
      const bidId = posted.result;

      const customer = throwAwayAccount("min-out");
      await t.stack.chain.fund(customer.address);
      await t.stack.chain.mint(devKey("betaMerchant"), beta.token.address, customer.address, 10n * ONE);
      const { page, wallet } = await t.open(`/cash-out?token=${pageToken}`, { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      await page.getByRole("group", { name: "Bids for PAGE" }).getByRole("row").filter({ hasText: "0.01 TUSD" }).getByRole("button", { name: "Sell" }).click();
      const dialog = page.getByRole("dialog", { name: "Sell PAGE" });
      await dialog.getByLabel("Points to sell (PAGE)").fill("10");
      await expectText(dialog.locator(".summary-box .total"), "You accept no less than 0.1 TUSD.");
      // The operator halves the price while the customer reads the permit in the wallet.
      wallet!.before("eth_signTypedData_v4", async () => {
        await (await repriceBid(operatorClients, { bidId, price: USD / 200n, gateway })).wait();
      });
      await dialog.getByRole("button", { name: "Sell for TUSD" }).click();
      await expectText(dialog.locator(".tx-status").getByRole("alert"), `This sale would pay ${formatUnits(USD / 20n, 6)} TUSD, less than the ${formatUnits(USD / 10n, 6)} TUSD you asked for at least.`, 30_000);
      await t.checkpoint(page, "minimum out not met");
      if ((await t.stack.chain.balanceOf(pageToken as Address, customer.address)) !== 10n * ONE) throw new Error("points left the wallet");
    },
  },
];
