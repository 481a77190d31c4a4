import { useEffect, useMemo, useState } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { ConnectButton } from "../../components/ConnectButton";
import { EmptyState } from "../../components/EmptyState";
import { ShieldIcon } from "../../components/icons";
import { Skeleton } from "../../components/Skeleton";
import { explorerTxUrl } from "../../chain";
import { type TokenLabel, useTokenLabels } from "../../hooks/useTokenLabels";
import { useWalletEvents } from "../../hooks/useWalletEvents";
import { useWalletTokens } from "../../hooks/useWalletTokens";
import { shortAddress } from "../../lib/format";
import { formatWhen, isoTime } from "../../lib/time";
import { eventRow, eventsJson } from "./eventRows";
import "./privacy.css";

const NEVER_ON_CHAIN = [
  ["Your name, email address or phone number", "Perks never asks for them: a wallet address is all it needs."],
  ["Where you are", "No location, IP address or device details are written on-chain."],
  ["What you bought", "A receipt turns a spend amount into points; the items on it never leave the till."],
  ["Your answers to optional questions", "A campaign may ask (say, a favourite drink); answering is never required, and this app never writes answers on-chain."],
] as const;

const ON_DEVICE = [
  ["Personal offers", "Worked out in this browser from your wallet's public history. Nothing about you is sent anywhere to compute them."],
  ["Claim codes", "Read here and removed from the address bar. A relayer only receives the signed claim for your address, never the code."],
  ["Gift and access codes", "Delivered encrypted to a key that only this browser holds."],
] as const;

/** What each kind of entry this app keeps in the browser is for. */
const STORAGE_PURPOSES: readonly [prefix: string, purpose: string][] = [
  ["perks.notifications.", "Which notifications you have seen"],
  ["perks.browserNotifications", "Whether you turned on browser notifications"],
  ["perks.deliveryKeys", "Keys that open gift and access codes delivered to you"],
  ["perks.devWallet", "Which demo wallet you picked (local demo only)"],
  ["perks.pos.", "A till's voucher counters (merchants only)"],
  ["wagmi.", "Which wallet app you connected with, to reconnect next time"],
];

