/**
 * The relayer (`npm run relayer`): pays the gas of customers' claims for a merchant's campaigns, so a customer
 * whose wallet holds no ETH can still claim points. See sdk/src/relayer/server.ts for what it accepts and answers.
 *
 * Environment:
 *   PERKS_RPC_URL              the chain's JSON-RPC endpoint (default http://127.0.0.1:8545, the local chain)
 *   PERKS_RELAYER_KEY          private key of the funded account that pays; default on the local chain (31337)
 *                              only: the dev "relayer" account
 *   PERKS_RELAYER_CAMPAIGNS    campaigns served, comma separated; or "all-from-factory" (local chain only) for
 *                              every campaign the deployed factory created, including later ones
 *   PERKS_RELAYER_PORT         port to listen on (default 8788)
 *   PERKS_RELAYER_HOST         address to listen on (default 127.0.0.1; 0.0.0.0 to serve other machines)
 *   PERKS_RELAYER_STORE        file of sent claims, kept across restarts (default
 *                              .perks/relayer-<chain>-<address>.jsonl)
 *   PERKS_RELAYER_PER_CLIENT   claims per minute from one client address (default 10)
 *   PERKS_RELAYER_PER_CAMPAIGN claims per minute for one campaign (default 120)
 *   PERKS_RELAYER_TRUST_PROXY  1 behind a reverse proxy that sets X-Forwarded-For
 *   PERKS_RELAYER_CORS_ORIGINS origins allowed from a browser, comma separated (default any)
 */
import path from "node:path";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  isHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getChainId } from "viem/actions";
import { hardhat } from "viem/chains";
import { getContractAddress } from "../sdk/src/addresses";
import { chainLabel } from "../sdk/src/chains";
import { LOCAL_CHAIN_ID, devAccount } from "../sdk/src/devAccounts";
import { type RelayerCampaigns, createRelayer, fileStore } from "../sdk/src/relayer";

const ALL_FROM_FACTORY = "all-from-factory";

function fail(message: string): never {
  console.error(`relayer: ${message}`);
  process.exit(1);
}

function relayerKey(chainId: number): Hex {
  const key = process.env.PERKS_RELAYER_KEY;
  if (key !== undefined && key !== "") {
    if (!isHex(key) || key.length !== 66) fail("PERKS_RELAYER_KEY must be a private key: 0x and 64 hex digits.");
    return key;
  }
  if (chainId !== LOCAL_CHAIN_ID)
    fail(`set PERKS_RELAYER_KEY to the funded key that pays for claims on ${chainLabel(chainId)}.`);
  return devAccount("relayer").privateKey;
}

function servedCampaigns(chainId: number): RelayerCampaigns {
  const list = (process.env.PERKS_RELAYER_CAMPAIGNS ?? (chainId === LOCAL_CHAIN_ID ? ALL_FROM_FACTORY : "")).trim();
  if (list === ALL_FROM_FACTORY) {
    // On a real chain this would pay for every merchant's claims: name the campaigns there.
    if (chainId !== LOCAL_CHAIN_ID)
      fail(`"${ALL_FROM_FACTORY}" is for the local chain only; list the campaigns instead.`);
    return { factory: getContractAddress(chainId, "CampaignFactory") };
  }
  const campaigns = list
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (campaigns.length === 0) fail("set PERKS_RELAYER_CAMPAIGNS to the campaigns to serve, comma separated.");
  return campaigns.map((campaign): Address => {
    try {
      return getAddress(campaign);
    } catch {
      return fail(`PERKS_RELAYER_CAMPAIGNS: ${campaign} is not an address.`);
    }
  });
}

function perMinute(name: string, fallback: number) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) fail(`${name} must be a whole number of claims per minute.`);
  return { max: value, windowMs: 60_000 };
}

function corsOrigins(list: string | undefined): "*" | string[] {
  const origins = (list ?? "*")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  return origins.length === 0 || origins.includes("*") ? "*" : origins;
}

async function main() {
  const url = process.env.PERKS_RPC_URL ?? "http://127.0.0.1:8545";
  const probe = createPublicClient({ transport: http(url) });
  const chainId = await getChainId(probe).catch(() => fail(`no chain answers at ${url} (PERKS_RPC_URL).`));
  const chain =
    chainId === LOCAL_CHAIN_ID
      ? hardhat
      : defineChain({
          id: chainId,
          name: chainLabel(chainId),
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          rpcUrls: { default: { http: [url] } },
        });
  const account = privateKeyToAccount(relayerKey(chainId));
  const transport = http(url);
  const campaigns = servedCampaigns(chainId);
  const storeFile = path.resolve(
    process.env.PERKS_RELAYER_STORE ?? path.join(".perks", `relayer-${chainId}-${account.address.toLowerCase()}.jsonl`),
  );
  const relayer = createRelayer({
    publicClient: createPublicClient({ chain, transport }),
    walletClient: createWalletClient({ chain, transport, account }),
    campaigns,
    limits: {
      perClient: perMinute("PERKS_RELAYER_PER_CLIENT", 10),
      perCampaign: perMinute("PERKS_RELAYER_PER_CAMPAIGN", 120),
    },
    store: fileStore(storeFile),
    trustProxy: process.env.PERKS_RELAYER_TRUST_PROXY === "1",
    corsOrigins: corsOrigins(process.env.PERKS_RELAYER_CORS_ORIGINS),
    log: (line) => console.log(`relayer: ${line}`),
  });
  const base = await relayer.listen(
    Number(process.env.PERKS_RELAYER_PORT ?? 8788),
    process.env.PERKS_RELAYER_HOST ?? "127.0.0.1",
  );
  const health = await relayer.health();
  console.log(`relayer: ${account.address} on ${chainLabel(chainId)}, ${health.balanceEth} ETH, listening on ${base}`);
  console.log(
    `relayer: serving ${"factory" in campaigns ? `every campaign of factory ${campaigns.factory}` : campaigns.join(", ")}`,
  );
  console.log(`relayer: sent claims kept in ${storeFile}`);
  if (health.status === "low-balance") console.warn("relayer: the balance is low: fund the relayer's address");

  const stop = () => {
    console.log("relayer: stopping after the claims in the queue");
    relayer.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
