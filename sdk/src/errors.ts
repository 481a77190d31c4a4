import {
  type Abi,
  type ContractFunctionRevertedError,
  type Hex,
  BaseError,
  decodeErrorResult,
  formatUnits,
  getAddress,
  isHex,
} from "viem";
import { formatAbiItem } from "viem/utils";
import { chainLabel } from "./chains";
import { abis } from "./generated/abis";
import { MAX_CLAIM_NUMBER, MAX_TIER_THRESHOLD } from "./tiers";

/** A failure told to a customer. */
export interface HumanError {
  /** A few words for a heading or a toast: "Voucher already claimed". */
  title: string;
  /** One or two sentences with the values that explain it: "This voucher (no. 7) has already been claimed." */
  message: string;
  /**
   * What failed, for code to branch on: the contract's custom error name ("CampaignVoucherAlreadyClaimed"), the
   * SDK error's class name, or one of "UserRejected", "WrongChain", "InsufficientFunds", "Network", "Reverted",
   * "Unknown".
   */
  code: string;
}

export interface HumanizeOptions {
  /** Points amounts: decimals and unit word. Perks tokens have 18 decimals; "points" by default. */
  points?: { decimals: number; unit: string };
  /** Amounts of an exchange order, which may be points or a stablecoin: the tokens the caller traded.
   * The points' format by default. */
  amounts?: { decimals: number; unit: string };
  /** The gateway's stablecoin: 6 decimals (USDC) and no unit word by default. */
  currency?: { decimals: number; unit: string };
  /** BCP 47 locale for numbers and dates; the runtime's by default. */
  locale?: string;
  /** IANA time zone for dates; the runtime's by default. */
  timeZone?: string;
  /** Name of the chain's gas currency in the insufficient-funds message; "ETH" by default. */
  gasCurrency?: string;
}

// ------------------------------------------------------------------------------------------------ formatting

/** Turns the values a contract error carries into words. */
export interface ValueFormat {
  points(value: unknown): string;
  amount(value: unknown): string;
  money(value: unknown): string;
  /** A unix timestamp in seconds. */
  date(value: unknown): string;
  number(value: unknown): string;
  /** An identifier (voucher, batch, order, bid, reward): every digit, no grouping. */
  id(value: unknown): string;
  address(value: unknown): string;
}

function toBigInt(value: unknown): bigint {
  return typeof value === "bigint" ? value : BigInt(value as number | string);
}

export function valueFormat(options: HumanizeOptions = {}): ValueFormat {
  const points = options.points ?? { decimals: 18, unit: "points" };
  const numbers = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 18 });
  const dates = new Intl.DateTimeFormat(options.locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: options.timeZone,
    timeZoneName: "short",
  });
  // Intl formats a decimal string exactly (no float rounding); TypeScript's es2022 lib does not know that yet.
  const decimal = (value: unknown, decimals: number) =>
    numbers.format(formatUnits(toBigInt(value), decimals) as unknown as number);
  const withUnit = (value: unknown, { decimals, unit }: { decimals: number; unit: string }) =>
    unit === "" ? decimal(value, decimals) : `${decimal(value, decimals)} ${unit}`;
  return {
    points: (value) => withUnit(value, points),
    amount: (value) => withUnit(value, options.amounts ?? points),
    money: (value) => withUnit(value, options.currency ?? { decimals: 6, unit: "" }),
    date: (value) => {
      const date = new Date(Number(toBigInt(value)) * 1000);
      return Number.isNaN(date.getTime()) ? `unix time ${value}` : dates.format(date);
    },
    number: (value) => decimal(value, 0),
    // Small ids read as numbers; hash-like ids (orders, terminal-prefixed vouchers) as a short hex a person can
    // compare, like an address.
    id: (value) => {
      const id = toBigInt(value);
      if (id < 2n ** 64n) return id.toString();
      const hex = `0x${id.toString(16)}`;
      return `${hex.slice(0, 6)}…${hex.slice(-4)}`;
    },
    address: (value) => {
      const address = getAddress(value as string);
      return `${address.slice(0, 6)}…${address.slice(-4)}`;
    },
  };
}

// ------------------------------------------------------------------------------------------------ messages

type ErrorArgs = Readonly<Record<string, unknown>>;
/** [title, message] for a decoded custom error, from its arguments by parameter name. */
type Describe = (args: ErrorArgs, f: ValueFormat) => readonly [title: string, message: string];

