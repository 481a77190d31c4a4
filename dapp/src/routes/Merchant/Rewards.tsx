import { type FormEvent, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type Address, isAddressEqual } from "viem";
import {
  type RewardInfo,
  RewardStatus,
  addReward,
  createCatalog,
  editReward,
  getCatalog,
  getTokenMetadata,
  listRewards,
  retireReward,
  setPartnerRate,
  setRewardPaused,
  setTreasury,
} from "@perks/sdk";
import { AddressInput } from "../../components/AddressInput";
import { TransactionStatus } from "../../components/TransactionStatus";
import { useTransaction } from "../../hooks/useTransaction";
import type { AddressCheck } from "../../lib/address";
import { AddressText } from "./components/Address";
import { Field } from "./components/Field";
import { Fulfilment } from "./components/Fulfilment";
import { TxButton } from "./components/TxButton";
import { useChainNow } from "./hooks/useChainNow";
import { MERCHANT_QUERY, useMerchant } from "./hooks/useMerchant";
import { useReadClient } from "./hooks/useReadClient";
import {
  KIND_LABEL,
  type RewardForm,
  emptyRewardForm,
  rewardFormOf,
  rewardValueText,
  validateRewardForm,
} from "./lib/rewardForm";
import { formatDate, formatDown, parsePoints, readMetadata } from "./lib/units";
import type { RewardKind } from "@perks/sdk";
import { TableScroll } from "../../components/TableScroll";

const STATUS_TEXT: Record<number, string> = {
  [RewardStatus.Active]: "Active",
  [RewardStatus.Paused]: "Paused",
  [RewardStatus.Retired]: "Retired",
};

const EMPTY_CHECK: { text: string; check: AddressCheck } = { text: "", check: { ok: false, error: "" } };

/** The merchant's rewards catalog: rewards, partner points it accepts, and where partner points go. */
export default function Rewards() {
  const { data: merchant, isPending, address } = useMerchant();
  if (!address) return <h1>Rewards</h1>;
  if (isPending || !merchant) return <p className="loading" role="status">Loading your catalog…</p>;
  if (!merchant.catalog && merchant.createdCatalog) return <CatalogGivenAway catalog={merchant.createdCatalog} />;
  if (!merchant.catalog) return <CreateCatalog tokens={merchant.tokens} merchant={address} />;
  return <Catalog catalog={merchant.catalog} merchant={address} />;
}

/** The catalog this account created is priced in a token another account owns now: that account manages it. */
function CatalogGivenAway({ catalog }: { catalog: Address }) {
  return (
    <section className="card">
      <h1>Rewards</h1>
      <p>
        The catalog you created (<AddressText address={catalog} />) is priced in points another account owns now, and that account manages
        it. The factory gives each account one catalog, so this one cannot create another.
      </p>
    </section>
  );
}

function CreateCatalog({ tokens, merchant }: { tokens: readonly { address: Address; symbol: string; name: string }[]; merchant: Address }) {
  const queryClient = useQueryClient();
  const { state, run, blockedReason } = useTransaction();
  const [token, setToken] = useState<string>(tokens[0]?.address ?? "");
  const [treasury, setTreasuryText] = useState<{ text: string; check: AddressCheck }>({ text: merchant, check: { ok: true, address: merchant } });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!treasury.check.ok || !token) return;
    const to = treasury.check.address;
    if (await run((clients) => createCatalog(clients, { token: token as Address, treasury: to }))) {
      void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
    }
  }

  if (tokens.length === 0) {
    return (
      <section className="card">
        <h1>Rewards</h1>
        <p>Create your points first: rewards are priced in them.</p>
      </section>
    );
  }
  return (
    <form className="card stack" onSubmit={submit} noValidate>
      <h1>Create your rewards catalog</h1>
      <p>One catalog per merchant: customers spend your points on its rewards, and vouchers they redeem are theirs to keep, give or use at the till.</p>
      <div className="field">
        <label htmlFor="catalog-token">Priced in</label>
        <select id="catalog-token" value={token} onChange={(event) => setToken(event.target.value)}>
          {tokens.map((candidate) => (
            <option key={candidate.address} value={candidate.address}>
              {candidate.symbol} — {candidate.name}
            </option>
          ))}
        </select>
      </div>
      <AddressInput
        label="Treasury"
        hint="Where partner points paid for your rewards go."
        value={treasury.text}
        onChange={(text, check) => setTreasuryText({ text, check })}
        name="treasury"
      />
      <TxButton state={state} blockedReason={blockedReason} busyLabel="Creating…">
        Create catalog
      </TxButton>
      <TransactionStatus state={state} confirmedText="Catalog created." />
    </form>
  );
}

