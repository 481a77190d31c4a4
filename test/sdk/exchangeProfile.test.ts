import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Address, getAddress, parseEventLogs } from "viem";
import { createToken } from "../../sdk/src/actions/factory";
import { getBalance, getTokenMetadata, mint, transfer } from "../../sdk/src/actions/token";
import { loyaltyTokenAbi } from "../../sdk/src/generated/abis";
import { ONE, deployFactory } from "../helpers/fixtures";
import { clientsOf, hardhatAccounts, publicClient } from "./support";

// What docs/exchanges.md promises about a Perks token, checked the way an exchange's integration would see it.

async function tokenFixture() {
  const [merchant, alice, exchange] = await hardhatAccounts();
  const factory = getAddress(await (await deployFactory()).getAddress());
  const created = await createToken(clientsOf(merchant), {
    params: { name: "Alpha Coffee Beans", symbol: "BEAN", faceValue: 10_000n, metadataURI: "" },
    factory,
  });
  const token = getAddress((await created.wait()).event.args.token);
  await (await mint(clientsOf(merchant), { token, to: alice, amount: 1_000n * ONE })).wait();
  return { merchant, alice, exchange, token };
}

describe("Perks token profile for exchanges", () => {
  it("has the ERC-20 and EIP-2612 functions and none to pause, blacklist, charge fees or rebase", () => {
    const functions = loyaltyTokenAbi.filter((item) => item.type === "function").map((item) => item.name);
    for (const erc20 of [
      "name",
      "symbol",
      "decimals",
      "totalSupply",
      "balanceOf",
      "transfer",
      "transferFrom",
      "approve",
      "allowance",
    ]) {
      expect(functions).to.include(erc20);
    }
    expect(functions).to.include.members(["permit", "nonces", "DOMAIN_SEPARATOR"]);
    expect(
      functions.filter((name) => /pause|black|block|deny|freeze|frozen|fee|rebase|share/i.test(name)),
    ).to.deep.equal([]);
    // The merchant's powers: minting, metadata and minters; burning needs the holder or its allowance.
    // mintWithRecord is the campaigns' mint (it also keeps a wallet's tier record beside its balance).
    expect(functions.filter((name) => /^set|mint|burn|Ownership$/.test(name)).sort()).to.deep.equal(
      [
        "burn",
        "burnFrom",
        "mint",
        "mintWithRecord",
        "renounceOwnership",
        "setFaceValue",
        "setMetadataURI",
        "setMinter",
        "transferOwnership",
      ].sort(),
    );
  });

  it("has 18 decimals; a deposit arrives whole, with one Transfer event, and the balance does not move with time", async () => {
    const { alice, exchange, token } = await loadFixture(tokenFixture);
    expect((await getTokenMetadata(publicClient, { token })).decimals).to.equal(18);
    const { receipt } = await (await transfer(clientsOf(alice), { token, to: exchange, amount: 123n * ONE })).wait();
    const logs = parseEventLogs({ abi: loyaltyTokenAbi, logs: receipt.logs });
    expect(logs.map((log) => [log.eventName, log.args])).to.deep.equal([
      ["Transfer", { from: alice, to: exchange, amount: 123n * ONE }],
    ]);
    expect(await getBalance(publicClient, { token, account: exchange })).to.equal(123n * ONE);
    await time.increase(365 * 24 * 60 * 60);
    expect(await getBalance(publicClient, { token, account: exchange })).to.equal(123n * ONE);
  });
});
