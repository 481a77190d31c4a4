import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { AddressInput } from "./AddressInput";
import type { AddressCheck } from "../lib/address";

const BOB = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const ALICE = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

function Harness({ onCheck, showErrors = false }: { onCheck: (check: AddressCheck) => void; showErrors?: boolean }) {
  const [value, setValue] = useState("");
  return (
    <AddressInput
      label="Recipient"
      value={value}
      self={ALICE}
      showErrors={showErrors}
      onChange={(text, check) => {
        setValue(text);
        onCheck(check);
      }}
    />
  );
}

afterEach(cleanup);

describe("AddressInput", () => {
  it("is labelled and reports the checked address", () => {
    const onCheck = vi.fn();
    render(<Harness onCheck={onCheck} />);
    fireEvent.change(screen.getByLabelText("Recipient"), { target: { value: BOB.toLowerCase() } });
    expect(onCheck).toHaveBeenLastCalledWith({ ok: true, address: BOB });
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("waits until the field is left before showing an error, then announces it", () => {
    render(<Harness onCheck={() => undefined} />);
    const input = screen.getByLabelText("Recipient");
    fireEvent.change(input, { target: { value: "0x1234" } });
    expect(screen.queryByRole("alert")).toBeNull();
    fireEvent.blur(input);
    expect(screen.getByRole("alert").textContent).toBe("An address has 40 characters after 0x; this one has 4.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain(screen.getByRole("alert").id);
  });

  it("shows the error of a complete address at once, and after a submit attempt", () => {
    render(<Harness onCheck={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Recipient"), { target: { value: ALICE } });
    expect(screen.getByRole("alert").textContent).toBe("This is your own address.");
    cleanup();
    render(<Harness onCheck={() => undefined} showErrors />);
    expect(screen.getByRole("alert").textContent).toBe("Enter the recipient's address.");
  });
});
