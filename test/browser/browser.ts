import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium (never a downloaded browser). Under CI=true a missing
 * browser is a failure; elsewhere the browser tests are skipped with a message saying why.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const isCI = process.env.CI === 'true';

/** True when the browser tests should run: the browser exists, or CI requires it (and fails without). */
export function browserTestsEnabled(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (isCI) return true; // launchBrowser() then fails with a clear message.
  console.warn(
    `\n[portshield] Chromium not found at ${CHROMIUM_PATH}: browser tests are skipped ` +
      '(install it with `apt-get install -y chromium`, or set CHROMIUM_PATH).\n',
  );
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `CI: Chromium is required for the browser tests but ${CHROMIUM_PATH} is missing ` +
        '(apt-get install -y chromium, or set CHROMIUM_PATH)',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, timeout: 120_000 });
}
