import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { campaignFixture, signClaim, signVoucher, type CodeLeaf } from "../helpers/fixtures";
import { ModelRevert } from "../helpers/model";
import { CLAIM_KEYS, codeTree, expectOutcome, NUM_RUNS, PROPERTY_TIMEOUT_MS } from "./support";

const MAX_UINT256 = 2n ** 256n - 1n;
/** Where a bitmap of 256-bit words goes wrong if it does: first bit, both sides of a word edge, top bit, last value. */
const EDGES = [0n, 255n, 256n, 2n ** 255n, MAX_UINT256];
/** Batches published with the same root: a code's proof is valid in both, its claimed bit must not be shared. */
const BATCHES = 2;

const clamp = (value: bigint) => (value < 0n ? 0n : value > MAX_UINT256 ? MAX_UINT256 : value);

/** A voucher id or a code index: near an edge, within the first two words (so several share a word), or anywhere. */
const slot = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(...EDGES)
      .chain((edge) => fc.integer({ min: -3, max: 3 }).map((d) => clamp(edge + BigInt(d)))),
  },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 511n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: MAX_UINT256 }) },
);

/** The ids and indexes in play, and the claims in the order tried (`pick` chooses among them: repeats occur). */
const scenario = fc.record({
  voucherIds: fc.uniqueArray(slot, { minLength: 1, maxLength: 4 }),
  codeIndexes: fc.uniqueArray(slot, { minLength: 1, maxLength: 4 }),
  claims: fc.array(
    fc.record({
      kind: fc.constantFrom("voucher" as const, "code" as const),
      pick: fc.nat(),
      batch: fc.integer({ min: 0, max: BATCHES - 1 }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

/** `values` and their neighbours on both sides. */
const withNeighbours = (values: bigint[]) => [...new Set(values.flatMap((v) => [clamp(v - 1n), v, clamp(v + 1n)]))];

describe("Campaign claimed bitmaps (property)", () => {
  // Whatever voucher ids and code indexes are claimed in whatever order, isVoucherClaimed and isCodeClaimed answer
  // exactly like a set of the claimed ones, and claiming a member again reverts with its AlreadyClaimed error.
  it("the claimed bitmap behaves like a set", async function () {
    this.timeout(PROPERTY_TIMEOUT_MS);
    await fc.assert(
      fc.asyncProperty(scenario, async ({ voucherIds, codeIndexes, claims }) => {
        const { merchant, issuer, alice, campaign, params } = await loadFixture(campaignFixture);
        const claimKey = CLAIM_KEYS[0];
        const [claimR, claimVS] = await signClaim(campaign, claimKey, alice.address);
        const tree = codeTree(codeIndexes.map((index): CodeLeaf => [index, claimKey.address, 1n]));
        for (let batch = 0; batch < BATCHES; batch++) {
          await (await campaign.connect(merchant).publishBatch(tree.root, codeIndexes.length)).wait();
        }
        const claimedVouchers = new Set<bigint>();
        const claimedCodes = Array.from({ length: BATCHES }, () => new Set<bigint>());

        async function expectBitmapsToMatch(vouchers: bigint[], codes: bigint[]) {
          for (const id of vouchers) {
            expect(await campaign.isVoucherClaimed(id), `isVoucherClaimed(${id})`).to.equal(claimedVouchers.has(id));
          }
          for (let batch = 0; batch < BATCHES; batch++) {
            for (const index of codes) {
              expect(await campaign.isCodeClaimed(batch, index), `isCodeClaimed(${batch}, ${index})`).to.equal(
                claimedCodes[batch].has(index),
              );
            }
          }
        }

        // A member claimed again must revert; either way the claimed set then holds it.
        for (const { kind, pick, batch } of claims) {
          if (kind === "voucher") {
            const id = voucherIds[pick % voucherIds.length];
            const voucher = { id, points: 1n, spend: 0n, expiresAt: BigInt(params.endsAt), claimKey: claimKey.address };
            const [issuerR, issuerVS] = await signVoucher(campaign, issuer, voucher);
            const again = claimedVouchers.has(id) ? new ModelRevert("CampaignVoucherAlreadyClaimed", [id]) : undefined;
            await expectOutcome(
              () => campaign.claimVoucher(voucher, issuerR, issuerVS, alice.address, claimR, claimVS),
              campaign,
              again,
            );
            claimedVouchers.add(id);
          } else {
            const position = pick % codeIndexes.length;
            const index = codeIndexes[position];
            const code = { batchId: BigInt(batch), index, points: 1n, claimKey: claimKey.address };
            const again = claimedCodes[batch].has(index)
              ? new ModelRevert("CampaignCodeAlreadyClaimed", [BigInt(batch), index])
              : undefined;
            await expectOutcome(
              () => campaign.claimCode(code, tree.getProof(position), alice.address, claimR, claimVS),
              campaign,
              again,
            );
            claimedCodes[batch].add(index);
          }
          await expectBitmapsToMatch(voucherIds, codeIndexes);
        }
        // A claim never clears a bit, so a stray bit set at any step is still visible here.
        await expectBitmapsToMatch(withNeighbours(voucherIds), withNeighbours(codeIndexes));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
