// Debian's Chromium, never a downloaded browser, with the flags this machine needs: its background
// requests to Google's hosts are refused here, and QUIC has nowhere to go. Shared by Playwright's
// config, the budget script's browser runs and its Lighthouse runs.

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