function useCatalog(catalog: Address) {
  const client = useReadClient();
  return useQuery({
    queryKey: [MERCHANT_QUERY, "catalog", catalog],
    queryFn: async () => {
      const [info, rewards] = await Promise.all([getCatalog(client, { catalog }), listRewards(client, { catalog })]);
      const [own, ...partners] = await Promise.all(
        [info.token, ...info.partners.map((partner) => partner.token)].map((token) => getTokenMetadata(client, { token })),
      );
      return { ...info, rewards, own, partnerTokens: partners };
    },
  });
}

function Catalog({ catalog, merchant }: { catalog: Address; merchant: Address }) {
  const { data, isPending, error } = useCatalog(catalog);
  const [editing, setEditing] = useState<RewardInfo | "new">();
  if (isPending) return <p className="loading" role="status">Loading your catalog…</p>;
  if (error) return <p className="error" role="alert">Could not read the catalog: {error.message.split("\n")[0]}</p>;
  const symbol = data.own.symbol;
  const isMerchant = isAddressEqual(merchant, data.merchant);

  return (
    <section className="stack">
      <div className="page-head">
        <div>
          <h1>Rewards</h1>
          <p className="hint">
            Catalog <AddressText address={catalog} /> · priced in {symbol}
          </p>
        </div>
        {isMerchant && editing === undefined && (
          <button type="button" className="button" onClick={() => setEditing("new")}>
            Add a reward
          </button>
        )}
      </div>

      {editing !== undefined && (
        <RewardEditor catalog={catalog} symbol={symbol} reward={editing === "new" ? undefined : editing} onDone={() => setEditing(undefined)} />
      )}

      <section className="card" aria-labelledby="rewards-title">
        <h2 id="rewards-title">Rewards</h2>
        {data.rewards.length === 0 ? (
          <p className="hint">No reward yet. Add one: customers see it at once in the Rewards page.</p>
        ) : (
          <TableScroll label="Rewards in the catalog">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Reward</th>
                  <th scope="col" className="num">Price</th>
                  <th scope="col" className="num">Redeemed</th>
                  <th scope="col">Until</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.rewards.map((reward) => (
                  <RewardRow key={reward.id.toString()} catalog={catalog} reward={reward} symbol={symbol} canEdit={isMerchant} onEdit={() => setEditing(reward)} />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <Fulfilment catalog={catalog} rewards={data.rewards} canEdit={isMerchant} />
      <Partners catalog={catalog} partners={data.partners.map((partner, i) => ({ ...partner, symbol: data.partnerTokens[i].symbol }))} symbol={symbol} canEdit={isMerchant} />
      <Treasury catalog={catalog} treasury={data.treasury} canEdit={isMerchant} />
    </section>
  );
}

function RewardRow({ catalog, reward, symbol, canEdit, onEdit }: { catalog: Address; reward: RewardInfo; symbol: string; canEdit: boolean; onEdit: () => void }) {
  const queryClient = useQueryClient();
  const pause = useTransaction();
  const retire = useTransaction();
  const [confirmRetire, setConfirmRetire] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
  const { params } = reward;
  const name = readMetadata(params.metadataURI).name ?? `Reward ${reward.id}`;
  const retired = reward.status === RewardStatus.Retired;
  return (
    <tr>
      <td>
        <strong>{name}</strong>
        <span className="hint reward-terms">
          {KIND_LABEL[params.kind as RewardKind]} {rewardValueText(params.kind, params.value)}
          {params.acceptsPartners && " · partner points accepted"}
          {params.minTier > 0 && ` · tier ${params.minTier}+`}
        </span>
        <TransactionStatus state={pause.state} confirmedText="Saved." />
        <TransactionStatus state={retire.state} confirmedText="Retired: vouchers already redeemed stay valid." />
      </td>
      <td className="num">
        {formatDown(params.price)} {symbol}
      </td>
      <td className="num">
        {reward.redeemed} / {params.supply}
      </td>
      <td>{formatDate(params.endsAt)}</td>
      <td>
        <span className={`status status-${retired ? "ended" : reward.status === RewardStatus.Paused ? "paused" : "active"}`}>{STATUS_TEXT[reward.status]}</span>
      </td>
      <td className="row-actions">
        {canEdit && !retired && (
          <>
            <button type="button" className="link-button" onClick={onEdit}>
              Edit
            </button>
            <TxButton
              type="button"
              className="secondary small"
              state={pause.state}
              blockedReason={pause.blockedReason}
              onClick={async () => {
                const paused = reward.status !== RewardStatus.Paused;
                if (await pause.run((clients) => setRewardPaused(clients, { catalog, rewardId: reward.id, paused }))) refresh();
              }}
            >
              {reward.status === RewardStatus.Paused ? "Resume" : "Pause"}
            </TxButton>
            {confirmRetire ? (
              <TxButton
                type="button"
                className="danger small"
                state={retire.state}
                blockedReason={retire.blockedReason}
                onClick={async () => {
                  if (await retire.run((clients) => retireReward(clients, { catalog, rewardId: reward.id }))) refresh();
                }}
              >
                Retire for good
              </TxButton>
            ) : (
              <button type="button" className="link-button danger-text" onClick={() => setConfirmRetire(true)}>
                Retire…
              </button>
            )}
          </>
        )}
      </td>
    </tr>
  );
}

function RewardEditor({ catalog, symbol, reward, onDone }: { catalog: Address; symbol: string; reward?: RewardInfo; onDone: () => void }) {
  const queryClient = useQueryClient();
  const { merchantCampaigns } = useTieredCampaigns();
  const { state, run, reset, blockedReason } = useTransaction();
  const now = useChainNow();
  const [form, setForm] = useState<RewardForm>(() => (reward ? rewardFormOf(reward.params) : emptyRewardForm(now)));
  const [submitted, setSubmitted] = useState(false);
  const { errors, params } = validateRewardForm(form, { now });
  const shown = (name: string) => (submitted ? errors[name] : undefined);
  const set = <key extends keyof RewardForm>(key: key) => (value: RewardForm[key]) => {
    setForm((current) => ({ ...current, [key]: value }));
    if (state.status === "failed") reset();
  };
  const hasValue = form.kind === 0 || form.kind === 1;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!params) return;
    const receipt = await run((clients) =>
      reward ? editReward(clients, { catalog, rewardId: reward.id, params }) : addReward(clients, { catalog, params }),
    );
    if (receipt) {
      void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
      onDone();
    }
  }

  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="reward-editor-title">
      <h2 id="reward-editor-title">{reward ? `Edit ${readMetadata(reward.params.metadataURI).name ?? "reward"}` : "New reward"}</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="reward-kind">Kind</label>
          <select id="reward-kind" value={form.kind} disabled={reward !== undefined} onChange={(event) => set("kind")(Number(event.target.value) as RewardKind)}>
            {Object.entries(KIND_LABEL).map(([kind, label]) => (
              <option key={kind} value={kind}>
                {label}
              </option>
            ))}
          </select>
          {reward && <p className="hint field-hint">Kind and value are what redeemed vouchers promise: they stay as listed.</p>}
        </div>
        {hasValue && (
          <Field
            label={form.kind === 0 ? "Percent off" : "Amount off"}
            value={form.value}
            onChange={set("value")}
            error={shown("value")}
            inputMode="decimal"
            disabled={reward !== undefined}
            className="narrow"
          />
        )}
      </div>
      <div className="row">
        <Field label="Name" value={form.name} onChange={set("name")} error={shown("name")} placeholder="Free coffee" />
        <Field label="Description (optional)" value={form.description} onChange={set("description")} />
      </div>
      <div className="row">
        <Field label={`Price (${symbol})`} value={form.price} onChange={set("price")} error={shown("price")} inputMode="decimal" />
        <Field label="Vouchers available" value={form.supply} onChange={set("supply")} error={shown("supply")} inputMode="numeric" />
        <Field label="Per wallet" value={form.perWallet} onChange={set("perWallet")} error={shown("perWallet")} inputMode="numeric" hint="Empty: no limit." />
      </div>
      <div className="row">
        <Field label="Opens" type="datetime-local" value={form.startsAt} onChange={set("startsAt")} error={shown("startsAt")} hint="Empty: now." />
        <Field label="Closes" type="datetime-local" value={form.endsAt} onChange={set("endsAt")} error={shown("endsAt")} />
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="reward-tier-campaign">Requires a tier in</label>
          <select
            id="reward-tier-campaign"
            value={form.tierCampaign}
            onChange={(event) => set("tierCampaign")(event.target.value)}
            aria-invalid={shown("tierCampaign") ? true : undefined}
            aria-describedby={shown("tierCampaign") ? "reward-tier-campaign-error" : undefined}
          >
            <option value="">No tier needed</option>
            {merchantCampaigns.map((campaign) => (
              <option key={campaign.address} value={campaign.address}>
                {campaign.name}
              </option>
            ))}
          </select>
          {shown("tierCampaign") && (
            <p id="reward-tier-campaign-error" className="field-error">
              {shown("tierCampaign")}
            </p>
          )}
        </div>
        {form.tierCampaign !== "" && (
          <Field label="Least tier (1 = first)" value={form.minTier} onChange={set("minTier")} error={shown("minTier")} inputMode="numeric" className="narrow" />
        )}
      </div>
      <label className="choice">
        <input type="checkbox" checked={form.acceptsPartners} onChange={(event) => set("acceptsPartners")(event.target.checked)} /> Partner points
        accepted (at the rates below)
      </label>
      <div className="actions">
        <TxButton state={state} blockedReason={blockedReason} busyLabel="Saving…">
          {reward ? "Save changes" : "List reward"}
        </TxButton>
        <button type="button" className="button secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {submitted && !params && (
        <p className="field-error" role="alert">
          Some fields need attention.
        </p>
      )}
      <TransactionStatus state={state} confirmedText="Saved." />
    </form>
  );
}

