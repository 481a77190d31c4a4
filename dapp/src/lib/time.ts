const dateTime = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const dateOnly = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday" for the last days; a date and time before that. */
export function formatWhen(unixSeconds: number, now = Date.now() / 1000): string {
  const ago = now - unixSeconds;
  if (ago < 45) return "just now";
  if (ago < 3_600) return relative.format(-Math.round(ago / 60), "minute");
  if (ago < 86_400) return relative.format(-Math.round(ago / 3_600), "hour");
  if (ago < 7 * 86_400) return relative.format(-Math.round(ago / 86_400), "day");
  return dateTime.format(unixSeconds * 1000);
}

/** A day: "12 Mar 2026". */
export function formatDay(unixSeconds: number): string {
  return dateOnly.format(unixSeconds * 1000);
}

/** A moment in full, in the reader's time zone: "Nov 23, 2026, 4:19 AM". */
export function formatDateTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** An ISO timestamp for <time dateTime>. */
export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
