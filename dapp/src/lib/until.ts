const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });

/** "in 5 minutes", "in 3 days", "2 hours ago": `seconds` from now, for expiries and deadlines. */
export function formatUntil(seconds: number): string {
  const size = Math.abs(seconds);
  if (size < 60) return relative.format(Math.round(seconds), "second");
  if (size < 3_600) return relative.format(Math.round(seconds / 60), "minute");
  if (size < 86_400) return relative.format(Math.round(seconds / 3_600), "hour");
  return relative.format(Math.round(seconds / 86_400), "day");
}
