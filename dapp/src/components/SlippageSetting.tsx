import { useId, useState } from "react";

const PRESETS = [0, 50, 100] as const;

/** "0 %" for 0 basis points, "0.5 %" for 50. */
export function bpsText(bps: number): string {
  return `${(bps / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
}

/**
 * How far the price may move against the customer between the quote and the block, in basis points: exact (the
 * default, so a changed price fails the transaction instead of costing more), 0.5 %, 1 %, or a custom figure up
 * to 50 %.
 */
export function SlippageSetting({ bps, onChange, explanation }: { bps: number; onChange: (bps: number) => void; explanation: string }) {
  const id = useId();
  const [custom, setCustom] = useState(PRESETS.includes(bps as (typeof PRESETS)[number]) ? "" : String(bps / 100));
  const customError =
    custom !== "" && !(Number(custom) >= 0 && Number(custom) <= 50) ? "Enter a tolerance from 0 to 50 %." : undefined;
  return (
    <fieldset className="choices slippage">
      <legend>Price tolerance</legend>
      <p className="hint" id={`${id}-explain`}>
        {explanation}
      </p>
      <div className="segmented" role="group" aria-describedby={`${id}-explain`}>
        {PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            className="segment"
            aria-pressed={custom === "" && bps === preset}
            onClick={() => {
              setCustom("");
              onChange(preset);
            }}
          >
            {preset === 0 ? "Exact" : bpsText(preset)}
          </button>
        ))}
      </div>
      <label htmlFor={`${id}-custom`}>Custom tolerance (%)</label>
      <input
        id={`${id}-custom`}
        inputMode="decimal"
        placeholder="e.g. 2"
        value={custom}
        aria-invalid={customError ? true : undefined}
        onChange={(event) => {
          const text = event.target.value.replace(",", ".");
          setCustom(text);
          const percent = Number(text);
          if (text !== "" && percent >= 0 && percent <= 50) onChange(Math.round(percent * 100));
        }}
      />
      {customError && (
        <p className="field-error" role="alert">
          {customError}
        </p>
      )}
    </fieldset>
  );
}
