import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { Dialog } from "./Dialog";

afterEach(cleanup);

function Harness({ onClose = () => undefined }: { onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <Dialog
        open={open}
        title="Send BEAN"
        onClose={() => {
          onClose();
          setOpen(false);
        }}
      >
        <label htmlFor="amount">Amount</label>
        <input id="amount" />
      </Dialog>
    </>
  );
}

describe("Dialog", () => {
  it("is named by its title, focuses its first field, and gives focus back when closed", () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);
    const opener = screen.getByRole("button", { name: "Open" });
    opener.focus();
    fireEvent.click(opener);
    expect(document.querySelector("dialog")?.getAttribute("aria-labelledby")).toBe(screen.getByText("Send BEAN").id);
    expect(document.activeElement).toBe(screen.getByLabelText("Amount"));
    fireEvent.click(screen.getByRole("button", { name: "Close", hidden: true }));
    expect(onClose).toHaveBeenCalledOnce();
    expect(screen.queryByLabelText("Amount")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});
