import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type Address, type Hex, bytesToHex, parseEventLogs } from "viem";
import { useAccount } from "wagmi";
import {
  campaignFactoryAbi,
  createCampaign,
  createTokenAndCampaign,
  humanizeError,
  predictCampaignAddress,
  predictTokenAddress,
} from "@perks/sdk";
import { TransactionStatus } from "../../components/TransactionStatus";
import { useTransaction } from "../../hooks/useTransaction";
import { AddressText } from "./components/Address";
import { Field } from "./components/Field";
import { TxButton } from "./components/TxButton";
import { useChainNow } from "./hooks/useChainNow";
import { useDebounced } from "./hooks/useDebounced";
import { MERCHANT_QUERY, useMerchant } from "./hooks/useMerchant";
import { useReadClient } from "./hooks/useReadClient";
import {
  type CampaignForm,
  MAX_MILESTONES,
  MAX_TIERS,
  type ValidCampaign,
  emptyCampaignForm,
  validateCampaignForm,
} from "./lib/campaignForm";
import { earnRateText, earnSentence, tierPreview } from "./lib/earnPreview";
import { localTerminalFor } from "./lib/terminal";
import { parseMoney, toDateTimeLocal } from "./lib/units";

const DAY = 86_400;

function newSalt(): Hex {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

function initialForm(merchant: Address | undefined, now = Math.floor(Date.now() / 1000)): CampaignForm {
  const terminal = localTerminalFor(merchant);
  const issuers = [merchant, terminal?.address].filter((issuer, i, all): issuer is Address => !!issuer && all.indexOf(issuer) === i);
  return { ...emptyCampaignForm(issuers), startsAt: toDateTimeLocal(now), endsAt: toDateTimeLocal(now + 90 * DAY) };
}

/** A stable query key for parameters that hold bigints. */
function paramsKey(valid: ValidCampaign | undefined): string {
  return JSON.stringify(valid ?? null, (_, value) => (typeof value === "bigint" ? value.toString() : value));
}

/** Creates a brand token and its first campaign (or a campaign for an existing token) from one validated form. */
export default function Create() {
  const { address } = useAccount();
  const { data: merchant } = useMerchant();
  const client = useReadClient();
  const queryClient = useQueryClient();
  const { state, run, reset, blockedReason } = useTransaction();

  const [form, setForm] = useState<CampaignForm>(() => initialForm(address));
  // The salt fixes the addresses the preview shows; it stays with the form, so a retry deploys where it said.
  const [salt, setSalt] = useState<Hex>(newSalt);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [exampleSpend, setExampleSpend] = useState("12.34");
  const [created, setCreated] = useState<{ token: Address; campaign: Address }>();

  // Issuers default to the merchant and, on the local chain, its demo till, once the wallet is known.
  useEffect(() => {
    setForm((current) => (current.issuers.trim() === "" ? { ...current, issuers: initialForm(address).issuers } : current));
  }, [address]);

  // One "now" per form: parameters that moved with the clock would move the predicted addresses too.
  const chainNow = useChainNow();
  const [now, setNow] = useState(chainNow);
  const { errors, valid } = validateCampaignForm(form, { now });
  const shown = (name: string) => (submitted || touched.has(name) ? errors[name] : undefined);
  const touch = (name: string) => () => setTouched((current) => new Set(current).add(name));
  const set = <key extends keyof CampaignForm>(key: key) => (value: CampaignForm[key]) => {
    setForm((current) => ({ ...current, [key]: value }));
    if (state.status === "failed") reset();
  };

  const tokens = merchant?.tokens ?? [];
  const symbol = form.tokenMode === "existing" ? tokens.find((t) => t.address === form.existingToken)?.symbol : form.tokenSymbol.trim().toUpperCase();

  // Predicted addresses, read from the factory once the form has settled and is valid.
  const settled = useDebounced(paramsKey(valid));
  const prediction = useQuery({
    queryKey: [MERCHANT_QUERY, "predict", address, salt, settled],
    enabled: address !== undefined && valid !== undefined && settled === paramsKey(valid),
    staleTime: Infinity,
    queryFn: async () => {
      const merchantAddress = address!;
      const params = valid!;
      const token = params.token
        ? await predictTokenAddress(client, { merchant: merchantAddress, params: params.token, salt })
        : params.campaign.token;
      const campaign = await predictCampaignAddress(client, {
        merchant: merchantAddress,
        params: { ...params.campaign, token },
        salt,
      });
      return { token, campaign };
    },
  });

  const spend = parseMoney(exampleSpend).value ?? 1234n;
  const earnPoints = valid?.campaign.earnPoints ?? 0n;
  const earnSpend = valid?.campaign.earnSpend ?? 0n;
  const previewRows = valid
    ? tierPreview(
        valid.campaign.tiers.map((tier, i) => ({ ...tier, name: form.tiers[i]?.name.trim() || `Tier ${i + 1}` })),
        spend,
        earnPoints,
        earnSpend,
      )
    : [];

  async function deploy(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!valid) {
      document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return;
    }
    const receipt = await run((clients) =>
      valid.token
        ? createTokenAndCampaign(clients, { token: valid.token, campaign: valid.campaign, salt })
        : createCampaign(clients, { params: valid.campaign, salt }),
    );
    if (!receipt) return;
    const [log] = parseEventLogs({ abi: campaignFactoryAbi, eventName: "CampaignCreated", logs: receipt.logs });
    if (log) setCreated({ token: log.args.token, campaign: log.args.campaign });
    void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
  }

  function startOver() {
    const restart = chainNow;
    setNow(restart);
    setForm(initialForm(address, restart));
    setSalt(newSalt());
    setTouched(new Set());
    setSubmitted(false);
    setCreated(undefined);
    reset();
  }

  if (created) {
    return (
      <section className="stack">
        <h1>Your campaign is live</h1>
        <div className="card">
          <p className="ok">Deployed. Customers can now earn {symbol || "points"}.</p>
          <dl className="facts">
            <dt>Token</dt>
            <dd>
              <AddressText address={created.token} full />
            </dd>
            <dt>Campaign</dt>
            <dd>
              <AddressText address={created.campaign} full />
            </dd>
          </dl>
          <p className="actions">
            <Link className="button" to={`/merchant/campaign/${created.campaign}`}>
              Open the campaign
            </Link>
            <Link className="button secondary" to={`/merchant/pos?campaign=${created.campaign}`}>
              Open the point of sale
            </Link>
            <button type="button" className="button secondary" onClick={startOver}>
              Create another
            </button>
          </p>
        </div>
        <TransactionStatus state={state} confirmedText="Token and campaign created." />
      </section>
    );
  }

  const tierRow = (i: number, key: "name" | "threshold" | "multiplier", value: string) =>
    set("tiers")(form.tiers.map((row, j) => (j === i ? { ...row, [key]: value } : row)));
  const milestoneRow = (i: number, key: "claimNumber" | "bonus", value: string) =>
    set("milestones")(form.milestones.map((row, j) => (j === i ? { ...row, [key]: value } : row)));

  return (
    <section>
      <h1>Create points and a campaign</h1>
      <p className="hint">
        Everything is checked here before your wallet is asked to sign, and the preview shows where the contracts
        will live.
      </p>
      <form className="create-layout" onSubmit={deploy} noValidate>
        <div className="stack">
          <fieldset className="card">
            <legend>Points</legend>
            <div className="segmented" role="radiogroup" aria-label="Token">
              <label className="choice">
                <input type="radio" name="tokenMode" checked={form.tokenMode === "new"} onChange={() => set("tokenMode")("new")} /> New
                brand token
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name="tokenMode"
                  checked={form.tokenMode === "existing"}
                  disabled={tokens.length === 0}
                  onChange={() => set("tokenMode")("existing")}
                />{" "}
                One of my tokens
              </label>
            </div>
            {form.tokenMode === "new" ? (
              <div className="row">
                <Field label="Name" value={form.tokenName} onChange={set("tokenName")} onBlur={touch("tokenName")} error={shown("tokenName")} placeholder="Alpha Coffee Beans" />
                <Field label="Symbol" value={form.tokenSymbol} onChange={set("tokenSymbol")} onBlur={touch("tokenSymbol")} error={shown("tokenSymbol")} placeholder="BEAN" className="narrow" />
                <Field
                  label="Face value per point"
                  value={form.faceValue}
                  onChange={set("faceValue")}
                  onBlur={touch("faceValue")}
                  error={shown("faceValue")}
                  inputMode="decimal"
                  placeholder="0.01"
                  hint="In your currency; leave empty for none. Used for liability and buy-backs."
                  className="narrow"
                />
              </div>
            ) : (
              <div className="field">
                <label htmlFor="existing-token">Token</label>
                <select
                  id="existing-token"
                  value={form.existingToken}
                  onChange={(event) => set("existingToken")(event.target.value)}
                  onBlur={touch("existingToken")}
                  aria-invalid={shown("existingToken") ? true : undefined}
                  aria-describedby={shown("existingToken") ? "existing-token-error" : undefined}
                >
                  <option value="">Choose…</option>
                  {tokens.map((token) => (
                    <option key={token.address} value={token.address}>
                      {token.symbol} — {token.name}
                    </option>
                  ))}
                </select>
                {shown("existingToken") && (
                  <p id="existing-token-error" className="field-error">
                    {shown("existingToken")}
                  </p>
                )}
              </div>
            )}
          </fieldset>

          <fieldset className="card">
            <legend>Campaign</legend>
            <Field label="Campaign name" value={form.campaignName} onChange={set("campaignName")} onBlur={touch("campaignName")} error={shown("campaignName")} placeholder="Stamp card" />
            <Field label="Description (optional)" value={form.campaignDescription} onChange={set("campaignDescription")} placeholder="Earn on every coffee" />
            <div className="row">
              <Field label="Starts" type="datetime-local" value={form.startsAt} onChange={set("startsAt")} onBlur={touch("startsAt")} error={shown("startsAt")} hint="Now by default; it may stay in the past." />
              <Field label="Ends" type="datetime-local" value={form.endsAt} onChange={set("endsAt")} onBlur={touch("endsAt")} error={shown("endsAt")} hint="Points stay usable after the end." />
            </div>
            <div className="row">
              <Field label="Supply cap (points)" value={form.supplyCap} onChange={set("supplyCap")} onBlur={touch("supplyCap")} error={shown("supplyCap")} inputMode="decimal" hint="Empty: no cap (claims cost a little less gas)." />
              <Field label="Most points per claim" value={form.maxPerClaim} onChange={set("maxPerClaim")} onBlur={touch("maxPerClaim")} error={shown("maxPerClaim")} inputMode="decimal" hint="Empty: no limit." />
            </div>
          </fieldset>

          <fieldset className="card">
            <legend>Earn rate</legend>
            <div className="row earn-row">
              <Field label="Points" value={form.earnPoints} onChange={set("earnPoints")} onBlur={touch("earnPoints")} error={shown("earnPoints")} inputMode="decimal" className="narrow" />
              <span className="per" aria-hidden="true">
                per
              </span>
              <Field label="Spent" value={form.earnSpend} onChange={set("earnSpend")} onBlur={touch("earnSpend")} error={shown("earnSpend")} inputMode="decimal" className="narrow" />
            </div>
            <p className="hint">Clear both for campaigns that only give fixed points (codes, bonuses).</p>
          </fieldset>

          <fieldset className="card" aria-describedby={shown("channels") ? "channels-error" : undefined}>
            <legend>How points are issued</legend>
            {(
              [
                ["direct", "Direct", "a terminal sends points to a wallet address"],
                ["voucher", "Receipt vouchers", "the till prints a QR code, no transaction at the till"],
                ["batch", "Printed codes", "batches of codes under caps, on cards or packages"],
              ] as const
            ).map(([key, label, hint]) => (
              <label key={key} className="choice">
                <input
                  type="checkbox"
                  checked={form.channels[key]}
                  onChange={(event) => set("channels")({ ...form.channels, [key]: event.target.checked })}
                  aria-invalid={shown("channels") ? true : undefined}
                />{" "}
                {label} <span className="hint">— {hint}</span>
              </label>
            ))}
            {shown("channels") && (
              <p id="channels-error" className="field-error">
                {shown("channels")}
              </p>
            )}
            <div className="field">
              <label htmlFor="issuers">Issuer keys (terminals), one per line</label>
              <textarea
                id="issuers"
                rows={3}
                value={form.issuers}
                onChange={(event) => set("issuers")(event.target.value)}
                onBlur={touch("issuers")}
                aria-invalid={shown("issuers") ? true : undefined}
                aria-describedby={shown("issuers") ? "issuers-error" : "issuers-hint"}
              />
              <p id="issuers-hint" className="hint field-hint">
                Keys that may issue points and sign vouchers. You can add and revoke them later.
              </p>
              {shown("issuers") && (
                <p id="issuers-error" className="field-error">
                  {shown("issuers")}
                </p>
              )}
            </div>
          </fieldset>

          <fieldset className="card">
            <legend>Tiers</legend>
            <p className="hint">
              A tier is reached with the points earned in the current and the previous period, and multiplies earning.
              Each claim counts toward it to the hundredth of a point, rounded down.
            </p>
            {form.tiers.map((row, i) => (
              <div key={i} className="row repeat-row">
                <Field label={`Tier ${i + 1} name`} value={row.name} onChange={(value) => tierRow(i, "name", value)} placeholder={i === 0 ? "Silver" : "Gold"} />
                <Field
                  label="Threshold (points)"
                  value={row.threshold}
                  onChange={(value) => tierRow(i, "threshold", value)}
                  onBlur={touch(`tiers.${i}.threshold`)}
                  error={shown(`tiers.${i}.threshold`)}
                  inputMode="decimal"
                />
                <Field
                  label="Multiplier (%)"
                  value={row.multiplier}
                  onChange={(value) => tierRow(i, "multiplier", value)}
                  onBlur={touch(`tiers.${i}.multiplier`)}
                  error={shown(`tiers.${i}.multiplier`)}
                  inputMode="decimal"
                  className="narrow"
                />
                <button type="button" className="link-button" aria-label={`Remove tier ${i + 1}`} onClick={() => set("tiers")(form.tiers.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </div>
            ))}
            {form.tiers.length < MAX_TIERS && (
              <button
                type="button"
                className="button secondary small"
                onClick={() => set("tiers")([...form.tiers, { name: "", threshold: "", multiplier: form.tiers.length === 0 ? "110" : "" }])}
              >
                Add a tier
              </button>
            )}
            {form.tiers.length > 0 && (
              <Field
                label="Period (days)"
                value={form.tierPeriodDays}
                onChange={set("tierPeriodDays")}
                onBlur={touch("tierPeriodDays")}
                error={shown("tierPeriodDays")}
                inputMode="numeric"
                className="narrow"
                hint="Tiers are reassessed every period."
              />
            )}
          </fieldset>

          <fieldset className="card">
            <legend>Milestones (stamp card)</legend>
            {form.milestones.map((row, i) => (
              <div key={i} className="row repeat-row">
                <Field
                  label="On visit number"
                  value={row.claimNumber}
                  onChange={(value) => milestoneRow(i, "claimNumber", value)}
                  onBlur={touch(`milestones.${i}.claimNumber`)}
                  error={shown(`milestones.${i}.claimNumber`)}
                  inputMode="numeric"
                  className="narrow"
                />
                <Field
                  label="Bonus (points)"
                  value={row.bonus}
                  onChange={(value) => milestoneRow(i, "bonus", value)}
                  onBlur={touch(`milestones.${i}.bonus`)}
                  error={shown(`milestones.${i}.bonus`)}
                  inputMode="decimal"
                />
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove milestone ${i + 1}`}
                  onClick={() => set("milestones")(form.milestones.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </div>
            ))}
            {form.milestones.length < MAX_MILESTONES && (
              <button type="button" className="button secondary small" onClick={() => set("milestones")([...form.milestones, { claimNumber: "", bonus: "" }])}>
                Add a milestone
              </button>
            )}
          </fieldset>

          <fieldset className="card">
            <legend>Optional data</legend>
            <div className="field">
              <label htmlFor="optional-data">Fields a customer may choose to share, one per line</label>
              <textarea
                id="optional-data"
                rows={2}
                value={form.optionalDataFields}
                onChange={(event) => set("optionalDataFields")(event.target.value)}
                aria-invalid={shown("optionalDataFields") ? true : undefined}
                aria-describedby="optional-data-hint"
              />
              <p id="optional-data-hint" className="hint field-hint">
                Never required: claiming points always works without it.
              </p>
              {shown("optionalDataFields") && <p className="field-error">{shown("optionalDataFields")}</p>}
            </div>
          </fieldset>
        </div>

        <aside className="preview card" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <Field label="Example purchase" value={exampleSpend} onChange={setExampleSpend} inputMode="decimal" className="narrow" />
          <p className="earn-sentence" aria-live="polite">
            {valid
              ? (earnSentence(spend, earnPoints, earnSpend, symbol || "points") ?? "No earn rate: vouchers and codes name their points.")
              : submitted
                ? "Fix the highlighted fields to see the preview."
                : "Complete the form to see the preview."}
          </p>
          {valid && <p className="hint">{earnRateText(earnPoints, earnSpend, symbol || "points")}</p>}
          {previewRows.length > 1 && (
            <table className="table compact">
              <caption>Tiers</caption>
              <thead>
                <tr>
                  <th scope="col">Tier</th>
                  <th scope="col">From</th>
                  <th scope="col">Rate</th>
                  {earnPoints > 0n && <th scope="col" className="num">Earns</th>}
                </tr>
              </thead>
              <tbody>
                {previewRows.map((row) => (
                  <tr key={row.name}>
                    <td>{row.name}</td>
                    <td>{row.threshold}</td>
                    <td>{row.multiplier}</td>
                    {earnPoints > 0n && <td className="num">{row.example}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Addresses before deploying</h3>
          {!address ? (
            <p className="hint">Connect the merchant's wallet: addresses derive from it.</p>
          ) : !valid ? (
            <p className="hint">Shown once the form is complete.</p>
          ) : prediction.isFetching || settled !== paramsKey(valid) ? (
            <p className="hint" role="status">Computing…</p>
          ) : prediction.error ? (
            <p className="error">{humanizeError(prediction.error).message}</p>
          ) : prediction.data ? (
            <dl className="facts">
              <dt>Token</dt>
              <dd>
                <AddressText address={prediction.data.token} full />
                {valid.token === undefined && <span className="hint"> (existing)</span>}
              </dd>
              <dt>Campaign</dt>
              <dd>
                <AddressText address={prediction.data.campaign} full />
              </dd>
            </dl>
          ) : null}
          <div className="deploy">
            <TxButton state={state} blockedReason={blockedReason} busyLabel="Deploying…">
              {form.tokenMode === "new" ? "Deploy token and campaign" : "Deploy campaign"}
            </TxButton>
            {submitted && !valid && (
              <p className="field-error" role="alert">
                Some fields need attention: {Object.keys(errors).length} to fix.
              </p>
            )}
            <TransactionStatus state={state} confirmedText="Token and campaign created." />
          </div>
        </aside>
      </form>
    </section>
  );
}
