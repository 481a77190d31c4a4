/**
 * Gas of the PointsExchange beside Uniswap V2's `swapExactTokensForTokens`, measured in the same run on the same
 * two loyalty tokens. `scripts/bench/gas.ts` calls `benchMarket()` and prints its rows with the others; run alone
 * with `hardhat run scripts/bench/market.ts`.
 *
 * Uniswap V2 is deployed from the npm packages' own compiled artifacts (`@uniswap/v2-core/build`,
 * `@uniswap/v2-periphery/build`), never recompiled, so the reference is the code that runs on mainnet.
 *
 * Conditions are the same on both sides and the usual ones for a trader: maker, taker and swapper already hold
 * both tokens (no balance slot goes from zero to non-zero), approvals are unlimited, every transaction is alone in
 * its block, and gasUsed includes the 21,000 base and the calldata. One-time costs are paid before measuring on
 * both sides: the exchange's first order of each token (which caches that the factory made it) and the pair's
 * first swap (which starts its price oracle).
 *
 * Rows: create an order; fill part of an order (the dearest fill: the order stays open, so no storage refund);
 * fill the rest of an order (closes it: the deleted slots refund part of the gas; information only); cancel an
 * order (also a deletion); Uniswap's swap as the reference of both fills.
 */
import { ethers } from "hardhat";
import type { ContractTransactionResponse, Signer } from "ethers";
import type { IPointsExchange } from "../../typechain-types";
import {
  ONE,
  createToken,
  createdOrder,
  deployFactory,
  tokenParams,
  type ExchangeOrder,
} from "../../test/helpers/fixtures";
import { average, runAlone } from "./measure";

/** One measured operation: average gasUsed of `samples` transactions. */
export interface MarketBenchRow {
  operation: string;
  ours: number;
  samples: number;
  /** Gas of the reference operation, when the row is compared to one. */
  reference?: number;
  referenceName?: string;
  /** Most gas our operation may use. */
  target?: number;
}

/** The targets (gas per transaction). */
export const MARKET_TARGETS = { fill: 65_000, create: 110_000, cancel: 45_000 } as const;

const UNISWAP_SWAP = "Uniswap V2 swapExactTokensForTokens";
const DEPLOY_TX = { gasLimit: 10_000_000 };
const MAX_UINT32 = 2n ** 32n - 1n;

interface Artifact {
  abi: unknown[];
  bytecode: string;
}

/** A contract from an npm package's compiled JSON (`build/<name>.json`), deployed as published. */
export async function deployArtifact(artifact: Artifact, deployer: Signer, ...args: unknown[]) {
  const bytecode = artifact.bytecode.startsWith("0x") ? artifact.bytecode : `0x${artifact.bytecode}`;
  const contract = await new ethers.ContractFactory(artifact.abi as never, bytecode, deployer).deploy(
    ...args,
    DEPLOY_TX,
  );
  await contract.waitForDeployment();
  return contract;
}

/** Uniswap V2's factory, WETH9 and Router02 from the npm packages' compiled artifacts. */
export async function deployUniswapV2(deployer: Signer) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const factoryArtifact: Artifact = require("@uniswap/v2-core/build/UniswapV2Factory.json");
  const wethArtifact: Artifact = require("@uniswap/v2-periphery/build/WETH9.json");
  const routerArtifact: Artifact = require("@uniswap/v2-periphery/build/UniswapV2Router02.json");
  const pairArtifact: Artifact = require("@uniswap/v2-core/build/UniswapV2Pair.json");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const factory = await deployArtifact(factoryArtifact, deployer, await deployer.getAddress());
  const weth = await deployArtifact(wethArtifact, deployer);
  const router = await deployArtifact(routerArtifact, deployer, await factory.getAddress(), await weth.getAddress());
  return { factory, weth, router, pairAbi: pairArtifact.abi };
}

/**
 * Deploys a factory, two merchants' tokens, a PointsExchange and Uniswap V2, then measures each operation
 * `samples` times on the current Hardhat network.
 */
