/**
 * Fault rules: which request fails, and how. Deterministic under the seed: each rule
 * draws from its own PRNG, seeded from the emulator's seed and the rule's serial number,
 * so the same sequence of requests meets the same faults.
 */
import { PATHS } from '../api/constants.js';
import {
  BrazeOptionRangeError,
  BrazeOptionTypeError,
  validateChoice,
} from '../api/option-errors.js';
import { quoteInput } from '../api/quote.js';
import { DEFAULT_FAULT_DELAY_MS } from './defaults.js';
import { createRandom, hashUnit, type Random } from './prng.js';
import type { FaultKind, FaultRule, RouteName } from './types.js';

/**
 * Where each kind of fault strikes: `edge`, before authentication, replacing the whole
 * answer (an edge or gateway failing: handler.ts answers it with `edgeFaultAnswer`, or
 * resets, hangs, echoes the key); `answer`, in the endpoint's own answer (a refusal, a
 * broken body, misbehaving paging). A new kind must be placed here (the type demands it).
 */
const FAULT_PLACE: Readonly<Record<FaultKind, 'edge' | 'answer'>> = {
  '400': 'answer',
  '404': 'answer',
  '429': 'edge',
  '500': 'edge',
  '502': 'edge',
  '503': 'edge',
  '504': 'edge',
  '202': 'edge',
  reset: 'edge',
  hang: 'edge',
  delay: 'answer',
  slow: 'answer',
  truncated: 'answer',
  'invalid-json': 'answer',
  'content-type': 'answer',
  html: 'answer',
  '401-echo': 'edge',
  '429-minute': 'edge',
  'proxy-429': 'edge',
  'truncated-close': 'answer',
  'duplicate-headers': 'answer',
  'ignore-page': 'answer',
  'repeat-cursor': 'answer',
};

/** Every fault kind (status codes first, in ascending order: how an object orders keys). */
export const FAULT_KINDS: readonly FaultKind[] = Object.keys(FAULT_PLACE) as FaultKind[];

/** Faults that replace the answer before authentication (an edge or gateway failing). */
export const EDGE_FAULTS: ReadonlySet<FaultKind> = new Set(
  FAULT_KINDS.filter((kind) => FAULT_PLACE[kind] === 'edge'),
);

const ROUTE_ALIASES: Record<string, RouteName | '*'> = {
  '*': '*',
  eventsList: 'eventsList',
  list: 'eventsList',
  'events/list': 'eventsList',
  [PATHS.eventsList]: 'eventsList',
  events: 'events',
  [PATHS.events]: 'events',
  dataSeries: 'dataSeries',
  data_series: 'dataSeries',
  'data-series': 'dataSeries',
  'events/data_series': 'dataSeries',
  [PATHS.dataSeries]: 'dataSeries',
};

/** A route name from a name, alias or path; throws a RangeError naming the value. */
export function normalizeRoute(route: string | undefined): RouteName | '*' {
  const found = ROUTE_ALIASES[route ?? '*'];
  if (found === undefined) {
    throw new BrazeOptionRangeError(
      'fault',
      route,
      `fault route must be '*', a route name or an endpoint path; got ${quoteInput(route)}`,
    );
  }
  return found;
}

/** Validates a rule (from options, the CLI or the control API). */
export function validateFault(rule: FaultRule): FaultRule {
  if (typeof rule !== 'object' || rule === null) {
    throw new BrazeOptionTypeError(
      'fault',
      rule,
      `fault must be an object; got ${quoteInput(rule)}`,
    );
  }
  validateChoice('fault', rule.kind, FAULT_KINDS, undefined, 'fault kind');
  normalizeRoute(rule.route);
  const { count, probability, delayMs, event } = rule;
  if (event !== undefined && (typeof event !== 'string' || event === '')) {
    throw new BrazeOptionRangeError(
      'fault',
      event,
      `fault event must be a non-empty string; got ${quoteInput(event)}`,
    );
  }
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    throw new BrazeOptionRangeError(
      'fault',
      count,
      `fault count must be a positive integer; got ${quoteInput(count)}`,
    );
  }
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    throw new BrazeOptionRangeError(
      'fault',
      probability,
      `fault probability must be between 0 and 1; got ${quoteInput(probability)}`,
    );
  }
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new BrazeOptionRangeError(
      'fault',
      delayMs,
      `fault delayMs must be a non-negative number; got ${quoteInput(delayMs)}`,
    );
  }
  return rule;
}

