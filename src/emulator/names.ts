/**
 * Realistic custom-event names: the mix real workspaces accumulate (Title Case, snake_case,
 * camelCase, dotted, kebab-case) plus a fixed set of names that break naive clients:
 * spaces, `&`, `%`, `/`, `?`, `#`, `+`, quotes, non-ASCII, emoji (surrogate pairs, ZWJ).
 *
 * Sort order: Braze documents "sorted alphabetically" without a collation. The emulator
 * sorts by UTF-16 code unit (JavaScript's default `sort()`), so upper case sorts before
 * lower case and non-ASCII after ASCII. Clients must not rely on any particular collation.
 */
import type { Random } from './prng.js';
import { pick } from './prng.js';

/** Names included first in every synthetic workspace (as many as `count` allows). */
export const TRICKY_EVENT_NAMES: readonly string[] = [
  'Purchase Completed',
  'add_to_cart',
  'Rock & Roll Quiz Started',
  'Promo 50% Off Viewed',
  'Checkout/Payment Step',
  'Clicked "Buy Now"',
  "User's Profile Updated",
  'Café Visit',
  'Über Ride Requested',
  '🎉 Level Up',
  'ONBOARDING_finished',
  'app.session.start',
  'Search?q=shoes&sort=price',
  'tag #summer + sale',
  '注文完了',
  'Zahlung bestätigt',
  'Video Played (≥ 30s)',
  'Emoji 👩‍💻 Dev Mode',
  'percent%2Fencoded',
  'semi;colon, comma',
];

const OBJECTS = [
  'Cart',
  'Product',
  'Order',
  'Subscription',
  'Trial',
  'Coupon',
  'Wishlist',
  'Profile',
  'Password',
  'Email',
  'Push Notification',
  'In-App Message',
  'Banner',
  'Video',
  'Article',
  'Playlist',
  'Song',
  'Podcast',
  'Ride',
  'Booking',
  'Ticket',
  'Reservation',
  'Review',
  'Rating',
  'Referral',
  'Invite',
  'Reward',
  'Badge',
  'Level',
  'Quiz',
  'Survey',
  'Payment',
  'Refund',
  'Address',
  'Store',
  'Menu Item',
  'Gift Card',
  'Loyalty Points',
  'Checkout',
  'Search',
  'Filter',
  'Tutorial',
  'Onboarding',
  'Account',
  'Session',
  'Message',
  'Chat',
];
const VERBS = [
  'Viewed',
  'Opened',
  'Clicked',
  'Started',
  'Completed',
  'Cancelled',
  'Failed',
  'Shared',
  'Saved',
  'Deleted',
  'Updated',
  'Created',
  'Submitted',
  'Redeemed',
  'Dismissed',
  'Skipped',
  'Renewed',
  'Expired',
  'Requested',
  'Confirmed',
  'Abandoned',
  'Downloaded',
  'Played',
];
const AREAS = [
  'home',
  'checkout',
  'settings',
  'catalog',
  'player',
  'feed',
  'search',
  'account',
  'onboarding',
  'promo',
  'loyalty',
  'support',
  'inbox',
  'map',
  'store',
];
const VARIANTS = [
  'iOS',
  'Android',
  'Web',
  'v2',
  'v3',
  'A/B test B',
  'Q3 2025',
  'Tier 1',
  'EU',
  'US',
  'beta',
  'legacy',
  '50% off',
  'Black Friday',
  'Spring & Summer',
  'Pro',
  'Kids',
  'Ä/B',
];

function lowerWords(s: string): string[] {
  return s.toLowerCase().replace(/-/g, ' ').split(' ');
}

/** One random name in one of the naming styles found in real workspaces. */
function randomName(rand: Random): string {
  const object = pick(rand, OBJECTS);
  const verb = pick(rand, VERBS);
  const style = Math.floor(rand() * 8);
  switch (style) {
    case 0:
    case 1:
      return `${object} ${verb}`;
    case 2:
      return [...lowerWords(verb), ...lowerWords(object)].join('_');
    case 3: {
      const words = [...lowerWords(verb), ...lowerWords(object)];
      return words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
    }
    case 4:
      return `${pick(rand, AREAS)}.${lowerWords(object).join('_')}.${verb.toLowerCase()}`;
    case 5: {
      const area = pick(rand, AREAS);
      return `${area[0]?.toUpperCase()}${area.slice(1)}: ${object} ${verb}`;
    }
    case 6:
      return `${object} ${verb} - ${pick(rand, VARIANTS)}`;
    default:
      return [...lowerWords(object), ...lowerWords(verb)].join('-');
  }
}

/**
 * `count` unique names, sorted by UTF-16 code unit (see the file comment).
 *
 * @example
 * generateEventNames(createRandom(1), 612).length; // 612
 */
export function generateEventNames(rand: Random, count: number): string[] {
  const names = new Set<string>(TRICKY_EVENT_NAMES.slice(0, count));
  let attempts = 0;
  while (names.size < count) {
    let name = randomName(rand);
    // The vocabulary is finite: past a point, disambiguate as real teams do.
    if (++attempts > count * 20) name = `${name} ${attempts}`;
    names.add(name);
  }
  return [...names].sort();
}
