import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, erc20Abi, getAddress } from "viem";
import { hardhat } from "viem/chains";
import { network } from "hardhat";
import { campaignFixture, ONE } from "../helpers/fixtures";

async function multicallFixture() {
  const base = await campaignFixture();
  const multicall = await ethers.deployContract("Multicall3");
  return { ...base, multicall };
}

describe("Multicall3", function () {
  describe("aggregate3", function () {
    it("returns every call's outcome, failures included when allowed", async function () {
      const { multicall, token, merchant, alice } = await loadFixture(multicallFixture);
      await token.connect(merchant).mint(alice.address, 5n * ONE);
      const calls = [
        { target: await token.getAddress(), allowFailure: false, callData: token.interface.encodeFunctionData("balanceOf", [alice.address]) },
        { target: await token.getAddress(), allowFailure: true, callData: token.interface.encodeFunctionData("mint", [alice.address, 1n]) },
      ];
      const [balance, mint] = await multicall.aggregate3.staticCall(calls);
      expect(balance.success).to.equal(true);
      expect(token.interface.decodeFunctionResult("balanceOf", balance.returnData)[0]).to.equal(5n * ONE);
      expect(mint.success).to.equal(false);
      expect(token.interface.parseError(mint.returnData)?.name).to.equal("LoyaltyTokenUnauthorizedMinter");
    });

    it("reverts with Multicall3CallFailed when a call that must succeed fails", async function () {
      const { multicall, token, alice } = await loadFixture(multicallFixture);
      const callData = token.interface.encodeFunctionData("mint", [alice.address, 1n]);
      const revertData = token.interface.encodeErrorResult("LoyaltyTokenUnauthorizedMinter", [await multicall.getAddress()]);
      await expect(multicall.aggregate3([{ target: await token.getAddress(), allowFailure: false, callData }]))
        .to.be.revertedWithCustomError(multicall, "Multicall3CallFailed")
        .withArgs(0, revertData);
    });

    it("serves viem's batched reads in one eth_call", async function () {
      const { multicall, token, merchant, alice, bob } = await loadFixture(multicallFixture);
      await token.connect(merchant).mint(bob.address, 7n * ONE);
      const calls: string[] = [];
      const client = createPublicClient({
        chain: { ...hardhat, contracts: { multicall3: { address: getAddress(await multicall.getAddress()) } } },
        transport: custom({
          request: ({ method, params }: { method: string; params?: unknown[] }) => {
            calls.push(method);
            return network.provider.request({ method, params });
          },
        }),
      });
      const address = getAddress(await token.getAddress());
      const results = await client.multicall({
        contracts: [alice.address, bob.address].map((holder) => ({
          address,
          abi: erc20Abi,
          functionName: "balanceOf" as const,
          args: [getAddress(holder)] as const,
        })),
        allowFailure: false,
      });
      expect(results).to.deep.equal([0n, 7n * ONE]);
      expect(calls).to.deep.equal(["eth_call"]);
    });
  });

  describe("getCurrentBlockTimestamp and getEthBalance", function () {
    it("return the block's timestamp and an account's ETH balance, as viem's getBalance asks", async function () {
      const { multicall, alice } = await loadFixture(multicallFixture);
      const block = await ethers.provider.getBlock("latest");
      expect(await multicall.getCurrentBlockTimestamp()).to.equal(block!.timestamp);
      expect(await multicall.getEthBalance(alice.address)).to.equal(await ethers.provider.getBalance(alice.address));
    });
  });

  describe("getBlockNumber", function () {
    it("returns the current block", async function () {
      const { multicall } = await loadFixture(multicallFixture);
      expect(await multicall.getBlockNumber()).to.equal(await ethers.provider.getBlockNumber());
    });
  });
});
