/**
 * Gas of the RewardCatalog and its RewardVoucher. `scripts/bench/gas.ts` can call `benchRewards()` and print its
 * rows with the others; run alone with `hardhat run scripts/bench/rewards.ts` (PERKS_BENCH_SAMPLES sets the
 * operations per row).
 *
 * Conditions are the usual ones for a customer redeeming a reward: the customer holds the merchant's points and
 * approved the catalog without limit, the reward has a per-wallet limit and was redeemed before (its counter is
 * not zero), every transaction is alone in its block, and gasUsed includes the 21,000 base and the calldata. The
 * target row is the dearest usual case: the wallet's first voucher of that reward, so its voucher slot goes from
 * zero to non-zero (the per-wallet count shares that slot). Other rows are for information.
 *
 * The catalog and its vouchers are used only through their interfaces (IRewardCatalog, IRewardVoucher), so the
 * bench keeps working while the contracts are optimised.
 */
import { ethers } from "hardhat";
import type { Signer, Wallet } from "ethers";
import type { IRewardCatalog, IRewardVoucher } from "../../typechain-types";
import { PERMIT_TYPES, createToken, deployFactory, tokenParams } from "../../test/helpers/fixtures";
import { average, runAlone, wallets } from "./measure";

/** One measured operation: average gasUsed of `samples` transactions. */
export interface RewardsBenchRow {
  operation: string;
  ours: number;
  samples: number;
  /** Most gas the operation may use; none for rows given for information. */
  target?: number;
}

/** The target (gas per transaction). */
export const REWARDS_TARGETS = { redeem: 90_000 } as const;

