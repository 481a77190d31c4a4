import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { campaignFixture, campaignParams, CHANNEL, createCampaign, DAY, ONE } from "../helpers/fixtures";
import { claim, countsIssued, NEW_ACCOUNT, pointsForSpend, quote, rolledOver, tierAt, type Account } from "../helpers/model";
import { expectOutcome, expectRevert, modelRules, NUM_RUNS, predict, PROPERTY_TIMEOUT_MS } from "./support";

const MAX_UINT128 = 2n ** 128n - 1n;

const sortBigInts = (values: bigint[]) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** Rising thresholds (in `scale` units) with non-decreasing multipliers of at least 1x (uint16 basis points). */
const tiers = (scale: bigint) =>
  fc.integer({ min: 0, max: 4 }).chain((count) =>
    fc
      .tuple(
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 100n }), { minLength: count, maxLength: count }),
        fc.array(
          fc.oneof(
            fc.constant(10_000),
            fc.integer({ min: 20, max: 60 }).map((n) => n * 500),
            fc.integer({ min: 10_000, max: 65_535 }),
          ),
          { minLength: count, maxLength: count },
        ),
      )
      .map(([thresholds, multipliers]) => {
        const sortedMultipliers = [...multipliers].sort((a, b) => a - b);
        return sortBigInts(thresholds).map((t, i) => ({ threshold: t * scale, multiplierBps: sortedMultipliers[i] }));
      }),
  );

/** Stamp-card bonuses on distinct claim numbers 1..8. */
const milestones = (scale: bigint) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 3 })
    .chain((numbers) =>
      fc.tuple(
        ...[...numbers]
          .sort((a, b) => a - b)
          .map((claimNumber) =>
            fc.bigInt({ min: 1n, max: 100n }).map((bonus) => ({ claimNumber, bonus: bonus * scale })),
          ),
      ),
    );

/**
 * A campaign. Amounts are multiples of `scale`: 1 (every rounding down of the earn rate and the multiplier shows),
 * a thousandth of a point (the record's rounding of each claim to a hundredth shows, thresholds included) or ONE
 * (whole points). The start is
 * `startsIn` thousandths of a period from creation (before or after it), the end `lasts` periods after both.
 */
const campaignCase = fc.constantFrom(1n, 10n ** 15n, ONE).chain((scale) =>
  fc.record({
    scale: fc.constant(scale),
    tiers: tiers(scale),
    period: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 60, max: 30 * DAY })),
    milestones: milestones(scale),
    earnRate: fc.oneof(
      { weight: 1, arbitrary: fc.constant({ earnPoints: 0n, earnSpend: 0n }) },
      {
        weight: 3,
        arbitrary: fc.record({
          earnPoints: fc.bigInt({ min: 1n, max: 10n }).map((n) => n * scale),
          earnSpend: fc.bigInt({ min: 50n, max: 1_000n }),
        }),
      },
    ),
    supplyCap: fc.oneof(
      // No cap (issued() then stays 0), or one the claims may reach.
      { weight: 3, arbitrary: fc.constant(MAX_UINT128) },
      { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 400n }).map((n) => n * scale) },
    ),
    maxPerClaim: fc.oneof(
      { weight: 5, arbitrary: fc.constant(0n) },
      { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 80n }).map((n) => n * scale) },
    ),
    startsIn: fc.integer({ min: -3_000, max: 2_000 }),
    lasts: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 20, max: 60 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) },
    ),
  }),
);

/**
 * How far the clock moves before a step (at least a second): to just before, at or just after the next (or a later)
 * period boundary, or by a fraction of a period, mostly within the current period, sometimes several periods on.
 */
const advance = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      boundaries: fc.oneof(
        { weight: 3, arbitrary: fc.constant(1) },
        { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) },
      ),
      nudge: fc.integer({ min: -1, max: 1 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      periods: fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
      thousandths: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 })),
    }),
  },
);
type Advance = typeof advance extends fc.Arbitrary<infer T> ? T : never;

/** A claim's points in `scale` units, with zero, dust and amounts past the 96-bit bucket of a period. */
const claimOf = (scale: bigint) =>
  fc.record({
    // Mostly alice, so that her claims add up to tiers; bob's record must stay apart.
    customer: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
    points: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0n) },
      { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 5n }) },
      { weight: 6, arbitrary: fc.bigInt({ min: 1n, max: 60n }).map((n) => n * scale) },
      { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 94n, max: 2n ** 97n }) },
    ),
    spend: fc.oneof(
      { weight: 2, arbitrary: fc.constant(0n) },
      { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 2_000n }) },
    ),
  });

const scenario = campaignCase.chain((c) =>
  fc.record({
    campaign: fc.constant(c),
    steps: fc.array(fc.record({ advance, claim: fc.option(claimOf(c.scale), { nil: undefined }) }), {
      minLength: 1,
      maxLength: 8,
    }),
  }),
);