export async function benchMarket(samples = 64): Promise<MarketBenchRow[]> {
  if (!Number.isInteger(samples) || samples < 2) throw new Error("samples must be an integer of at least 2");
  const half = Math.floor(samples / 2);
  const [deployer, alphaMerchant, betaMerchant, maker, taker, liquidityProvider, swapper] = await ethers.getSigners();

  const factory = await deployFactory();
  const alpha = await createToken(factory, alphaMerchant);
  const beta = await createToken(factory, betaMerchant, tokenParams({ name: "Beta Book Club", symbol: "PAGE" }));
  for (const [token, merchant] of [
    [alpha, alphaMerchant],
    [beta, betaMerchant],
  ] as const) {
    for (const holder of [maker, taker, liquidityProvider, swapper]) {
      await (await token.connect(merchant).mint(holder.address, 1_000_000n * ONE)).wait();
    }
  }

  const deployment = await ethers.deployContract(
    "PointsExchange",
    [await factory.getAddress(), deployer.address],
    DEPLOY_TX,
  );
  const exchange = (await ethers.getContractAt(
    "IPointsExchange",
    await deployment.getAddress(),
  )) as unknown as IPointsExchange;
  const exchangeAddress = await exchange.getAddress();
  for (const [token, holder] of [
    [alpha, maker],
    [beta, taker],
  ] as const) {
    await (await token.connect(holder).approve(exchangeAddress, ethers.MaxUint256)).wait();
  }

  // ------------------------------------------------ PointsExchange: 100 BEAN for 150 PAGE per order
  const sellAmount = 100n * ONE;
  const buyAmount = 150n * ONE;
  const orders: ExchangeOrder[] = [];
  const create = async () => {
    const tx = await exchange.connect(maker).createOrder(alpha, beta, sellAmount, buyAmount, MAX_UINT32);
    orders.push(await createdOrder(exchange, tx));
    return tx;
  };
  await create(); // registers both tokens; stays open so the exchange's balance is never zero
  orders.length = 0;
  const createGas = await average(samples, () => create());
  const partialFillGas = await average(samples, (i) => exchange.connect(taker).fill(orders[i], 40n * ONE, 60n * ONE));
  const lastFillGas = await average(half, (i) => exchange.connect(taker).fill(orders[i], 60n * ONE, 90n * ONE));
  const cancelGas = await average(samples - half, (i) => exchange.connect(maker).cancel(orders[half + i]));

  // ------------------------------------------------ Uniswap V2 on the same two tokens
  const uniswap = await deployUniswapV2(deployer);
  const router = uniswap.router.connect(swapper) as unknown as {
    swapExactTokensForTokens(
      amountIn: bigint,
      amountOutMin: bigint,
      path: string[],
      to: string,
      deadline: bigint,
    ): Promise<ContractTransactionResponse>;
  };
  const routerAddress = await uniswap.router.getAddress();
  for (const holder of [liquidityProvider, swapper]) {
    for (const token of [alpha, beta])
      await (await token.connect(holder).approve(routerAddress, ethers.MaxUint256)).wait();
  }
  const addLiquidity = uniswap.router.connect(liquidityProvider).getFunction("addLiquidity");
  await (
    await addLiquidity(alpha, beta, 100_000n * ONE, 150_000n * ONE, 0n, 0n, liquidityProvider.address, MAX_UINT32)
  ).wait();
  const path = [await alpha.getAddress(), await beta.getAddress()];
  // The pair's first swap also starts its price oracle (two slots from zero): a one-time cost, like our warm-up.
  await (await router.swapExactTokensForTokens(40n * ONE, 0n, path, swapper.address, MAX_UINT32)).wait();
  const swapGas = await average(samples, () =>
    router.swapExactTokensForTokens(40n * ONE, 0n, path, swapper.address, MAX_UINT32),
  );

  return [
    { operation: "PointsExchange createOrder", ours: createGas, samples, target: MARKET_TARGETS.create },
    {
      operation: "PointsExchange fill (part of an order)",
      ours: partialFillGas,
      samples,
      reference: swapGas,
      referenceName: UNISWAP_SWAP,
      target: MARKET_TARGETS.fill,
    },
    {
      operation: "PointsExchange fill (the rest: closes the order)",
      ours: lastFillGas,
      samples: half,
      reference: swapGas,
      referenceName: UNISWAP_SWAP,
    },
    { operation: "PointsExchange cancel", ours: cancelGas, samples: samples - half, target: MARKET_TARGETS.cancel },
  ];
}

if (require.main === module) runAlone(benchMarket);
