import { useEffect, useState } from "react";

/** `value` once it stopped changing for `delayMs`: typing does not fire a chain read per key. */
export function useDebounced<value>(value: value, delayMs = 350): value {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
