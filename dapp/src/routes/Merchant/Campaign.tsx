import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type Address, isAddressEqual, stringToHex } from "viem";
import { useAccount } from "wagmi";
import { Channel, endCampaign, isChannelOpen, issuePoints, quoteClaim, retireCampaign, setCampaignPaused, setIssuer } from "@perks/sdk";
import { AddressInput } from "../../components/AddressInput";
import { TransactionStatus } from "../../components/TransactionStatus";
import { useTransaction } from "../../hooks/useTransaction";
import type { AddressCheck } from "../../lib/address";
import { formatMoney } from "../../lib/format";
import { AddressText } from "./components/Address";
import { Field } from "./components/Field";
import { TxButton } from "./components/TxButton";
import { type CampaignDetail, useCampaignDetail } from "./hooks/useCampaignDetail";
import { useChainNow } from "./hooks/useChainNow";
import { useDebounced } from "./hooks/useDebounced";
import { MERCHANT_QUERY, STATUS_LABEL, campaignStatus } from "./hooks/useMerchant";
import { useReadClient } from "./hooks/useReadClient";
import { earnRateText, tierPreview } from "./lib/earnPreview";
import { recordHandover } from "./lib/recordHandover";
import { formatDate, formatDown, parseMoney, parsePoints } from "./lib/units";
import { CapUsage } from "./components/CapUsage";

const CHANNEL_NAMES: [Channel, string][] = [
  [Channel.Direct, "Direct"],
  [Channel.Voucher, "Receipt vouchers"],
  [Channel.Batch, "Printed codes"],
];

/** One campaign: its rules, direct issue, issuer keys, pause and resume, ending it, and once it has ended, handing
 * its customer records on. */
