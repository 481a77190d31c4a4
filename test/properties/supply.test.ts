import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { campaignFixture, createCampaign, DAY, ONE, voucherClaimArgs, type CodeLeaf } from "../helpers/fixtures";
import { claim, countsIssued, ModelRevert, NEW_ACCOUNT, NO_SUPPLY_CAP, pointsForSpend, type Account } from "../helpers/model";
import {
  CLAIM_KEYS,
  claimCodeArgs,
  codeTree,
  expectOutcome,
  modelRules,
  NUM_RUNS,
  predict,
  PROPERTY_TIMEOUT_MS,
} from "./support";

const HOLDERS = 3; // alice, bob, carol
const SPENDERS = 4; // the holders and a stranger

const holder = fc.integer({ min: 0, max: HOLDERS - 1 });
const spender = fc.integer({ min: 0, max: SPENDERS - 1 });
/**
 * Points for a claim or a mint: zero, dust, everyday amounts, and amounts that reach the 1 000 000 cap of the capped
 * campaign in two (the campaign without a cap takes them all).
 */
const points = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 3n }) },
  { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 1_000n }).map((n) => n * ONE) },
  { weight: 2, arbitrary: fc.bigInt({ min: 200_000n, max: 700_000n }).map((n) => n * ONE) },
);
/** Spend in cents (the fixture's campaign earns 1 point per 500). */
const spend = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 100_000n }));
/** An amount relative to a balance: `tenths` of it, nudged by one unit, so that all of it and one unit more occur. */
const share = fc.record({ tenths: fc.integer({ min: 0, max: 12 }), nudge: fc.constantFrom(-1n, 0n, 1n) });
type Share = { tenths: number; nudge: bigint };

/**
 * burnFrom names an allowance the ledger has recorded (`approval` modulo their count, so that spenders mostly act
 * where they were approved) or, before any approval, the stranger on alice's points.
 */
const operation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("issue" as const), to: holder, points, spend }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("voucher" as const),
      id: fc.bigInt({ min: 0n, max: 2n }),
      to: holder,
      points,
      spend,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("code" as const), code: fc.nat(), to: holder }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("mint" as const), to: holder, amount: points }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("transfer" as const), from: holder, to: holder, share }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("burn" as const), from: holder, share }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("approve" as const),
      owner: holder,
      spender,
      share: fc.option(share, { nil: "unlimited" as const }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("burnFrom" as const), approval: fc.nat(), share }) },
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/**
 * Which campaign claims (the capped one, the same without a cap, or one without a cap that keeps wallet records:
 * tiers and a milestone), the batch's printed codes (their points) and what happens afterwards.
 */
const scenario = fc.record({
  variant: fc.constantFrom("capped" as const, "uncapped" as const, "recorded" as const),
  codePoints: fc.array(points, { minLength: 1, maxLength: 4 }),
  operations: fc.array(operation, { minLength: 1, maxLength: 10 }),
});

function amountOf(share: Share, balance: bigint): bigint {
  const amount = (balance * BigInt(share.tenths)) / 10n + share.nudge;
  return amount < 0n ? 0n : amount;
}

/** What the token and the campaign must show: the ledger of every operation that succeeded. */
class Ledger {
  readonly balances: bigint[] = Array<bigint>(HOLDERS).fill(0n);
  /** Allowances by `${owner}:${spender}` (holder and spender indexes). */
  readonly allowances = new Map<string, bigint>();
  readonly added = { issue: 0n, voucher: 0n, code: 0n, mint: 0n };
  burned = 0n;
  readonly claimedVouchers = new Set<bigint>();
  readonly claimedCodes = new Set<number>();

  add(source: keyof Ledger["added"], to: number, amount: bigint) {
    this.added[source] += amount;
    this.balances[to] += amount;
  }

  burn(from: number, amount: bigint) {
    this.balances[from] -= amount;
    this.burned += amount;
  }

  /** The revert a transfer or burn of `amount` from `holder` must raise, if any. */
  refusal(holder: number, amount: bigint): ModelRevert | undefined {
    return amount > this.balances[holder] ? new ModelRevert("InsufficientBalance") : undefined;
  }

  campaignIssued(): bigint {
    return this.added.issue + this.added.voucher + this.added.code;
  }

  totalSupply(): bigint {
    return this.campaignIssued() + this.added.mint - this.burned;
  }
}

/**
 * campaignFixture (its campaign has a 1 000 000-point cap) plus the same campaign without a supply cap, and one
 * without a cap that keeps wallet records (beside the balances in the token: LoyaltyToken.mintWithRecord).
 */
