import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { QrScanner, cameraProblem } from "./QrScanner";

afterEach(cleanup);

const named = (name: string) => Object.assign(new Error(name), { name });

describe("cameraProblem", () => {
  it("tells a denied permission, a missing camera, a busy camera and an insecure page apart", () => {
    expect(cameraProblem(named("NotAllowedError"))).toMatch(/denied.*paste the code/);
    expect(cameraProblem(named("NotFoundError"))).toMatch(/No camera was found/);
    expect(cameraProblem(named("NotReadableError"))).toMatch(/busy/);
    expect(cameraProblem(named("Unsupported"))).toMatch(/https/);
    expect(cameraProblem("weird")).toMatch(/could not start/);
  });
});

describe("QrScanner", () => {
  it("says why when the browser has no camera API, and can go back", async () => {
    const onCancel = vi.fn();
    render(<QrScanner onResult={() => undefined} onCancel={onCancel} />);
    expect((await screen.findByRole("alert")).textContent).toMatch(/secure https page/);
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it("says so when the camera permission is denied", async () => {
    Object.defineProperty(navigator, "mediaDevices", {
      configurable: true,
      value: { getUserMedia: () => Promise.reject(named("NotAllowedError")) },
    });
    render(<QrScanner onResult={() => undefined} onCancel={() => undefined} />);
    expect((await screen.findByRole("alert")).textContent).toMatch(/Camera access was denied/);
    Object.defineProperty(navigator, "mediaDevices", { configurable: true, value: undefined });
  });
});
