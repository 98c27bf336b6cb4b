import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM = process.env['DEXA_CHROMIUM'] ?? '/usr/bin/chromium';

/** The one line a skipped browser test prints. */
export const BROWSER_SKIP_NOTE = `browser tests skipped: no Chromium at ${CHROMIUM}; install it (apt-get install -y chromium) or set DEXA_CHROMIUM to run them; .ci/run installs it and requires them (DEXA_REQUIRE_BROWSER=1)`;

/** Whether the browser tests can run here; where they cannot and CI requires them, that is a failure. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['DEXA_REQUIRE_BROWSER']) throw new Error(`DEXA_REQUIRE_BROWSER is set but there is no Chromium at ${CHROMIUM}`);
  console.log(BROWSER_SKIP_NOTE);
  return false;
}

/** Headless, as root allows, without the background traffic a closed network refuses. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