const ONE = 10n ** 18n;
const FAR_FUTURE = 2n ** 40n;
const PRICE = 50n * ONE;
const KIND = { DiscountPercent: 0, GiftCoupon: 4 } as const;
const USE_TYPES = {
  Use: [
    { name: "holder", type: "address" },
    { name: "id", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/**
 * Deploys the implementations, a factory, two merchants' tokens and the second merchant's catalog (which
 * accepts the first merchant's points), then measures each operation `samples` times on the current network.
 */
export async function benchRewards(samples = 64): Promise<RewardsBenchRow[]> {
  if (!Number.isInteger(samples) || samples < 1) throw new Error("samples must be a positive integer");
  const [deployer, merchant, partnerMerchant, terminal, treasury] = await ethers.getSigners();

  const factory = await deployFactory();
  async function brandToken(owner: Signer, symbol: string) {
    const params = tokenParams({ name: `${symbol} points`, symbol, metadataURI: `ipfs://${symbol}` });
    return createToken(factory, owner, params);
  }
  const token = await brandToken(merchant, "PAGE");
  const partnerToken = await brandToken(partnerMerchant, "BEAN");

  const catalogAddress = await factory.predictCatalogAddress(merchant.address, await token.getAddress());
  await (await factory.connect(merchant).createCatalog(await token.getAddress(), treasury.address)).wait();
  const catalog = (await ethers.getContractAt("IRewardCatalog", catalogAddress)) as unknown as IRewardCatalog;
  const voucher = (await ethers.getContractAt("IRewardVoucher", await catalog.voucher())) as unknown as IRewardVoucher;
  await (await catalog.connect(merchant).setPartnerRate(await partnerToken.getAddress(), 2n, 1n)).wait();
  await (await catalog.connect(merchant).setTerminal(terminal.address, true)).wait();

  const reward = (kind: number, value: bigint) => ({
    kind,
    value,
    price: PRICE,
    supply: 1_000_000,
    perWallet: 1_000,
    startsAt: 0n,
    endsAt: FAR_FUTURE,
    tierCampaign: ethers.ZeroAddress,
    minTier: 0,
    acceptsPartners: true,
    metadataURI: "ipfs://reward",
  });
  await (await catalog.connect(merchant).addReward(reward(KIND.DiscountPercent, 1_000n))).wait();
  await (await catalog.connect(merchant).addReward(reward(KIND.GiftCoupon, 0n))).wait();
  const discountId = 1n;
  const giftId = 2n;

  // Customers with ETH, both brands' points and unlimited approvals of the catalog.
  const customers = wallets("rewards", "customers", samples);
  for (const customer of customers) {
    await (await deployer.sendTransaction({ to: customer.address, value: ONE })).wait();
    await (await token.connect(merchant).mint(customer.address, 100n * PRICE)).wait();
    await (await partnerToken.connect(partnerMerchant).mint(customer.address, 100n * PRICE)).wait();
    await (await token.connect(customer).approve(catalogAddress, ethers.MaxUint256)).wait();
    await (await partnerToken.connect(customer).approve(catalogAddress, ethers.MaxUint256)).wait();
  }
  const noKey = ethers.ZeroHash;
  const redeem = (customer: Wallet, payToken: string, id = discountId, key = noKey) =>
    catalog.connect(customer).redeem(id, 1n, payToken, ethers.MaxUint256, key);
  const own = await token.getAddress();
  const partner = await partnerToken.getAddress();
  await (await redeem(customers[0], own)).wait(); // the reward's counter is not zero from here on

  const firstRedeemGas = await average(samples - 1, (i) => redeem(customers[i + 1], own));
  const againRedeemGas = await average(samples, (i) => redeem(customers[i], own));
  const partnerRedeemGas = await average(samples, (i) => redeem(customers[i], partner));
  const key = ethers.hexlify(ethers.randomBytes(32));
  const giftRedeemGas = await average(samples, (i) => redeem(customers[i], own, giftId, key));

  // redeemWithPermit: fresh wallets whose only approval is the permit in the transaction.
  const permitCustomers = wallets("rewards", "permit", samples);
  const domain = {
    name: "PAGE points",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: own,
  };
  for (const customer of permitCustomers) {
    await (await deployer.sendTransaction({ to: customer.address, value: ONE })).wait();
    await (await token.connect(merchant).mint(customer.address, 100n * PRICE)).wait();
  }
  const permitRedeemGas = await average(samples, async (i) => {
    const customer = permitCustomers[i];
    const permit = { owner: customer.address, spender: catalogAddress, value: PRICE, nonce: 0n, deadline: FAR_FUTURE };
    const signature = ethers.Signature.from(await customer.signTypedData(domain, PERMIT_TYPES, permit));
    return catalog
      .connect(customer)
      .redeemWithPermit(discountId, 1n, own, PRICE, noKey, FAR_FUTURE, signature.v, signature.r, signature.s);
  });

  // Using vouchers at the till: each customer holds at least two of the discount.
  const useGas = await average(samples, (i) => voucher.connect(customers[i]).use(discountId));
  const useDomain = {
    name: "Perks Reward Voucher",
    version: "1",
    chainId: domain.chainId,
    verifyingContract: await voucher.getAddress(),
  };
  const signedUseGas = await average(samples, async (i) => {
    const customer = customers[i];
    const use = { holder: customer.address, id: discountId, nonce: BigInt(i) + 1n, deadline: FAR_FUTURE };
    const signature = await customer.signTypedData(useDomain, USE_TYPES, use);
    return voucher.connect(terminal).useWithSignature(use.holder, use.id, use.nonce, use.deadline, signature);
  });

  // A gift-card code as the fulfilment service posts it: 24-byte nonce, 32-byte key, 19-byte code, 16-byte tag.
  const ciphertext = ethers.hexlify(ethers.randomBytes(24 + 32 + 19 + 16));
  const deliverGas = await average(samples, (i) =>
    catalog.connect(merchant).deliverCode((giftId << 32n) | BigInt(i), ciphertext),
  );

  return [
    { operation: "redeem: burn own points + first voucher", ours: firstRedeemGas, samples: samples - 1, target: REWARDS_TARGETS.redeem },
    { operation: "redeem: burn own points + another voucher", ours: againRedeemGas, samples },
    { operation: "redeem: partner points to treasury + voucher", ours: partnerRedeemGas, samples },
    { operation: "redeem: gift coupon with encryption key", ours: giftRedeemGas, samples },
    { operation: "redeemWithPermit: permit + burn + first voucher", ours: permitRedeemGas, samples },
    { operation: "voucher use (holder)", ours: useGas, samples },
    { operation: "voucher useWithSignature (terminal)", ours: signedUseGas, samples },
    { operation: "deliverCode (91-byte ciphertext)", ours: deliverGas, samples },
  ];
}

if (require.main === module) runAlone(benchRewards);
