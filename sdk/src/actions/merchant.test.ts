import { type Address, type Hex, decodeFunctionData, encodeFunctionResult, getAddress, isAddressEqual, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { campaignFactoryAbi, loyaltyTokenAbi, rewardCatalogAbi } from "../generated/abis";
import { encodeLog, fakeChain } from "../indexer/fakeChain";
import { getMerchantAssets, listOwnedTokens } from "./merchant";

// A factory, its tokens, campaigns and catalogs kept in memory behind a scripted chain: each action changes the
// state the contracts' view functions return and mines the events the contracts emit, with the factory's rules
// (only a token's owner creates its campaigns and a catalog; one catalog per creator).

const FACTORY = getAddress("0xfac7000000000000000000000000000000000001");
const MERCHANT = getAddress("0x0000000000000000000000000000000000000a11");
const MULTISIG = getAddress("0x00000000000000000000000000000000005afe00");
const OTHER = getAddress("0x0000000000000000000000000000000000000b0b");
const THIRD = getAddress("0x0000000000000000000000000000000000000c0c");

const abi = [...campaignFactoryAbi, ...loyaltyTokenAbi, ...rewardCatalogAbi];

function world(options: { maxRange?: number } = {}) {
  let next = 0x100;
  const fresh = (kind: string) => getAddress(`0x${kind}${(next++).toString(16).padStart(40 - kind.length, "0")}`);
  const owners = new Map<Address, Address>();
  const tokensOf = new Map<Address, Address[]>();
  const campaignsOf = new Map<Address, Address[]>();
  const catalogOf = new Map<Address, Address>();
  const catalogToken = new Map<Address, Address>();

  function call(to: Address, data: Hex): Hex {
    const { functionName, args = [] } = decodeFunctionData({ abi, data });
    const result = (() => {
      const page = (list: Address[] = []) => {
        const [offset, limit] = args.slice(-2) as [bigint, bigint];
        return [list.slice(Number(offset), Number(offset + limit)), BigInt(list.length)];
      };
      if (isAddressEqual(to, FACTORY)) {
        if (functionName === "tokensOf") return page(tokensOf.get(args[0] as Address));
        if (functionName === "campaignsOf") return page(campaignsOf.get(args[0] as Address));
        if (functionName === "catalogOf") return catalogOf.get(args[0] as Address) ?? zeroAddress;
        if (functionName === "isToken") return [...tokensOf.values()].flat().some((token) => isAddressEqual(token, args[0] as Address));
      }
      if (functionName === "owner" && owners.has(to)) return owners.get(to);
      if (functionName === "token" && catalogToken.has(to)) return catalogToken.get(to);
      throw new Error(`${to} has no ${functionName}`);
    })();
    return encodeFunctionResult({ abi, functionName, result } as never);
  }

  const chain = fakeChain({ call, maxRange: options.maxRange });
  const ownershipTransferred = (contract: Address, previousOwner: Address, newOwner: Address) =>
    encodeLog(contract, "OwnershipTransferred", { previousOwner, newOwner });
  const mustOwn = (by: Address, token: Address) => {
    if (!isAddressEqual(owners.get(token)!, by)) throw new Error(`${by} does not own ${token}`);
  };

  return {
    chain,
    createToken(by: Address): Address {
      const token = fresh("70ce");
      owners.set(token, by);
      tokensOf.set(by, [...(tokensOf.get(by) ?? []), token]);
      // The token's constructor (Ownable) logs before the factory does.
      chain.mine(
        ownershipTransferred(token, zeroAddress, by),
        encodeLog(FACTORY, "TokenCreated", { merchant: by, token, name: "T", symbol: "T", faceValue: 0n, metadataURI: "" }),
      );
      return token;
    },
    /** Any Ownable contract, not one of the factory's tokens. */
    createOwnable(by: Address): Address {
      const contract = fresh("0a");
      owners.set(contract, by);
      chain.mine(ownershipTransferred(contract, zeroAddress, by));
      return contract;
    },
    transfer(token: Address, to: Address) {
      const from = owners.get(token)!;
      owners.set(token, to);
      chain.mine(ownershipTransferred(token, from, to));
    },
    createCampaign(by: Address, token: Address): Address {
      mustOwn(by, token);
      const campaign = fresh("ca");
      campaignsOf.set(by, [...(campaignsOf.get(by) ?? []), campaign]);
      chain.mine(
        encodeLog(FACTORY, "CampaignCreated", { merchant: by, token, campaign, rules: "0x", metadataURI: "", optionalDataFields: [] }),
      );
      return campaign;
    },
    createCatalog(by: Address, token: Address): Address {
      mustOwn(by, token);
      if (catalogOf.has(by)) throw new Error(`${by} already has a catalog`);
      const catalog = fresh("c0");
      catalogOf.set(by, catalog);
      catalogToken.set(catalog, token);
      chain.mine(encodeLog(FACTORY, "CatalogCreated", { merchant: by, token, catalog, voucher: fresh("7e"), treasury: by }));
      return catalog;
    },
    /** The eth_getLogs requests made so far, as the events they asked for. */
    logSearches(): string[] {
      return chain.calls
        .filter((request) => request.method === "eth_getLogs")
        .map((request) => (request.params[0] as { topics: (Hex | null)[] }).topics[0] as string);
    },
  };
}

const assetsOf = (w: ReturnType<typeof world>, merchant: Address) => getMerchantAssets(w.chain.client, { merchant, factory: FACTORY });

describe("getMerchantAssets", () => {
  it("gives a merchant that kept its tokens what the registry lists, with a single log search", async () => {
    const w = world();
    const [bean, cup] = [w.createToken(MERCHANT), w.createToken(MERCHANT)];
    const campaigns = [w.createCampaign(MERCHANT, bean), w.createCampaign(MERCHANT, cup), w.createCampaign(MERCHANT, bean)];
    const catalog = w.createCatalog(MERCHANT, bean);
    w.createToken(OTHER);

    expect(await assetsOf(w, MERCHANT)).toEqual({
      tokens: [bean, cup],
      inherited: [],
      givenAway: [],
      passedOn: [],
      campaigns,
      catalog,
      createdCatalog: catalog,
    });
    // Only the search for tokens handed over; campaigns and catalog come from the registry.
    expect(w.logSearches()).toHaveLength(1);
  });

  it("moves a token with its campaigns and catalog to the account it was transferred to", async () => {
    const w = world();
    const bean = w.createToken(MERCHANT);
    const leaf = w.createToken(MERCHANT);
    const beanFirst = w.createCampaign(MERCHANT, bean);
    const leafCampaign = w.createCampaign(MERCHANT, leaf);
    const catalog = w.createCatalog(MERCHANT, bean);
    w.transfer(bean, MULTISIG);
    const beanSecond = w.createCampaign(MULTISIG, bean);
    const beanThird = w.createCampaign(MERCHANT, leaf);

    const multisig = await assetsOf(w, MULTISIG);
    expect(multisig).toMatchObject({ tokens: [bean], inherited: [bean], givenAway: [], campaigns: [beanFirst, beanSecond], catalog });
    expect(multisig.createdCatalog).toBeUndefined();

    const merchant = await assetsOf(w, MERCHANT);
    expect(merchant).toMatchObject({ tokens: [leaf], inherited: [], givenAway: [bean], campaigns: [leafCampaign, beanThird] });
    // Its catalog is priced in the token it gave away: the new owner manages it, and it cannot create another.
    expect(merchant.catalog).toBeUndefined();
    expect(merchant.createdCatalog).toBe(catalog);
  });

  it("leaves out contracts that are not the factory's tokens, and tokens handed on since", async () => {
    const w = world();
    const ownable = w.createOwnable(OTHER);
    w.transfer(ownable, MULTISIG);
    const bean = w.createToken(OTHER);
    w.createCampaign(OTHER, bean);
    w.transfer(bean, MULTISIG);
    w.transfer(bean, MERCHANT);

    expect(await assetsOf(w, MULTISIG)).toEqual({
      tokens: [],
      inherited: [],
      givenAway: [],
      passedOn: [bean],
      campaigns: [],
      catalog: undefined,
      createdCatalog: undefined,
    });
    expect((await assetsOf(w, MERCHANT)).tokens).toEqual([bean]);
  });

  it("lists the campaigns another owner created while a token was away, once it is back", async () => {
    const w = world();
    const bean = w.createToken(MERCHANT);
    const before = w.createCampaign(MERCHANT, bean);
    w.transfer(bean, OTHER);
    const meanwhile = w.createCampaign(OTHER, bean);
    const catalog = w.createCatalog(OTHER, bean);
    w.transfer(bean, MERCHANT);
    const after = w.createCampaign(MERCHANT, bean);

    expect(await assetsOf(w, MERCHANT)).toMatchObject({ tokens: [bean], inherited: [bean], campaigns: [before, meanwhile, after], catalog });
  });

  it("prefers the catalog the account created while it owns that catalog's token", async () => {
    const w = world();
    const own = w.createToken(MERCHANT);
    const ownCatalog = w.createCatalog(MERCHANT, own);
    const received = w.createToken(OTHER);
    w.createCatalog(OTHER, received);
    w.transfer(received, MERCHANT);

    expect(await assetsOf(w, MERCHANT)).toMatchObject({ tokens: [own, received], catalog: ownCatalog, createdCatalog: ownCatalog });
  });

  it("otherwise takes the catalog of the first token received that has one, the newest of that token's", async () => {
    const setUp = (order: "first, then second" | "second, then first") => {
      const w = world();
      const [first, second] = [w.createToken(OTHER), w.createToken(THIRD)];
      const older = w.createCatalog(OTHER, first);
      w.transfer(first, MULTISIG);
      const newer = w.createCatalog(MULTISIG, first);
      const secondCatalog = w.createCatalog(THIRD, second);
      // The merchant's own catalog is priced in a token it has given away: it does not serve.
      const given = w.createToken(MERCHANT);
      const givenCatalog = w.createCatalog(MERCHANT, given);
      w.transfer(given, OTHER);
      for (const token of order === "first, then second" ? [first, second] : [second, first]) w.transfer(token, MERCHANT);
      return { w, first, second, older, newer, secondCatalog, givenCatalog };
    };

    const a = setUp("first, then second");
    expect(await assetsOf(a.w, MERCHANT)).toMatchObject({
      tokens: [a.first, a.second],
      catalog: a.newer,
      createdCatalog: a.givenCatalog,
    });
    const b = setUp("second, then first");
    expect(await assetsOf(b.w, MERCHANT)).toMatchObject({ tokens: [b.second, b.first], catalog: b.secondCatalog });
  });

  it("reads the logs in chunks a provider with a block range limit accepts", async () => {
    const w = world({ maxRange: 3 });
    const bean = w.createToken(OTHER);
    const campaign = w.createCampaign(OTHER, bean);
    for (let i = 0; i < 5; i++) w.chain.mine();
    w.transfer(bean, MERCHANT);

    await expect(assetsOf(w, MERCHANT)).rejects.toThrow(/block range/);
    expect(await getMerchantAssets(w.chain.client, { merchant: MERCHANT, factory: FACTORY, blockRange: 3n })).toMatchObject({
      tokens: [bean],
      campaigns: [campaign],
    });
  });
});

describe("listOwnedTokens", () => {
  it("counts a token as received from another account only when its previous owner was someone else", async () => {
    const w = world();
    const bean = w.createToken(MERCHANT);
    w.transfer(bean, MERCHANT); // to itself: still never anyone else's
    expect(await listOwnedTokens(w.chain.client, { merchant: MERCHANT, factory: FACTORY })).toEqual({
      tokens: [bean],
      inherited: [],
      givenAway: [],
      passedOn: [],
    });
  });
});
