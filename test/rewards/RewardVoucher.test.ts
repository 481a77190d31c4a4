import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ReentrantERC1155Receiver } from "../../typechain-types";
import {
  DAY,
  addReward,
  createCatalog,
  createToken,
  rewardParams,
  rewardsFixture,
  signUse,
  tokenParams,
  type Use,
} from "../helpers/fixtures";

const MAX = ethers.MaxUint256;
const NO_KEY = ethers.ZeroHash;

/** The rewards fixture with alice holding 3 vouchers of reward 1 and 1 of reward 2, and an ERC-1155 receiver. */
async function voucherFixture() {
  const fixture = await rewardsFixture();
  const { catalog, merchant, alice, token, rewardId } = fixture;
  await (await catalog.connect(alice).redeem(rewardId, 3n, token, MAX, NO_KEY)).wait();
  const otherId = await addReward(catalog, merchant, await rewardParams({ metadataURI: "ipfs://other" }));
  await (await catalog.connect(alice).redeem(otherId, 1n, token, MAX, NO_KEY)).wait();
  const receiver = (await ethers.deployContract("ReentrantERC1155Receiver")) as unknown as ReentrantERC1155Receiver;
  const deadline = BigInt(await time.latest()) + BigInt(DAY);
  return { ...fixture, otherId, receiver, deadline };
}

