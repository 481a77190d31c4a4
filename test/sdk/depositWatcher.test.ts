import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  type Address,
  type Hex,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createToken } from "../../sdk/src/actions/factory";
import { mint, transfer } from "../../sdk/src/actions/token";
import { type Deposit, type DepositEvent, createDepositWatcher } from "../../sdk/src/depositWatcher";
import { fileStore } from "../../sdk/src/indexer/fileStore";
import { fileLedger } from "../../sdk/src/node/depositLedger";
import { ONE, deployFactory } from "../helpers/fixtures";
import { clientsOf, hardhatAccounts, publicClient } from "./support";

// The exchange deposit watcher on the Hardhat chain: deposits of factory tokens to the exchange's addresses are
// credited after N confirmations, exactly once, across a restart (a new watcher over the same files) and reorgs
// made with evm_snapshot / evm_revert.

const CONFIRMATIONS = 3;

const rpc = (method: string, params: unknown[] = []) => network.provider.request({ method, params });
const mine = (blocks: number) => rpc("hardhat_mine", [toHex(blocks)]);

async function watcherFixture() {
  const [merchant] = await hardhatAccounts();
  const fromBlock = await publicClient.getBlockNumber();
  const factory = getAddress(await (await deployFactory()).getAddress());
  const newToken = async (symbol: string) => {
    const created = await createToken(clientsOf(merchant), {
      params: { name: `${symbol} points`, symbol, faceValue: 10_000n, metadataURI: "" },
      factory,
    });
    return getAddress((await created.wait()).event.args.token);
  };
  const bean = await newToken("BEAN");
  // A customer with a local key, so that a signed transaction can be sent again after a reorg (same hash).
  const alice = privateKeyToAccount(generatePrivateKey());
  await rpc("hardhat_setBalance", [alice.address, toHex(ONE)]);
  await (await mint(clientsOf(merchant), { token: bean, to: alice.address, amount: 1_000n * ONE })).wait();
  const exchange = [
    privateKeyToAccount(generatePrivateKey()).address,
    privateKeyToAccount(generatePrivateKey()).address,
  ];
  return { merchant, factory, fromBlock, newToken, bean, alice, exchange };
}

type Fixture = Awaited<ReturnType<typeof watcherFixture>>;

/** A watcher over files in `directory`: a second one over the same directory is the first after a restart. */
function watcherIn(directory: string, fixture: Fixture, heard: Deposit[] = []) {
  return createDepositWatcher({
    client: publicClient,
    addresses: fixture.exchange,
    factory: fixture.factory,
    fromBlock: fixture.fromBlock,
    confirmations: CONFIRMATIONS,
    indexerStore: fileStore<DepositEvent>(path.join(directory, "indexer")),
    ledger: fileLedger(path.join(directory, "ledger.json")),
    onDeposit: (deposit) => void heard.push(deposit),
  });
}

async function send(fixture: Fixture, token: Address, to: Address, amount: bigint) {
  return (await (await transfer(clientsOf(fixture.alice), { token, to, amount })).wait()).receipt;
}

/** Alice's transfer, signed but not sent: the same raw transaction (and hash) can be sent before and after a reorg. */
async function signedTransfer(fixture: Fixture, token: Address, to: Address, amount: bigint): Promise<Hex> {
  const nonce = await publicClient.getTransactionCount({ address: fixture.alice.address });
  return fixture.alice.signTransaction({
    chainId: hardhat.id,
    to: token,
    data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, amount] }),
    nonce,
    gas: 100_000n,
    maxFeePerGas: 10n ** 10n,
    maxPriorityFeePerGas: 1n,
    type: "eip1559",
  });
}

