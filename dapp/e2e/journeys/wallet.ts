import { ONE, devKey, throwAwayAccount } from "../support/chain";
import { expectText, type Journey } from "../support/runner";
import { connectWallet } from "./steps";

// A customer sends points to a friend from the wallet page; asking for more than the balance is refused before the
// wallet is ever asked.

export const walletJourneys: Journey[] = [
  {
    name: "customer › sending more points than held says so; sending what is held works",
    viewport: "phone",
    async run(t) {
      const alpha = t.stack.state.merchants[0];
      const customer = throwAwayAccount("sender");
      const friend = throwAwayAccount("friend");
      await t.stack.chain.fund(customer.address);
      await t.stack.chain.mint(devKey("alphaMerchant"), alpha.token.address, customer.address, 5n * ONE);
      const { page, wallet } = await t.open("/", { wallet: customer.privateKey });
      await connectWallet(page, customer.address);
      const card = page.getByRole("article", { name: "Alpha Coffee Beans" });
      await expectText(card.locator(".token-balance"), "5 BEAN");
      await card.getByRole("button", { name: "Send" }).click();

      const dialog = page.getByRole("dialog", { name: "Send BEAN" });
      await dialog.getByLabel("Recipient's wallet address").fill(friend.address);
      await dialog.getByLabel("Amount of BEAN").fill("6");
      await dialog.getByRole("button", { name: "Send 6 BEAN" }).click();
      await expectText(dialog.getByRole("alert"), "You have 5 BEAN; enter at most that.");
      if (wallet!.requests.includes("eth_sendTransaction")) throw new Error("the wallet was asked to send more than the balance");
      await t.checkpoint(page, "insufficient balance");

      await dialog.getByLabel("Amount of BEAN").fill("2");
      await dialog.getByRole("button", { name: "Send 2 BEAN" }).click();
      await expectText(dialog.getByRole("status").first(), /^Sent 2 BEAN to 0x/, 30_000);
      await t.checkpoint(page, "sent");
      if ((await t.stack.chain.balanceOf(alpha.token.address, friend.address)) !== 2n * ONE) throw new Error("the friend did not get 2 BEAN");
      await dialog.getByRole("button", { name: "Done" }).click();
      await expectText(card.locator(".token-balance"), "3 BEAN");
    },
  },
];