export default function Privacy() {
  const { address } = useAccount();
  return (
    <section className="page privacy-page" aria-labelledby="privacy-title">
      <h1 id="privacy-title">Privacy</h1>
      <p className="lead">
        Perks needs no account and no personal data. Here is exactly what is public about {address ? "this wallet" : "a wallet"}, what never
        is, and what stays on this device.
      </p>

      <div className="privacy-columns">
        <section className="card" aria-labelledby="never-title">
          <h2 id="never-title">Never on-chain</h2>
          <ul className="privacy-list never">
            {NEVER_ON_CHAIN.map(([title, text]) => (
              <li key={title}>
                <strong>{title}.</strong> {text}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="device-title">
          <h2 id="device-title">Stays on this device</h2>
          <ul className="privacy-list device">
            {ON_DEVICE.map(([title, text]) => (
              <li key={title}>
                <strong>{title}.</strong> {text}
              </li>
            ))}
          </ul>
          <DeviceStorage />
        </section>
      </div>

      <section aria-labelledby="onchain-title" className="stack">
        <h2 id="onchain-title">On-chain about this wallet</h2>
        <p className="hint">
          Public to anyone, forever: your wallet address, the events below, and every transaction your wallet sends (who sent it, which
          contract it called, the gas paid). Nothing here says who you are, unless you tell someone your address.
        </p>
        {address ? (
          <OnChain account={address} />
        ) : (
          <EmptyState icon={<ShieldIcon size={32} />} title="Connect a wallet to see its public record" action={<ConnectButton />}>
            <p>The list is read straight from the chain, in this browser.</p>
          </EmptyState>
        )}
      </section>
    </section>
  );
}

function OnChain({ account }: { account: Address }) {
  const { events, error } = useWalletEvents(account);
  const wallet = useWalletTokens(account);
  const registry = wallet.registry;

  const known = useMemo(
    () => new Map<Address, TokenLabel>((wallet.data ?? []).map((token) => [token.address, token])),
    [wallet.data],
  );
  const tokensToName = useMemo(() => {
    if (!events || !registry) return [];
    const perksTokens = new Set(registry.tokens);
    const tokens: Address[] = [];
    for (const event of events) {
      if (perksTokens.has(event.address)) tokens.push(event.address);
      const campaignToken = registry.campaignToken.get(event.address);
      if (campaignToken) tokens.push(campaignToken);
      if (typeof event.args.payToken === "string") tokens.push(event.args.payToken as Address);
    }
    return tokens;
  }, [events, registry]);
  const labels = useTokenLabels(tokensToName, known);
  const naming = useMemo(
    () => ({ account, labels, campaignToken: registry?.campaignToken ?? new Map<Address, Address>() }),
    [account, labels, registry],
  );
  const download = useMemo(() => (events ? URL.createObjectURL(new Blob([eventsJson(events)], { type: "application/json" })) : undefined), [events]);
  useEffect(() => () => {
    if (download) URL.revokeObjectURL(download);
  }, [download]);

  if (error) {
    return (
      <p className="error" role="alert">
        The chain did not answer, so the record cannot be shown right now. Check your connection and try again.
      </p>
    );
  }
  if (!events || !registry) return <Skeleton lines={5} label="Reading this wallet's public record" />;
  if (events.length === 0) {
    return (
      <EmptyState title="Nothing yet">
        <p>No Perks event names this wallet. Claiming points will add the first one.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <p>
        <strong>{events.length}</strong> {events.length === 1 ? "event names" : "events name"} this wallet{" "}
        <span className="mono">{shortAddress(account)}</span>.{" "}
        {download && (
          <a href={download} download={`perks-${account}.json`}>
            Download them as JSON
          </a>
        )}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Events that name this wallet">
        <table className="table events-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Contract</th>
              <th scope="col">Event</th>
              <th scope="col">What it records</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => {
              const row = eventRow(event, naming);
              const link = explorerTxUrl(event.transactionHash);
              return (
                <tr key={row.id}>
                  <td className="nowrap">
                    {event.timestamp !== undefined ? <time dateTime={isoTime(event.timestamp)}>{formatWhen(event.timestamp)}</time> : null}
                    <span className="hint block">
                      {link ? (
                        <a href={link} target="_blank" rel="noreferrer">
                          Block {event.blockNumber.toString()}
                        </a>
                      ) : (
                        `Block ${event.blockNumber}`
                      )}
                    </span>
                  </td>
                  <td>{row.contract}</td>
                  <td>
                    <code>{row.eventName}</code>
                  </td>
                  <td>
                    <dl className="fields">
                      {row.fields.map((field) => (
                        <div key={field.name}>
                          <dt>{field.name}</dt>
                          <dd className={field.value === "you" ? "you" : undefined}>{field.value}</dd>
                        </div>
                      ))}
                    </dl>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The entries this app keeps in this browser's storage, by purpose. */
function DeviceStorage() {
  const [keys] = useState(() => {
    try {
      return Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter((key): key is string => key !== null);
    } catch {
      return [];
    }
  });
  const purposes = STORAGE_PURPOSES.filter(([prefix]) => keys.some((key) => key.startsWith(prefix)));
  return (
    <>
      <h3 className="section-title">Kept in this browser now</h3>
      {purposes.length === 0 ? (
        <p className="hint">Nothing yet.</p>
      ) : (
        <ul className="privacy-list device-storage">
          {purposes.map(([prefix, purpose]) => (
            <li key={prefix}>{purpose}.</li>
          ))}
        </ul>
      )}
      <p className="hint">Clearing this site's data in your browser removes all of it; your points stay in your wallet.</p>
    </>
  );
}
