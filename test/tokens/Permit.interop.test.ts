import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { createWalletClient, custom, getAddress, parseSignature, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createToken, deployFactory, ONE } from "../helpers/fixtures";

// A holder signs an EIP-2612 permit with viem, knowing only the token's name and address (as any wallet would), and
// a contract that knows nothing of Perks spends it: the token behaves like any permit token.
describe("LoyaltyToken permit, spent by a third-party contract", function () {
  async function fixture() {
    const [, merchant, spenderCaller] = await ethers.getSigners();
    const factory = await deployFactory();
    const token = await createToken(factory, merchant);
    const puller = await ethers.deployContract("PermitPuller");
    const holder = privateKeyToAccount(("0x" + "42".repeat(32)) as Hex);
    await token.connect(merchant).mint(holder.address, 100n * ONE);
    return { token, puller, holder, spenderCaller };
  }

  it("pulls the permitted amount in one transaction and uses up the nonce", async function () {
    const { token, puller, holder, spenderCaller } = await loadFixture(fixture);
    const wallet = createWalletClient({ account: holder, chain: hardhat, transport: custom(network.provider) });
    const deadline = BigInt(await time.latest()) + 3600n;
    const signature = await wallet.signTypedData({
      domain: {
        name: await token.name(),
        version: "1",
        chainId: hardhat.id,
        verifyingContract: getAddress(await token.getAddress()),
      },
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: {
        owner: holder.address,
        spender: getAddress(await puller.getAddress()),
        value: 30n * ONE,
        nonce: await token.nonces(holder.address),
        deadline,
      },
    });
    const { v, r, s } = parseSignature(signature);

    await expect(
      puller.connect(spenderCaller).pull(token, holder.address, 30n * ONE, deadline, Number(v), r, s),
    ).to.changeTokenBalances(token, [holder.address, spenderCaller.address], [-30n * ONE, 30n * ONE]);
    expect(await token.nonces(holder.address)).to.equal(1n);
    expect(await token.allowance(holder.address, await puller.getAddress())).to.equal(0n);

    // The same signature cannot be spent twice.
    await expect(
      puller.connect(spenderCaller).pull(token, holder.address, 30n * ONE, deadline, Number(v), r, s),
    ).to.be.revertedWithCustomError(token, "InvalidPermit");
  });
});
