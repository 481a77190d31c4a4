import type { ReactNode } from "react";
import { SparkleIcon } from "./icons";

/** What a page shows when there is nothing yet, and what to do about it. */
export function EmptyState({
  icon = <SparkleIcon size={32} />,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty-state">
      <span className="empty-icon" aria-hidden="true">
        {icon}
      </span>
      <h2>{title}</h2>
      {children && <div className="empty-body">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}
