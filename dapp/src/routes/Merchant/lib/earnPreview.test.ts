import { describe, expect, it } from "vitest";
import { earnRateText, earnSentence, pointsForSpend, tierPreview } from "./earnPreview";

const ONE = 10n ** 18n;

describe("earn-rate preview", () => {
  it("rounds down like the campaign: 12.34 at 1 point per 5.00 earns 2.46, not 2.47", () => {
    expect(pointsForSpend(1234n, ONE, 500n)).toBe(2_468_000_000_000_000_000n);
    expect(earnSentence(1234n, ONE, 500n)).toBe("a 12.34 purchase earns 2.46 points");
    expect(earnSentence(1234n, ONE, 100n, "BEAN")).toBe("a 12.34 purchase earns 12.34 BEAN");
  });

  it("says when there is no earn rate", () => {
    expect(earnSentence(1234n, 0n, 0n)).toBeUndefined();
    expect(earnRateText(0n, 0n)).toMatch(/No earn rate/);
    expect(earnRateText(ONE, 500n)).toBe("1 points per 5.00 spent");
  });

  it("applies each tier's multiplier to the example", () => {
    const rows = tierPreview(
      [
        { name: "Silver", threshold: 40n * ONE, multiplierBps: 11_000 },
        { name: "Gold", threshold: 200n * ONE, multiplierBps: 12_500 },
      ],
      1234n,
      ONE,
      500n,
    );
    expect(rows.map((row) => [row.name, row.threshold, row.multiplier, row.example])).toEqual([
      ["No tier", "—", "×1", "2.46"],
      ["Silver", "40 points", "×1.1", "2.71"],
      ["Gold", "200 points", "×1.25", "3.08"],
    ]);
  });
});
