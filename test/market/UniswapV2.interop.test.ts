import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Contract } from "ethers";
import { ONE, createToken, deployFactory, tokenParams } from "../helpers/fixtures";
import { deployUniswapV2 } from "../../scripts/bench/market";

/** Uniswap V2's getAmountOut: a 0.3% fee on the input, rounded down. */
function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const inWithFee = amountIn * 997n;
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee);
}

/**
 * Two merchants' loyalty tokens, made through our CampaignFactory, in a real Uniswap V2 pool: UniswapV2Factory,
 * WETH9 and UniswapV2Router02 deployed from the npm packages' own compiled artifacts, which know nothing of Perks.
 */
async function uniswapFixture() {
  const [deployer, alphaMerchant, betaMerchant, provider, trader] = await ethers.getSigners();
  const factory = await deployFactory();
  const alpha = await createToken(factory, alphaMerchant);
  const beta = await createToken(factory, betaMerchant, tokenParams({ name: "Beta Book Club", symbol: "PAGE" }));
  const uniswap = await deployUniswapV2(deployer);
  const router = uniswap.router as Contract;
  for (const [token, merchant] of [
    [alpha, alphaMerchant],
    [beta, betaMerchant],
  ] as const) {
    for (const holder of [provider, trader]) {
      await (await token.connect(merchant).mint(holder.address, 100_000n * ONE)).wait();
      await (await token.connect(holder).approve(router, ethers.MaxUint256)).wait();
    }
  }
  return {
    deployer,
    provider,
    trader,
    alpha,
    beta,
    router,
    uniswapFactory: uniswap.factory as Contract,
    pairAbi: uniswap.pairAbi,
  };
}

describe("Uniswap V2 interoperability", function () {
  it("adds liquidity for two loyalty tokens and swaps them through the router", async function () {
    const { provider, trader, alpha, beta, router, uniswapFactory, pairAbi } = await loadFixture(uniswapFixture);
    const deadline = BigInt(await time.latest()) + 3_600n;
    const [alphaAddress, betaAddress] = [await alpha.getAddress(), await beta.getAddress()];

    // 10 000 BEAN against 15 000 PAGE: the pair is created by the first addLiquidity.
    const alphaLiquidity = 10_000n * ONE;
    const betaLiquidity = 15_000n * ONE;
    const add = router.connect(provider).getFunction("addLiquidity");
    await expect(
      add(alphaAddress, betaAddress, alphaLiquidity, betaLiquidity, 0n, 0n, provider.address, deadline),
    ).to.changeTokenBalances(alpha, [provider], [-alphaLiquidity]);
    const pairAddress: string = await uniswapFactory.getPair(alphaAddress, betaAddress);
    expect(pairAddress).to.not.equal(ethers.ZeroAddress);
    const pair = new ethers.Contract(pairAddress, pairAbi as never, provider);
    expect(await alpha.balanceOf(pairAddress)).to.equal(alphaLiquidity);
    expect(await beta.balanceOf(pairAddress)).to.equal(betaLiquidity);
    expect(await pair.balanceOf(provider.address)).to.be.greaterThan(0n);

    // The trader sells 100 BEAN for PAGE with swapExactTokensForTokens.
    const amountIn = 100n * ONE;
    const expectedOut = amountOut(amountIn, alphaLiquidity, betaLiquidity);
    const quoted: bigint[] = await router.getAmountsOut(amountIn, [alphaAddress, betaAddress]);
    expect(quoted).to.deep.equal([amountIn, expectedOut]);
    const swap = router.connect(trader).getFunction("swapExactTokensForTokens");
    const tx = swap(amountIn, expectedOut, [alphaAddress, betaAddress], trader.address, deadline);
    await expect(tx).to.changeTokenBalances(alpha, [trader, pairAddress], [-amountIn, amountIn]);
    await expect(tx).to.changeTokenBalances(beta, [trader, pairAddress], [expectedOut, -expectedOut]);

    const [reserve0, reserve1] = await pair.getReserves();
    const alphaIsToken0 = alphaAddress.toLowerCase() < betaAddress.toLowerCase();
    expect(alphaIsToken0 ? [reserve0, reserve1] : [reserve1, reserve0]).to.deep.equal([
      alphaLiquidity + amountIn,
      betaLiquidity - expectedOut,
    ]);

    // And back: the router refuses a minimum it cannot meet, with Uniswap's own message.
    const back = await router.getAmountsOut(expectedOut, [betaAddress, alphaAddress]);
    await expect(
      swap(expectedOut, back[1] + 1n, [betaAddress, alphaAddress], trader.address, deadline),
    ).to.be.revertedWith("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT");
  });
});
