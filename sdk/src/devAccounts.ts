import type { Address, Hex } from "viem";

/** Chain id of the local Hardhat chain: the only chain on which dev accounts exist. */
export const LOCAL_CHAIN_ID = 31337;

export type DevRole =
  | "deployer"
  | "alphaMerchant"
  | "betaMerchant"
  | "alphaTerminal"
  | "betaTerminal"
  | "alice"
  | "bob"
  | "carol"
  | "relayer"
  | "exchange";

export interface DevAccount {
  role: DevRole;
  /** Name shown in the dApp's connect dialog. */
  label: string;
  /** Index in Hardhat's default HD wallet ("test test ... junk"). */
  index: number;
  address: Address;
  /** Publicly known key of Hardhat's default accounts: worthless anywhere but the local chain. */
  privateKey: Hex;
}

/**
 * The local demo's cast, Hardhat's well-known default accounts. Their keys are published with Hardhat, so they
 * are only ever offered on chain 31337.
 */
export const DEV_ACCOUNTS: readonly DevAccount[] = [
  { role: "deployer", label: "Deployer", index: 0, address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", privateKey: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" },
  { role: "alphaMerchant", label: "Alpha Coffee (merchant)", index: 1, address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", privateKey: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" },
  { role: "betaMerchant", label: "Beta Books (merchant)", index: 2, address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", privateKey: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a" },
  { role: "alphaTerminal", label: "Alpha Coffee till", index: 3, address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", privateKey: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6" },
  { role: "betaTerminal", label: "Beta Books till", index: 4, address: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", privateKey: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" },
  { role: "alice", label: "Alice (customer)", index: 5, address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", privateKey: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba" },
  { role: "bob", label: "Bob (customer)", index: 6, address: "0x976EA74026E726554dB657fA54763abd0C3a0aa9", privateKey: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e" },
  { role: "carol", label: "Carol (customer)", index: 7, address: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", privateKey: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356" },
  { role: "relayer", label: "Relayer", index: 8, address: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", privateKey: "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97" },
  { role: "exchange", label: "Exchange", index: 9, address: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", privateKey: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6" },
];

/** The dev account playing `role`. */
export function devAccount(role: DevRole): DevAccount {
  const account = DEV_ACCOUNTS.find((candidate) => candidate.role === role);
  if (!account) throw new Error(`No dev account plays ${role}.`);
  return account;
}
