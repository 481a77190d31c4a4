import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { LoyaltyToken } from "../../typechain-types";
import { PERMIT_TYPES } from "./fixtures";

/** The ERC-20 + EIP-2612 surface the suite exercises (typed from LoyaltyToken; any token with these functions fits). */
export type ERC20PermitToken = Pick<
  LoyaltyToken,
  | "name"
  | "symbol"
  | "decimals"
  | "totalSupply"
  | "balanceOf"
  | "allowance"
  | "approve"
  | "transfer"
  | "transferFrom"
  | "nonces"
  | "permit"
  | "DOMAIN_SEPARATOR"
  | "getAddress"
  | "connect"
  | "interface"
>;

/** What the suite's fixture returns: `holder` owns the whole supply, `balance`; the others own nothing. */
export interface ERC20Context {
  token: ERC20PermitToken;
  holder: HardhatEthersSigner;
  spender: HardhatEthersSigner;
  recipient: HardhatEthersSigner;
  other: HardhatEthersSigner;
  balance: bigint;
}

/** A custom error as `revertedWithCustomError(token, name).withArgs(...args)` expects it. */
export interface ExpectedError {
  name: string;
  args: unknown[];
}

/** How a token reports each ERC-20 failure: the libraries differ (Solady has no arguments, OpenZeppelin has). */
export interface ERC20Errors {
  insufficientBalance(from: string, balance: bigint, needed: bigint): ExpectedError;
  insufficientAllowance(spender: string, allowance: bigint, needed: bigint): ExpectedError;
  permitExpired(deadline: bigint): ExpectedError;
  /** `recovered` is the address the signature recovers to under the token's domain; `owner` the claimed owner. */
  invalidPermit(recovered: string, owner: string): ExpectedError;
}

/** Solady's ERC20 (LoyaltyToken's base): argument-less errors. */
export const SOLADY_ERC20_ERRORS: ERC20Errors = {
  insufficientBalance: () => ({ name: "InsufficientBalance", args: [] }),
  insufficientAllowance: () => ({ name: "InsufficientAllowance", args: [] }),
  permitExpired: () => ({ name: "PermitExpired", args: [] }),
  invalidPermit: () => ({ name: "InvalidPermit", args: [] }),
};

export interface ERC20Expectations {
  name: string;
  symbol: string;
  decimals?: bigint;
  errors: ERC20Errors;
}

/**
 * The plain ERC-20 + EIP-2612 behaviour exchanges and wallets rely on, run against the token `fixture` returns.
 * `fixture` must be a module-level function (loadFixture snapshots by function identity).
 */
