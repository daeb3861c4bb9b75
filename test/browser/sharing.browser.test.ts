import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { plantedNetwork } from '../../src/demo/seed.ts';
import { browserTestsEnabled } from './browser.ts';
import { expectAccessible, STEP_TIMEOUT, useDemoBrowser, waitForLanguage } from './demo-browser.ts';
import { step, uiText } from './ui.ts';

/**
 * The acceptance scenario of information sharing, on the real server with the real built UI:
 * Belgian customs publishes an alert on the planted container to the law-enforcement community
 * and sees only a restricted match; Dutch police find the alert and see its correlation with their
 * own report; a private terminal operator sees neither; the same screens work in French.
 */

const TEST_TIMEOUT = 240_000;

const planted = plantedNetwork();
const CONTAINER = planted.container;
const REPORT_TITLE = `Rip-on/rip-off suspected on reefer ${CONTAINER} via Panama`;
const ALERT_TITLE = `Suspicious reefer ${CONTAINER} declared at Antwerp`;

describe.skipIf(!browserTestsEnabled())('sharing in the browser: alert, correlation, need to know', () => {
  const demo = useDemoBrowser({ items: 40 });
  const newPage = () => demo.newPage();
  const signIn = demo.signIn;
  // Filled in by the steps, in order.
  let alertPath = '';
  let reportPath = '';
  let policePage: Page | null = null;
  let terminalPage: Page | null = null;

  /**
   * Searches the item list for `text` (a container number that every matching title carries), by
   * full text (`q`) or by observable value. The previous results stay on screen while a search
   * runs, so wait until the table is idle and shows only rows that carry the text (none at all is
   * a valid answer).
   */
  async function searchItems(page: Page, text: string, by: 'q' | 'observable' = 'q'): Promise<void> {
    await page.getByTestId('nav-items').click();
    await page.getByTestId('search-input').fill(by === 'q' ? text : '');
    await page.getByTestId('filter-observable').fill(by === 'observable' ? text : '');
    await page.getByTestId('search-submit').click();
    await page.waitForURL((url) => url.pathname === '/items' && url.searchParams.get(by) === text);
    await expect
      .poll(
        async () => {
          if ((await page.locator('[aria-busy="false"]').getByTestId('item-count').count()) === 0)
            return false;
          const rows = await page.getByTestId('item-row').allInnerTexts();
          return rows.every((row) => row.includes(text));
        },
        { timeout: STEP_TIMEOUT },
      )
      .toBe(true);
  }

  it(
    'Belgian customs signs in with MFA and publishes an alert that meets a restricted match',
    async () => {
      const page = await newPage();
      await signIn(page, 'be.customs.analyst', '01-be-customs-login', 'nl');

      await step(page, '02-be-customs-compose', async () => {
        await page.getByTestId('nav-compose').click();
        await page.getByTestId('compose-title').waitFor();
        await page.getByTestId('compose-kind-alert').check();
        await page.getByTestId('compose-title').fill(ALERT_TITLE);
        await page
          .getByTestId('compose-body')
          .fill(
            `Reefer **${CONTAINER}** (bananas) declared at Antwerp with a late consignee change. Freight paid by a third party.`,
          );
        await page.getByTestId('compose-tlp').click();
        await page.getByRole('option', { name: 'TLP:AMBER', exact: true }).click();
        await expect
          .poll(() => page.getByTestId('compose-tlp').inputValue(), { timeout: STEP_TIMEOUT })
          .toBe('TLP:AMBER');
        await page.getByTestId('compose-communities').click();
        await page.getByRole('option', { name: 'Coalition law enforcement' }).click();
        await page.keyboard.press('Escape');
        await page.getByTestId('observable-type-0').click();
        await page
          .getByRole('option', { name: uiText('nl', 'observableTypes.container'), exact: true })
          .click();
        await page.getByTestId('observable-value-0').fill(CONTAINER);
        await expectAccessible(page);
      });

      await step(page, '03-be-customs-alert-restricted-match', async () => {
        await page.getByTestId('compose-submit').click();
        await page.getByTestId('item-title').getByText(ALERT_TITLE, { exact: true }).waitFor();
        alertPath = new URL(page.url()).pathname;
        expect(alertPath).toMatch(/^\/items\/[0-9a-f-]{36}$/);
        const banner = page.getByTestId('marking-banner');
        await expect.poll(() => banner.getAttribute('data-tlp'), { timeout: STEP_TIMEOUT }).toBe('AMBER');
        expect((await banner.textContent()) ?? '').toContain('TLP:AMBER');
        // The Dutch report is not visible to Belgian customs: only a restricted match, no title.
        const restricted = page.getByTestId('correlation-restricted');
        await restricted.waitFor();
        expect(await restricted.count()).toBe(1);
        expect((await restricted.textContent()) ?? '').toContain(CONTAINER);
        await restricted.getByText(uiText('nl', 'correlations.requestContact'), { exact: true }).waitFor();
        expect(await page.getByTestId('correlation-visible').count()).toBe(0);
        expect(await page.getByText(REPORT_TITLE).count()).toBe(0);
        // The originator attaches the manifest extract to the alert.
        await page
          .getByTestId('attachments')
          .locator('input[type="file"]')
          .setInputFiles({
            name: 'manifest.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from(`container,seal\n${CONTAINER},EU1234567\n`),
          });
        await page.getByTestId('attachment-upload').click();
        await page.getByTestId('attachment-row').filter({ hasText: 'manifest.csv' }).waitFor();
        await expectAccessible(page);
      });

      await step(page, '04-be-customs-hit-without-owner', async () => {
        // "Request contact" leads to the hit in the inbox: the container, but no title, no owner.
        await page
          .getByTestId('correlation-restricted')
          .getByRole('link', { name: uiText('nl', 'correlations.requestContact') })
          .click();
        await page.waitForURL((url) => url.pathname === '/inbox');
        const hit = page.getByTestId('hit-row').filter({ has: page.getByText(CONTAINER, { exact: true }) });
        await hit.getByText(uiText('nl', 'hits.hiddenItem')).waitFor();
        expect(await page.getByText(REPORT_TITLE).count()).toBe(0);
        expect((await hit.textContent()) ?? '').not.toContain('Politie Nederland');
        await expectAccessible(page);
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'Dutch police find the alert and see its correlation with their report',
    async () => {
      expect(alertPath, 'the alert was published').not.toBe('');
      const page = await newPage();
      policePage = page;
      await signIn(page, 'nl.police.analyst', '05-nl-police-login', 'nl');

      await step(page, '06-nl-police-inbox-alert-and-hit', async () => {
        // The alert reaches them through the community; the search by the Belgian analyst left a
        // hit on their hidden report, naming who searched and for which container.
        await page.getByTestId('inbox-alert-row').filter({ hasText: ALERT_TITLE }).waitFor();
        await page
          .getByTestId('hit-row')
          .filter({ has: page.getByText(CONTAINER, { exact: true }) })
          .filter({ hasText: 'Douane en Accijnzen België' })
          .filter({ hasText: REPORT_TITLE })
          .waitFor();
        await expectAccessible(page);
      });

      await step(page, '07-nl-police-search-container', async () => {
        await searchItems(page, CONTAINER);
        const row = page.getByTestId('item-row').filter({ hasText: ALERT_TITLE });
        await row.waitFor();
        // Their own report on the container is found as well.
        await page.getByTestId('item-row').filter({ hasText: REPORT_TITLE }).waitFor();
        await expectAccessible(page);
      });

      await step(page, '08-nl-police-alert-correlation', async () => {
        await page.getByTestId('item-row').filter({ hasText: ALERT_TITLE }).getByRole('link').first().click();
        await page.getByTestId('item-title').getByText(ALERT_TITLE, { exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toBe(alertPath);
        const link = page.getByTestId('correlation-visible').filter({ hasText: REPORT_TITLE });
        await link.waitFor();
        reportPath = (await link.getAttribute('href')) ?? '';
        expect(reportPath).toMatch(/^\/items\/[0-9a-f-]{36}$/);
        // The recipient downloads the attached manifest, byte for byte.
        const attachment = page.getByTestId('attachment-row').filter({ hasText: 'manifest.csv' });
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          attachment.getByRole('button').click(),
        ]);
        expect(download.suggestedFilename()).toBe('manifest.csv');
        const saved = await download.path();
        expect(readFileSync(saved, 'utf8')).toContain(`${CONTAINER},EU1234567`);
        await expectAccessible(page);
      });

      await step(page, '09-nl-police-report', async () => {
        await page.getByTestId('correlation-visible').filter({ hasText: REPORT_TITLE }).click();
        await page.getByTestId('item-title').getByText(REPORT_TITLE, { exact: true }).waitFor();
        const banner = page.getByTestId('marking-banner');
        await expect.poll(() => banner.getAttribute('data-tlp'), { timeout: STEP_TIMEOUT }).toBe('AMBER');
        expect((await banner.textContent()) ?? '').toContain('TLP:AMBER · H2 · B2');
        // …and, seen from the report, the Belgian alert correlates back.
        await page.getByTestId('correlation-visible').filter({ hasText: ALERT_TITLE }).waitFor();
        await expectAccessible(page);
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'a private terminal operator sees neither the alert nor the report',
    async () => {
      expect(alertPath, 'the alert was published').not.toBe('');
      expect(reportPath, 'the report was found').not.toBe('');
      const page = await newPage();
      terminalPage = page;
      await signIn(page, 'nl.terminal.analyst', '10-nl-terminal-login', 'nl');

      await step(page, '11-nl-terminal-search-finds-nothing', async () => {
        await searchItems(page, CONTAINER);
        await page
          .getByTestId('item-count')
          .getByText(uiText('nl', 'items.resultCount', { count: 0 }))
          .waitFor();
        expect(await page.getByTestId('item-row').count()).toBe(0);
        await page.getByText(uiText('nl', 'items.empty')).waitFor();
        // Nor does the exact observable search.
        await searchItems(page, CONTAINER, 'observable');
        await page
          .getByTestId('item-count')
          .getByText(uiText('nl', 'items.resultCount', { count: 0 }))
          .waitFor();
        expect(await page.getByTestId('item-row').count()).toBe(0);
        await expectAccessible(page);
      });

      await step(page, '12-nl-terminal-alert-not-found', async () => {
        await page.goto(alertPath);
        await page.getByRole('alert').getByText(uiText('nl', 'errors.notFound')).waitFor();
        await page.getByRole('heading', { name: uiText('nl', 'item.unavailable') }).waitFor();
        expect(await page.getByText(ALERT_TITLE).count()).toBe(0);
        expect(await page.getByTestId('marking-banner').count()).toBe(0);
        await expectAccessible(page);
      });

      await step(page, '13-nl-terminal-report-not-found', async () => {
        await page.goto(reportPath);
        await page.getByRole('alert').getByText(uiText('nl', 'errors.notFound')).waitFor();
        expect(await page.getByText(REPORT_TITLE).count()).toBe(0);
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'the same screens in French',
    async () => {
      const terminal = terminalPage;
      const police = policePage;
      if (!terminal || !police) throw new Error('the previous steps did not run');

      await step(terminal, '14-fr-terminal-not-found', async () => {
        await terminal.getByTestId('lang-switcher').selectOption('fr');
        await waitForLanguage(terminal, 'fr');
        await terminal.getByRole('heading', { name: uiText('fr', 'item.unavailable') }).waitFor();
        await terminal.getByRole('alert').getByText(uiText('fr', 'errors.notFound')).waitFor();
        await terminal
          .getByTestId('nav-inbox')
          .getByText(uiText('fr', 'nav.inbox'), { exact: true })
          .waitFor();
        await terminal
          .getByTestId('nav-compose')
          .getByText(uiText('fr', 'nav.compose'), { exact: true })
          .waitFor();
        await expectAccessible(terminal);
      });

      await step(terminal, '15-fr-terminal-search-finds-nothing', async () => {
        await searchItems(terminal, CONTAINER);
        await terminal.getByRole('heading', { name: uiText('fr', 'items.title'), level: 1 }).waitFor();
        await terminal
          .getByTestId('item-count')
          .getByText(uiText('fr', 'items.resultCount', { count: 0 }))
          .waitFor();
        await terminal.getByText(uiText('fr', 'items.empty')).waitFor();
        expect(await terminal.getByTestId('item-row').count()).toBe(0);
        await expectAccessible(terminal);
      });

      await step(police, '16-fr-police-report', async () => {
        // The police analyst is still on the report: the labels change, the marking does not.
        await police.getByTestId('lang-switcher').selectOption('fr');
        await waitForLanguage(police, 'fr');
        await police.getByTestId('item-title').getByText(REPORT_TITLE, { exact: true }).waitFor();
        await police.getByRole('heading', { name: uiText('fr', 'correlations.visibleTitle') }).waitFor();
        await police.getByRole('tab', { name: uiText('fr', 'item.tabs.overview') }).waitFor();
        expect((await police.getByTestId('marking-banner').textContent()) ?? '').toContain(
          'TLP:AMBER · H2 · B2',
        );
        await expectAccessible(police);
      });

      await step(police, '17-fr-police-alert-correlation', async () => {
        await police.getByTestId('correlation-visible').filter({ hasText: ALERT_TITLE }).click();
        await police.getByTestId('item-title').getByText(ALERT_TITLE, { exact: true }).waitFor();
        await police.getByRole('heading', { name: uiText('fr', 'item.body') }).waitFor();
        await police.getByTestId('correlation-visible').filter({ hasText: REPORT_TITLE }).waitFor();
        await expectAccessible(police);
      });
    },
    TEST_TIMEOUT,
  );
});
