import { type Address, getAddress, isAddress, isAddressEqual, zeroAddress } from "viem";

export type AddressCheck = { ok: true; address: Address } | { ok: false; error: string };

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Checks a recipient typed or pasted by a person, with a reason they can act on: the shape, the checksum of a
 * mixed-case address (a typo), and addresses that would lose the points (zero, a token contract) or go nowhere
 * (the sender itself).
 */
export function checkAddress(
  input: string,
  { self, contracts = [] }: { self?: Address; contracts?: readonly Address[] } = {},
): AddressCheck {
  const text = input.trim();
  if (text === "") return { ok: false, error: "Enter the recipient's address." };
  if (!text.startsWith("0x") && !text.startsWith("0X")) {
    return { ok: false, error: "A wallet address starts with 0x (names like alice.eth are not supported yet)." };
  }
  if (!HEX_ADDRESS.test(text)) {
    const length = text.length - 2;
    return {
      ok: false,
      error:
        /^0x[0-9a-fA-F]*$/.test(text) && length !== 40
          ? `An address has 40 characters after 0x; this one has ${length}.`
          : "An address has only the characters 0-9 and a-f after 0x.",
    };
  }
  if (!isAddress(text, { strict: true })) {
    return { ok: false, error: "This address has a typo: its capital letters do not match its checksum." };
  }
  const address = getAddress(text);
  if (isAddressEqual(address, zeroAddress)) return { ok: false, error: "Points sent to the zero address are lost forever." };
  if (self && isAddressEqual(address, self)) return { ok: false, error: "This is your own address." };
  if (contracts.some((contract) => isAddressEqual(contract, address))) {
    return { ok: false, error: "This is a Perks contract, not a wallet: points sent there would be lost." };
  }
  return { ok: true, address };
}
