import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Address, type Hex, createPublicClient, getAddress } from "viem";
import { hardhat } from "viem/chains";
import { decodePackedRules, tierOf } from "../../sdk/src/actions/campaign";
import { type PerksEvent, perksEventsAbi, perksSources } from "../../sdk/src/indexer/events";
import { type Indexer, createIndexer } from "../../sdk/src/indexer/indexer";
import { memoryStore } from "../../sdk/src/indexer/store";
import { createAggregator } from "../../sdk/src/stats";
import { newTierAccount, recordClaim, tierAt } from "../../sdk/src/tiers";
import { DAY, ONE, campaignParams, createCampaign, createToken, deployFactory } from "../helpers/fixtures";
import { transport } from "./support";

// The indexer against the in-process Hardhat network: real blocks, real logs, and real reorgs made with
// evm_snapshot / evm_revert followed by different blocks at the same heights.

// A client of its own, not support's: viem caches the block number for a few seconds, and a cache filled by the
// suites before this one would outlive the reorgs made here.
const publicClient = createPublicClient({ chain: hardhat, transport });

async function indexerFixture() {
  const [, merchant, issuer, alice, bob] = await ethers.getSigners();
  const fromBlock = BigInt(await time.latestBlock()) + 1n;
  const factory = await deployFactory();
  const token = await createToken(factory, merchant);
  const params = await campaignParams(await token.getAddress(), {
    issuers: [issuer.address],
    tierPeriod: 7 * DAY,
    tiers: [
      { threshold: 100n * ONE, multiplierBps: 12_500 },
      { threshold: 300n * ONE, multiplierBps: 15_000 },
    ],
    milestones: [{ claimNumber: 3, bonus: 5n * ONE }],
  });
  const campaign = await createCampaign(factory, merchant, params);
  const issue = async (recipient: { address: string }, points: bigint) =>
    (await campaign.connect(issuer).issue(recipient.address, points, 0n, ethers.ZeroHash)).wait();
  await issue(alice, 80n * ONE);
  await issue(bob, 20n * ONE);
  await issue(alice, 40n * ONE);
  await (await token.connect(alice).transfer(bob.address, 10n * ONE)).wait();
  return {
    fromBlock,
    factory: getAddress(await factory.getAddress()),
    token: getAddress(await token.getAddress()),
    campaign: getAddress(await campaign.getAddress()),
    alice,
    bob,
    issue,
    transfer: async (amount: bigint) => (await token.connect(alice).transfer(bob.address, amount)).wait(),
  };
}

function perksIndexer(fixture: Awaited<ReturnType<typeof indexerFixture>>, confirmations: number) {
  return createIndexer({
    client: publicClient,
    store: memoryStore<PerksEvent>(),
    abi: perksEventsAbi,
    ...perksSources({ factories: [fixture.factory] }),
    fromBlock: fixture.fromBlock,
    confirmations,
    range: { initial: 3 },
    retry: { baseDelayMs: 1 },
  });
}

type Located = { blockNumber: bigint; blockHash: Hex; logIndex: number; transactionHash: Hex };
const where = (log: Located) => `${log.blockNumber}/${log.logIndex}/${log.blockHash}/${log.transactionHash}`;

/** What the chain has now between the blocks for the factory and what it created: the ground truth. */
async function canonical(addresses: Address[], fromBlock: bigint, toBlock: bigint): Promise<string[]> {
  if (toBlock < fromBlock) return [];
  const logs = await publicClient.getLogs({ address: addresses, fromBlock, toBlock });
  return logs.map((log) => where(log as Located));
}

async function stored(indexer: Indexer<PerksEvent>): Promise<PerksEvent[]> {
  const events: PerksEvent[] = [];
  for await (const event of indexer.events()) events.push(event);
  return events;
}