/**
 * Parses a CLI fault spec `KIND[:ROUTE[:AMOUNT[:DELAY_MS]]][@EVENT]`: AMOUNT is `N` (the
 * next N requests) or `P%` (each request with probability P/100); without it every
 * request. `@EVENT` (everything after the first `@`, so the name may hold `:` and `@`)
 * limits the rule to data_series requests for that event.
 *
 * @example
 * parseFaultSpec('503:data_series:3'); // { kind: '503', route: 'dataSeries', count: 3 }
 * parseFaultSpec('reset:*:5%');        // { kind: 'reset', route: '*', probability: 0.05 }
 * parseFaultSpec('400@$Purchase');     // { kind: '400', route: 'dataSeries', event: '$Purchase' }
 */
export function parseFaultSpec(spec: string): FaultRule {
  const at = spec.indexOf('@');
  const event = at < 0 ? undefined : spec.slice(at + 1);
  const [kind = '', route = event === undefined ? '*' : 'dataSeries', amount = '', delay] = (
    at < 0 ? spec : spec.slice(0, at)
  ).split(':');
  const rule: FaultRule = { kind: kind as FaultKind, route: normalizeRoute(route) };
  if (event !== undefined) rule.event = event;
  if (amount.endsWith('%')) rule.probability = Number(amount.slice(0, -1)) / 100;
  else if (amount !== '') rule.count = Number(amount);
  if (delay !== undefined) rule.delayMs = Number(delay);
  return validateFault(rule);
}

interface ActiveRule {
  rule: FaultRule;
  route: RouteName | '*';
  remaining: number;
  random: Random;
}

/** What the rules do to one request. */
export interface DrawnFaults {
  /** The failure (or body fault), if any; a lone `delay` rule is here too. */
  fault: FaultRule | undefined;
  /** Milliseconds a matching `delay` rule holds the answer, whatever it is. */
  delayMs: number | undefined;
}

export interface FaultEngine {
  add(rule: FaultRule): void;
  clear(): void;
  list(): FaultRule[];
  /**
   * The faults for this request (each consumes one use of a counted rule). Rules are tried
   * in the order added; the first `delay` that matches delays the answer and the others go
   * on being tried, so a delay composes with a failure; of the other kinds the first that
   * matches is the fault. `event` is the data_series request's event name; rules with an
   * `event` match only that name.
   */
  draw(route: RouteName, event?: string): DrawnFaults;
}

/** @example const faults = createFaultEngine(7); faults.add({ kind: '503', count: 1 }); */
export function createFaultEngine(seed: number): FaultEngine {
  let rules: ActiveRule[] = [];
  let serial = 0;
  return {
    add(rule) {
      validateFault(rule);
      serial++;
      rules.push({
        rule: { ...rule },
        route: normalizeRoute(rule.route),
        remaining: rule.count ?? Number.POSITIVE_INFINITY,
        random: createRandom(Math.floor(hashUnit(seed, serial, 0x5eed, 0) * 2 ** 32)),
      });
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map((r) =>
        r.remaining === Number.POSITIVE_INFINITY
          ? { ...r.rule }
          : { ...r.rule, count: r.remaining },
      );
    },
    draw(route, event) {
      // A user who adds a delay to every request and a 10% 503 expects both (a slow Braze
      // that sometimes fails): a delay used to end the search and the 503 never fired.
      let delay: FaultRule | undefined;
      let fault: FaultRule | undefined;
      for (const r of [...rules]) {
        const isDelay = r.rule.kind === 'delay';
        if (isDelay ? delay !== undefined : fault !== undefined) continue;
        if (r.route !== '*' && r.route !== route) continue;
        if (r.rule.event !== undefined && r.rule.event !== event) continue;
        if (r.rule.probability !== undefined && r.random() >= r.rule.probability) continue;
        r.remaining--;
        if (r.remaining <= 0) rules = rules.filter((x) => x !== r);
        if (isDelay) delay = r.rule;
        else fault = r.rule;
        if (delay !== undefined && fault !== undefined) break;
      }
      return {
        fault: fault ?? delay,
        delayMs: delay === undefined ? undefined : (delay.delayMs ?? DEFAULT_FAULT_DELAY_MS),
      };
    },
  };
}
