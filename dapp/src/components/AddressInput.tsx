import { useId, useState } from "react";
import type { Address } from "viem";
import { type AddressCheck, checkAddress } from "../lib/address";

/**
 * A labelled address field that explains what is wrong with what was typed (once the field is left, or as soon as
 * the text is a complete 42-character candidate) and reports the checked address to its parent.
 */
export function AddressInput({
  label,
  value,
  onChange,
  self,
  contracts,
  hint,
  showErrors = false,
  name = "address",
}: {
  label: string;
  value: string;
  onChange: (text: string, check: AddressCheck) => void;
  self?: Address;
  contracts?: readonly Address[];
  hint?: string;
  /** Show the error even before the field was left (after a submit attempt). */
  showErrors?: boolean;
  name?: string;
}) {
  const id = useId();
  const [touched, setTouched] = useState(false);
  const check = checkAddress(value, { self, contracts });
  const visibleError = !check.ok && (touched || showErrors || value.trim().length >= 42) ? check.error : undefined;
  const describedBy = [hint && `${id}-hint`, visibleError && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint field-hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        type="text"
        inputMode="text"
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        placeholder="0x…"
        className="mono"
        value={value}
        aria-invalid={visibleError ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value, checkAddress(event.target.value, { self, contracts }))}
        onBlur={() => setTouched(true)}
      />
      {visibleError && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {visibleError}
        </p>
      )}
    </div>
  );
}