export default function Campaign() {
  const { address: campaignAddress } = useParams();
  const { address } = useAccount();
  const { data: campaign, isPending, error } = useCampaignDetail(campaignAddress);
  const now = useChainNow();

  if (isPending) return <p className="loading" role="status">Loading the campaign…</p>;
  if (error) return <p className="error" role="alert">Could not read the campaign: {error.message.split("\n")[0]}</p>;
  if (!campaign) {
    return (
      <section className="card">
        <h1>Unknown campaign</h1>
        <p>{campaignAddress} is not a Perks campaign on this network.</p>
        <Link to="/merchant">Back to your program</Link>
      </section>
    );
  }

  const isMerchant = address !== undefined && isAddressEqual(address, campaign.token.owner);
  const isIssuer = address !== undefined && campaign.issuers.some((issuer) => isAddressEqual(issuer, address));
  const status = campaignStatus(campaign, now);
  return (
    <section className="stack">
      <div className="page-head">
        <div>
          <h1>{campaign.name}</h1>
          <p className="hint">
            {campaign.token.name} ({campaign.token.symbol}) · <AddressText address={campaign.address} />
          </p>
        </div>
        <span className={`status status-${status}`}>{STATUS_LABEL[status]}</span>
      </div>
      {!isMerchant && address && (
        <p className="card notice">This campaign belongs to another merchant: you can read it, only its owner can change it.</p>
      )}
      <div className="two-columns">
        <Rules campaign={campaign} />
        <div className="stack">
          {isChannelOpen(campaign.rules, Channel.Direct) && status !== "ended" && <DirectIssue campaign={campaign} isIssuer={isIssuer} />}
          {isMerchant && status !== "ended" && <Controls campaign={campaign} />}
          {isMerchant && <RecordHandover campaign={campaign} now={now} />}
        </div>
      </div>
      <Issuers campaign={campaign} isMerchant={isMerchant && status !== "ended"} />
      {campaign.batches.length > 0 && (
        <section className="card" aria-labelledby="batches-title">
          <h2 id="batches-title">Published batches</h2>
          <ul className="plain-list">
            {campaign.batches.map((batch) => (
              <li key={batch.batchId.toString()}>
                Batch {batch.batchId.toString()}: {batch.codeCount.toString()} codes, root <code>{batch.root.slice(0, 18)}…</code>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function Rules({ campaign }: { campaign: CampaignDetail }) {
  const { rules, token } = campaign;
  const symbol = token.symbol;
  const tiers = tierPreview(
    rules.tiers.map((tier, i) => ({ ...tier, name: campaign.tierNames[i] ?? `Tier ${i + 1}` })),
    1234n,
    rules.earnPoints,
    rules.earnSpend,
  );
  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">Rules</h2>
      {campaign.description && <p>{campaign.description}</p>}
      <dl className="facts">
        <dt>Runs</dt>
        <dd>
          {formatDate(rules.startsAt)} – {formatDate(campaign.endsAt)}
          {campaign.endsAt < rules.endsAt && " (ended early)"}
        </dd>
        <dt>Earn rate</dt>
        <dd>{earnRateText(rules.earnPoints, rules.earnSpend, symbol)}</dd>
        <dt>Issued</dt>
        <dd>
          <CapUsage issued={campaign.issued} cap={rules.supplyCap} symbol={symbol} />
        </dd>
        <dt>Per claim</dt>
        <dd>{rules.maxPerClaim === 0n ? "No limit" : `At most ${formatDown(rules.maxPerClaim)} ${symbol}`}</dd>
        <dt>Channels</dt>
        <dd>{CHANNEL_NAMES.filter(([channel]) => isChannelOpen(rules, channel)).map(([, name]) => name).join(", ")}</dd>
        {token.faceValue > 0n && (
          <>
            <dt>Face value</dt>
            <dd>{formatMoney(token.faceValue, 6)} per point</dd>
          </>
        )}
        {rules.tiers.length > 0 && (
          <>
            <dt>Tier period</dt>
            <dd>{rules.tierPeriod / 86_400} days</dd>
          </>
        )}
      </dl>
      {rules.tiers.length > 0 && (
        <table className="table compact">
          <caption>Tiers (a 12.34 purchase)</caption>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">From</th>
              <th scope="col">Rate</th>
              {rules.earnSpend > 0n && <th scope="col" className="num">Earns</th>}
            </tr>
          </thead>
          <tbody>
            {tiers.map((row) => (
              <tr key={row.name}>
                <td>{row.name}</td>
                <td>{row.threshold}</td>
                <td>{row.multiplier}</td>
                {rules.earnSpend > 0n && <td className="num">{row.example}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rules.milestones.length > 0 && (
        <>
          <h3>Milestones</h3>
          <ul className="plain-list">
            {rules.milestones.map((milestone) => (
              <li key={milestone.claimNumber}>
                Visit {milestone.claimNumber}: +{formatDown(milestone.bonus)} {symbol}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DirectIssue({ campaign, isIssuer }: { campaign: CampaignDetail; isIssuer: boolean }) {
  const client = useReadClient();
  const queryClient = useQueryClient();
  const { state, run, blockedReason } = useTransaction();
  const [recipient, setRecipient] = useState<{ text: string; check: AddressCheck }>({ text: "", check: { ok: false, error: "" } });
  const hasEarnRate = campaign.rules.earnSpend > 0n;
  const [mode, setMode] = useState<"spend" | "points">(hasEarnRate ? "spend" : "points");
  const [amount, setAmount] = useState("");
  const [reference, setReference] = useState("");
  const [submitted, setSubmitted] = useState(false);

  const parsed = mode === "spend" ? parseMoney(amount) : parsePoints(amount);
  const amountError = parsed.error ?? (parsed.value === 0n ? "Enter an amount above zero." : undefined);
  const referenceError = new TextEncoder().encode(reference).length > 31 ? "At most 31 characters." : undefined;
  const ready = recipient.check.ok && amountError === undefined && referenceError === undefined;
  const typed = ready && recipient.check.ok ? `${recipient.check.address}:${mode}:${parsed.value}` : "";
  const request = useDebounced(typed);
  const quote = useQuery({
    queryKey: [MERCHANT_QUERY, "quote", campaign.address, request],
    enabled: request !== "",
    queryFn: () => {
      const [account, kind, value] = request.split(":");
      return quoteClaim(client, {
        campaign: campaign.address,
        account: account as Address,
        points: kind === "points" ? BigInt(value) : 0n,
        spend: kind === "spend" ? BigInt(value) : 0n,
      });
    },
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!ready || !recipient.check.ok || parsed.value === undefined) return;
    const to = recipient.check.address;
    const value = parsed.value;
    const receipt = await run((clients) =>
      issuePoints(clients, {
        campaign: campaign.address,
        recipient: to,
        points: mode === "points" ? value : 0n,
        spend: mode === "spend" ? value : 0n,
        ref: stringToHex(reference, { size: 32 }),
      }),
    );
    if (receipt) {
      setAmount("");
      setReference("");
      setSubmitted(false);
      void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="issue-title">
      <h2 id="issue-title">Issue points directly</h2>
      <AddressInput
        label="Customer's wallet address"
        value={recipient.text}
        onChange={(text, check) => setRecipient({ text, check })}
        showErrors={submitted}
        name="recipient"
      />
      {hasEarnRate && (
        <div className="segmented" role="radiogroup" aria-label="Issue by">
          <label className="choice">
            <input type="radio" name="issue-mode" checked={mode === "spend"} onChange={() => setMode("spend")} /> Spend
          </label>
          <label className="choice">
            <input type="radio" name="issue-mode" checked={mode === "points"} onChange={() => setMode("points")} /> Points
          </label>
        </div>
      )}
      <div className="row">
        <Field
          label={mode === "spend" ? "Amount spent" : `Points (${campaign.token.symbol})`}
          value={amount}
          onChange={setAmount}
          inputMode="decimal"
          error={submitted || amount !== "" ? amountError : undefined}
        />
        <Field label="Reference (optional)" value={reference} onChange={setReference} error={referenceError} hint="Your receipt number; never personal data." />
      </div>
      <p className="hint" aria-live="polite">
        {quote.data && request === typed
          ? `The customer receives ${formatDown(quote.data.amount + quote.data.bonus)} ${campaign.token.symbol}${quote.data.bonus > 0n ? ` (with a ${formatDown(quote.data.bonus)} milestone bonus)` : ""}.`
          : " "}
      </p>
      <TxButton state={state} blockedReason={blockedReason ?? (isIssuer ? undefined : "Only an issuer key of this campaign can issue.")} busyLabel="Issuing…">
        Issue points
      </TxButton>
      <TransactionStatus state={state} confirmedText="Points issued." />
    </form>
  );
}

function Controls({ campaign }: { campaign: CampaignDetail }) {
  const queryClient = useQueryClient();
  const pause = useTransaction();
  const end = useTransaction();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
  return (
    <section className="card" aria-labelledby="controls-title">
      <h2 id="controls-title">Issuance</h2>
      <p className="hint">Pausing or ending stops new points only; points already issued stay fully usable.</p>
      <div className="actions">
        <TxButton
          type="button"
          className="secondary"
          state={pause.state}
          blockedReason={pause.blockedReason}
          onClick={async () => {
            if (await pause.run((clients) => setCampaignPaused(clients, { campaign: campaign.address, paused: !campaign.paused }))) refresh();
          }}
        >
          {campaign.paused ? "Resume issuance" : "Pause issuance"}
        </TxButton>
        {!confirmEnd ? (
          <button type="button" className="button danger-outline" onClick={() => setConfirmEnd(true)}>
            End campaign…
          </button>
        ) : (
          <span className="confirm" role="group" aria-label="Confirm ending">
            <strong>End for good?</strong>
            <TxButton
              type="button"
              className="danger"
              state={end.state}
              blockedReason={end.blockedReason}
              onClick={async () => {
                if (await end.run((clients) => endCampaign(clients, { campaign: campaign.address }))) refresh();
              }}
            >
              Yes, end it now
            </TxButton>
            <button type="button" className="button secondary" onClick={() => setConfirmEnd(false)}>
              Keep it running
            </button>
          </span>
        )}
      </div>
      <TransactionStatus state={pause.state} confirmedText={campaign.paused ? "Issuance paused." : "Issuance resumed."} />
      <TransactionStatus state={end.state} confirmedText="The campaign has ended." />
    </section>
  );
}

/**
 * Retiring a campaign with tiers or a stamp card once it has ended by its schedule (ending it early already does):
 * the records it keeps beside its customers' balances go to the token's next such campaign.
 */
function RecordHandover({ campaign, now }: { campaign: CampaignDetail; now: number }) {
  const queryClient = useQueryClient();
  const retire = useTransaction();
  const stage = recordHandover(campaign, now);
  if (stage === "none") return null;
  if (stage === "done") {
    return (
      <div className="card" role="status">
        Records handed on: your next campaign with tiers or a stamp card takes over this campaign's customer records.
      </div>
    );
  }
  return (
    <section className="card" aria-labelledby="handover-title">
      <h2 id="handover-title">Hand on customer records</h2>
      <p className="hint">
        This campaign has ended. Let your next campaign with tiers or a stamp card take over its customers' records: their
        first claim there then costs about 19,000 gas less.
      </p>
      <TxButton
        type="button"
        state={retire.state}
        blockedReason={retire.blockedReason}
        busyLabel="Handing on…"
        onClick={async () => {
          const handedOn = await retire.run((clients) => retireCampaign(clients, { campaign: campaign.address }));
          if (handedOn) void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
        }}
      >
        Hand on records
      </TxButton>
      <TransactionStatus state={retire.state} confirmedText="Records handed on." />
    </section>
  );
}

function Issuers({ campaign, isMerchant }: { campaign: CampaignDetail; isMerchant: boolean }) {
  const queryClient = useQueryClient();
  const add = useTransaction();
  const revoke = useTransaction();
  const [revoking, setRevoking] = useState<Address>();
  const [candidate, setCandidate] = useState<{ text: string; check: AddressCheck }>({ text: "", check: { ok: false, error: "" } });
  const [submitted, setSubmitted] = useState(false);
  // A new key for the field after a success gives an empty field that has not been "left" yet.
  const [fieldKey, setFieldKey] = useState(0);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!candidate.check.ok) return;
    const issuer = candidate.check.address;
    if (await add.run((clients) => setIssuer(clients, { campaign: campaign.address, issuer, allowed: true }))) {
      setCandidate({ text: "", check: { ok: false, error: "" } });
      setSubmitted(false);
      setFieldKey((key) => key + 1);
      refresh();
    }
  }

  return (
    <section className="card" aria-labelledby="issuers-title">
      <h2 id="issuers-title">Issuer keys</h2>
      <p className="hint">Terminals that may issue points directly and sign receipt vouchers.</p>
      {campaign.issuers.length === 0 ? (
        <p>No issuer key: only printed codes can issue points.</p>
      ) : (
        <ul className="plain-list issuers">
          {campaign.issuers.map((issuer) => (
            <li key={issuer}>
              <AddressText address={issuer} full />
              {isAddressEqual(issuer, campaign.token.owner) && <span className="badge">merchant</span>}
              {isMerchant && (
                <TxButton
                  type="button"
                  className="secondary small"
                  state={revoking === issuer ? revoke.state : { status: "idle" }}
                  blockedReason={revoke.blockedReason}
                  disabled={revoke.state.status === "preparing" || revoke.state.status === "pending"}
                  busyLabel="Revoking…"
                  aria-label={`Revoke ${issuer}`}
                  onClick={async () => {
                    setRevoking(issuer);
                    if (await revoke.run((clients) => setIssuer(clients, { campaign: campaign.address, issuer, allowed: false }))) refresh();
                  }}
                >
                  Revoke
                </TxButton>
              )}
            </li>
          ))}
        </ul>
      )}
      <TransactionStatus state={revoke.state} confirmedText="Key revoked: its vouchers not yet claimed are refused from now on." />
      {isMerchant && (
        <form onSubmit={submit} noValidate className="inline-form">
          <AddressInput
            key={fieldKey}
            label="Add an issuer key"
            value={candidate.text}
            onChange={(text, check) => setCandidate({ text, check })}
            showErrors={submitted}
            name="issuer"
          />
          <TxButton state={add.state} blockedReason={add.blockedReason} busyLabel="Adding…">
            Add key
          </TxButton>
          <TransactionStatus state={add.state} confirmedText="Key added." />
        </form>
      )}
    </section>
  );
}