async function supplyFixture() {
  const base = await campaignFixture();
  const uncappedParams = { ...base.params, supplyCap: NO_SUPPLY_CAP };
  const uncapped = await createCampaign(base.factory, base.merchant, uncappedParams, ethers.id("uncapped"));
  const recordedParams = {
    ...uncappedParams,
    tierPeriod: 30 * DAY,
    tiers: [
      { threshold: 100n * ONE, multiplierBps: 15_000 },
      { threshold: 500n * ONE, multiplierBps: 20_000 },
    ],
    milestones: [{ claimNumber: 3, bonus: 50n * ONE }],
  };
  const recorded = await createCampaign(base.factory, base.merchant, recordedParams, ethers.id("recorded"));
  return { ...base, uncapped, uncappedParams, recorded, recordedParams };
}

describe("Campaign and LoyaltyToken supply (property)", () => {
  // Whatever issues, voucher and code claims, mints, transfers, approvals and burns happen (refused ones included),
  // the token's total supply equals everything issued, claimed and minted minus everything burned, with a supply cap
  // or without one; what the campaign issued is counted from its PointsIssued events too (a campaign without a cap
  // does not count it: its issued() stays 0).
  it("total supply equals the sum of everything issued and claimed minus everything burned", async function () {
    this.timeout(PROPERTY_TIMEOUT_MS);
    await fc.assert(
      fc.asyncProperty(scenario, async ({ variant, codePoints, operations }) => {
        const f = await loadFixture(supplyFixture);
        const { merchant, issuer, alice, bob, carol, stranger, token } = f;
        const [campaign, params] = {
          capped: [f.campaign, f.params] as const,
          uncapped: [f.uncapped, f.uncappedParams] as const,
          recorded: [f.recorded, f.recordedParams] as const,
        }[variant];
        const fromBlock = (await ethers.provider.getBlockNumber()) + 1;
        const holders = [alice, bob, carol];
        const spenders = [...holders, stranger];
        const rules = modelRules(params);
        // Every case starts from the fixture's snapshot, in the first seconds of its 30-day campaign.
        const now = BigInt(await time.latest());
        const leaves = codePoints.map((p, i): CodeLeaf => [BigInt(i), CLAIM_KEYS[i % CLAIM_KEYS.length].address, p]);
        const tree = codeTree(leaves);
        await (await campaign.connect(merchant).publishBatch(tree.root, leaves.length)).wait();
        const ledger = new Ledger();
        /** Each holder's record in the campaign, as the model keeps it (transfers and burns never touch it). */
        const accounts: Account[] = holders.map(() => NEW_ACCOUNT);

        /** A campaign claim worth `base` into holder `to`: what it issues, or the revert it must raise. */
        const campaignClaim = (to: number, base: () => bigint) =>
          predict(() => {
            const issued = countsIssued(rules) ? ledger.campaignIssued() : 0n;
            const { amount, bonus, account } = claim(rules, issued, accounts[to], base(), now);
            return { total: amount + bonus, account };
          });
        /** Books a claim that succeeded. */
        const claimed = (source: "issue" | "voucher" | "code", to: number, result: { total: bigint; account: Account }) => {
          ledger.add(source, to, result.total);
          accounts[to] = result.account;
        };

        async function run(op: Operation) {
          switch (op.op) {
            case "issue": {
              const outcome = campaignClaim(op.to, () => op.points + pointsForSpend(rules, op.spend));
              const to = holders[op.to].address;
              await expectOutcome(
                () => campaign.connect(issuer).issue(to, op.points, op.spend, ethers.ZeroHash),
                campaign,
                outcome.revert,
              );
              if (outcome.result !== undefined) claimed("issue", op.to, outcome.result);
              return;
            }
            case "voucher": {
              const outcome = ledger.claimedVouchers.has(op.id)
                ? { revert: new ModelRevert("CampaignVoucherAlreadyClaimed", [op.id]) }
                : campaignClaim(op.to, () => op.points + pointsForSpend(rules, op.spend));
              const claimKey = CLAIM_KEYS[Number(op.id) % CLAIM_KEYS.length];
              const { id, points, spend } = op;
              const voucher = { id, points, spend, expiresAt: rules.endsAt, claimKey: claimKey.address };
              const args = await voucherClaimArgs(campaign, issuer, voucher, claimKey, holders[op.to].address);
              await expectOutcome(() => campaign.claimVoucher(...args), campaign, outcome.revert);
              if (outcome.result === undefined) return;
              ledger.claimedVouchers.add(op.id);
              claimed("voucher", op.to, outcome.result);
              return;
            }
            case "code": {
              const position = op.code % leaves.length;
              const [index, , codePoints] = leaves[position];
              const outcome = ledger.claimedCodes.has(position)
                ? { revert: new ModelRevert("CampaignCodeAlreadyClaimed", [0n, index]) }
                : campaignClaim(op.to, () => codePoints);
              const claimKey = CLAIM_KEYS[position % CLAIM_KEYS.length];
              const args = await claimCodeArgs(campaign, 0n, tree, position, claimKey, holders[op.to].address);
              await expectOutcome(() => campaign.claimCode(...args), campaign, outcome.revert);
              if (outcome.result === undefined) return;
              ledger.claimedCodes.add(position);
              claimed("code", op.to, outcome.result);
              return;
            }
            case "mint":
              await (await token.connect(merchant).mint(holders[op.to].address, op.amount)).wait();
              ledger.add("mint", op.to, op.amount);
              return;
            case "transfer": {
              const amount = amountOf(op.share, ledger.balances[op.from]);
              const refused = ledger.refusal(op.from, amount);
              const to = holders[op.to].address;
              await expectOutcome(() => token.connect(holders[op.from]).transfer(to, amount), token, refused);
              if (refused) return;
              ledger.balances[op.from] -= amount;
              ledger.balances[op.to] += amount;
              return;
            }
            case "burn": {
              const amount = amountOf(op.share, ledger.balances[op.from]);
              const refused = ledger.refusal(op.from, amount);
              await expectOutcome(() => token.connect(holders[op.from]).burn(amount), token, refused);
              if (!refused) ledger.burn(op.from, amount);
              return;
            }
            case "approve": {
              const amount =
                op.share === "unlimited" ? ethers.MaxUint256 : amountOf(op.share, ledger.balances[op.owner]);
              await (await token.connect(holders[op.owner]).approve(spenders[op.spender].address, amount)).wait();
              ledger.allowances.set(`${op.owner}:${op.spender}`, amount);
              return;
            }
            case "burnFrom": {
              const approvals = [...ledger.allowances.keys()];
              const key = approvals.length === 0 ? `0:${SPENDERS - 1}` : approvals[op.approval % approvals.length];
              const [owner, spender] = key.split(":").map(Number);
              const allowance = ledger.allowances.get(key) ?? 0n;
              // An unlimited allowance is never spent (plain ERC-20 behaviour), so the balance is what limits it.
              const unlimited = allowance === ethers.MaxUint256;
              const amount = amountOf(op.share, unlimited ? ledger.balances[owner] : allowance);
              const refused =
                !unlimited && amount > allowance
                  ? new ModelRevert("InsufficientAllowance")
                  : ledger.refusal(owner, amount);
              const from = holders[owner].address;
              await expectOutcome(() => token.connect(spenders[spender]).burnFrom(from, amount), token, refused);
              if (refused) return;
              if (!unlimited) ledger.allowances.set(key, allowance - amount);
              ledger.burn(owner, amount);
              return;
            }
          }
        }

        for (const op of operations) await run(op);

        const totalSupply = await token.totalSupply();
        expect(totalSupply, "totalSupply").to.equal(ledger.totalSupply());
        const balances = await Promise.all(holders.map((h) => token.balanceOf(h.address)));
        expect(balances, "balances").to.deep.equal(ledger.balances);
        expect(
          balances.reduce((sum, b) => sum + b, 0n),
          "sum of all balances",
        ).to.equal(totalSupply);
        expect(await campaign.issued(), "campaign.issued()").to.equal(countsIssued(rules) ? ledger.campaignIssued() : 0n);
        // Per events: what PointsIssued says the campaign issued, plus what the merchant minted, minus what was burned.
        const events = await campaign.queryFilter(campaign.filters.PointsIssued(), fromBlock);
        const issuedPerEvents = events.reduce((sum, e) => sum + e.args.amount + e.args.bonus, 0n);
        expect(issuedPerEvents, "PointsIssued amount + bonus").to.equal(ledger.campaignIssued());
        expect(totalSupply, "totalSupply per events").to.equal(issuedPerEvents + ledger.added.mint - ledger.burned);
        // Each wallet's record in the campaign is the model's, whatever moved or burned its points; a campaign that
        // keeps records keeps them beside the balances in the token, under its number.
        const serial = BigInt(await campaign.serial());
        for (const [i, h] of holders.entries()) {
          const { current, previous, claims } = accounts[i];
          const keeps = variant === "recorded";
          expect(await campaign.accountOf(h.address), `accountOf(holder ${i})`).to.deep.equal(
            keeps ? [current, previous, claims] : [0n, 0n, 0n],
          );
          expect((await token.recordOf(h.address)) >> 112n, `recordOf(holder ${i})`).to.equal(
            keeps && claims > 0n ? serial : 0n,
          );
        }
        for (const [key, allowance] of ledger.allowances) {
          const [owner, spenderIndex] = key.split(":").map(Number);
          expect(
            await token.allowance(holders[owner].address, spenders[spenderIndex].address),
            `allowance ${key}`,
          ).to.equal(allowance);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
