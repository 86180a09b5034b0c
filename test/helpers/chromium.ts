/**
 * How tests and benchmarks start Debian's Chromium through playwright-core: never a browser
 * download, and flags that keep it off this machine's closed network (background
 * networking, component updates and sync would each try to reach Google's hosts).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
