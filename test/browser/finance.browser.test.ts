import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoLedgerAddresses, demoNextBlocksHex } from '../../src/demo/finance-demo.ts';
import { plantedNetwork } from '../../src/demo/seed.ts';
import { browserTestsEnabled } from './browser.ts';
import { expectAccessible, STEP_TIMEOUT, useDemoBrowser } from './demo-browser.ts';
import { type Language, step, uiText } from './ui.ts';

/**
 * The acceptance scenario of financial flows, on the real server with the real built UI: a Dutch
 * financial-intelligence analyst opens the planted wallet, sees its exposure to an exchange, traces it
 * three hops forward (graph, tables, CSV/GraphML/PNG exports), watches it; when the next batch of
 * blocks is imported, the alert reaches their inbox live.
 */

const TEST_TIMEOUT = 240_000;
const LANGUAGE: Language = 'nl'; // the FIU analyst's locale
const USERNAME = 'nl.fiu.analyst';

const planted = plantedNetwork();
const WALLET = planted.wallet;

// The demo world's ledger: customers pay the planted wallet, which sweeps to the broker, who peels off
// a payment to the supplier and cashes the rest out to an exchange hot wallet (tagged `exchange`).
const LEDGER = demoLedgerAddresses();
const EXCHANGE = LEDGER.exchangeHotWallet;