describe("Deposit watcher (exchanges)", () => {
  const directories: string[] = [];
  const directory = () => {
    const made = mkdtempSync(path.join(tmpdir(), "perks-deposits-"));
    directories.push(made);
    return made;
  };
  after(() => directories.forEach((made) => rmSync(made, { recursive: true, force: true })));

  it("credits deposits to the exchange's addresses after N confirmations, once, across a restart", async () => {
    const fixture = await loadFixture(watcherFixture);
    const { bean, exchange } = fixture;
    const files = directory();
    const heard: Deposit[] = [];

    const first = await send(fixture, bean, exchange[0], 5n * ONE);
    await send(fixture, bean, fixture.merchant, 1n * ONE); // not a deposit address
    await send(fixture, bean, exchange[1], 7n * ONE);
    let watcher = watcherIn(files, fixture, heard);
    let polled = await watcher.poll();
    // Three blocks mined: the first has two on top, one short of the confirmations.
    expect(polled.cursor).to.equal(polled.head - BigInt(CONFIRMATIONS));
    expect(polled.credited).to.have.length(0);
    await mine(1);
    polled = await watcher.poll();
    expect(polled.credited.map((deposit) => [deposit.to, deposit.amount, deposit.token])).to.deep.equal([
      [exchange[0], 5n * ONE, bean],
    ]);
    expect(polled.credited[0].id).to.equal(`${first.transactionHash}:${first.logs[0].logIndex}`);

    // Restart: a new watcher over the same files, a token created meanwhile, and more deposits.
    watcher = watcherIn(files, fixture, heard);
    const cup = await fixture.newToken("CUP");
    await (await mint(clientsOf(fixture.merchant), { token: cup, to: exchange[0], amount: 3n * ONE })).wait();
    await mine(CONFIRMATIONS);
    polled = await watcher.poll();
    expect(polled.credited.map((deposit) => [deposit.to, deposit.amount, deposit.token])).to.deep.equal([
      [exchange[1], 7n * ONE, bean],
      [exchange[0], 3n * ONE, cup],
    ]);
    expect((await watcher.poll()).credited).to.have.length(0);
    const credits = await watcher.credits();
    expect(credits).to.have.length(3);
    expect(new Set(credits.map((deposit) => deposit.id)).size).to.equal(3);
    expect(heard.map((deposit) => deposit.id)).to.deep.equal(credits.map((deposit) => deposit.id));
  });

  it("never credits a deposit a reorg shallower than N dropped, and credits a re-included one once", async () => {
    const fixture = await loadFixture(watcherFixture);
    const { bean, exchange } = fixture;
    const watcher = watcherIn(directory(), fixture);
    await send(fixture, bean, exchange[0], 1n * ONE);
    await mine(CONFIRMATIONS);
    expect((await watcher.poll()).credited).to.have.length(1);

    const snapshot = await rpc("evm_snapshot");
    const reincluded = await signedTransfer(fixture, bean, exchange[1], 11n * ONE);
    const hash = (await rpc("eth_sendRawTransaction", [reincluded])) as Hex;
    await send(fixture, bean, exchange[0], 13n * ONE); // dropped by the reorg for good
    await mine(1);
    const before = await watcher.poll(); // both deposits are still short of N confirmations
    expect(before.credited).to.have.length(0);

    await rpc("evm_revert", [snapshot]);
    await mine(1);
    expect(await rpc("eth_sendRawTransaction", [reincluded])).to.equal(hash);
    await send(fixture, bean, exchange[1], 17n * ONE);
    await mine(CONFIRMATIONS);
    const after = await watcher.poll();
    expect(after.credited.map((deposit) => deposit.amount)).to.deep.equal([11n * ONE, 17n * ONE]);
    expect(after.credited[0].transactionHash).to.equal(hash);
    expect(after.orphaned).to.have.length(0);
    expect((await watcher.poll()).credited).to.have.length(0);
    const amounts = (await watcher.credits()).map((deposit) => deposit.amount);
    expect(amounts).to.deep.equal([1n * ONE, 11n * ONE, 17n * ONE]);
  });

  it("reports a credited deposit that a reorg deeper than N removed, and credits nothing twice", async () => {
    const fixture = await loadFixture(watcherFixture);
    const { bean, exchange } = fixture;
    const watcher = watcherIn(directory(), fixture);
    const snapshot = await rpc("evm_snapshot");
    await send(fixture, bean, exchange[0], 2n * ONE);
    await mine(CONFIRMATIONS);
    expect((await watcher.poll()).credited).to.have.length(1);

    await rpc("evm_revert", [snapshot]);
    await send(fixture, bean, exchange[1], 4n * ONE);
    await mine(CONFIRMATIONS + 2);
    const polled = await watcher.poll();
    expect(polled.orphaned.map((deposit) => deposit.amount)).to.deep.equal([2n * ONE]);
    expect(polled.credited.map((deposit) => deposit.amount)).to.deep.equal([4n * ONE]);
    expect((await watcher.credits()).map((deposit) => deposit.amount)).to.deep.equal([2n * ONE, 4n * ONE]);
    expect((await watcher.poll()).orphaned).to.have.length(0);
  });
});
