import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { Amount } from "./Amount";

afterEach(cleanup);

describe("Amount", () => {
  it("shows the rounded amount and its symbol, and keeps the exact value for machines and hover", () => {
    const { container } = render(<Amount value={1_234_567_890_000_000_000_000n} symbol="BEAN" />);
    const data = container.querySelector("data")!;
    expect(data.textContent).toBe("1,234.56 BEAN");
    expect(data.getAttribute("value")).toBe("1234.56789");
    expect(data.getAttribute("title")).toBe("1234.56789 BEAN");
  });

  it("signs a positive amount on request", () => {
    const { container } = render(<Amount value={5n * 10n ** 18n} symbol="PAGE" sign />);
    expect(container.textContent).toBe("+5 PAGE");
  });
});
