import { type Address, getAddress, isAddress, zeroAddress } from "viem";
import { type CampaignParams, MAX_CLAIM_NUMBER, MAX_TIER_THRESHOLD, NO_SUPPLY_CAP, RECORD_UNIT, type TokenParams } from "@perks/sdk";
import { FACE_VALUE_DECIMALS, type Parsed, formatDown, metadataURI, parseDecimal, parseMoney, parsePoints, fromDateTimeLocal } from "./units";

// The create form as typed, its validation (the factory's own rules, checked before anything is signed, each
// error keyed by the field it belongs to) and the factory parameters it becomes.

export interface TierRow {
  name: string;
  /** Points earned in the current plus the previous period to reach the tier. */
  threshold: string;
  /** Earning multiplier in percent ("110" earns 10 % more). */
  multiplier: string;
}

export interface MilestoneRow {
  /** The wallet's n-th claim in the campaign earns the bonus. */
  claimNumber: string;
  bonus: string;
}

export interface CampaignForm {
  /** A new brand token with the campaign, or a campaign for a token the merchant already has. */
  tokenMode: "new" | "existing";
  existingToken: string;
  tokenName: string;
  tokenSymbol: string;
  /** Currency per point, e.g. "0.01"; empty for none. */
  faceValue: string;
  campaignName: string;
  campaignDescription: string;
  /** `<input type="datetime-local">` values; an empty start means now. */
  startsAt: string;
  endsAt: string;
  supplyCap: string;
  /** Empty for no limit. */
  maxPerClaim: string;
  /** `earnPoints` points per `earnSpend` spent; both empty for no earn rate (fixed points only). */
  earnPoints: string;
  earnSpend: string;
  channels: { direct: boolean; voucher: boolean; batch: boolean };
  tierPeriodDays: string;
  tiers: TierRow[];
  milestones: MilestoneRow[];
  /** Issuer keys (terminals), one address per line. */
  issuers: string;
  /** Data a customer may choose to share, one per line. */
  optionalDataFields: string;
}

/** Error messages by field: "tokenName", "tiers.1.threshold", … */
export type FormErrors = Partial<Record<string, string>>;

export interface ValidCampaign {
  /** Undefined when the campaign is for an existing token. */
  token?: TokenParams;
  campaign: CampaignParams;
}

export const UINT128_MAX = (1n << 128n) - 1n;
/** The supply cap of a campaign without one (an empty cap field). */
export const UNCAPPED = NO_SUPPLY_CAP;
const UINT32_MAX = 2 ** 32 - 1;
const UINT16_MAX = 2 ** 16 - 1;
const DAY = 86_400;
const BPS_PER_PERCENT = 100n;
/** The factory packs at most 255 tiers and 255 milestones. */
export const MAX_TIERS = 255;
export const MAX_MILESTONES = 255;

export function emptyCampaignForm(issuers: readonly Address[] = []): CampaignForm {
  return {
    tokenMode: "new",
    existingToken: "",
    tokenName: "",
    tokenSymbol: "",
    faceValue: "",
    campaignName: "",
    campaignDescription: "",
    startsAt: "",
    endsAt: "",
    supplyCap: "1000000",
    maxPerClaim: "",
    earnPoints: "1",
    earnSpend: "5.00",
    channels: { direct: true, voucher: true, batch: true },
    tierPeriodDays: "30",
    tiers: [],
    milestones: [],
    issuers: issuers.join("\n"),
    optionalDataFields: "",
  };
}

function lines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Parses `text` into `errors[field]` or its value; `optional` fields may be empty (then `fallback`). */
function field(errors: FormErrors, name: string, parsed: Parsed): bigint | undefined {
  if (parsed.error !== undefined) {
    errors[name] = parsed.error;
    return undefined;
  }
  return parsed.value;
}

function positive(errors: FormErrors, name: string, value: bigint | undefined, what: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (value === 0n) {
    errors[name] = `${what} must be above zero.`;
    return undefined;
  }
  if (value > UINT128_MAX) {
    errors[name] = `${what} is too large.`;
    return undefined;
  }
  return value;
}

