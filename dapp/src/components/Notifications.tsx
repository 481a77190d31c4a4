import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import type { Address } from "viem";
import { useNotifications } from "../hooks/useNotifications";
import { formatWhen } from "../lib/time";
import "./Notifications.css";

const ICONS = { received: "＋", affordable: "🎁", tier: "⏳", bid: "💱" } as const;

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
        <span aria-hidden="true">🔔</span>
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
            <span className="notification-icon" aria-hidden="true">
              {ICONS[item.kind]}
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
