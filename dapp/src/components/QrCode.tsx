import { useMemo } from "react";
import { create } from "qrcode";

/**
 * `text` as a QR code drawn in SVG (sharp at any size, prints well), with a quiet zone. Medium error correction:
 * phone cameras read it from a screen or a creased receipt.
 */
export function QrCode({ text, label, size = 240 }: { text: string; label: string; size?: number }) {
  const { path, count } = useMemo(() => {
    const { modules } = create(text, { errorCorrectionLevel: "M" });
    const parts: string[] = [];
    for (let row = 0; row < modules.size; row++) {
      for (let column = 0; column < modules.size; column++) {
        if (modules.get(row, column)) parts.push(`M${column + 4} ${row + 4}h1v1h-1z`);
      }
    }
    return { path: parts.join(""), count: modules.size + 8 };
  }, [text]);
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${count} ${count}`}
      shapeRendering="crispEdges"
    >
      <rect width={count} height={count} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