export function shouldBehaveLikeERC20(fixture: () => Promise<ERC20Context>, expected: ERC20Expectations) {
  const { errors } = expected;

  async function expectRevert(promise: Promise<unknown>, token: ERC20PermitToken, error: ExpectedError) {
    await expect(promise)
      .to.be.revertedWithCustomError(token, error.name)
      .withArgs(...error.args);
  }

  async function permitDomain(token: ERC20PermitToken) {
    return {
      name: expected.name,
      version: "1",
      chainId: (await ethers.provider.getNetwork()).chainId,
      verifyingContract: await token.getAddress(),
    };
  }

  /** Signs a permit with `signer` (for `owner`, which may differ) and returns it with the address it recovers to. */
  async function signPermit(
    token: ERC20PermitToken,
    signer: HardhatEthersSigner,
    message: { owner: string; spender: string; value: bigint; nonce: bigint; deadline: bigint },
    domainOverrides: Partial<Awaited<ReturnType<typeof permitDomain>>> = {},
  ) {
    const signature = ethers.Signature.from(
      await signer.signTypedData({ ...(await permitDomain(token)), ...domainOverrides }, PERMIT_TYPES, message),
    );
    const recovered = ethers.verifyTypedData(await permitDomain(token), PERMIT_TYPES, message, signature);
    return { v: signature.v, r: signature.r, s: signature.s, recovered };
  }

  describe("ERC-20 behaviour", function () {
    describe("metadata", function () {
      it("has the expected name, symbol and decimals", async function () {
        const { token } = await loadFixture(fixture);
        expect(await token.name()).to.equal(expected.name);
        expect(await token.symbol()).to.equal(expected.symbol);
        expect(await token.decimals()).to.equal(expected.decimals ?? 18n);
      });
    });

    describe("totalSupply and balanceOf", function () {
      it("reports the holder's balance as the whole supply and zero for others", async function () {
        const { token, holder, other, balance } = await loadFixture(fixture);
        expect(balance).to.be.greaterThan(0n);
        expect(await token.totalSupply()).to.equal(balance);
        expect(await token.balanceOf(holder.address)).to.equal(balance);
        expect(await token.balanceOf(other.address)).to.equal(0n);
      });
    });

    describe("transfer", function () {
      it("moves the amount, returns true and emits Transfer", async function () {
        const { token, holder, recipient, balance } = await loadFixture(fixture);
        const amount = balance / 3n;
        expect(await token.connect(holder).transfer.staticCall(recipient.address, amount)).to.equal(true);
        await expect(token.connect(holder).transfer(recipient.address, amount))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, recipient.address, amount);
        expect(await token.balanceOf(holder.address)).to.equal(balance - amount);
        expect(await token.balanceOf(recipient.address)).to.equal(amount);
        expect(await token.totalSupply()).to.equal(balance);
      });

      it("moves the whole balance", async function () {
        const { token, holder, recipient, balance } = await loadFixture(fixture);
        await token.connect(holder).transfer(recipient.address, balance);
        expect(await token.balanceOf(holder.address)).to.equal(0n);
        expect(await token.balanceOf(recipient.address)).to.equal(balance);
      });

      it("moves zero and still emits Transfer", async function () {
        const { token, other, recipient } = await loadFixture(fixture);
        await expect(token.connect(other).transfer(recipient.address, 0n))
          .to.emit(token, "Transfer")
          .withArgs(other.address, recipient.address, 0n);
      });

      it("keeps the balance when sending to oneself", async function () {
        const { token, holder, balance } = await loadFixture(fixture);
        await expect(token.connect(holder).transfer(holder.address, balance))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, holder.address, balance);
        expect(await token.balanceOf(holder.address)).to.equal(balance);
      });

      it("reverts when the amount exceeds the balance", async function () {
        const { token, holder, recipient, balance } = await loadFixture(fixture);
        await expectRevert(
          token.connect(holder).transfer(recipient.address, balance + 1n),
          token,
          errors.insufficientBalance(holder.address, balance, balance + 1n),
        );
      });
    });

    describe("approve and allowance", function () {
      it("starts at zero", async function () {
        const { token, holder, spender } = await loadFixture(fixture);
        expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      });

      it("sets the allowance, returns true and emits Approval", async function () {
        const { token, holder, spender } = await loadFixture(fixture);
        expect(await token.connect(holder).approve.staticCall(spender.address, 5n)).to.equal(true);
        await expect(token.connect(holder).approve(spender.address, 5n))
          .to.emit(token, "Approval")
          .withArgs(holder.address, spender.address, 5n);
        expect(await token.allowance(holder.address, spender.address)).to.equal(5n);
        expect(await token.allowance(spender.address, holder.address)).to.equal(0n);
      });

      it("replaces (not adds to) a previous allowance, down to zero", async function () {
        const { token, holder, spender } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, 5n);
        await token.connect(holder).approve(spender.address, 3n);
        expect(await token.allowance(holder.address, spender.address)).to.equal(3n);
        await expect(token.connect(holder).approve(spender.address, 0n))
          .to.emit(token, "Approval")
          .withArgs(holder.address, spender.address, 0n);
        expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      });

      it("allows approving more than the balance", async function () {
        const { token, holder, spender, balance } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, balance * 2n);
        expect(await token.allowance(holder.address, spender.address)).to.equal(balance * 2n);
      });
    });

    describe("transferFrom", function () {
      it("moves the amount, spends the allowance and emits Transfer", async function () {
        const { token, holder, spender, recipient, balance } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, balance);
        const amount = balance / 4n;
        expect(await token.connect(spender).transferFrom.staticCall(holder.address, recipient.address, amount)).to.equal(
          true,
        );
        await expect(token.connect(spender).transferFrom(holder.address, recipient.address, amount))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, recipient.address, amount);
        expect(await token.balanceOf(holder.address)).to.equal(balance - amount);
        expect(await token.balanceOf(recipient.address)).to.equal(amount);
        expect(await token.allowance(holder.address, spender.address)).to.equal(balance - amount);
      });

      it("spends the allowance down to exactly zero", async function () {
        const { token, holder, spender, recipient } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, 7n);
        await token.connect(spender).transferFrom(holder.address, recipient.address, 7n);
        expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
        expect(await token.balanceOf(recipient.address)).to.equal(7n);
      });

      it("does not decrement an infinite allowance", async function () {
        const { token, holder, spender, recipient, balance } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, ethers.MaxUint256);
        await token.connect(spender).transferFrom(holder.address, recipient.address, balance);
        expect(await token.allowance(holder.address, spender.address)).to.equal(ethers.MaxUint256);
        expect(await token.balanceOf(recipient.address)).to.equal(balance);
      });

      it("reverts when the amount exceeds the allowance", async function () {
        const { token, holder, spender, recipient } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, 9n);
        await expectRevert(
          token.connect(spender).transferFrom(holder.address, recipient.address, 10n),
          token,
          errors.insufficientAllowance(spender.address, 9n, 10n),
        );
      });

      it("reverts when the spender has no allowance at all", async function () {
        const { token, holder, spender, recipient } = await loadFixture(fixture);
        await expectRevert(
          token.connect(spender).transferFrom(holder.address, recipient.address, 1n),
          token,
          errors.insufficientAllowance(spender.address, 0n, 1n),
        );
      });

      it("reverts when the amount exceeds the balance, even with an infinite allowance", async function () {
        const { token, holder, spender, recipient, balance } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, ethers.MaxUint256);
        await expectRevert(
          token.connect(spender).transferFrom(holder.address, recipient.address, balance + 1n),
          token,
          errors.insufficientBalance(holder.address, balance, balance + 1n),
        );
      });
    });

    describe("permit (EIP-2612)", function () {
      it("exposes the EIP-712 domain separator of (name, version 1, chain id, token)", async function () {
        const { token } = await loadFixture(fixture);
        expect(await token.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(await permitDomain(token)));
      });

      it("sets the allowance from the owner's signature, bumps the nonce and emits Approval", async function () {
        const { token, holder, spender, other } = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + 3600n;
        const message = { owner: holder.address, spender: spender.address, value: 42n, nonce: 0n, deadline };
        const { v, r, s } = await signPermit(token, holder, message);
        expect(await token.nonces(holder.address)).to.equal(0n);
        // Anyone may submit the signed permit.
        await expect(token.connect(other).permit(holder.address, spender.address, 42n, deadline, v, r, s))
          .to.emit(token, "Approval")
          .withArgs(holder.address, spender.address, 42n);
        expect(await token.allowance(holder.address, spender.address)).to.equal(42n);
        expect(await token.nonces(holder.address)).to.equal(1n);
      });

      it("accepts a permit in the block whose timestamp equals the deadline", async function () {
        const { token, holder, spender } = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + 100n;
        const message = { owner: holder.address, spender: spender.address, value: 1n, nonce: 0n, deadline };
        const { v, r, s } = await signPermit(token, holder, message);
        await time.setNextBlockTimestamp(deadline);
        await token.permit(holder.address, spender.address, 1n, deadline, v, r, s);
        expect(await token.allowance(holder.address, spender.address)).to.equal(1n);
      });

      it("reverts when the deadline has passed", async function () {
        const { token, holder, spender } = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + 100n;
        const message = { owner: holder.address, spender: spender.address, value: 1n, nonce: 0n, deadline };
        const { v, r, s } = await signPermit(token, holder, message);
        await time.setNextBlockTimestamp(deadline + 1n);
        await expectRevert(
          token.permit(holder.address, spender.address, 1n, deadline, v, r, s),
          token,
          errors.permitExpired(deadline),
        );
        expect(await token.nonces(holder.address)).to.equal(0n);
      });

      it("reverts when someone other than the owner signed", async function () {
        const { token, holder, spender, other } = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + 3600n;
        const message = { owner: holder.address, spender: spender.address, value: 1n, nonce: 0n, deadline };
        const { v, r, s, recovered } = await signPermit(token, other, message);
        expect(recovered).to.equal(other.address);
        await expectRevert(
          token.permit(holder.address, spender.address, 1n, deadline, v, r, s),
          token,
          errors.invalidPermit(recovered, holder.address),
        );
        expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      });

      it("reverts when the signed value differs from the submitted one", async function () {
        const { token, holder, spender } = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + 3600n;
        const message = { owner: holder.address, spender: spender.address, value: 1n, nonce: 0n, deadline };
        const { v, r, s } = await signPermit(token, holder, message);
        const recovered = ethers.verifyTypedData(
          await permitDomain(token),
          PERMIT_TYPES,
          { ...message, value: ethers.MaxUint256 },
          { v, r, s },
        );
        await expectRevert(
          token.permit(holder.address, spender.address, ethers.MaxUint256, deadline, v, r, s),
          token,
          errors.invalidPermit(recovered, holder.address),
        );
      });

      it("reverts when the permit was signed for another chain", async function () {
        const { token, holder, spender } = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + 3600n;
        const message = { owner: holder.address, spender: spender.address, value: 1n, nonce: 0n, deadline };
        const { v, r, s, recovered } = await signPermit(token, holder, message, { chainId: 1n });
        expect(recovered).to.not.equal(holder.address);
        await expectRevert(
          token.permit(holder.address, spender.address, 1n, deadline, v, r, s),
          token,
          errors.invalidPermit(recovered, holder.address),
        );
      });

      it("reverts when a used permit is replayed (its nonce is spent)", async function () {
        const { token, holder, spender, recipient } = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + 3600n;
        const message = { owner: holder.address, spender: spender.address, value: 5n, nonce: 0n, deadline };
        const { v, r, s } = await signPermit(token, holder, message);
        await token.permit(holder.address, spender.address, 5n, deadline, v, r, s);
        await token.connect(spender).transferFrom(holder.address, recipient.address, 5n);
        // Under nonce 1 the same signature recovers to some unrelated address.
        const recovered = ethers.verifyTypedData(await permitDomain(token), PERMIT_TYPES, { ...message, nonce: 1n }, {
          v,
          r,
          s,
        });
        await expectRevert(
          token.permit(holder.address, spender.address, 5n, deadline, v, r, s),
          token,
          errors.invalidPermit(recovered, holder.address),
        );
        expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
        expect(await token.nonces(holder.address)).to.equal(1n);
      });
    });
  });
}
