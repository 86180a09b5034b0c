/**
 * Alerts where people look: a check report sent to webhooks. A Slack incoming webhook
 * (`https://hooks.slack.com/services/…`) gets a Slack message listing each anomaly; any other
 * URL gets the JSON report as one POST, sent by the client's HTTP sender. Retried on 5xx, 429
 * and network errors with the client's one backoff policy (`retryWait`), waiting exactly a
 * 429's `Retry-After` (Slack sends it) up to a cap. Webhook URLs are secrets (whoever has one
 * can post to the channel): only {@link displayWebhookUrl} is ever printed.
 */

import { quoteInput } from '../api/quote.js';
import { isLoopback } from '../core/endpoint.js';
import { BrazeError, BrazeTimeoutError } from '../core/errors.js';
import type { HttpSend } from '../core/http.js';
import { createNodeSender } from '../core/http-node.js';
import { parseRateLimit } from '../core/rate-limit.js';
import { isRetryableStatus, retryWait } from '../core/retry.js';
import { defaultSleep, type Now, type Sleep } from '../core/sleep.js';
import type { CheckReport, Finding } from './database.js';
import { formatBucket, formatChange } from './format.js';
import { describeIncompleteSync } from './sync-health.js';

/** How a webhook wants the report. */
export type NotifyFormat = 'slack' | 'json';

/** Retries of a failed webhook POST by default (so 1 + 3 attempts). */
export const DEFAULT_NOTIFY_RETRIES = 3;

/** Time-out of one webhook POST by default, in milliseconds. */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;

/**
 * Longest `Retry-After` of a 429 honoured by default, in milliseconds: a check run should
 * not hang for an hour on a chat webhook; a 429 asking for longer fails at once.
 */
export const DEFAULT_NOTIFY_MAX_RETRY_WAIT_MS = 60_000;

/** A webhook's answer is read only to free the connection; more than this is refused. */
const WEBHOOK_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Validates a webhook URL: `https://`, or `http://` to loopback only (the URL is a secret
 * and would cross the network in clear text). Throws a RangeError showing only the URL's
 * non-secret part, and `name` (the flag or variable the URL came from).
 *
 * @example parseWebhookUrl('https://hooks.slack.com/services/T0/B0/x')
 */
export function parseWebhookUrl(text: string, name = '--notify'): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    // Echoed up to its first slash: a mistyped webhook's path is still its secret.
    const slash = text.trim().indexOf('/');
    const shown = slash < 0 ? text.trim() : `${text.trim().slice(0, slash)}/…`;
    throw new RangeError(`${name} ${quoteInput(shown)} must be an http(s) URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new RangeError(
      `${name} ${displayWebhookUrl(url)} must use https:// (or http:// to loopback)`,
    );
  }
  return url;
}

/**
 * The webhook URLs of `BRAZE_NOTIFY` (separated by whitespace or commas; a comma cannot
 * occur unescaped in a webhook URL's path), or `undefined` when it is unset or blank. The
 * environment keeps the secret URLs out of argv, where `ps` shows them to every user.
 *
 * @example parseNotifyEnv('https://a.example/h1, https://b.example/h2') // ['https://a.example/h1', 'https://b.example/h2']
 */
export function parseNotifyEnv(value: string | undefined): string[] | undefined {
  const urls = (value ?? '').split(/[\s,]+/).filter((u) => u !== '');
  return urls.length > 0 ? urls : undefined;
}

/**
 * The part of a webhook URL that may be printed: scheme, host and the first path segment
 * when more follow (`https://hooks.slack.com/services/…`); the rest, query included, is
 * the secret. A lone segment may be the secret itself, so it is not shown
 * (`http://127.0.0.1:1/…`).
 */
export function displayWebhookUrl(url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const segments = u.pathname.split('/').filter(Boolean);
  return `${u.protocol}//${u.host}/${segments.length > 1 ? `${segments[0]}/…` : '…'}`;
}

/** `slack` for a Slack incoming webhook (hooks.slack.com/services/…), else `json`. */
export function webhookFormat(url: URL): NotifyFormat {
  return url.hostname === 'hooks.slack.com' && url.pathname.startsWith('/services/')
    ? 'slack'
    : 'json';
}

/** Slack's mrkdwn needs &, < and > escaped; names are user data. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function number(value: number | null): string {
  if (value === null) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The dashboard's page of one event (its hash route), when a dashboard URL is known. */