const CONTACT_MERCHANT = "Please ask the merchant.";

/** A sentence for every custom error of every generated ABI, by error name (errors.test.ts checks none is
 * missing). Contracts that share an error name share its sentence, so a name's sentence may not assume its
 * arguments are there. */
export const ERROR_MESSAGES: Readonly<Record<string, Describe>> = {
  // ---- Campaign
  CampaignNotAClone: () => ["Not a campaign", "This address is the campaign template, not a campaign."],
  CampaignUnauthorizedMerchant: () => ["Merchant only", "Only the merchant who owns this campaign can do this."],
  CampaignStillRunning: (a, f) => [
    "Campaign still running",
    `This campaign issues points until ${f.date(a.endsAt)}; its customer records can be handed on only after it ends.`,
  ],
  CampaignNotNumbered: () => [
    "Nothing to hand on",
    "This campaign was set up by hand, not by the factory, so it keeps no customer records in the token to hand on.",
  ],
  CampaignNotActive: () => [
    "Campaign not active",
    `This campaign is not active, so it cannot give points: only the brand can switch it on. ${CONTACT_MERCHANT}`,
  ],
  CampaignUnauthorizedIssuer: (a, f) => [
    "Not an issuer",
    `${f.address(a.caller)} is not allowed to issue points in this campaign.`,
  ],
  CampaignNotStarted: (a, f) => ["Campaign not started", `This campaign starts on ${f.date(a.startsAt)}.`],
  CampaignEnded: (a, f) => [
    "Campaign ended",
    `This campaign ended on ${f.date(a.endedAt)}. Points already issued stay yours.`,
  ],
  CampaignPaused: () => ["Campaign paused", `The merchant has paused this campaign for now. ${CONTACT_MERCHANT}`],
  CampaignChannelClosed: (a) => [
    "Not accepted here",
    `This campaign does not accept ${["points from the till", "receipt vouchers", "printed codes"][Number(a.channel)] ?? "this kind of claim"}.`,
  ],
  CampaignZeroAmount: () => ["Nothing to claim", "This claim would give no points."],
  CampaignAboveMaximumPerClaim: (a, f) => [
    "Too many points at once",
    `A single claim can give at most ${f.points(a.maximum)}; this one asks for ${f.points(a.amount)}.`,
  ],
  CampaignSupplyCapExceeded: (a, f) => [
    "Campaign sold out",
    `This campaign has ${f.points(toBigInt(a.supplyCap) - toBigInt(a.issued))} left to give and this claim needs ${f.points(a.amount)}.`,
  ],
  CampaignSpendNotAccepted: () => [
    "Spend not counted",
    "This campaign gives fixed points only, not points per amount spent.",
  ],
  CampaignInvalidRecipient: () => ["No recipient", "Points need a wallet address to go to."],
  CampaignVoucherExpired: (a, f) => ["Voucher expired", `This voucher expired on ${f.date(a.expiresAt)}.`],
  CampaignVoucherAlreadyClaimed: (a, f) => [
    "Voucher already claimed",
    `This voucher (no. ${f.id(a.id)}) has already been claimed.`,
  ],
  CampaignInvalidClaimSignature: () => [
    "Code does not match",
    "The claim was not signed by this voucher's or code's own key: it may have been altered. Scan the code again.",
  ],
  CampaignUnknownBatch: (a, f) => [
    "Unknown code",
    `This code belongs to a batch (no. ${f.id(a.batchId)}) this campaign never published.`,
  ],
  CampaignInvalidProof: () => [
    "Invalid code",
    "This code is not one of the campaign's printed codes. Check that it was typed correctly.",
  ],
  CampaignCodeAlreadyClaimed: (a, f) => [
    "Code already claimed",
    `This code (no. ${f.id(a.index)} of batch ${f.id(a.batchId)}) has already been claimed.`,
  ],
  CampaignInvalidBatch: () => ["Invalid batch", "A batch needs a Merkle root and at least one code."],
  CampaignSerialReserved: (a, f) => [
    "Number reserved",
    `Only the Perks factory numbers campaigns (this asked for no. ${f.id(a.serial)}); activate a campaign you deployed yourself with number 0.`,
  ],

  // ---- CampaignFactory
  CampaignFactoryInvalidCampaignCode: () => [
    "Invalid deployment",
    "This factory was deployed without a working campaign implementation.",
  ],
  CampaignFactoryTokenExists: () => [
    "Token already created",
    "You already created a token with exactly these details. Open it instead, or change its name or symbol.",
  ],
  CampaignFactoryUnknownToken: (a, f) => ["Unknown token", `${f.address(a.token)} is not a Perks token.`],
  CampaignFactoryUnknownCampaign: (a, f) => ["Unknown campaign", `${f.address(a.caller)} is not a campaign of this Perks factory.`],
  CampaignFactoryNotTokenOwner: () => [
    "Not your token",
    "Only the merchant who owns this token can create campaigns for it.",
  ],
  CampaignFactoryInvalidSchedule: (a, f) => [
    "Invalid dates",
    `A campaign must end after it starts and after now (start ${f.date(a.startsAt)}, end ${f.date(a.endsAt)}).`,
  ],
  CampaignFactoryZeroSupplyCap: () => ["No supply", "Set how many points the campaign may give in total."],
  CampaignFactoryInvalidChannels: () => [
    "No way to claim",
    "Open at least one way to give points: at the till, receipt vouchers or printed codes.",
  ],
  CampaignFactoryInvalidEarnRate: () => [
    "Incomplete earn rate",
    "An earn rate needs both the points and the spend they are given for, or neither.",
  ],
  CampaignFactoryInvalidTier: (a, f) => [
    "Invalid tier",
    `Tier ${f.number(toBigInt(a.index) + 1n)} is invalid: thresholds must rise up to at most ${f.points(MAX_TIER_THRESHOLD)}, multipliers must be at least 1× and must not fall, and there may be at most 255 tiers.`,
  ],
  CampaignFactoryInvalidMilestone: (a, f) => [
    "Invalid milestone",
    `Milestone ${f.number(toBigInt(a.index) + 1n)} is invalid: claim numbers must rise from 1 up to at most ${f.number(MAX_CLAIM_NUMBER)}, every bonus must be above zero, and there may be at most 255 milestones.`,
  ],
  CampaignFactoryCatalogExists: () => [
    "Catalog already created",
    "You already have a reward catalog; add rewards to it instead.",
  ],
  CampaignFactoryTiersWithoutPeriod: () => [
    "Tiers without a period",
    "Tiers count points earned per period; set how long a period lasts, or remove the tiers.",
  ],
  CampaignFactoryTierPeriodWithoutTiers: () => [
    "Period without tiers",
    "A tier period only makes sense with tiers; add tiers or remove the period.",
  ],
  CloneArgumentsTooLong: () => ["Too many rules", "The campaign has too many tiers or milestones to be created."],
  Create2EmptyBytecode: () => ["Creation failed", "The contract could not be created."],
  FailedDeployment: () => ["Creation failed", "The contract could not be created."],

  // ---- LoyaltyToken (Solady ERC-20 underneath) and OpenZeppelin's ERC-20
  LoyaltyTokenUnauthorizedMinter: (a, f) => [
    "Not a minter",
    `${f.address(a.caller)} is not allowed to create these points.`,
  ],
  LoyaltyTokenUnauthorizedAccount: () => ["Merchant only", "Only the merchant who owns this token can do this."],
  LoyaltyTokenInvalidMinter: () => ["Invalid minter", "A minter needs a real address."],
  LoyaltyTokenInvalidReceiver: () => [
    "Invalid recipient",
    "Points cannot be sent to the zero address: they would be lost. Check the recipient's address.",
  ],
  LoyaltyTokenCampaignMinter: () => [
    "Campaigns always mint",
    "A campaign of this token mints its points by design; pause or end the campaign instead.",
  ],
  LoyaltyTokenInvalidRecord: (a, f) => [
    "Invalid campaign record",
    `A campaign sent the token something other than a wallet record naming the campaign (${f.id(a.record)}). ${CONTACT_MERCHANT}`,
  ],
  // Solady's ERC-20 (the points) says InsufficientBalance(); OpenZeppelin's Create2 says it with the ETH amounts.
  InsufficientBalance: (a, f) =>
    a.needed === undefined
      ? ["Not enough points", "Your balance is too low for this."]
      : ["Not enough ETH", `This needs ${f.number(a.needed)} wei but the contract holds ${f.number(a.balance)}.`],
  InsufficientAllowance: () => ["Not approved", "This needs your approval to use that many points first."],
  AllowanceOverflow: () => ["Approval too large", "That approval is larger than the token allows."],
  AllowanceUnderflow: () => ["Approval too small", "The approval is smaller than what this uses."],
  TotalSupplyOverflow: () => ["Too many points", "This would create more points than the token can hold."],
  PermitExpired: () => ["Signature expired", "Your approval signature has expired. Sign again."],
  InvalidPermit: () => ["Invalid signature", "Your approval signature is not valid for this. Sign again."],
  Permit2AllowanceIsFixedAtInfinity: () => ["Approval fixed", "Permit2's approval of this token cannot be changed."],
  ERC20InsufficientBalance: (a, f) => [
    "Balance too low",
    `This needs ${f.amount(a.needed)} but the balance is ${f.amount(a.balance)}.`,
  ],
  ERC20InsufficientAllowance: (a, f) => [
    "Not approved",
    `This needs an approval of ${f.amount(a.needed)}; only ${f.amount(a.allowance)} is approved.`,
  ],
  ERC20InvalidSender: () => ["Invalid sender", "Tokens cannot come from the zero address."],
  ERC20InvalidReceiver: () => ["Invalid recipient", "Tokens cannot be sent to the zero address."],
  ERC20InvalidApprover: () => ["Invalid approver", "The zero address cannot approve."],
  ERC20InvalidSpender: () => ["Invalid spender", "The zero address cannot be approved."],
  ERC2612ExpiredSignature: (a, f) => [
    "Signature expired",
    `Your approval signature expired on ${f.date(a.deadline)}. Sign again.`,
  ],
  ERC2612InvalidSigner: () => ["Invalid signature", "Your approval signature is not valid for this. Sign again."],
  InvalidAccountNonce: () => ["Signature already used", "This signature was already used. Sign again."],
  OwnableUnauthorizedAccount: () => ["Owner only", "Only the owner can do this."],
  OwnableInvalidOwner: () => ["Invalid owner", "The owner needs a real address."],

  // ---- shared libraries
  ECDSAInvalidSignature: () => ["Invalid signature", "The signature is not valid. Scan the code again."],
  ECDSAInvalidSignatureLength: () => ["Invalid signature", "The signature is damaged. Scan the code again."],
  ECDSAInvalidSignatureS: () => ["Invalid signature", "The signature is not valid. Scan the code again."],
  InvalidShortString: () => ["Invalid name", "The name is too long."],
  StringTooLong: () => ["Invalid name", "The name is too long."],
  SafeCastOverflowedUintDowncast: () => ["Amount too large", "One of the amounts is too large."],
  ReentrancyGuardReentrantCall: () => ["Refused", "A token tried to call back into the contract during the operation."],
  InvalidInitialization: () => ["Already set up", "This contract is already set up."],
  NotInitializing: () => ["Not allowed", "This can only run while the contract is being set up."],
  Multicall3CallFailed: (a, f) => ["Batch failed", `Step ${f.number(toBigInt(a.index) + 1n)} of the batch failed.`],
  SafeERC20FailedOperation: (a, f) => [
    "Token transfer failed",
    `The token ${f.address(a.token)} refused the transfer.`,
  ],

  // ---- PointsExchange
  PointsExchangeTokenNotAccepted: (a, f) => [
    "Token not traded",
    `${f.address(a.token)} cannot be traded here: only Perks points and listed stablecoins.`,
  ],
  PointsExchangeSameToken: () => ["Same token", "An order must exchange two different tokens."],
  PointsExchangeZeroAmount: () => ["Empty order", "An order must sell and ask for more than nothing."],
  PointsExchangeInvalidExpiry: (a, f) => [
    "Invalid expiry",
    `The order must expire after now; it was set to ${f.date(a.expiresAt)}.`,
  ],
  PointsExchangeFeeOnTransfer: () => [
    "Token not supported",
    "This token takes a fee on transfers, so it cannot be traded here.",
  ],
  PointsExchangeOrderNotOpen: (a, f) => [
    "Order closed",
    `Order no. ${f.id(a.orderId)} is no longer open: it was filled, cancelled or returned.`,
  ],
  PointsExchangeOrderExpired: (a, f) => [
    "Order expired",
    `Order no. ${f.id(a.orderId)} expired on ${f.date(a.expiresAt)}.`,
  ],
  PointsExchangeOrderNotExpired: (a, f) => [
    "Order still open",
    `Order no. ${f.id(a.orderId)} runs until ${f.date(a.expiresAt)}; until then only its maker can close it.`,
  ],
  PointsExchangeNotMaker: (a, f) => ["Not your order", `Only the maker of order no. ${f.id(a.orderId)} can cancel it.`],
  PointsExchangeOverfill: (a, f) => [
    "Not that much left",
    `Order no. ${f.id(a.orderId)} has ${f.amount(a.remaining)} left; ${f.amount(a.sellAmount)} was asked for.`,
  ],
  PointsExchangeZeroFill: () => ["Amount too small", "This amount is too small to trade: one side would be nothing."],
  PointsExchangeBuyAmountAboveMaximum: (a, f) => [
    "Price moved",
    `This would cost ${f.amount(a.buyAmount)}, more than your limit of ${f.amount(a.maxBuyAmount)}.`,
  ],
  PointsExchangeInvalidStablecoin: () => ["Invalid stablecoin", "A stablecoin needs a real address."],

  // ---- CashOutGateway
  CashOutGatewayUnknownToken: (a, f) => ["Unknown token", `${f.address(a.token)} is not a Perks token.`],
  CashOutGatewayInvalidStablecoin: (a, f) => ["Invalid stablecoin", `${f.address(a.stablecoin)} is not a token.`],
  CashOutGatewayInvalidRecipient: () => [
    "Invalid recipient",
    "Sold points cannot go to the gateway itself: nobody could ever take them out. Choose another recipient.",
  ],
  CashOutGatewayZeroPrice: () => ["No price", "A bid needs a price above zero."],
  CashOutGatewayZeroMaxPoints: () => ["No points", "A bid must buy more than zero points."],
  CashOutGatewayInvalidExpiry: (a, f) => [
    "Invalid expiry",
    `A bid must expire after now; it was set to ${f.date(a.expiresAt)}.`,
  ],
  CashOutGatewayUnknownBid: (a, f) => ["Offer closed", `Offer no. ${f.id(a.bidId)} is not open any more.`],
  CashOutGatewayUnauthorizedOperator: (a, f) => [
    "Not your offer",
    `Only the operator of offer no. ${f.id(a.bidId)} can do this.`,
  ],
  CashOutGatewayBidExpired: (a, f) => [
    "Offer expired",
    `Offer no. ${f.id(a.bidId)} expired on ${f.date(a.expiredAt)}.`,
  ],
  CashOutGatewayDeadlinePassed: (a, f) => [
    "Too late",
    `Your sale had to go through by ${f.date(a.deadline)}. Try again.`,
  ],
  CashOutGatewayBidExhausted: (a, f) => [
    "Offer nearly full",
    `Offer no. ${f.id(a.bidId)} buys only ${f.points(a.remainingPoints)} more; you offered ${f.points(a.points)}.`,
  ],
  CashOutGatewayZeroPayout: (a, f) => [
    "Amount too small",
    `${f.points(a.points)} would pay nothing at this price. Sell more at once.`,
  ],
  CashOutGatewayInsufficientOutput: (a, f) => [
    "Price moved",
    `This sale would pay ${f.money(a.amountOut)}, less than the ${f.money(a.minAmountOut)} you asked for at least.`,
  ],
  CashOutGatewayInsufficientFunds: (a, f) => [
    "Offer out of funds",
    `Offer no. ${f.id(a.bidId)} has ${f.money(a.available)} left, and ${f.money(a.needed)} is needed.`,
  ],
  CashOutGatewayFeeOnTransfer: () => [
    "Stablecoin not supported",
    "This stablecoin takes a fee on transfers, so it cannot fund offers.",
  ],

  // ---- RewardCatalog
  RewardCatalogUnauthorizedMerchant: () => ["Merchant only", "Only the merchant who owns this catalog can do this."],
  RewardCatalogUnauthorizedFulfiller: () => [
    "Not allowed",
    "Only the merchant or its fulfilment service can deliver reward codes.",
  ],
  RewardCatalogUnauthorizedInitializer: () => ["Not allowed", "Only the Perks factory sets up a catalog."],
  RewardCatalogInvalidTreasury: () => ["Invalid treasury", "The treasury needs a real address."],
  RewardCatalogInvalidPartner: (a, f) => [
    "Invalid partner",
    `${f.address(a.token)} cannot be a partner token: it is your own token or not a Perks token.`,
  ],
  RewardCatalogInvalidRate: () => ["Invalid rate", "A partner rate needs both amounts above zero."],
  RewardCatalogUnknownReward: (a, f) => ["Unknown reward", `There is no reward no. ${f.id(a.rewardId)}.`],
  RewardCatalogInvalidSchedule: (a, f) => [
    "Invalid dates",
    `A reward must end after it starts and after now (start ${f.date(a.startsAt)}, end ${f.date(a.endsAt)}).`,
  ],
  RewardCatalogInvalidPriceOrSupply: () => [
    "Price or supply missing",
    "A reward needs a price and a supply above zero.",
  ],
  RewardCatalogInvalidValue: () => [
    "Invalid value",
    "A percentage must be between 0.01% and 100%, and an amount above zero.",
  ],
  RewardCatalogInvalidTierRequirement: () => [
    "Invalid tier requirement",
    "A tier requirement needs a Perks campaign and a tier above zero.",
  ],
  RewardCatalogSupplyBelowRedeemed: (a, f) => [
    "Supply too low",
    `${f.number(a.redeemed)} vouchers were already redeemed; the supply cannot go below that.`,
  ],
  RewardCatalogTermsFixed: () => [
    "Terms fixed",
    "A listed reward's kind and value are what its vouchers promise. List a new reward instead.",
  ],
  RewardCatalogRewardRetired: () => ["Reward retired", "This reward is no longer offered."],
  RewardCatalogRewardPaused: () => [
    "Reward paused",
    `The merchant has paused this reward for now. ${CONTACT_MERCHANT}`,
  ],
  RewardCatalogRewardNotStarted: (a, f) => ["Not available yet", `This reward opens on ${f.date(a.startsAt)}.`],
  RewardCatalogRewardEnded: (a, f) => ["Reward ended", `This reward closed on ${f.date(a.endsAt)}.`],
  RewardCatalogZeroQuantity: () => ["Nothing chosen", "Choose at least one voucher."],
  RewardCatalogSupplyExceeded: (a, f) => [
    "Not enough left",
    `Only ${f.number(toBigInt(a.supply) - toBigInt(a.redeemed))} of this reward are left; you asked for ${f.number(a.quantity)}.`,
  ],
  RewardCatalogTierTooLow: (a, f) => [
    "Tier too low",
    `This reward needs tier ${f.number(a.minTier)}; you are at tier ${f.number(a.tier)}.`,
  ],
  RewardCatalogPaymentNotAccepted: (a, f) => [
    "Payment not accepted",
    `This reward cannot be paid with ${f.address(a.token)}.`,
  ],
  RewardCatalogCostAboveMaximum: (a, f) => [
    "Price changed",
    `This now costs ${f.points(a.cost)}, more than the ${f.points(a.maxCost)} you agreed to.`,
  ],
  RewardCatalogMissingEncryptionKey: () => [
    "Key needed",
    "This reward sends you a private code: allow the app to set up your encryption key first.",
  ],
  RewardCatalogUnknownRedemption: () => ["Unknown redemption", "There is no such redemption."],

  // ---- RewardVoucher (OpenZeppelin's ERC-1155 underneath)
  RewardVoucherUnauthorizedCatalog: () => ["Not allowed", "Only the reward catalog issues vouchers."],
  RewardVoucherUnauthorizedTerminal: () => [
    "Not a terminal",
    "Only the merchant's terminals can accept vouchers at the till.",
  ],
  RewardVoucherSignatureExpired: (a, f) => [
    "Code expired",
    `This voucher code expired on ${f.date(a.deadline)}. Show a fresh one.`,
  ],
  RewardVoucherNonceUsed: () => ["Code already used", "This voucher code was already used. Show a fresh one."],
  RewardVoucherInvalidSignature: () => ["Invalid code", "This voucher code was not signed by the voucher's holder."],
  RewardVoucherWalletLimitReached: (a, f) => [
    "Limit reached",
    `Each wallet can redeem this reward ${f.number(a.limit)} times; you have redeemed it ${f.number(a.redeemed)} times.`,
  ],
  ERC1155InsufficientBalance: () => ["No voucher", "You do not hold enough of this voucher."],
  ERC1155MissingApprovalForAll: () => ["Not approved", "This needs the holder's approval to move their vouchers."],
  ERC1155InvalidSender: () => ["Invalid sender", "Vouchers cannot come from the zero address."],
  ERC1155InvalidReceiver: () => ["Invalid recipient", "This recipient cannot receive vouchers."],
  ERC1155InvalidApprover: () => ["Invalid approver", "The zero address cannot approve."],
  ERC1155InvalidOperator: () => ["Invalid operator", "This address cannot be approved."],
  ERC1155InvalidArrayLength: () => ["Invalid request", "The lists of vouchers and amounts differ in length."],
};

