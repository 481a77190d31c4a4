import type { ReactNode } from "react";

/**
 * A table that may be wider than a phone's screen: it scrolls sideways inside this region instead of widening the
 * page, and the region takes keyboard focus (named by `label`) so the hidden columns can be reached without a mouse.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-wrap ${className}` : "table-wrap"} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