describe("RewardVoucher", function () {
  describe("views", function () {
    it("name the catalog and take each id's URI from it", async function () {
      const { catalog, voucher, rewardId, otherId } = await loadFixture(voucherFixture);
      expect(await voucher.catalog()).to.equal(await catalog.getAddress());
      expect(await voucher.uri(rewardId)).to.equal("ipfs://reward");
      expect(await voucher.uri(otherId)).to.equal("ipfs://other");
    });

    it("support ERC-165, ERC-1155 and its metadata extension only", async function () {
      const { voucher } = await loadFixture(voucherFixture);
      for (const id of ["0x01ffc9a7", "0xd9b67a26", "0x0e89341c"]) {
        expect(await voucher.supportsInterface(id)).to.equal(true);
      }
      for (const id of ["0xffffffff", "0x4e2312e0", "0x00000000"]) {
        expect(await voucher.supportsInterface(id)).to.equal(false);
      }
    });

    it("show balances one by one and in a batch", async function () {
      const { voucher, alice, bob, rewardId, otherId } = await loadFixture(voucherFixture);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(3n);
      expect(
        await voucher.balanceOfBatch([alice.address, alice.address, bob.address], [rewardId, otherId, rewardId]),
      ).to.deep.equal([3n, 1n, 0n]);
    });

    it("revert on a batch of mismatched lengths", async function () {
      const { voucher, alice, rewardId } = await loadFixture(voucherFixture);
      await expect(voucher.balanceOfBatch([alice.address], [rewardId, rewardId]))
        .to.be.revertedWithCustomError(voucher, "ERC1155InvalidArrayLength")
        .withArgs(2n, 1n);
    });
  });

  describe("setApprovalForAll", function () {
    it("approves and revokes an operator", async function () {
      const { voucher, alice, bob } = await loadFixture(voucherFixture);
      await expect(voucher.connect(alice).setApprovalForAll(bob.address, true))
        .to.emit(voucher, "ApprovalForAll")
        .withArgs(alice.address, bob.address, true);
      expect(await voucher.isApprovedForAll(alice.address, bob.address)).to.equal(true);
      await (await voucher.connect(alice).setApprovalForAll(bob.address, false)).wait();
      expect(await voucher.isApprovedForAll(alice.address, bob.address)).to.equal(false);
    });

    it("reverts for the zero address", async function () {
      const { voucher, alice } = await loadFixture(voucherFixture);
      await expect(voucher.connect(alice).setApprovalForAll(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(voucher, "ERC1155InvalidOperator")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("safeTransferFrom", function () {
    it("lets the holder give vouchers away, without changing who redeemed them", async function () {
      const { voucher, alice, bob, rewardId } = await loadFixture(voucherFixture);
      await expect(voucher.connect(alice).safeTransferFrom(alice.address, bob.address, rewardId, 2n, "0x"))
        .to.emit(voucher, "TransferSingle")
        .withArgs(alice.address, alice.address, bob.address, rewardId, 2n);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(1n);
      expect(await voucher.balanceOf(bob.address, rewardId)).to.equal(2n);
      expect(await voucher.redeemedBy(alice.address, rewardId)).to.equal(3n);
      expect(await voucher.redeemedBy(bob.address, rewardId)).to.equal(0n);
    });

    it("lets an approved operator move them, and a self-transfer changes nothing", async function () {
      const { voucher, alice, bob, carol, rewardId } = await loadFixture(voucherFixture);
      await (await voucher.connect(alice).setApprovalForAll(bob.address, true)).wait();
      await expect(voucher.connect(bob).safeTransferFrom(alice.address, carol.address, rewardId, 1n, "0x"))
        .to.emit(voucher, "TransferSingle")
        .withArgs(bob.address, alice.address, carol.address, rewardId, 1n);
      await (await voucher.connect(alice).safeTransferFrom(alice.address, alice.address, rewardId, 2n, "0x")).wait();
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(2n);
      expect(await voucher.balanceOf(carol.address, rewardId)).to.equal(1n);
    });

    it("calls the receiving contract's hook with the data", async function () {
      const { voucher, alice, receiver, rewardId } = await loadFixture(voucherFixture);
      await (await voucher.connect(alice).safeTransferFrom(alice.address, receiver, rewardId, 1n, "0x1234")).wait();
      expect(await voucher.balanceOf(receiver, rewardId)).to.equal(1n);
    });

    it("attack: someone other than the holder cannot move a voucher, the merchant included", async function () {
      const { voucher, catalog, alice, merchant, stranger, rewardId } = await loadFixture(voucherFixture);
      for (const caller of [stranger, merchant]) {
        await expect(voucher.connect(caller).safeTransferFrom(alice.address, caller.address, rewardId, 1n, "0x"))
          .to.be.revertedWithCustomError(voucher, "ERC1155MissingApprovalForAll")
          .withArgs(caller.address, alice.address);
      }
      // Not the catalog either: it has no function that moves vouchers, and the voucher has none for it but mint.
      const catalogAddress = await catalog.getAddress();
      await ethers.provider.send("hardhat_impersonateAccount", [catalogAddress]);
      await ethers.provider.send("hardhat_setBalance", [catalogAddress, "0xde0b6b3a7640000"]);
      const asCatalog = await ethers.getSigner(catalogAddress);
      await expect(voucher.connect(asCatalog).safeTransferFrom(alice.address, catalogAddress, rewardId, 1n, "0x"))
        .to.be.revertedWithCustomError(voucher, "ERC1155MissingApprovalForAll")
        .withArgs(catalogAddress, alice.address);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(3n);
    });

    it("reverts for the zero address, more than the balance, and a contract without the hook", async function () {
      const { voucher, token, alice, rewardId } = await loadFixture(voucherFixture);
      await expect(voucher.connect(alice).safeTransferFrom(alice.address, ethers.ZeroAddress, rewardId, 1n, "0x"))
        .to.be.revertedWithCustomError(voucher, "ERC1155InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(voucher.connect(alice).safeTransferFrom(alice.address, token, rewardId, 1n, "0x"))
        .to.be.revertedWithCustomError(voucher, "ERC1155InvalidReceiver")
        .withArgs(await token.getAddress());
      await expect(voucher.connect(alice).safeTransferFrom(alice.address, token, rewardId, 4n, "0x"))
        .to.be.revertedWithCustomError(voucher, "ERC1155InsufficientBalance")
        .withArgs(alice.address, 3n, 4n, rewardId);
    });
  });

  describe("safeBatchTransferFrom", function () {
    it("moves several ids at once", async function () {
      const { voucher, alice, bob, rewardId, otherId } = await loadFixture(voucherFixture);
      await expect(voucher.connect(alice).safeBatchTransferFrom(alice.address, bob.address, [rewardId, otherId], [2n, 1n], "0x"))
        .to.emit(voucher, "TransferBatch")
        .withArgs(alice.address, alice.address, bob.address, [rewardId, otherId], [2n, 1n]);
      expect(await voucher.balanceOfBatch([bob.address, bob.address], [rewardId, otherId])).to.deep.equal([2n, 1n]);
    });

    it("calls the receiving contract's batch hook", async function () {
      const { voucher, alice, receiver, rewardId, otherId } = await loadFixture(voucherFixture);
      await (await voucher.connect(alice).safeBatchTransferFrom(alice.address, receiver, [rewardId, otherId], [1n, 1n], "0x")).wait();
      expect(await voucher.balanceOf(receiver, otherId)).to.equal(1n);
    });

    it("reverts on mismatched lengths, without approval, or beyond a balance", async function () {
      const { voucher, alice, bob, stranger, rewardId, otherId } = await loadFixture(voucherFixture);
      await expect(voucher.connect(alice).safeBatchTransferFrom(alice.address, bob.address, [rewardId], [1n, 1n], "0x"))
        .to.be.revertedWithCustomError(voucher, "ERC1155InvalidArrayLength")
        .withArgs(1n, 2n);
      await expect(voucher.connect(stranger).safeBatchTransferFrom(alice.address, bob.address, [rewardId], [1n], "0x"))
        .to.be.revertedWithCustomError(voucher, "ERC1155MissingApprovalForAll")
        .withArgs(stranger.address, alice.address);
      await expect(voucher.connect(alice).safeBatchTransferFrom(alice.address, bob.address, [rewardId, otherId], [1n, 2n], "0x"))
        .to.be.revertedWithCustomError(voucher, "ERC1155InsufficientBalance")
        .withArgs(alice.address, 1n, 2n, otherId);
    });
  });

  describe("mint", function () {
    it("reverts for anyone but the catalog, the merchant included", async function () {
      const { voucher, merchant, stranger, rewardId } = await loadFixture(voucherFixture);
      for (const caller of [merchant, stranger]) {
        await expect(voucher.connect(caller).mint(caller.address, rewardId, 1n, 0n))
          .to.be.revertedWithCustomError(voucher, "RewardVoucherUnauthorizedCatalog")
          .withArgs(caller.address);
      }
    });

    it("reverts on the implementation, which has no catalog", async function () {
      const { catalog, voucher, stranger } = await loadFixture(voucherFixture);
      const implementation = await ethers.getContractAt("RewardVoucher", await catalog.voucherImplementation());
      await expect(implementation.connect(stranger).mint(stranger.address, 1n, 1n, 0n))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherUnauthorizedCatalog")
        .withArgs(stranger.address);
    });
  });

  describe("use", function () {
    it("burns one of the holder's vouchers", async function () {
      const { voucher, alice, rewardId } = await loadFixture(voucherFixture);
      await expect(voucher.connect(alice).use(rewardId))
        .to.emit(voucher, "VoucherUsed")
        .withArgs(alice.address, rewardId, alice.address)
        .and.to.emit(voucher, "TransferSingle")
        .withArgs(alice.address, alice.address, ethers.ZeroAddress, rewardId, 1n);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(2n);
    });

    it("attack: using a voucher twice reverts", async function () {
      const { voucher, alice, otherId } = await loadFixture(voucherFixture);
      await (await voucher.connect(alice).use(otherId)).wait();
      await expect(voucher.connect(alice).use(otherId))
        .to.be.revertedWithCustomError(voucher, "ERC1155InsufficientBalance")
        .withArgs(alice.address, 0n, 1n, otherId);
    });

    it("attack: someone other than the holder cannot use it (they can only use their own)", async function () {
      const { voucher, alice, stranger, rewardId } = await loadFixture(voucherFixture);
      await expect(voucher.connect(stranger).use(rewardId))
        .to.be.revertedWithCustomError(voucher, "ERC1155InsufficientBalance")
        .withArgs(stranger.address, 0n, 1n, rewardId);
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(3n);
    });
  });

  describe("useWithSignature", function () {
    it("burns one of the holder's vouchers when a terminal or the merchant submits the holder's signature", async function () {
      const { voucher, alice, terminal, merchant, rewardId, deadline } = await loadFixture(voucherFixture);
      for (const [submitter, nonce] of [
        [terminal, 7n],
        [merchant, 2n ** 255n + 3n],
      ] as const) {
        const use: Use = { holder: alice.address, id: rewardId, nonce, deadline };
        const signature = await signUse(voucher, alice, use);
        await expect(voucher.connect(submitter).useWithSignature(alice.address, rewardId, nonce, deadline, signature))
          .to.emit(voucher, "VoucherUsed")
          .withArgs(alice.address, rewardId, submitter.address)
          .and.to.emit(voucher, "TransferSingle")
          .withArgs(submitter.address, alice.address, ethers.ZeroAddress, rewardId, 1n);
        expect(await voucher.isNonceUsed(alice.address, nonce)).to.equal(true);
      }
      expect(await voucher.balanceOf(alice.address, rewardId)).to.equal(1n);
      expect(await voucher.isNonceUsed(alice.address, 8n)).to.equal(false);
    });

    it("works up to the deadline and not after", async function () {
      const { voucher, alice, terminal, rewardId } = await loadFixture(voucherFixture);
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signUse(voucher, alice, { holder: alice.address, id: rewardId, nonce: 1n, deadline });
      const late = await signUse(voucher, alice, { holder: alice.address, id: rewardId, nonce: 2n, deadline });
      await time.setNextBlockTimestamp(deadline);
      await (await voucher.connect(terminal).useWithSignature(alice.address, rewardId, 1n, deadline, signature)).wait();
      await expect(voucher.connect(terminal).useWithSignature(alice.address, rewardId, 2n, deadline, late))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherSignatureExpired")
        .withArgs(deadline);
    });

    it("reverts when the submitter is not the merchant or one of its terminals", async function () {
      const { voucher, alice, fulfiller, stranger, rewardId, deadline } = await loadFixture(voucherFixture);
      const signature = await signUse(voucher, alice, { holder: alice.address, id: rewardId, nonce: 1n, deadline });
      for (const caller of [fulfiller, stranger, alice]) {
        await expect(voucher.connect(caller).useWithSignature(alice.address, rewardId, 1n, deadline, signature))
          .to.be.revertedWithCustomError(voucher, "RewardVoucherUnauthorizedTerminal")
          .withArgs(caller.address);
      }
    });

    it("attack: a replayed signature (the same voucher used twice) reverts", async function () {
      const { voucher, alice, terminal, rewardId, deadline } = await loadFixture(voucherFixture);
      const signature = await signUse(voucher, alice, { holder: alice.address, id: rewardId, nonce: 1n, deadline });
      await (await voucher.connect(terminal).useWithSignature(alice.address, rewardId, 1n, deadline, signature)).wait();
      await expect(voucher.connect(terminal).useWithSignature(alice.address, rewardId, 1n, deadline, signature))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherNonceUsed")
        .withArgs(alice.address, 1n);
    });

    it("attack: someone other than the holder cannot sign a use of the holder's voucher", async function () {
      const { voucher, alice, stranger, terminal, rewardId, deadline } = await loadFixture(voucherFixture);
      const signature = await signUse(voucher, stranger, { holder: alice.address, id: rewardId, nonce: 1n, deadline });
      await expect(voucher.connect(terminal).useWithSignature(alice.address, rewardId, 1n, deadline, signature))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherInvalidSignature")
        .withArgs(alice.address);
    });

    it("attack: a signature for one use cannot use another id, nonce or deadline", async function () {
      const { voucher, alice, terminal, rewardId, otherId, deadline } = await loadFixture(voucherFixture);
      const signature = await signUse(voucher, alice, { holder: alice.address, id: rewardId, nonce: 1n, deadline });
      for (const [id, nonce, until] of [
        [otherId, 1n, deadline],
        [rewardId, 2n, deadline],
        [rewardId, 1n, deadline + 1n],
      ]) {
        await expect(voucher.connect(terminal).useWithSignature(alice.address, id, nonce, until, signature))
          .to.be.revertedWithCustomError(voucher, "RewardVoucherInvalidSignature")
          .withArgs(alice.address);
      }
    });

    it("attack: a use signed for another catalog's vouchers reverts here", async function () {
      const { factory, voucher, alice, terminal, partnerMerchant, partnerToken, treasury, rewardId, deadline } =
        await loadFixture(voucherFixture);
      const other = await createCatalog(factory, partnerMerchant, await partnerToken.getAddress(), treasury.address);
      const use: Use = { holder: alice.address, id: rewardId, nonce: 1n, deadline };
      const forOther = await signUse(other.voucher, alice, use);
      await expect(voucher.connect(terminal).useWithSignature(alice.address, rewardId, 1n, deadline, forOther))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherInvalidSignature")
        .withArgs(alice.address);
      // And the other way round: this catalog's signature is worthless at the partner's till.
      const here = await signUse(voucher, alice, use);
      await expect(
        other.voucher.connect(partnerMerchant).useWithSignature(alice.address, rewardId, 1n, deadline, here),
      )
        .to.be.revertedWithCustomError(voucher, "RewardVoucherInvalidSignature")
        .withArgs(alice.address);
    });

    it("attack: a use signed for another chain id reverts here", async function () {
      const { voucher, alice, terminal, rewardId, deadline } = await loadFixture(voucherFixture);
      const use: Use = { holder: alice.address, id: rewardId, nonce: 1n, deadline };
      for (const chainId of [1n, 8453n, 31338n]) {
        const signature = await signUse(voucher, alice, use, chainId);
        await expect(voucher.connect(terminal).useWithSignature(alice.address, rewardId, 1n, deadline, signature))
          .to.be.revertedWithCustomError(voucher, "RewardVoucherInvalidSignature")
          .withArgs(alice.address);
      }
    });

    it("reverts when the holder has no voucher left, and the nonce stays unused", async function () {
      const { voucher, alice, bob, terminal, rewardId, deadline } = await loadFixture(voucherFixture);
      const signature = await signUse(voucher, bob, { holder: bob.address, id: rewardId, nonce: 1n, deadline });
      await expect(voucher.connect(terminal).useWithSignature(bob.address, rewardId, 1n, deadline, signature))
        .to.be.revertedWithCustomError(voucher, "ERC1155InsufficientBalance")
        .withArgs(bob.address, 0n, 1n, rewardId);
      expect(await voucher.isNonceUsed(bob.address, 1n)).to.equal(false);
      // Once bob receives one as a gift, the same signature works.
      await (await voucher.connect(alice).safeTransferFrom(alice.address, bob.address, rewardId, 1n, "0x")).wait();
      await expect(voucher.connect(terminal).useWithSignature(bob.address, rewardId, 1n, deadline, signature)).to.emit(
        voucher,
        "VoucherUsed",
      );
    });

    it("reverts on a malformed signature", async function () {
      const { voucher, alice, terminal, rewardId, deadline } = await loadFixture(voucherFixture);
      await expect(voucher.connect(terminal).useWithSignature(alice.address, rewardId, 1n, deadline, "0x1234"))
        .to.be.revertedWithCustomError(voucher, "RewardVoucherInvalidSignature")
        .withArgs(alice.address);
    });
  });

  describe("one voucher contract per catalog", function () {
    it("keeps each catalog's vouchers apart", async function () {
      const { factory, voucher, partnerMerchant, partnerToken, treasury, alice, rewardId, deployer } =
        await loadFixture(voucherFixture);
      const other = await createCatalog(factory, partnerMerchant, await partnerToken.getAddress(), treasury.address);
      expect(await other.voucher.getAddress()).to.not.equal(await voucher.getAddress());
      expect(await other.voucher.balanceOf(alice.address, rewardId)).to.equal(0n);
      // A third merchant's catalog is created the same way, at its predicted address.
      const third = await createToken(factory, deployer, tokenParams({ name: "Gamma", symbol: "GAM" }));
      const predicted = await factory.predictCatalogAddress(deployer.address, await third.getAddress());
      const { catalog } = await createCatalog(factory, deployer, await third.getAddress(), treasury.address);
      expect(await catalog.getAddress()).to.equal(predicted);
    });
  });
});