describe("SDK indexer on the Hardhat chain", function () {
  it("stores every event of the factory and its creations, N blocks behind the head", async function () {
    const fixture = await loadFixture(indexerFixture);
    await mine(5);
    const indexer = perksIndexer(fixture, 3);
    const result = await indexer.sync();
    const head = await publicClient.getBlockNumber();
    expect(result).to.deep.include({ head, cursor: head - 3n });

    const events = await stored(indexer);
    const addresses = [fixture.factory, fixture.token, fixture.campaign];
    expect(events.map(where)).to.deep.equal(await canonical(addresses, fixture.fromBlock, result.cursor));
    expect(events.map((event) => event.eventName)).to.include.members([
      "TokenCreated",
      "CampaignCreated",
      "PointsIssued",
      "Transfer",
    ]);
    for (const event of events) {
      const block = await publicClient.getBlock({ blockNumber: event.blockNumber });
      expect(event.timestamp).to.equal(Number(block.timestamp));
    }
  });

  it("replays tiers from PointsIssued exactly as the campaign's tierOf counts them", async function () {
    const fixture = await loadFixture(indexerFixture);
    await fixture.issue(fixture.alice, 200n * ONE);
    const indexer = perksIndexer(fixture, 0);
    await indexer.sync();
    const events = await stored(indexer);
    const created = events.find((event) => event.eventName === "CampaignCreated");
    if (created?.eventName !== "CampaignCreated") throw new Error("no CampaignCreated");
    const rules = decodePackedRules(created.args.rules);
    const accounts = new Map<Address, ReturnType<typeof newTierAccount>>();
    for (const event of events) {
      if (event.eventName !== "PointsIssued") continue;
      const account = accounts.get(event.args.recipient) ?? newTierAccount();
      accounts.set(
        event.args.recipient,
        recordClaim(rules, account, event.timestamp, event.args.amount + event.args.bonus),
      );
    }
    const now = Number((await publicClient.getBlock()).timestamp);
    for (const wallet of [fixture.alice, fixture.bob]) {
      const recipient = getAddress(wallet.address);
      const onChain = await tierOf(publicClient, { campaign: fixture.campaign, account: recipient });
      expect(tierAt(rules, accounts.get(recipient)!, now)).to.equal(onChain);
    }
    expect(tierAt(rules, accounts.get(getAddress(fixture.alice.address))!, now)).to.equal(2);
  });

  it("aggregates statistics from the indexed events that agree with the contracts' own totals", async function () {
    const fixture = await loadFixture(indexerFixture);
    const indexer = perksIndexer(fixture, 0);
    await indexer.sync();
    const aggregator = createAggregator({ asOf: Number((await publicClient.getBlock()).timestamp) });
    for await (const event of indexer.events()) aggregator.add(event);
    const { brands, campaigns } = aggregator.result();
    const token = await ethers.getContractAt("LoyaltyToken", fixture.token);
    const campaign = await ethers.getContractAt("Campaign", fixture.campaign);
    expect(brands[0]).to.deep.include({ token: fixture.token, outstanding: await token.totalSupply(), holders: 2 });
    expect(campaigns[0]).to.deep.include({ campaign: fixture.campaign, issued: await campaign.issued(), wallets: 2 });
    expect(campaigns[0].tiers?.wallets).to.deep.equal([1, 1, 0]);
  });

  it("after a reorg shallower than N holds exactly the canonical chain's events, with the new tail", async function () {
    const fixture = await loadFixture(indexerFixture);
    const addresses = [fixture.factory, fixture.token, fixture.campaign];
    const confirmations = 4;
    const indexer = perksIndexer(fixture, confirmations);
    await indexer.sync();

    const snapshot = await network.provider.request({ method: "evm_snapshot" });
    await fixture.issue(fixture.bob, 7n * ONE);
    await fixture.transfer(1n * ONE);
    const orphaned = await canonical(
      addresses,
      (await publicClient.getBlockNumber()) - 1n,
      await publicClient.getBlockNumber(),
    );
    const before = await indexer.sync({ unconfirmed: true });
    expect(before.tail!.map(where)).to.include.members(orphaned);

    // Three blocks replaced (shallower than the four confirmations), then the new branch grows past the old head.
    await network.provider.request({ method: "evm_revert", params: [snapshot] });
    await fixture.issue(fixture.bob, 9n * ONE);
    await mine(2);
    await fixture.transfer(2n * ONE);
    await mine(3);

    const after = await indexer.sync({ unconfirmed: true });
    expect(after.rolledBack).to.equal(undefined);
    const head = await publicClient.getBlockNumber();
    expect((await stored(indexer)).map(where)).to.deep.equal(
      await canonical(addresses, fixture.fromBlock, after.cursor),
    );
    expect(after.tail!.map(where)).to.deep.equal(await canonical(addresses, after.cursor + 1n, head));
    const everything = [...(await stored(indexer)), ...after.tail!].map(where);
    for (const gone of orphaned) expect(everything).not.to.include(gone);
  });

  it("rolls back blocks it stored when they leave the chain, and indexes the new branch", async function () {
    const fixture = await loadFixture(indexerFixture);
    const addresses = [fixture.factory, fixture.token, fixture.campaign];
    const indexer = perksIndexer(fixture, 0);
    const snapshot = await network.provider.request({ method: "evm_snapshot" });
    await fixture.issue(fixture.bob, 7n * ONE);
    await fixture.transfer(1n * ONE);
    const first = await indexer.sync();

    await network.provider.request({ method: "evm_revert", params: [snapshot] });
    await fixture.transfer(3n * ONE);
    await fixture.issue(fixture.bob, 11n * ONE);
    await mine(1);

    const second = await indexer.sync();
    expect(second.rolledBack?.to).to.be.lessThan(first.cursor - 1n);
    expect((await stored(indexer)).map(where)).to.deep.equal(
      await canonical(addresses, fixture.fromBlock, await publicClient.getBlockNumber()),
    );
    const issued = (await stored(indexer)).flatMap((event) =>
      event.eventName === "PointsIssued" ? [event.args.amount] : [],
    );
    expect(issued.at(-1)).to.equal(11n * ONE);
    expect(issued).not.to.include(7n * ONE);
  });
});
