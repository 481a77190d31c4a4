/**
 * Gas of the CashOutGateway. `scripts/bench/gas.ts` calls `benchGateway()` and prints its rows with the others;
 * run alone with `hardhat run scripts/bench/gateway.ts` (PERKS_BENCH_SAMPLES sets the operations per row).
 *
 * Conditions are the usual ones for a customer cashing out: the bid is funded and stays open (no storage refund),
 * the seller approved the gateway without limit and already holds some of the stablecoin, the bid's recipient
 * already holds points (no balance slot goes from zero to non-zero), every transaction is alone in its block, and
 * gasUsed includes the 21,000 base and the calldata. The stablecoin has 6 decimals, like USDC. Two rows show what
 * the usual conditions leave out, for information: a seller's first stablecoin (its balance slot is created) and
 * a sale with an EIP-2612 permit instead of an approval.
 *
 * Only the public interfaces are used (ICashOutGateway, ILoyaltyToken, IERC20), so the bench keeps working while
 * the contract is optimised.
 */
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import type { ICashOutGateway, LoyaltyToken, MockStablecoin } from "../../typechain-types";
import { ONE, PERMIT_TYPES, createToken, deployFactory } from "../../test/helpers/fixtures";
import { average, runAlone, wallets } from "./measure";

/** One measured operation: average gasUsed of `samples` transactions. */
export interface GatewayBenchRow {
  operation: string;
  ours: number;
  samples: number;
  /** Most gas the operation may use; none for rows given for information. */
  target?: number;
}

/** The target (gas per transaction). */
export const GATEWAY_TARGETS = { sell: 70_000 } as const;

const USDC = 10n ** 6n;
const DEPLOY_TX = { gasLimit: 10_000_000 };
const FAR_FUTURE = 2n ** 40n - 1n;
/** One cent per point, the test token's face value. */
const PRICE = USDC / 100n;
const SALE_POINTS = 250n * ONE;

/** `count` fresh wallets with ETH for gas, `points` of `token` and an unlimited approval of `spender`. */
async function freshSellers(count: number, funder: Signer, merchant: Signer, token: LoyaltyToken, spender: string) {
  const sellers = wallets("gateway", "first-sale", count);
  for (const seller of sellers) {
    await (await funder.sendTransaction({ to: seller.address, value: ONE })).wait();
    await (await token.connect(merchant).mint(seller.address, 10n * SALE_POINTS)).wait();
    await (await token.connect(seller).approve(spender, ethers.MaxUint256)).wait();
  }
  return sellers;
}

/**
 * Deploys a factory, a merchant's token, a 6-decimal stablecoin and a CashOutGateway, then measures each
 * operation `samples` times on the current Hardhat network.
 */
export async function benchGateway(samples = 64): Promise<GatewayBenchRow[]> {
  if (!Number.isInteger(samples) || samples < 1) throw new Error("samples must be a positive integer");
  const [deployer, merchant, operator, seller] = await ethers.getSigners();

  // The factory and token as the tests build them, so the bench follows their constructors.
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  const tokenAddress = await token.getAddress();
  const usdc = (await ethers.deployContract(
    "MockStablecoin",
    ["USD Coin", "USDC", 6],
    DEPLOY_TX,
  )) as unknown as MockStablecoin;
  const deployment = await ethers.deployContract("CashOutGateway", [await factory.getAddress()], DEPLOY_TX);
  const gatewayAddress = await deployment.getAddress();
  const gateway = (await ethers.getContractAt("ICashOutGateway", gatewayAddress)) as unknown as ICashOutGateway;

  const funds = 1_000_000n * USDC;
  await (await usdc.mint(operator.address, 100n * funds)).wait();
  await (await usdc.connect(operator).approve(gatewayAddress, ethers.MaxUint256)).wait();
  await (await token.connect(merchant).mint(seller.address, BigInt(samples + 1) * SALE_POINTS)).wait();
  await (await token.connect(seller).approve(gatewayAddress, ethers.MaxUint256)).wait();
  // The operator already holds points, the seller already holds the stablecoin.
  await (await token.connect(merchant).mint(operator.address, ONE)).wait();
  await (await usdc.mint(seller.address, USDC)).wait();

  const post = () =>
    gateway.connect(operator).postBid(token, usdc, ethers.ZeroAddress, PRICE, 2n ** 127n, FAR_FUTURE, funds);
  await (await post()).wait();
  const bidId = await gateway.bidCount();
  const postGas = await average(samples, () => post());
  const topUpGas = await average(samples, () => gateway.connect(operator).topUp(bidId, 1_000n * USDC));
  const sellGas = await average(samples, () => gateway.connect(seller).sell(bidId, SALE_POINTS, 0n, FAR_FUTURE));

  const firstTimers = await freshSellers(samples, deployer, merchant, token, gatewayAddress);
  const firstSellGas = await average(samples, (i) =>
    gateway.connect(firstTimers[i]).sell(bidId, SALE_POINTS, 0n, FAR_FUTURE),
  );

  // Permit sellers hold points and the stablecoin but approved nothing: the permit sets the allowance.
  const permitSellers = wallets("gateway", "permit-sale", samples);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: await token.name(), version: "1", chainId, verifyingContract: tokenAddress };
  for (const permitSeller of permitSellers) {
    await (await deployer.sendTransaction({ to: permitSeller.address, value: ONE })).wait();
    await (await token.connect(merchant).mint(permitSeller.address, SALE_POINTS)).wait();
    await (await usdc.mint(permitSeller.address, USDC)).wait();
  }
  const permitSellGas = await average(samples, async (i) => {
    const owner = permitSellers[i];
    const message = {
      owner: owner.address,
      spender: gatewayAddress,
      value: SALE_POINTS,
      nonce: 0n,
      deadline: FAR_FUTURE,
    };
    const { v, r, s } = ethers.Signature.from(await owner.signTypedData(domain, PERMIT_TYPES, message));
    return gateway.connect(owner).sellWithPermit(bidId, SALE_POINTS, 0n, FAR_FUTURE, v, r, s);
  });

  return [
    { operation: "CashOutGateway sell", ours: sellGas, samples, target: GATEWAY_TARGETS.sell },
    { operation: "CashOutGateway sell (seller's first stablecoin)", ours: firstSellGas, samples },
    { operation: "CashOutGateway sellWithPermit", ours: permitSellGas, samples },
    { operation: "CashOutGateway postBid (funded)", ours: postGas, samples },
    { operation: "CashOutGateway topUp", ours: topUpGas, samples },
  ];
}

if (require.main === module) runAlone(benchGateway);
