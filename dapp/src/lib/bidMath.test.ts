import { describe, expect, it } from "vitest";
import { parseUnits } from "viem";
import { fundsFor, maxSellable, payoutFor, percentOfFaceValue, pricePerPoint, saleQuote } from "./bidMath";

const points = (whole: string) => parseUnits(whole, 18);

describe("sale quote", () => {
  it("pays a 6-decimal stablecoin per whole point, rounded down", () => {
    // 0.0125 USDC per point = 12 500 base units.
    expect(payoutFor(points("100"), 12_500n)).toBe(1_250_000n);
    // 1 point base unit short of 1 point pays 12 499.99… → 12 499.
    expect(payoutFor(points("1") - 1n, 12_500n)).toBe(12_499n);
    expect(pricePerPoint(12_500n, 6)).toBe("0.0125");
  });

  it("pays an 18-decimal stablecoin exactly as many decimals as it has", () => {
    const price = parseUnits("0.0125", 18);
    expect(payoutFor(points("100"), price)).toBe(parseUnits("1.25", 18));
    expect(pricePerPoint(price, 18)).toBe("0.0125");
  });

  it("takes the tolerance off the payout, rounding the minimum down", () => {
    expect(saleQuote({ points: points("100"), price: 12_500n, slippageBps: 0 })).toEqual({ payout: 1_250_000n, minAmountOut: 1_250_000n });
    expect(saleQuote({ points: points("100"), price: 12_500n, slippageBps: 50 })).toEqual({ payout: 1_250_000n, minAmountOut: 1_243_750n });
    // 1 % of 3 base units is 0.03: the minimum rounds down to 2, never up to the payout.
    expect(saleQuote({ points: points("3"), price: 1n, slippageBps: 100 }).minAmountOut).toBe(2n);
    const eighteen = saleQuote({ points: points("3"), price: parseUnits("0.5", 18), slippageBps: 100 });
    expect(eighteen).toEqual({ payout: parseUnits("1.5", 18), minAmountOut: parseUnits("1.485", 18) });
  });

  it("quotes nothing for dust that rounds to zero", () => {
    expect(payoutFor(10n ** 11n, 12_500n)).toBe(0n);
  });

  it("sells at most what the wallet holds and the bid still buys", () => {
    expect(maxSellable(points("5"), points("8"))).toBe(points("5"));
    expect(maxSellable(points("9"), points("8"))).toBe(points("8"));
  });
});

describe("bid funding", () => {
  it("covers every promised point, however the sales split", () => {
    const price = 333_333n;
    const maxPoints = points("7") + 1n;
    const funds = fundsFor(maxPoints, price);
    expect(funds).toBe(2_333_332n);
    // The gateway's sellable points (funds * 1e18 / price) cover the whole bid, and one sale of it all fits.
    expect((funds * 10n ** 18n) / price).toBeGreaterThanOrEqual(maxPoints);
    expect(payoutFor(maxPoints, price)).toBeLessThanOrEqual(funds);
  });

  it("rounds up a fraction of a base unit", () => {
    expect(fundsFor(1n, 1n)).toBe(1n);
    expect(fundsFor(points("2"), parseUnits("0.01", 18))).toBe(parseUnits("0.02", 18));
  });
});

describe("percentOfFaceValue", () => {
  it("compares a 6- or 18-decimal price with the face value in millionths of a dollar", () => {
    // Face value $0.01 per point = 10 000 millionths.
    expect(percentOfFaceValue(9_000n, 6, 10_000n)).toBe(90);
    expect(percentOfFaceValue(parseUnits("0.011", 18), 18, 10_000n)).toBe(110);
    expect(percentOfFaceValue(9_000n, 6, 0n)).toBeUndefined();
  });
});