// ------------------------------------------------------------------------------------------------ decoding

type AbiError = Extract<Abi[number], { type: "error" }>;

/** Every custom error of every generated ABI, once per signature. */
export const perksErrorsAbi: readonly AbiError[] = [
  ...new Map(
    Object.values(abis)
      .flatMap((abi): readonly unknown[] => abi)
      .filter((item): item is AbiError => (item as AbiError).type === "error")
      .map((item) => [formatAbiItem(item), item] as const),
  ).values(),
];

interface DecodedRevert {
  errorName: string;
  args: readonly unknown[];
  abiItem?: AbiError;
}

function decodeRevertData(data: Hex): DecodedRevert | undefined {
  try {
    const { errorName, args, abiItem } = decodeErrorResult({ abi: perksErrorsAbi, data });
    return { errorName, args: args ?? [], abiItem: abiItem.type === "error" ? abiItem : undefined };
  } catch {
    return undefined;
  }
}

function namedArgs({ args, abiItem }: DecodedRevert): ErrorArgs {
  const named: Record<string, unknown> = {};
  abiItem?.inputs.forEach((input, i) => (named[input.name || String(i)] = args[i]));
  return named;
}

/** The error and every `cause` under it, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && !chain.includes(e); e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

const field = (error: unknown, key: string): unknown =>
  typeof error === "object" && error !== null ? (error as Record<string, unknown>)[key] : undefined;

/** The revert of a contract call, decoded against every Perks ABI when the call's own ABI did not know it (an
 * error bubbled up from another contract, or a raw JSON-RPC error). */