describe("Campaign tiers and earn rate (property)", () => {
  // At every step of any campaign's life, tierOf, accountOf, quote and what a claim actually mints equal the
  // TypeScript model's earn-rate conversion, tier from the current and previous period, multiplier and milestone bonus.
  it("tier and earn-rate results match a small TypeScript model across period boundaries", async function () {
    this.timeout(PROPERTY_TIMEOUT_MS);
    await fc.assert(
      fc.asyncProperty(scenario, async ({ campaign: c, steps }) => {
        const { factory, token, merchant, issuer, alice, bob } = await loadFixture(campaignFixture);
        const customers = [alice.address, bob.address];
        const createdAt = BigInt(await time.latest()) + 1n;
        // Time moves in periods even without tiers (then tierPeriod is 0 and a day is the unit).
        const clock = BigInt(c.tiers.length === 0 ? DAY : c.period);
        const startsAt = createdAt + (BigInt(c.startsIn) * clock) / 1_000n;
        const endsAt = (startsAt > createdAt ? startsAt : createdAt) + BigInt(c.lasts) * clock;
        const params = await campaignParams(await token.getAddress(), {
          startsAt,
          endsAt,
          supplyCap: c.supplyCap,
          maxPerClaim: c.maxPerClaim,
          ...c.earnRate,
          tierPeriod: c.tiers.length === 0 ? 0 : c.period,
          tiers: c.tiers,
          milestones: c.milestones,
          issuers: [issuer.address],
        });
        await time.setNextBlockTimestamp(createdAt);
        const campaign = await createCampaign(factory, merchant, params, ethers.id("tiers property"));
        const rules = modelRules(params);
        const accounts: Account[] = Array<Account>(customers.length).fill(NEW_ACCOUNT);
        const balances: bigint[] = Array<bigint>(customers.length).fill(0n);
        let issued = 0n;
        let now = createdAt;

        const timeAfter = (step: Advance): bigint => {
          const target =
            "boundaries" in step
              ? startsAt + (floorDiv(now - startsAt, clock) + BigInt(step.boundaries)) * clock + BigInt(step.nudge)
              : now + BigInt(step.periods) * clock + (BigInt(step.thousandths) * clock) / 1_000n;
          return target > now ? target : now + 1n;
        };

        for (const [i, step] of steps.entries()) {
          now = timeAfter(step.advance);
          await time.setNextBlockTimestamp(now);
          // Views run in the pending block, whose timestamp is `now`: the same block the claim below is mined in.
          const atNow = { blockTag: "pending" } as const;
          for (const [k, customer] of customers.entries()) {
            const seen = rolledOver(rules, accounts[k], now);
            expect(await campaign.tierOf(customer, atNow), `tierOf(customer ${k}) at ${now}`).to.equal(
              tierAt(rules, accounts[k], now),
            );
            expect(
              [...(await campaign.accountOf(customer, atNow))],
              `accountOf(customer ${k}) at ${now}`,
            ).to.deep.equal([seen.current, seen.previous, seen.claims]);
          }
          if (step.claim === undefined) continue;

          const { customer: k, points, spend } = step.claim;
          const converted = predict(() => pointsForSpend(rules, spend));
          if (converted.revert) {
            await expectRevert(campaign.pointsForSpend(spend), campaign, converted.revert);
          } else {
            expect(await campaign.pointsForSpend(spend), `pointsForSpend(${spend})`).to.equal(converted.result);
          }
          const quoted = predict(() => quote(rules, accounts[k], points, spend, now));
          if (quoted.revert) {
            await expectRevert(campaign.quote(customers[k], points, spend, atNow), campaign, quoted.revert);
          } else {
            expect([...(await campaign.quote(customers[k], points, spend, atNow))], `quote at ${now}`).to.deep.equal([
              quoted.result.amount,
              quoted.result.bonus,
            ]);
          }

          const claimed = predict(() => claim(rules, issued, accounts[k], points + pointsForSpend(rules, spend), now));
          const ref = ethers.toBeHex(i, 32);
          const issuing = () => campaign.connect(issuer).issue(customers[k], points, spend, ref);
          if (claimed.revert) {
            await expectOutcome(issuing, campaign, claimed.revert);
          } else {
            const { amount, bonus } = claimed.result;
            await expect(issuing())
              .to.emit(campaign, "PointsIssued")
              .withArgs(customers[k], CHANNEL.Direct, i, amount, bonus);
            accounts[k] = claimed.result.account;
            balances[k] += amount + bonus;
            // Counted only with a supply cap (the cases generate campaigns without one, too).
            if (countsIssued(rules)) issued += amount + bonus;
          }
          expect(await token.balanceOf(customers[k]), `balance of customer ${k}`).to.equal(balances[k]);
          expect(await campaign.issued(), "issued()").to.equal(issued);
        }
        // Leave no timestamp pending: whatever runs next on this chain starts from the last block's time.
        if (BigInt(await time.latest()) < now) await mine();
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
