/** Grey placeholders in the shape of what is loading; announced once as "Loading …" to screen readers. */
export function Skeleton({ lines = 3, label = "Loading", card = false }: { lines?: number; label?: string; card?: boolean }) {
  return (
    <div className={card ? "card skeleton-card" : "skeleton-block"} role="status" aria-live="polite">
      <span className="visually-hidden">{label}…</span>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton" aria-hidden="true" style={{ width: `${90 - ((i * 23) % 45)}%` }} />
      ))}
    </div>
  );
}

/** Several card-shaped skeletons, for a list of cards loading. */
export function SkeletonCards({ count = 2, label }: { count?: number; label: string }) {
  return (
    <div className="stack" role="status" aria-live="polite">
      <span className="visually-hidden">{label}…</span>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="card skeleton-card" aria-hidden="true">
          <span className="skeleton" style={{ width: "40%" }} />
          <span className="skeleton skeleton-tall" style={{ width: "60%" }} />
          <span className="skeleton" style={{ width: "80%" }} />
        </div>
      ))}
    </div>
  );
}
