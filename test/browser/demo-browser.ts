import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { DEMO_PASSWORD, demoTotpSecret } from '../../src/demo/world.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openPglite } from '../../src/platform/database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { buildApp } from '../../src/server/app.ts';
import { type NodeContext, openNode } from '../../src/server/context.ts';
import { freshTotpNow } from '../support/totp.ts';
import { launchBrowser } from './browser.ts';
import { type Language, ROOT, step, uiText, unnamedControls } from './ui.ts';

/**
 * The stage every browser scenario plays on: the demo world seeded on an embedded database, the
 * real server with the built UI on a free port, and Debian's Chromium. Call `useDemoBrowser` inside
 * a `describe`: it starts all of it before the tests and stops it after.
 */

export const STEP_TIMEOUT = 30_000; // per UI wait: generous for a slow 2-core machine

export interface DemoBrowser {
  /** The node under test, for scenario steps that act outside the browser (an import, say). */
  readonly ctx: NodeContext;
  /** A fresh browser context (its own cookies) and page on the server. */
  newPage(options?: { timezoneId?: string; width?: number }): Promise<Page>;
  /** Password, then the one-time code the server asks for; ends when the UI speaks `language`. */
  signIn(page: Page, username: string, prefix: string, language: Language): Promise<void>;
}

export function useDemoBrowser(options: { items: number }): DemoBrowser {
  let dataDir = '';
  let ctx: NodeContext | null = null;
  let app: FastifyInstance | null = null;
  let browser: Browser | null = null;
  let baseUrl = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(); // first: under CI a missing browser fails before any work
    // The UI under test is the built one: build it when dist/web is missing or older than web/.
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-web-if-needed.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'ps-browser-'));
    // Secure cookies stay on: Chromium accepts `Secure` cookies from http://127.0.0.1 (a
    // potentially trustworthy origin), so the tests run with the production cookie settings.
    const config = { ...loadConfig({}), dataDir, secureCookies: true };
    ctx = await openNode(config, { database: await openPglite(null), log: createLogger('silent') });
    await seedDemo(ctx, { items: options.items });
    app = await buildApp(ctx, { web: true, logger: false, rateLimitPerMinute: 100_000 });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = address.replace('localhost', '127.0.0.1');
  }, 600_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    await ctx?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  return {
    get ctx() {
      if (!ctx) throw new Error('the demo node is not started');
      return ctx;
    },
    async newPage({ timezoneId = 'Europe/Brussels', width = 1280 } = {}) {
      if (!browser) throw new Error('browser not started');
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: 'en-GB',
        timezoneId,
        viewport: { width, height: 900 },
        acceptDownloads: true,
      });
      context.setDefaultTimeout(STEP_TIMEOUT);
      context.setDefaultNavigationTimeout(STEP_TIMEOUT * 2);
      contexts.push(context);
      return context.newPage();
    },
    async signIn(page, username, prefix, language) {
      await step(page, `${prefix}-1-mfa-requested`, async () => {
        await page.goto('/');
        await page.getByTestId('login-username').fill(username);
        await page.getByTestId('login-password').fill(DEMO_PASSWORD);
        await expectAccessible(page);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('login-totp').waitFor();
        await expectAccessible(page);
      });
      await step(page, `${prefix}-2-signed-in`, async () => {
        await page.getByTestId('login-totp').fill(await freshTotpNow(demoTotpSecret(username)));
        await page.getByTestId('login-submit').click();
        await page.getByTestId('nav-inbox').waitFor();
        await waitForLanguage(page, language);
        // The session cookie keeps its production flags: Chromium takes `Secure` on http://127.0.0.1.
        const cookie = (await page.context().cookies()).find((c) => c.name === 'ps_session');
        expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
        await expectAccessible(page);
      });
    },
  };
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await unnamedControls(page), 'controls without an accessible name').toEqual([]);
}

/** Waits until the UI speaks `language` (the user's locale is applied after sign-in). */
export async function waitForLanguage(page: Page, language: Language): Promise<void> {
  await page.locator(`html[lang="${language}"]`).waitFor({ state: 'attached' });
  await page.getByTestId('nav-items').getByText(uiText(language, 'nav.items'), { exact: true }).waitFor();
}
