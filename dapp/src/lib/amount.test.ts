import { describe, expect, it } from "vitest";
import { checkAmount, formatAmount, formatFaceValue } from "./amount";

const ONE = 10n ** 18n;
const bean = { decimals: 18, symbol: "BEAN" };

describe("checkAmount", () => {
  it("reads whole numbers, decimals with a dot or a comma, and a leading separator", () => {
    expect(checkAmount("12", bean)).toEqual({ ok: true, value: 12n * ONE });
    expect(checkAmount(" 12.5 ", bean)).toEqual({ ok: true, value: (125n * ONE) / 10n });
    expect(checkAmount("12,5", bean)).toEqual({ ok: true, value: (125n * ONE) / 10n });
    expect(checkAmount(".5", bean)).toEqual({ ok: true, value: ONE / 2n });
    expect(checkAmount("7.", bean)).toEqual({ ok: true, value: 7n * ONE });
  });

  it("explains what is wrong with the text", () => {
    expect(checkAmount("", bean)).toEqual({ ok: false, error: "Enter an amount." });
    expect(checkAmount("abc", bean)).toEqual({ ok: false, error: "Enter a number, like 12.5." });
    expect(checkAmount("1.2.3", bean)).toEqual({ ok: false, error: "Enter a number, like 12.5." });
    expect(checkAmount("-1", bean)).toEqual({ ok: false, error: "Enter a number, like 12.5." });
    expect(checkAmount("0.000", bean)).toEqual({ ok: false, error: "Enter an amount above zero." });
    expect(checkAmount("1.1234567", { decimals: 6, symbol: "USDC" })).toEqual({
      ok: false,
      error: "USDC has at most 6 decimal places.",
    });
  });

  it("refuses more than the balance and accepts exactly the balance", () => {
    const max = (537n * ONE) / 10n;
    expect(checkAmount("53.71", { ...bean, max })).toEqual({ ok: false, error: "You have 53.7 BEAN; enter at most that." });
    expect(checkAmount("53.7", { ...bean, max })).toEqual({ ok: true, value: max });
  });
});

describe("formatAmount", () => {
  it("groups thousands and rounds down to the digits asked for", () => {
    expect(formatAmount(1_234_567n * ONE + (987n * ONE) / 1000n, 18)).toBe("1,234,567.98");
    expect(formatAmount((1999n * ONE) / 1000n, 18)).toBe("1.99");
    expect(formatAmount(5n * ONE, 18)).toBe("5");
    expect(formatAmount((12n * ONE) / 10n, 18, 4)).toBe("1.2");
  });

  it("shows tiny amounts as less than the smallest step, zero as 0, and negatives with a minus", () => {
    expect(formatAmount(1n, 18)).toBe("<0.01");
    expect(formatAmount(0n, 18)).toBe("0");
    expect(formatAmount(-3n * ONE, 18)).toBe("-3");
    expect(formatAmount(1_500_000n, 6)).toBe("1.5");
  });
});

describe("formatFaceValue", () => {
  it("prices points at their face value in millionths of a dollar", () => {
    expect(formatFaceValue(10_000n)).toBe("$0.01");
    expect(formatFaceValue(10_000n, (537n * ONE) / 10n)).toBe("$0.53");
    expect(formatFaceValue(2_500_000n, 4n * ONE)).toBe("$10.00");
    expect(formatFaceValue(100n)).toBe("$0.0001");
  });
});