function findRevert(chain: readonly unknown[]): DecodedRevert | { unknown: Hex | undefined } | undefined {
  // By name, not instanceof: a dApp may bundle two copies of viem.
  const reverted = chain.find((e) => field(e, "name") === "ContractFunctionRevertedError") as
    ContractFunctionRevertedError | undefined;
  if (reverted?.data !== undefined) {
    const { errorName, args, abiItem } = reverted.data;
    return { errorName, args: args ?? [], abiItem: abiItem.type === "error" ? abiItem : undefined };
  }
  for (const e of chain) {
    for (const data of [field(e, "raw"), field(e, "data"), field(field(e, "data"), "data")]) {
      if (typeof data === "string" && isHex(data) && data.length >= 10) {
        const decoded = decodeRevertData(data);
        if (decoded !== undefined) return decoded;
      }
    }
  }
  if (reverted?.reason !== undefined) return { errorName: "Error", args: [reverted.reason] };
  return reverted === undefined ? undefined : { unknown: reverted.signature };
}

/** SDK errors already carry a sentence for the customer; their titles by class name. */
const SDK_ERROR_TITLES: Readonly<Record<string, string>> = {
  UnsupportedChainError: "Network not supported",
  TransactionRevertedError: "Transaction failed",
  MissingEventError: "Unexpected result",
  MalformedClaimCodeError: "Invalid code",
  UnsupportedClaimCodeVersionError: "Update needed",
  WrongChainError: "Wrong network",
  UnknownCampaignError: "Unknown campaign",
  CodeDecryptionError: "Code unreadable",
  // The relayer's own refusals carry sentences; a refused claim (RelayerClaimRefusedError) is decoded from its revert.
  RelayerRequestError: "Claim not sent",
  RelayerCampaignNotServedError: "Relayer not available for this campaign",
  RelayerRateLimitedError: "Too many claims",
  RelayerUnavailableError: "Relayer unavailable",
};