function useTieredCampaigns() {
  const { data } = useMerchant();
  return { merchantCampaigns: (data?.campaigns ?? []).filter((campaign) => campaign.rules.tiers.length > 0) };
}

function Partners({
  catalog,
  partners,
  symbol,
  canEdit,
}: {
  catalog: Address;
  partners: { token: Address; partnerAmount: bigint; ownAmount: bigint; symbol: string }[];
  symbol: string;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const { state, run, reset, blockedReason } = useTransaction();
  const remove = useTransaction();
  const [token, setToken] = useState(EMPTY_CHECK);
  const [partnerAmount, setPartnerAmount] = useState("1");
  const [ownAmount, setOwnAmount] = useState("1");
  const [submitted, setSubmitted] = useState(false);
  const [fieldKey, setFieldKey] = useState(0);
  const partnerParsed = parsePoints(partnerAmount);
  const ownParsed = parsePoints(ownAmount);
  const partnerError = partnerParsed.error ?? (partnerParsed.value === 0n ? "Above zero." : undefined);
  const ownError = ownParsed.error ?? (ownParsed.value === 0n ? "Above zero." : undefined);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!token.check.ok || partnerError || ownError) return;
    const partnerToken = token.check.address;
    if (
      await run((clients) =>
        setPartnerRate(clients, { catalog, partnerToken, partnerAmount: partnerParsed.value!, ownAmount: ownParsed.value! }),
      )
    ) {
      setToken(EMPTY_CHECK);
      setSubmitted(false);
      setFieldKey((key) => key + 1);
      refresh();
    }
  }

  return (
    <section className="card" aria-labelledby="partners-title">
      <h2 id="partners-title">Partner points</h2>
      <p className="hint">Other brands' points you accept for rewards that allow it. They go to your treasury.</p>
      {partners.length === 0 ? (
        <p>You accept no partner points yet.</p>
      ) : (
        <ul className="plain-list">
          {partners.map((partner) => (
            <li key={partner.token}>
              <strong>{partner.symbol}</strong> <AddressText address={partner.token} />: {formatDown(partner.partnerAmount)} {partner.symbol} pay{" "}
              {formatDown(partner.ownAmount)} {symbol}
              {canEdit && (
                <TxButton
                  type="button"
                  className="secondary small"
                  state={remove.state}
                  blockedReason={remove.blockedReason}
                  busyLabel="Removing…"
                  onClick={async () => {
                    if (await remove.run((clients) => setPartnerRate(clients, { catalog, partnerToken: partner.token, partnerAmount: 0n, ownAmount: 0n }))) refresh();
                  }}
                >
                  Stop accepting
                </TxButton>
              )}
            </li>
          ))}
        </ul>
      )}
      <TransactionStatus state={remove.state} confirmedText="No longer accepted." />
      {canEdit && (
        <form onSubmit={submit} noValidate className="stack">
          <AddressInput
            key={fieldKey}
            label="Partner token"
            value={token.text}
            onChange={(text, check) => {
              setToken({ text, check });
              if (state.status === "failed") reset();
            }}
            showErrors={submitted}
            name="partner-token"
          />
          <div className="row earn-row">
            <Field label="Partner points" value={partnerAmount} onChange={setPartnerAmount} error={submitted ? partnerError : undefined} inputMode="decimal" className="narrow" />
            <span className="per" aria-hidden="true">
              pay
            </span>
            <Field label={`Your points (${symbol})`} value={ownAmount} onChange={setOwnAmount} error={submitted ? ownError : undefined} inputMode="decimal" className="narrow" />
          </div>
          <TxButton state={state} blockedReason={blockedReason} busyLabel="Saving…">
            Accept at this rate
          </TxButton>
          <TransactionStatus state={state} confirmedText="Partner rate saved." />
        </form>
      )}
    </section>
  );
}