describe.skipIf(!browserTestsEnabled())(
  'financial flows in the browser: trace, exposure, watch, alert',
  () => {
    const demo = useDemoBrowser({ items: 20 }); // with the demo ledger and its exchange attribution
    const newPage = () => demo.newPage({ timezoneId: 'Europe/Amsterdam', width: 1440 });
    const signIn = (page: Page, username: string, prefix: string) =>
      demo.signIn(page, username, prefix, LANGUAGE);
    let fiuPage: Page | null = null;

    const text = (key: string, values: Record<string, string | number> = {}) => uiText(LANGUAGE, key, values);

    async function saved(download: Download): Promise<Buffer> {
      const file = await download.path();
      return readFileSync(file);
    }

    it(
      'the FIU analyst opens the planted wallet and sees its exposure to an exchange',
      async () => {
        const page = await newPage();
        fiuPage = page;
        await signIn(page, USERNAME, 'f01-fiu-login');

        await step(page, 'f02-fiu-open-planted-wallet', async () => {
          // The wallet of the shared intelligence (the FIU's report) is the one on the demo ledger.
          expect(LEDGER.wallet).toBe(WALLET);
          await page.getByTestId('nav-finance').click();
          await page.getByRole('heading', { name: text('finance.title'), level: 1 }).waitFor();
          await page.getByRole('textbox', { name: text('finance.search.label') }).fill(WALLET);
          await page.keyboard.press('Enter'); // the search form submits from the keyboard
          await page.waitForURL((url) => url.pathname === '/finance' && url.searchParams.get('q') === WALLET);
          await page.getByTestId('finance-address').getByText(WALLET, { exact: true }).waitFor();
          await page.getByTestId('finance-chain').getByText(text('finance.chains.btc')).waitFor();
          // The wallet's own tags: none visible (only the exchange deposits are attributed).
          await page.getByTestId('finance-tags-empty').waitFor();
          // …and the FIU's shared report naming it is linked from the ledger view.
          await page
            .getByTestId('finance-shared-items')
            .getByRole('link', { name: 'Crypto payments linked to a banana importer' })
            .waitFor();
          await expectAccessible(page);
        });

        await step(page, 'f03-fiu-exposure-to-exchange', async () => {
          const exchange = text('finance.categories.exchange');
          const bar = page.locator('[data-testid="finance-exposure-forward"][data-category="exchange"]');
          await bar.waitFor();
          expect((await bar.textContent()) ?? '').toContain(exchange);
          expect((await bar.textContent()) ?? '').toMatch(/BTC/);
          // The score is low (an exchange is not a risky counterparty) but explained in the user's language.
          const score = page.getByTestId('finance-exposure-score');
          const value = Number(await score.getAttribute('data-score'));
          expect(value).toBeGreaterThan(0);
          expect(value).toBeLessThanOrEqual(10);
          const reasons = (await page.getByTestId('finance-exposure-reasons').textContent()) ?? '';
          expect(reasons).toContain(exchange);
          expect(reasons).not.toMatch(/of the value sent reached/); // translated, not the server's English
          await expectAccessible(page);
        });
      },
      TEST_TIMEOUT,
    );

    it(
      'traces the wallet three hops forward, as a graph and tables, and exports it',
      async () => {
        const page = fiuPage;
        if (!page) throw new Error('the previous steps did not run');

        await step(page, 'f04-fiu-trace-three-hops-forward', async () => {
          await page.getByTestId('finance-trace-direction').getByText(text('finance.trace.forward')).click();
          await page.getByTestId('finance-trace-hops').fill('3');
          await page.getByTestId('finance-trace-model').selectOption('haircut');
          await page.getByTestId('finance-trace-run').click();
          const result = page.getByTestId('finance-trace-result');
          await result.waitFor();
          const summary = (await page.getByTestId('finance-trace-summary').textContent()) ?? '';
          expect(summary).toContain(text('finance.trace.models.haircut'));
          expect(summary).toContain(text('finance.trace.forward'));

          // Tables: the source at hop 0; the broker at hop 1, the supplier at hop 2, and the exchange hot
          // wallet reached at hop 3, where the trace stops.
          const rows = page.getByTestId('finance-trace-node-row');
          await rows.filter({ hasText: WALLET }).first().waitFor();
          expect(await rows.filter({ hasText: WALLET }).first().getAttribute('data-hop')).toBe('0');
          for (const [addr, hop] of [
            [LEDGER.broker, '1'],
            [LEDGER.supplier, '2'],
            [EXCHANGE, '3'],
          ] as const) {
            expect(await rows.filter({ hasText: addr }).getAttribute('data-hop')).toBe(hop);
          }
          const exchangeRow = rows.filter({ hasText: EXCHANGE });
          expect(await exchangeRow.getAttribute('data-category')).toBe('exchange');
          expect((await exchangeRow.textContent()) ?? '').toContain(text('finance.trace.stopped'));
          expect(await page.locator('[data-testid="finance-trace-node-row"][data-hop="4"]').count()).toBe(0);
          const edgeRows = await page.getByTestId('finance-trace-edge-row').count();
          expect(edgeRows).toBeGreaterThanOrEqual(5);

          // The graph holds the same nodes and edges, drawn by sigma on canvases.
          const graph = page.getByTestId('finance-trace-graph');
          expect(Number(await graph.getAttribute('data-nodes'))).toBe(await rows.count());
          expect(Number(await graph.getAttribute('data-edges'))).toBe(edgeRows);
          expect(await graph.locator('canvas').count()).toBeGreaterThan(0);
          expect(await page.getByTestId('finance-graph-unavailable').count()).toBe(0);
          expect((await page.getByTestId('finance-trace-exposure').textContent()) ?? '').toContain(
            text('finance.categories.exchange'),
          );
          await expectAccessible(page);
        });

        await step(page, 'f05-fiu-trace-exports', async () => {
          const [csv] = await Promise.all([
            page.waitForEvent('download'),
            page.getByTestId('finance-export-csv').click(),
          ]);
          expect(csv.suggestedFilename()).toMatch(/\.csv$/);
          const csvText = (await saved(csv)).toString('utf8');
          expect(csvText.split('\n')[0]).toBe('from,to,txid,time,hop,value,tainted');
          expect(csvText).toContain(`address:${EXCHANGE}`);
          expect(csvText).toContain(`address:${LEDGER.supplier}`);

          const [graphml] = await Promise.all([
            page.waitForEvent('download'),
            page.getByTestId('finance-export-graphml').click(),
          ]);
          const xml = (await saved(graphml)).toString('utf8');
          expect(xml).toContain('<graphml');
          expect(xml).toContain(`<node id="address:${EXCHANGE}">`);

          const [png] = await Promise.all([
            page.waitForEvent('download'),
            page.getByTestId('finance-export-png').click(),
          ]);
          expect(png.suggestedFilename()).toMatch(/\.png$/);
          const image = await saved(png);
          expect(image.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
          expect(image.length).toBeGreaterThan(2000);
        });

        await step(page, 'f05b-fiu-path-to-exchange', async () => {
          // The money path from the wallet to the exchange: wallet → broker → broker change → exchange.
          await page.getByTestId('finance-paths-to').fill(EXCHANGE);
          await page.getByTestId('finance-paths-run').click();
          await page.getByTestId('finance-paths-result').waitFor();
          const path = page.getByTestId('finance-path');
          await expect.poll(() => path.count(), { timeout: STEP_TIMEOUT }).toBe(1);
          const steps = path.locator('tbody tr');
          expect(await steps.count()).toBe(3);
          expect((await steps.nth(0).textContent()) ?? '').toContain(WALLET);
          expect((await steps.nth(0).textContent()) ?? '').toContain(LEDGER.broker);
          expect((await steps.nth(2).textContent()) ?? '').toContain(EXCHANGE);
          await expectAccessible(page);
        });
      },
      TEST_TIMEOUT,
    );

    it(
      'watches the wallet; the next batch of blocks raises an alert in the inbox, live',
      async () => {
        const page = fiuPage;
        if (!page) throw new Error('the previous steps did not run');

        await step(page, 'f06-fiu-watch-wallet', async () => {
          await page.getByTestId('finance-watch-note').fill('Planted network: banana importer payments');
          // Each alert is also shared with the coalition's law-enforcement community as a TLP:AMBER item.
          await page.getByTestId('finance-watch-share').check();
          await page.getByTestId('finance-watch-share-tlp').selectOption('AMBER');
          await page
            .getByTestId('finance-watch-share-community')
            .selectOption({ label: 'Coalition law enforcement' });
          await expectAccessible(page);
          await page.getByTestId('finance-watch').click();
          await page.getByTestId('finance-watched').waitFor();
          await page.getByText(text('finance.watches.sharedAs', { tlp: 'TLP:AMBER' })).waitFor();
          await page.getByTestId('finance-watches-link').click();
          await page.getByRole('heading', { name: text('finance.watches.title'), level: 1 }).waitFor();
          await page.getByTestId('finance-watch-row').filter({ hasText: WALLET }).waitFor();
          await page.getByTestId('finance-alerts-empty').waitFor();
          await expectAccessible(page);
        });

        await step(page, 'f07-fiu-inbox-before-next-batch', async () => {
          await page.getByTestId('nav-inbox').click();
          await page.getByRole('heading', { name: text('finance.alerts.inboxTitle') }).waitFor();
          await page.getByTestId('finance-alerts-empty').waitFor();
        });

        await step(page, 'f08-fiu-inbox-alert-after-next-batch', async () => {
          // The next batch of raw blocks is imported while the analyst looks at the inbox: no reload.
          const importer = await demo.ctx.identity.actorForUsername('nl.fiu.analyst');
          const report = await demo.ctx.finance.importBlocks(importer, demoNextBlocksHex());
          expect(report.alerts).toBe(2);
          const rows = page.getByTestId('finance-alert-row').filter({ hasText: WALLET });
          await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT }).toBe(2);
          const inbound = rows.and(page.locator('[data-direction="inbound"]'));
          expect((await inbound.textContent()) ?? '').toContain(text('finance.alerts.inbound'));
          expect((await inbound.textContent()) ?? '').toMatch(/0[.,]04 BTC/);
          const outbound = rows.and(page.locator('[data-direction="outbound"]'));
          expect((await outbound.textContent()) ?? '').toContain(text('finance.alerts.outbound'));
          // The shared items follow the alerts; each row links to its item.
          const itemLinks = rows.getByRole('link', { name: text('finance.alerts.openItem') });
          await expect.poll(() => itemLinks.count(), { timeout: STEP_TIMEOUT }).toBe(2);
          await expectAccessible(page);
        });

        await step(page, 'f09-fiu-alert-item', async () => {
          await page
            .getByTestId('finance-alert-row')
            .and(page.locator('[data-direction="inbound"]'))
            .getByRole('link', { name: text('finance.alerts.openItem') })
            .click();
          await page.getByTestId('item-title').getByText('Watched BTC address received funds').waitFor();
          const banner = page.getByTestId('marking-banner');
          await expect.poll(() => banner.getAttribute('data-tlp'), { timeout: STEP_TIMEOUT }).toBe('AMBER');
          await page.getByText(WALLET).first().waitFor();
          await expectAccessible(page);
        });
      },
      TEST_TIMEOUT,
    );

    it(
      "another organisation's analyst sees neither the watch nor its alerts",
      async () => {
        const page = await newPage();
        // Belgian customs (same community, other organisation): the shared item reaches them, the
        // watch and its alerts do not.
        await signIn(page, 'be.customs.analyst', 'f10-be-customs-login');
        await step(page, 'f11-be-customs-no-finance-alerts', async () => {
          await page
            .getByTestId('inbox-alert-row')
            .filter({ hasText: 'Watched BTC address received funds' })
            .waitFor();
          await page.getByTestId('finance-alerts-empty').waitFor();
          expect(await page.getByTestId('finance-alert-row').count()).toBe(0);
          await page.goto('/finance/watches');
          await page.getByText(text('finance.watches.empty')).waitFor();
          expect(await page.getByTestId('finance-watch-row').count()).toBe(0);
          await expectAccessible(page);
        });
      },
      TEST_TIMEOUT,
    );
  },
);