const USER_REJECTED = 4001;
/** How nodes say the sender cannot pay for gas (geth and most others, Hardhat, Erigon/Besu, Nethermind). */
const NO_GAS_MONEY =
  /insufficient funds|doesn't have enough funds|exceeds transaction sender account balance|outoffunds/i;
const PANIC_REASONS: Readonly<Record<number, string>> = {
  0x01: "an internal check failed",
  0x11: "a number went out of range",
  0x12: "it divided by zero",
  0x32: "it read outside a list",
};

function shortMessage(error: unknown): string {
  const message =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].trim().replace(/\.$/, "");
}

/**
 * Turns any failure of a Perks action (a contract revert, a wallet refusal, a wrong network, missing gas, an SDK
 * error) into a title and a sentence a customer understands, with the values that explain it.
 */
export function humanizeError(error: unknown, options: HumanizeOptions = {}): HumanError {
  const chain = causes(error);
  const named = (name: string) => chain.find((e) => field(e, "name") === name);

  if (chain.some((e) => field(e, "code") === USER_REJECTED || field(e, "name") === "UserRejectedRequestError")) {
    return { code: "UserRejected", title: "Request rejected", message: "You rejected the request in your wallet." };
  }

  const mismatch = named("ChainMismatchError");
  if (mismatch !== undefined) {
    // viem keeps the chains only in its message: "... (id: 1) does not match the target chain ... (id: 8453 – Base)."
    const ids = [...shortMessage(mismatch).matchAll(/\(id: (\d+)/g)].map((m) => Number(m[1]));
    const expected = ids.at(-1);
    return {
      code: "WrongChain",
      title: "Wrong network",
      message:
        expected === undefined
          ? "Your wallet is on the wrong network. Switch networks and try again."
          : `Your wallet is on ${chainLabel(ids[0])}. Switch it to ${chainLabel(expected)} and try again.`,
    };
  }

  const revert = findRevert(chain);
  if (revert !== undefined && "unknown" in revert) {
    const reason =
      revert.unknown === undefined
        ? "without giving a reason"
        : `with an error this app does not know (${revert.unknown})`;
    return { code: "Reverted", title: "Transaction would fail", message: `The contract refused this ${reason}.` };
  }
  if (revert !== undefined) return describeRevert(revert, options);

  if (
    named("InsufficientFundsError") !== undefined ||
    chain.some((e) => NO_GAS_MONEY.test(`${field(e, "details")} ${field(e, "message")}`))
  ) {
    return {
      code: "InsufficientFunds",
      title: "Not enough for gas",
      message: `Your wallet does not have enough ${options.gasCurrency ?? "ETH"} to pay for gas. To claim points without gas, claim through the relayer instead.`,
    };
  }

  const sdkError = chain.find((e): e is Error => e instanceof Error && SDK_ERROR_TITLES[e.name] !== undefined);
  if (sdkError !== undefined)
    return { code: sdkError.name, title: SDK_ERROR_TITLES[sdkError.name], message: sdkError.message };

  if (["HttpRequestError", "TimeoutError", "WebSocketRequestError", "SocketClosedError"].some((name) => named(name))) {
    return {
      code: "Network",
      title: "Network unreachable",
      message: "The network did not answer. Check your connection and try again.",
    };
  }

  return { code: "Unknown", title: "Something went wrong", message: `Something went wrong: ${shortMessage(error)}.` };
}

function describeRevert(revert: DecodedRevert, options: HumanizeOptions): HumanError {
  const { errorName, args } = revert;
  if (errorName === "Error") {
    return {
      code: "Reverted",
      title: "Transaction would fail",
      message: `The contract refused this: ${String(args[0])}.`,
    };
  }
  if (errorName === "Panic") {
    const reason = PANIC_REASONS[Number(args[0])] ?? "an internal error occurred";
    return { code: "Reverted", title: "Transaction would fail", message: `The contract stopped because ${reason}.` };
  }
  if (errorName === "Multicall3CallFailed") {
    // A batch (the local demo's Multicall3) failed because one call did: that call's error is the one to tell.
    const inner = decodeRevertData(args[1] as Hex);
    if (inner !== undefined) return describeRevert(inner, options);
  }
  const describe = ERROR_MESSAGES[errorName];
  if (describe === undefined) {
    return { code: errorName, title: "Transaction would fail", message: `The contract refused this (${errorName}).` };
  }
  const [title, message] = describe(namedArgs(revert), valueFormat(options));
  return { code: errorName, title, message };
}
