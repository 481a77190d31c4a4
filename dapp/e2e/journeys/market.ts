import type { Address } from "viem";
import { chainTime, createOrder, orderIdOf, postBid, repriceBid, valueFormat } from "@perks/sdk";
import { LOCALE, TIME_ZONE } from "../support/browser";
import { ONE, devKey, throwAwayAccount } from "../support/chain";
import { expectText, type Journey, type JourneyContext, tap } from "../support/runner";
import { connectWallet } from "./steps";

// Trading points and cashing them out. Makers' orders and other operators' bids are set up on chain with the SDK's
// actions (someone else's doing); the customer's and the exchange's own actions go through the pages. Bad paths
// change the world while the wallet's prompt is open (TestWallet.before), as happens to real people.

const USD = 10n ** 6n;
const HOUR = 3_600n;

/** Values as the SDK's error sentences write them (errors.ts valueFormat), in the browser's locale and zone. */
const errorValues = valueFormat({ locale: LOCALE, timeZone: TIME_ZONE });

function tokens(t: JourneyContext) {
  const [alpha, beta] = t.stack.state.merchants;
  return {
    bean: alpha.token.address,
    page: beta.token.address,
    tusd: t.stack.stablecoin.address,
    /** The stablecoin's symbol, as the pages write it. */
    usd: t.stack.stablecoin.symbol,
    exchange: t.stack.contracts.PointsExchange,
    gateway: t.stack.contracts.CashOutGateway,
  };
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
      const { bean, tusd, usd } = tokens(t);
      // 10 BEAN for 2.3: 0.23 a point, a price no seeded order has.
      await makerOrder(t, "maker-fill", "bean", 10n * ONE, 2_300_000n, 24n * HOUR);
      const customer = await buyer(t, "taker-fill", 5n * USD);
      const { page } = await t.open(`/trade?base=${bean}&quote=${tusd}`, { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      const asks = page.getByRole("region", { name: "Buy BEAN" });
      await tap(t, asks.getByRole("row").filter({ hasText: "0.23" }).getByRole("button", { name: "Buy" }), "the order's Buy button");
      const dialog = page.getByRole("dialog", { name: "Buy BEAN" });
      await dialog.getByLabel("You receive (BEAN)").fill("4");
      await expectText(dialog.locator(".summary-box .total"), `You pay 0.92 ${usd}.`);
      await t.checkpoint(page, "fill dialog");
      await tap(t, dialog.getByRole("button", { name: "Buy BEAN" }), "the fill dialog's Buy BEAN button");
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
      // 10 PAGE for 3.7: 0.37 a point, for an hour.
      const { order, expiresAt } = await makerOrder(t, "maker-expiring", "page", 10n * ONE, 3_700_000n, HOUR);
      const customer = await buyer(t, "taker-expired", 5n * USD);
      const { page, wallet } = await t.open(`/trade?base=${pageToken}&quote=${tusd}`, { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      await tap(t, page.getByRole("region", { name: "Buy PAGE" }).getByRole("row").filter({ hasText: "0.37" }).getByRole("button", { name: "Buy" }), "the order's Buy button");
      const dialog = page.getByRole("dialog", { name: "Buy PAGE" });
      // The customer takes two hours to approve in the wallet.
      wallet!.before("eth_sendTransaction", () => t.stack.chain.increaseTime(Number(2n * HOUR)));
      await t.checkpoint(page, "fill dialog");
      await tap(t, dialog.getByRole("button", { name: "Buy PAGE" }), "the fill dialog's Buy PAGE button");
      // Once the book has caught up, the order is listed as expired, and the dialog must say that it expired (the
      // exchange's refusal reads "Order no. <id> expired on <date>.").
      await expectText(page.getByRole("heading", { name: "Expired orders" }), "Expired orders", 30_000);
      await expectText(
        page.locator("section[aria-labelledby='expired-title'] p.hint"),
        "These can no longer be filled. Their escrow is still in the exchange: anyone can send it back to its maker.",
      );
      await t.checkpoint(page, "order expired");
      const said = (await dialog.getByRole("alert").allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
      // The exchange's own refusal, or the dialog's reading of the book ("This order expired on …").
      const refusal = `Order no. ${errorValues.id(orderIdOf(order))} expired on ${errorValues.date(expiresAt)}.`;
      if (!said.some((text) => text === refusal || text.startsWith("This order expired on "))) {
        t.problem(`the fill dialog does not say the order expired (the exchange said "${refusal}"); it says: ${JSON.stringify(said)}`);
      }
      await page.keyboard.press("Escape");
    },
  },
  {
    name: "exchange › posts a funded bid, a customer sells into it, and the exchange sees the sale",
    viewport: "desktop",
    async run(t) {
      const { bean, tusd, usd } = tokens(t);
      const alpha = t.stack.state.merchants[0];
      const operator = throwAwayAccount("operator");
      await t.stack.chain.fund(operator.address);
      await t.stack.chain.mintStablecoin(tusd, operator.address, 100n * USD);
      const desk = await t.open("/exchange?view=post", { wallet: operator.privateKey });
      await connectWallet(desk.page, operator.address);
      await desk.page.getByLabel("Points to buy", { exact: true }).selectOption({ label: "BEAN · Alpha Coffee Beans" });
      await desk.page.getByLabel(`Price per point (${usd})`).fill("0.0087");
      await desk.page.getByLabel("Most points to buy (BEAN)").fill("500");
      const funds = await desk.page.getByLabel(`Fund now (${usd})`).inputValue();
      if (funds !== "4.35") throw new Error(`full funding should be filled in as 4.35 ${usd}, not ${JSON.stringify(funds)}`);
      await t.checkpoint(desk.page, "bid form");
      await desk.page.getByRole("button", { name: "Post bid" }).click();
      await expectText(desk.page.locator(".tx-status").first(), /Your bid is live: customers see it on their Cash out page\./, 30_000);

      const customer = throwAwayAccount("seller");
      await t.stack.chain.fund(customer.address);
      await t.stack.chain.mint(devKey("alphaMerchant"), alpha.token.address, customer.address, 25n * ONE);
      const phone = await t.open(`/cash-out?token=${bean}`, { viewport: "phone", wallet: customer.privateKey });
      await connectWallet(phone.page, customer.address);
      const bids = phone.page.getByRole("region", { name: "Bids for BEAN" });
      await tap(t, bids.getByRole("row").filter({ hasText: `0.0087 ${usd}` }).getByRole("button", { name: "Sell" }), "the bid's Sell button");
      const dialog = phone.page.getByRole("dialog", { name: "Sell BEAN" });
      await dialog.getByLabel("Points to sell (BEAN)").fill("25");
      await expectText(dialog.locator(".summary-box .total"), `You accept no less than 0.2175 ${usd}.`);
      await t.checkpoint(phone.page, "sell dialog: minimum shown before signing");
      await tap(t, dialog.getByRole("button", { name: `Sell for ${usd}` }), "the sell dialog's button");
      await expectText(dialog.getByRole("status").first(), `Sold. The ${usd} is in your wallet.`, 30_000);
      await t.checkpoint(phone.page, "sold");

      await desk.page.goto(new URL("/exchange", t.stack.dappUrl).toString());
      const card = desk.page.getByRole("article").filter({ hasText: `BEAN for ${usd}` });
      await expectText(card.locator("dt:text('Bought so far') + dd"), `25 BEAN for 0.2175 ${usd}`, 30_000);
      await t.checkpoint(desk.page, "the exchange sees the sale");
    },
  },
  {
    name: "customer › a bid repriced while the wallet asks fails on the minimum out instead of paying less",
    viewport: "phone",
    async run(t) {
      const { page: pageToken, tusd, usd, gateway } = tokens(t);
      const beta = t.stack.state.merchants[1];
      const operator = throwAwayAccount("repricing-operator");
      await t.stack.chain.fund(operator.address);
      await t.stack.chain.mintStablecoin(tusd, operator.address, 10n * USD);
      const operatorClients = t.stack.chain.clientsOf(operator.privateKey);
      const expiresAt = (await chainTime(operatorClients.publicClient)) + 24n * HOUR;
      // 0.0123 a point, a price no seeded bid has.
      const posted = await postBid(operatorClients, { token: pageToken, stablecoin: tusd, price: 12_300n, maxPoints: 100n * ONE, expiresAt, funds: USD, gateway });
      await posted.wait();
      const bidId = posted.result;

      const customer = throwAwayAccount("min-out");
      await t.stack.chain.fund(customer.address);
      await t.stack.chain.mint(devKey("betaMerchant"), beta.token.address, customer.address, 10n * ONE);
      const { page, wallet } = await t.open(`/cash-out?token=${pageToken}`, { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      await tap(t, page.getByRole("region", { name: "Bids for PAGE" }).getByRole("row").filter({ hasText: `0.0123 ${usd}` }).getByRole("button", { name: "Sell" }), "the bid's Sell button");
      const dialog = page.getByRole("dialog", { name: "Sell PAGE" });
      await dialog.getByLabel("Points to sell (PAGE)").fill("10");
      await expectText(dialog.locator(".summary-box .total"), `You accept no less than 0.123 ${usd}.`);
      // The operator halves the price while the customer reads the permit in the wallet.
      wallet!.before("eth_signTypedData_v4", async () => {
        await (await repriceBid(operatorClients, { bidId, price: 6_150n, gateway })).wait();
      });
      await tap(t, dialog.getByRole("button", { name: `Sell for ${usd}` }), "the sell dialog's button");
      await expectText(
        dialog.locator(".tx-status").getByRole("alert"),
        `This sale would pay 0.0615 ${usd}, less than the 0.123 ${usd} you asked for at least.`,
        30_000,
      );
      await t.checkpoint(page, "minimum out not met");
      if ((await t.stack.chain.balanceOf(pageToken as Address, customer.address)) !== 10n * ONE) throw new Error("points left the wallet");
    },
  },
];