function Treasury({ catalog, treasury, canEdit }: { catalog: Address; treasury: Address; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const { state, run, blockedReason } = useTransaction();
  const [candidate, setCandidate] = useState(EMPTY_CHECK);
  const [submitted, setSubmitted] = useState(false);
  const [fieldKey, setFieldKey] = useState(0);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!candidate.check.ok) return;
    const to = candidate.check.address;
    if (await run((clients) => setTreasury(clients, { catalog, treasury: to }))) {
      setCandidate(EMPTY_CHECK);
      setSubmitted(false);
      setFieldKey((key) => key + 1);
      void queryClient.invalidateQueries({ queryKey: [MERCHANT_QUERY] });
    }
  }

  return (
    <section className="card" aria-labelledby="treasury-title">
      <h2 id="treasury-title">Treasury</h2>
      <p>
        Partner points paid for your rewards go to <AddressText address={treasury} full />.
      </p>
      {canEdit && (
        <form onSubmit={submit} noValidate className="inline-form">
          <AddressInput key={fieldKey} label="New treasury" value={candidate.text} onChange={(text, check) => setCandidate({ text, check })} showErrors={submitted} name="treasury" />
          <TxButton state={state} blockedReason={blockedReason} busyLabel="Saving…">
            Change treasury
          </TxButton>
          <TransactionStatus state={state} confirmedText="Treasury changed." />
        </form>
      )}
    </section>
  );
}
