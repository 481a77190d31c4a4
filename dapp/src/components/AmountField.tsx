import { type ReactNode, useId, useState } from "react";
import { type AmountCheck, checkAmount, exactAmount } from "../lib/amount";

/**
 * A labelled amount of a token, checked as typed (digits, the token's decimals, above zero, within `max`); the
 * error shows once the field was left or after a submit. `onMax` fills in `max`.
 */
export function AmountField({
  label,
  value,
  onChange,
  decimals,
  symbol,
  max,
  hint,
  tooMuch,
  showErrors = false,
}: {
  label: string;
  value: string;
  onChange: (text: string, check: AmountCheck) => void;
  decimals: number;
  symbol: string;
  max?: bigint;
  hint?: ReactNode;
  /** What to say when the amount is above `max`, when `max` is not the wallet's balance ("Only 3 BEAN are left in
   * this order."). */
  tooMuch?: string;
  showErrors?: boolean;
}) {
  const id = useId();
  const [touched, setTouched] = useState(false);
  const check = checkAmount(value, { decimals, symbol, max });
  const aboveMax = !check.ok && tooMuch !== undefined && checkAmount(value, { decimals, symbol }).ok;
  const error = !check.ok && (showErrors || (touched && value !== "")) ? (aboveMax ? tooMuch : check.error) : undefined;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-row">
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value, checkAmount(event.target.value, { decimals, symbol, max }))}
          onBlur={() => setTouched(true)}
        />
        <span className="unit" aria-hidden="true">
          {symbol}
        </span>
        {max !== undefined && max > 0n && (
          <button
            type="button"
            className="button secondary small"
            onClick={() => {
              const text = exactAmount(max, decimals);
              onChange(text, checkAmount(text, { decimals, symbol, max }));
            }}
          >
            Max
          </button>
        )}
      </div>
      {hint && (
        <p id={`${id}-hint`} className="hint field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
