import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { type Address, getAddress } from "viem";
import { hardhat } from "viem/chains";
import { writeContract } from "viem/actions";
import { createToken } from "../../sdk/src/actions/factory";
import { loyaltyTokenAbi } from "../../sdk/src/generated/abis";
import { buildTokenList, listedTokens, validateTokenList } from "../../sdk/src/tokenList";
import { deployFactory } from "../helpers/fixtures";
import { clientsOf, hardhatAccounts, publicClient, walletClientOf } from "./support";

// The token list built from the factory's registry on the Hardhat chain: every factory token, 18 decimals, logo from
// its metadata document, valid under the token-lists schema, versions bumped by the standard's rules.

const LOGO = "https://alpha.example/logo.png";
const metadata = (document: object) => `data:application/json,${encodeURIComponent(JSON.stringify(document))}`;

async function registryFixture() {
  const [merchant, other] = await hardhatAccounts();
  const factory = getAddress(await (await deployFactory()).getAddress());
  const create = async (owner: Address, symbol: string, metadataURI: string) => {
    const sent = await createToken(
      clientsOf(owner),
      { params: { name: `${symbol} points`, symbol, faceValue: 25_000n, metadataURI }, factory },
    );
    return getAddress((await sent.wait()).event.args.token);
  };
  const alpha = await create(merchant, "ALPHA", metadata({ name: "Alpha", image: LOGO }));
  const beta = await create(other, "BETA", "");
  return { merchant, other, factory, create, alpha, beta };
}

describe("Token list from the factory's registry", () => {
  it("lists every factory token with 18 decimals, its merchant, face value and logo, valid under the schema", async () => {
    const { merchant, other, factory, alpha, beta } = await loadFixture(registryFixture);
    const tokens = await listedTokens(publicClient, { factory });
    expect(tokens.map((token) => token.address)).to.deep.equal([alpha, beta]);
    const list = buildTokenList({ chainId: hardhat.id, chainName: "Hardhat", tokens });
    await validateTokenList(list);
    const byAddress = new Map(list.tokens.map((token) => [token.address, token]));
    expect(byAddress.get(alpha)).to.deep.equal({
      chainId: hardhat.id,
      address: alpha,
      name: "ALPHA points",
      symbol: "ALPHA",
      decimals: 18,
      logoURI: LOGO,
      tags: ["perks"],
      extensions: { merchant, faceValue: "0.025" },
    });
    expect(byAddress.get(beta)?.extensions).to.deep.equal({ merchant: other, faceValue: "0.025" });
    expect(list.version).to.deep.equal({ major: 1, minor: 0, patch: 0 });
  });

  it("bumps the minor version for a new token and the patch for new metadata, and keeps it when nothing changed", async () => {
    const { merchant, factory, create, alpha } = await loadFixture(registryFixture);
    const v1 = buildTokenList({ chainId: hardhat.id, tokens: await listedTokens(publicClient, { factory }) });
    expect(
      buildTokenList({ chainId: hardhat.id, tokens: await listedTokens(publicClient, { factory }), previous: v1 })
        .version,
    ).to.deep.equal(v1.version);

    await create(merchant, "GAMMA", "");
    const v2 = buildTokenList({
      chainId: hardhat.id,
      tokens: await listedTokens(publicClient, { factory }),
      previous: v1,
    });
    expect(v2.version).to.deep.equal({ major: 1, minor: 1, patch: 0 });

    const hash = await writeContract(walletClientOf(merchant), {
      address: alpha,
      abi: loyaltyTokenAbi,
      functionName: "setMetadataURI",
      args: [metadata({ image: "https://alpha.example/new-logo.png" })],
    });
    await publicClient.waitForTransactionReceipt({ hash });
    const v3 = buildTokenList({
      chainId: hardhat.id,
      tokens: await listedTokens(publicClient, { factory }),
      previous: v2,
    });
    expect(v3.version).to.deep.equal({ major: 1, minor: 1, patch: 1 });
    await validateTokenList(v3);
  });
});
