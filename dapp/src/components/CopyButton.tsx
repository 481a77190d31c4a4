import { useEffect, useState } from "react";

/**
 * Copies `text` to the clipboard and says so for a moment ("Copied"); a browser that refuses (no permission, an
 * insecure page) leaves the label as it was, and the text stays on screen to select by hand.
 */
export function CopyButton({
  text,
  label = "Copy",
  className = "button secondary small",
  ariaLabel,
}: {
  text: string;
  label?: string;
  className?: string;
  /** What a screen reader hears when the visible label alone is ambiguous ("Copy address 0x…"). */
  ariaLabel?: string;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1_500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <>
      <button
        type="button"
        className={className}
        aria-label={ariaLabel}
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? "Copied" : label}
      </button>
      <span className="visually-hidden" role="status">
        {copied ? "Copied to the clipboard." : ""}
      </span>
    </>
  );
}
