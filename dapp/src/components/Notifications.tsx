import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import type { Address } from "viem";
import { useNotifications } from "../hooks/useNotifications";
import { formatWhen } from "../lib/time";
import "./Notifications.css";

/** Icons drawn in SVG: emoji fonts are not on every device. */
const ICON_PATHS = {
  bell: "M12 3a6 6 0 0 0-6 6v3.6L4.3 16a.7.7 0 0 0 .6 1h14.2a.7.7 0 0 0 .6-1L18 12.6V9a6 6 0 0 0-6-6Zm-2.2 15a2.3 2.3 0 0 0 4.4 0",
  received: "M12 5v14M5 12h14",
  affordable: "M4 10h16v10H4zM3 7h18v3H3zM12 7v13M12 7c-2-4-6-3-5 0M12 7c2-4 6-3 5 0",
  tier: "M7 3h10M7 21h10M8 3c0 5 8 5 8 9s-8 4-8 9M16 3c0 5-8 5-8 9s8 4 8 9",
  bid: "M4 8h13l-3-3M20 16H7l3 3",
} as const;

function Icon({ name, size = 20 }: { name: keyof typeof ICON_PATHS; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={ICON_PATHS[name]} />
    </svg>
  );
}

/**
 * The header's bell: the wallet's in-app notifications (points received, a reward now affordable, a tier about to
 * drop, new bids), unread count on the button, and browser notifications for new ones when the customer allowed
 * them on the Offers page. Loaded lazily by the layout, after the page itself.
 */
export default function NotificationBell({ account }: { account: Address }) {
  const { items, unread, markAllRead, markRead } = useNotifications(account, { announce: true });
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    heading.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="icon-button bell-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <Icon name="bell" size={22} />
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread > 9 ? "9+" : unread}
          </span>
        )}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {unread > 0 ? `${unread} unread notifications` : ""}
      </span>
      {open && (
        <div id={panelId} className="bell-panel" role="region" aria-labelledby={`${panelId}-title`}>
          <div className="bell-head">
            <h2 id={`${panelId}-title`} ref={heading} tabIndex={-1}>
              Notifications
            </h2>
            {unread > 0 && (
              <button type="button" className="button secondary small" onClick={markAllRead}>
                Mark all read
              </button>
            )}
          </div>
          <NotificationList items={items?.slice(0, 12)} onOpen={(id) => { markRead(id); setOpen(false); }} />
          <Link className="bell-more" to="/offers" onClick={() => setOpen(false)}>
            Offers for you and notification settings
          </Link>
        </div>
      )}
    </div>
  );
}

/** The notifications as links, unread ones marked; shared by the bell and the Offers page. */
export function NotificationList({
  items,
  onOpen,
}: {
  items: ReturnType<typeof useNotifications>["items"];
  onOpen: (id: string) => void;
}) {
  if (!items) return <p className="hint">Looking at your wallet…</p>;
  if (items.length === 0) return <p className="hint">Nothing yet. Points you receive, rewards you can afford and new bids show here.</p>;
  return (
    <ul className="notification-list">
      {items.map((item) => (
        <li key={item.id} className={item.unread ? "unread" : undefined}>
          <Link to={item.href} onClick={() => onOpen(item.id)}>
            <span className="notification-icon">
              <Icon name={item.kind} />
            </span>
            <span className="notification-text">
              <strong>{item.title}</strong>
              {item.unread && <span className="visually-hidden"> (unread)</span>}
              <span className="hint">
                {item.body}
                {item.at !== undefined && ` · ${formatWhen(item.at)}`}
              </span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
