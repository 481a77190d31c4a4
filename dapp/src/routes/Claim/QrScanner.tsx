import { useEffect, useRef, useState } from "react";

/** Why the camera cannot scan, in words a customer can act on. */
export function cameraProblem(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Camera access was denied. Allow the camera for this site in your browser's settings, or paste the code instead.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No camera was found on this device. Paste the code or open the claim link instead.";
    case "NotReadableError":
    case "AbortError":
      return "The camera is busy in another app. Close it there and try again, or paste the code instead.";
    case "Unsupported":
      return "This browser cannot use the camera here (it needs a secure https page). Paste the code or open the link instead.";
    default:
      return "The camera could not start. Paste the code or open the claim link instead.";
  }
}

/**
 * Reads a QR code with the camera: frames of the rear camera are drawn on a canvas and decoded with jsQR (loaded
 * only when scanning starts). Stops the camera as soon as a code is read, on cancel, and when it unmounts.
 */
export function QrScanner({ onResult, onCancel }: { onResult: (text: string) => void; onCancel: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string>();
  const [ready, setReady] = useState(false);
  const done = useRef(onResult);
  done.current = onResult;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let frame = 0;
    let stopped = false;

    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
    };

    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error("No camera API"), { name: "Unsupported" });
      const [{ default: jsQR }, media] = await Promise.all([
        import("jsqr"),
        navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false }),
      ]);
      stream = media;
      if (stopped) return stop();
      const element = video.current!;
      element.srcObject = media;
      await element.play();
      setReady(true);
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      const scan = () => {
        if (stopped) return;
        if (context && element.readyState >= element.HAVE_CURRENT_DATA && element.videoWidth > 0) {
          // A smaller frame decodes faster and a receipt's QR code still has enough pixels.
          const scale = Math.min(1, 640 / element.videoWidth);
          canvas.width = Math.round(element.videoWidth * scale);
          canvas.height = Math.round(element.videoHeight * scale);
          context.drawImage(element, 0, 0, canvas.width, canvas.height);
          const image = context.getImageData(0, 0, canvas.width, canvas.height);
          const found = jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
          if (found?.data) {
            stop();
            done.current(found.data);
            return;
          }
        }
        frame = requestAnimationFrame(scan);
      };
      frame = requestAnimationFrame(scan);
    })().catch((error: unknown) => {
      if (!stopped) setProblem(cameraProblem(error));
      stop();
    });

    return stop;
  }, []);

  return (
    <div className="scanner card" aria-labelledby="scanner-title">
      <h2 id="scanner-title">Scan the QR code</h2>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : (
        <>
          <div className="scanner-frame">
            <video ref={video} muted playsInline aria-label="Camera view" />
            <span className="scanner-target" aria-hidden="true" />
          </div>
          <p className="hint" role="status">
            {ready ? "Point the camera at the QR code on your receipt, card or package." : "Starting the camera…"}
          </p>
        </>
      )}
      <button type="button" className="button secondary" onClick={onCancel}>
        {problem ? "Back" : "Cancel scanning"}
      </button>
    </div>
  );
}