function wholeNumber(text: string): number | undefined {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

/**
 * Checks the form as the factory would (schedule, supply cap, channels, earn rate, rising tiers and milestones)
 * plus what only a form can get wrong (empty names, malformed numbers and addresses), and builds the factory
 * parameters when everything holds. `now` is the chain's time in seconds.
 */
export function validateCampaignForm(
  form: CampaignForm,
  { now }: { now: number },
): { errors: FormErrors; valid?: ValidCampaign } {
  const errors: FormErrors = {};

  let token: TokenParams | undefined;
  let tokenAddress: Address = zeroAddress;
  if (form.tokenMode === "existing") {
    if (!isAddress(form.existingToken)) errors.existingToken = "Choose one of your tokens.";
    else tokenAddress = getAddress(form.existingToken);
  } else {
    const name = form.tokenName.trim();
    const symbol = form.tokenSymbol.trim();
    if (!name) errors.tokenName = "Name your points, e.g. “Alpha Coffee Beans”.";
    else if (name.length > 64) errors.tokenName = "At most 64 characters.";
    if (!symbol) errors.tokenSymbol = "Give a short symbol, e.g. BEAN.";
    else if (!/^[A-Za-z0-9]{1,11}$/.test(symbol)) errors.tokenSymbol = "1 to 11 letters or digits, no spaces.";
    const faceValue = form.faceValue.trim() === "" ? 0n : field(errors, "faceValue", parseDecimal(form.faceValue, FACE_VALUE_DECIMALS));
    if (name && symbol && faceValue !== undefined && !errors.tokenName && !errors.tokenSymbol) {
      token = { name, symbol: symbol.toUpperCase(), faceValue, metadataURI: metadataURI({ name, description: `Points of ${name}` }) };
    }
  }

  const campaignName = form.campaignName.trim();
  if (!campaignName) errors.campaignName = "Name the campaign, e.g. “Stamp card”.";

  const startsAt = form.startsAt === "" ? now : fromDateTimeLocal(form.startsAt);
  const endsAt = fromDateTimeLocal(form.endsAt);
  if (startsAt === undefined) errors.startsAt = "Enter a valid start date.";
  if (endsAt === undefined) errors.endsAt = "Choose when the campaign ends.";
  else if (endsAt <= now) errors.endsAt = "The end must be in the future.";
  else if (startsAt !== undefined && endsAt <= startsAt) errors.endsAt = "The end must come after the start.";

  // No cap: the largest cap the rules can hold, which no issuance reaches (and claims then skip counting).
  const supplyCap =
    form.supplyCap.trim() === ""
      ? UNCAPPED
      : positive(errors, "supplyCap", field(errors, "supplyCap", parsePoints(form.supplyCap)), "The supply cap");
  const maxPerClaim =
    form.maxPerClaim.trim() === "" ? 0n : field(errors, "maxPerClaim", parsePoints(form.maxPerClaim));
  if (maxPerClaim !== undefined && maxPerClaim > UINT128_MAX) errors.maxPerClaim = "The limit is too large.";

  let earnPoints: bigint | undefined = 0n;
  let earnSpend: bigint | undefined = 0n;
  const hasPoints = form.earnPoints.trim() !== "";
  const hasSpend = form.earnSpend.trim() !== "";
  if (hasPoints || hasSpend) {
    if (!hasPoints) errors.earnPoints = "Enter the points, or clear both parts of the earn rate.";
    if (!hasSpend) errors.earnSpend = "Enter the spend, or clear both parts of the earn rate.";
    earnPoints = hasPoints ? positive(errors, "earnPoints", field(errors, "earnPoints", parsePoints(form.earnPoints)), "Points") : undefined;
    earnSpend = hasSpend ? positive(errors, "earnSpend", field(errors, "earnSpend", parseMoney(form.earnSpend)), "The spend") : undefined;
  }

  const channels = (form.channels.direct ? 1 : 0) | (form.channels.voucher ? 2 : 0) | (form.channels.batch ? 4 : 0);
  if (channels === 0) errors.channels = "Open at least one way to issue points.";

  if (form.tiers.length > MAX_TIERS) errors.tiers = `At most ${MAX_TIERS} tiers.`;
  const tiers: { threshold: bigint; multiplierBps: number }[] = [];
  form.tiers.forEach((row, i) => {
    const threshold = positive(errors, `tiers.${i}.threshold`, field(errors, `tiers.${i}.threshold`, parsePoints(row.threshold)), "The threshold");
    // A wallet's record counts at most this much per period (hundredths of a point in 32 bits).
    if (threshold !== undefined && threshold > MAX_TIER_THRESHOLD) {
      errors[`tiers.${i}.threshold`] = `At most ${formatDown(MAX_TIER_THRESHOLD)} points.`;
    } else if (threshold !== undefined && threshold % RECORD_UNIT !== 0n) {
      // 100.005 would in effect be 100.01: say so rather than show a threshold the chain does not apply.
      errors[`tiers.${i}.threshold`] = "At most two decimals: tier progress counts hundredths of a point.";
    }
    const percent = field(errors, `tiers.${i}.multiplier`, parseDecimal(row.multiplier, 2));
    let multiplierBps: number | undefined;
    if (percent !== undefined) {
      if (percent < 100n * BPS_PER_PERCENT) errors[`tiers.${i}.multiplier`] = "At least 100 % (a tier never earns less).";
      else if (percent > BigInt(UINT16_MAX)) errors[`tiers.${i}.multiplier`] = "At most 655.35 %.";
      else multiplierBps = Number(percent);
    }
    const previous = tiers[i - 1];
    if (threshold !== undefined && previous && threshold <= previous.threshold) {
      errors[`tiers.${i}.threshold`] = "Must be above the previous tier's threshold.";
    }
    if (multiplierBps !== undefined && previous && multiplierBps < previous.multiplierBps) {
      errors[`tiers.${i}.multiplier`] = "Must not be below the previous tier's multiplier.";
    }
    // A row with an error still holds its place, so the next row compares with what was typed above it.
    tiers.push({ threshold: threshold ?? previous?.threshold ?? 0n, multiplierBps: multiplierBps ?? previous?.multiplierBps ?? 0 });
  });
  let tierPeriod = 0;
  if (form.tiers.length > 0) {
    const days = wholeNumber(form.tierPeriodDays);
    if (days === undefined || days === 0) errors.tierPeriodDays = "Tiers need a period of at least one whole day.";
    else if (days * DAY > UINT32_MAX) errors.tierPeriodDays = "At most 49,710 days.";
    else tierPeriod = days * DAY;
  }

  if (form.milestones.length > MAX_MILESTONES) errors.milestones = `At most ${MAX_MILESTONES} milestones.`;
  const milestones: { claimNumber: number; bonus: bigint }[] = [];
  form.milestones.forEach((row, i) => {
    const claimNumber = wholeNumber(row.claimNumber);
    const key = `milestones.${i}.claimNumber`;
    if (claimNumber === undefined || claimNumber === 0) errors[key] = "Enter a visit number from 1.";
    else if (claimNumber > MAX_CLAIM_NUMBER) errors[key] = `At most ${MAX_CLAIM_NUMBER.toLocaleString("en-US")}.`;
    else if (milestones[i - 1] && claimNumber <= milestones[i - 1].claimNumber) {
      errors[key] = "Must come after the previous milestone.";
    }
    const bonus = positive(errors, `milestones.${i}.bonus`, field(errors, `milestones.${i}.bonus`, parsePoints(row.bonus)), "The bonus");
    milestones.push({ claimNumber: claimNumber ?? milestones[i - 1]?.claimNumber ?? 0, bonus: bonus ?? 0n });
  });

  const issuers: Address[] = [];
  for (const line of lines(form.issuers)) {
    if (!isAddress(line)) {
      errors.issuers = `“${line}” is not an address (0x followed by 40 hex digits).`;
      break;
    }
    const issuer = getAddress(line);
    if (!issuers.includes(issuer)) issuers.push(issuer);
  }

  const optionalDataFields = lines(form.optionalDataFields);
  if (optionalDataFields.some((name) => name.length > 40)) {
    errors.optionalDataFields = "Keep each field name under 40 characters.";
  }

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    valid: {
      token,
      campaign: {
        token: tokenAddress,
        startsAt: BigInt(startsAt!),
        endsAt: BigInt(endsAt!),
        supplyCap: supplyCap!,
        maxPerClaim: maxPerClaim!,
        earnPoints: earnPoints!,
        earnSpend: earnSpend!,
        channels,
        tierPeriod,
        tiers,
        milestones,
        issuers,
        metadataURI: metadataURI({
          name: campaignName,
          description: form.campaignDescription.trim(),
          ...(form.tiers.length > 0 && { tierNames: form.tiers.map((row, i) => row.name.trim() || `Tier ${i + 1}`) }),
        }),
        optionalDataFields,
      },
    },
  };
}