export function dashboardEventUrl(
  dashboardUrl: string,
  finding: Pick<Finding, 'event' | 'workspace'>,
  unit: CheckReport['unit'],
): string {
  const base = dashboardUrl.replace(/[#?].*$/, '').replace(/\/+$/, '');
  const query = new URLSearchParams({ ws: finding.workspace, unit });
  return `${base}/#/event/${encodeURIComponent(finding.event)}?${query}`;
}

/**
 * The Slack message of a report: a summary line and one line per anomaly (event, kind, value
 * against baseline, change, bucket), each linked to the event's dashboard page when
 * `dashboardUrl` is given. Pure.
 *
 * @example
 * slackMessage(report, 'https://dash.example.com') // { text: '…' }
 */
export function slackMessage(report: CheckReport, dashboardUrl?: string): { text: string } {
  const n = report.findings.length;
  const head = `*braze-events check*: ${n === 0 ? 'no anomalies' : `${n} ${n === 1 ? 'anomaly' : 'anomalies'}`} in ${report.checkedSeries} ${report.unit} series`;
  const lines = report.findings.map((f) => {
    const name = slackEscape(f.event);
    const event = dashboardUrl
      ? `<${dashboardEventUrl(dashboardUrl, f, report.unit)}|${name}>`
      : name;
    const ws = report.workspaces.length > 1 ? ` (${slackEscape(f.workspace)})` : '';
    return `• *${event}*${ws} ${f.kind}: ${number(f.count)} vs baseline ${number(f.baseline)} (${formatChange(f)}) on ${formatBucket(f.bucketStart, report.unit, f.utcOffsetMinutes)}`;
  });
  const warnings = (report.incompleteSyncs ?? []).map(
    (sync) => `:warning: ${slackEscape(describeIncompleteSync(sync))}`,
  );
  return { text: [head, ...warnings, ...lines].join('\n') };
}

/**
 * The body a webhook of this format gets: the Slack message, or the JSON report (with
 * `dashboardUrl` on it and on each finding when a dashboard URL is given).
 */
export function webhookBody(
  format: NotifyFormat,
  report: CheckReport,
  dashboardUrl?: string,
): string {
  if (format === 'slack') return JSON.stringify(slackMessage(report, dashboardUrl));
  if (dashboardUrl === undefined) return JSON.stringify(report);
  // The report as `check --json` prints it, plus links (fields added, none changed).
  return JSON.stringify({
    ...report,
    dashboardUrl,
    findings: report.findings.map((f) => ({
      ...f,
      dashboardUrl: dashboardEventUrl(dashboardUrl, f, report.unit),
    })),
  });
}

export interface SendWebhookOptions {
  url: URL;
  body: string;
  /** Retries after the first attempt. Default {@link DEFAULT_NOTIFY_RETRIES}. */
  retries?: number;
  /** Per attempt. Default {@link DEFAULT_NOTIFY_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Longest 429 `Retry-After` honoured. Default {@link DEFAULT_NOTIFY_MAX_RETRY_WAIT_MS}. */
  maxRetryWaitMs?: number;
  /** Sends the POST. Default the client's `node:http` sender (never follows a redirect). */
  send?: HttpSend;
  sleep?: Sleep;
  /** Clock for an HTTP-date `Retry-After`. Default `Date.now`. */
  now?: Now;
  /** Told before each retry (for a notice on stderr). */
  onRetry?: (attempt: number, reason: string, waitMs: number) => void;
}

/** What a POST ended with. `error` never holds the URL beyond {@link displayWebhookUrl}. */
export type WebhookResult =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; error: string };

/** A failed attempt in a few words: no URL, no stack. */
function attemptError(cause: unknown): string {
  if (cause instanceof BrazeTimeoutError) return 'timed out';
  let code: unknown;
  for (let e = cause as { code?: unknown; cause?: unknown } | undefined; e && !code; ) {
    // The system's code (ECONNREFUSED), not the library's own ('network') on its wrapper.
    if (!(e instanceof BrazeError)) code = e.code;
    e = e.cause as typeof e;
  }
  return typeof code === 'string' ? `network error (${code})` : 'network error';
}

/**
 * POSTs `body` as JSON, retrying 408, 429, 5xx and network errors: a 429's `Retry-After`
 * is waited exactly (up to `maxRetryWaitMs`; longer ends the retries), anything else waits
 * the client's backoff. Never follows a redirect (the secret URL's body would go elsewhere).
 * Resolves, never rejects.
 *
 * @example
 * const r = await sendWebhook({ url, body: webhookBody('json', report) });
 */
export async function sendWebhook(options: SendWebhookOptions): Promise<WebhookResult> {
  const retries = options.retries ?? DEFAULT_NOTIFY_RETRIES;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const cap = options.maxRetryWaitMs ?? DEFAULT_NOTIFY_MAX_RETRY_WAIT_MS;
  const send = options.send ?? createNodeSender({ maxSockets: 1 });
  const shown = displayWebhookUrl(options.url);
  let error = '';
  let attempts = 0;
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    attempts = attempt + 1;
    let retryable = true;
    let status: number | undefined;
    let serverMs: number | null = null;
    try {
      const response = await send({
        method: 'POST',
        url: options.url.href,
        displayUrl: shown,
        headers: { 'content-type': 'application/json', 'user-agent': 'braze-events' },
        body: options.body,
        timeoutMs: options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS,
        maxResponseBytes: WEBHOOK_MAX_RESPONSE_BYTES,
      });
      status = response.status;
      if (status >= 200 && status < 300) return { ok: true, attempts };
      error = `answered ${status}`;
      retryable = isRetryableStatus(status);
      serverMs = parseRateLimit(response.headers, now()).retryAfterMs;
    } catch (cause) {
      error = attemptError(cause);
    }
    if (!retryable || attempt === retries) break;
    const wait = retryWait({
      serverMs,
      rateLimited: status === 429,
      attempt,
      maxRetryWaitMs: cap,
    });
    if (wait.kind === 'stop') {
      error += ` asking to wait ${Math.ceil(serverMs! / 1000)} s, more than the ${Math.round(cap / 1000)} s honoured`;
      break;
    }
    options.onRetry?.(attempt + 1, error, wait.ms);
    await sleep(wait.ms);
  }
  return { ok: false, attempts, error };
}
