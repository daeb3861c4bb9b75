import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { plantedNetwork } from '../../src/demo/seed.ts';
import { demoOrgs, demoUsers } from '../../src/demo/world.ts';
import { browserTestsEnabled } from './browser.ts';
import { expectAccessible, STEP_TIMEOUT, useDemoBrowser } from './demo-browser.ts';
import { type Language, step, uiText } from './ui.ts';

/**
 * The acceptance scenario of cargo targeting, on the real server with the real built UI and the
 * demo world: an Antwerp customs analyst opens today's targeting queue, finds a planted container
 * of the demo world near the top with its reasons and its route, takes it on, records a seizure
 * and alerts the other ports on the route with one click; the customs of those ports find the
 * alert in their inbox (their police do not); rule performance counts the seizure, overall and
 * for the rules that selected the container.
 */

const TEST_TIMEOUT = 240_000;
/** "Near the top": within the first rows of the day's ranked queue. */
const NEAR_THE_TOP = 10;

const planted = plantedNetwork();
/** The planted network's containers; the demo world declares them at Antwerp. */
const PLANTED = [planted.container, planted.secondContainer];
const ANTWERP = 'BEANR';
const ANALYST = 'be.customs.analyst';
const ANALYST_LANGUAGE: Language = 'nl';
const ANALYST_NAME = demoUsers(demoOrgs()).find((u) => u.username === ANALYST)?.displayName ?? '';

/** Customs organisations of the demo world by country: who an alert to a port's country reaches. */
const CUSTOMS_COUNTRIES = new Set(
  demoOrgs()
    .filter((o) => o.kind === 'customs')
    .map((o) => o.country),
);

/** Digits of a number as the UI formats it in any language (1.842 / 1,842 / 1 842). */
function count(text: string | null): number {
  const digits = (text ?? '').replace(/[^0-9]/g, '');
  if (digits === '') throw new Error(`not a count: '${text}'`);
  return Number.parseInt(digits, 10);
}

describe.skipIf(!browserTestsEnabled())(
  'cargo targeting in the browser: queue, seizure, alert, performance',
  () => {
    const demo = useDemoBrowser({ items: 40 });
    // The queue's day is the browser's date and a declaration's day is its arrival day in UTC:
    // the same zone keeps the scenario stable around midnight.
    const newPage = () => demo.newPage({ timezoneId: 'UTC' });
    const signIn = demo.signIn;
    // Filled in by the steps, in order.
    let analystPage: Page | null = null;
    let container = '';
    let route: string[] = [];
    let reasonCodes: string[] = [];
    let alertPath = '';
    let alertTitle = '';
    const before = { inspections: 0, seizures: 0, ruleSeizures: 0, modelSeizures: 0 };

    /** Seizures the second opinion learned from, as its card on the performance page says. */
    async function modelSeizures(page: Page): Promise<number> {
      const card = page.locator('[data-testid="cargo-model"][data-available="true"]');
      await card.waitFor({ timeout: STEP_TIMEOUT });
      return Number(await card.getAttribute('data-seizures'));
    }

    /** Opens rule performance for Antwerp (default period: the last twelve weeks up to today). */
    async function openPerformance(page: Page): Promise<void> {
      await page.getByTestId('nav-cargo').click();
      await page.getByTestId('cargo-nav-performance').click();
      await page.waitForURL((url) => url.pathname === '/cargo/performance');
      await page
        .getByRole('heading', { name: uiText(ANALYST_LANGUAGE, 'cargo.performance.title'), level: 1 })
        .waitFor();
      await expect
        .poll(() => page.getByTestId('cargo-perf-port').inputValue(), { timeout: STEP_TIMEOUT })
        .toBe(ANTWERP);
      await page.locator('[aria-busy="false"][data-testid="cargo-performance"]').waitFor();
    }

    async function ruleSeizures(page: Page, code: string): Promise<number> {
      const row = page.locator(`[data-testid="cargo-rule-row"][data-code="${code}"]`);
      if ((await row.count()) === 0) return 0;
      return count(await row.getByTestId('cargo-rule-seizures').textContent());
    }

    it(
      'an Antwerp analyst finds a planted container near the top of the queue, with its reasons and route',
      async () => {
        const page = await newPage();
        analystPage = page;
        await signIn(page, ANALYST, 'cargo-01-be-customs', ANALYST_LANGUAGE);

        await step(page, 'cargo-02-be-customs-queue', async () => {
          await page.getByTestId('nav-cargo').getByText(uiText(ANALYST_LANGUAGE, 'cargo.nav.title')).click();
          await page.waitForURL((url) => url.pathname === '/cargo/queue');
          await page
            .getByRole('heading', { name: uiText(ANALYST_LANGUAGE, 'cargo.queue.title'), level: 1 })
            .waitFor();
          // The port is derived from the analyst's organisation (Belgium: Antwerp).
          expect(await page.getByTestId('cargo-port').inputValue()).toBe(ANTWERP);
          await page.getByTestId('cargo-queue-row').first().waitFor();
          const containers = await page
            .getByTestId('cargo-queue-row')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-container') ?? ''));
          const found = containers.map((c, index) => ({ c, index })).filter(({ c }) => PLANTED.includes(c));
          expect(
            found.length,
            `a planted container (${PLANTED.join(' or ')}) in today's Antwerp queue`,
          ).toBeGreaterThan(0);
          const best = found[0] as { c: string; index: number };
          container = best.c;
          expect(best.index, `${container} near the top (rank ${best.index + 1})`).toBeLessThan(NEAR_THE_TOP);
          const row = page.locator(`[data-testid="cargo-queue-row"][data-container="${container}"]`);
          // Selected for inspection, said in words as well as in colour.
          expect(await row.getAttribute('data-channel')).toBe('red');
          await row.getByText(uiText(ANALYST_LANGUAGE, 'cargo.channelNames.red'), { exact: true }).waitFor();
          expect(((await row.getByTestId('cargo-top-reasons').textContent()) ?? '').trim()).not.toBe('');
          await row.getByText(uiText(ANALYST_LANGUAGE, 'cargo.inspection.status.pending')).waitFor();
          await expectAccessible(page);
        });

        await step(page, 'cargo-03-be-customs-container-detail', async () => {
          await page
            .locator(`[data-testid="cargo-queue-row"][data-container="${container}"]`)
            .getByTestId('cargo-open')
            .click();
          const detail = page.getByTestId('cargo-detail');
          await detail.getByTestId('cargo-detail-title').getByText(container, { exact: true }).waitFor();
          // Keyboard users land on the panel.
          await expect
            .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
            .toBe('cargo-detail-title');
          // Every reason with its contribution.
          const reasons = detail.getByTestId('cargo-reason');
          await reasons.first().waitFor();
          expect(await reasons.count()).toBeGreaterThanOrEqual(2);
          reasonCodes = await reasons.evaluateAll((items) =>
            items.map((i) => i.getAttribute('data-code') ?? ''),
          );
          // The route on the offline map: its ports drawn in order, loading first, Antwerp last.
          const map = detail.getByTestId('cargo-route-map');
          await map.locator('svg[role="img"]').waitFor();
          route = await map
            .getByTestId('cargo-map-port')
            .evaluateAll((ports) => ports.map((p) => p.getAttribute('data-port') ?? ''));
          expect(route.length).toBeGreaterThanOrEqual(2);
          expect(route.at(-1)).toBe(ANTWERP);
          // The second opinion learned from the demo's inspections, beside the rules' score.
          await detail.getByTestId('cargo-second-opinion').getByText('%').waitFor();
          await expectAccessible(page);
        });
      },
      TEST_TIMEOUT,
    );

    it(
      'the analyst records a seizure and alerts the other ports on the route',
      async () => {
        const page = analystPage;
        if (!page || !container) throw new Error('the previous steps did not run');

        await step(page, 'cargo-04-be-customs-performance-before', async () => {
          await openPerformance(page);
          before.inspections = count(await page.getByTestId('cargo-perf-inspections').textContent());
          before.seizures = count(await page.getByTestId('cargo-perf-seizures').textContent());
          before.ruleSeizures = await ruleSeizures(page, reasonCodes[0] ?? '');
          before.modelSeizures = await modelSeizures(page);
          await expectAccessible(page);
        });

        await step(page, 'cargo-05-be-customs-seizure', async () => {
          await page.getByTestId('cargo-nav-queue').click();
          await page
            .locator(`[data-testid="cargo-queue-row"][data-container="${container}"]`)
            .getByTestId('cargo-open')
            .click();
          const detail = page.getByTestId('cargo-detail');
          await detail.getByTestId('cargo-detail-title').getByText(container, { exact: true }).waitFor();
          // The analyst takes the container on (an officer of the same organisation).
          await detail.getByTestId('cargo-assign-user').selectOption({ label: ANALYST_NAME });
          await detail.getByTestId('cargo-assign-submit').click();
          await page
            .locator(`[data-testid="cargo-queue-row"][data-container="${container}"]`)
            .getByText(ANALYST_NAME, { exact: true })
            .waitFor();
          await detail.getByLabel(uiText(ANALYST_LANGUAGE, 'cargo.inspection.outcomes.seizure')).check();
          await detail.getByTestId('cargo-drug').selectOption('cocaine');
          await detail.getByTestId('cargo-kilograms').fill('312');
          await detail.getByTestId('cargo-concealment').selectOption('cover-load');
          await detail.getByTestId('cargo-inspection-notes').fill('Bricks in banana boxes, pallets 7 to 9');
          await expectAccessible(page);
          await detail.getByTestId('cargo-inspection-submit').click();
          const result = detail.getByTestId('cargo-inspection-result');
          await result.waitFor();
          expect(await result.getAttribute('data-outcome')).toBe('seizure');
          await result
            .getByText(
              uiText(ANALYST_LANGUAGE, 'cargo.inspection.seizureSummary', {
                kilograms: '312',
                drug: uiText(ANALYST_LANGUAGE, 'cargo.drugs.cocaine'),
                concealment: uiText(ANALYST_LANGUAGE, 'cargo.concealments.cover-load'),
              }),
            )
            .waitFor();
          await page
            .locator(`[data-testid="cargo-queue-row"][data-container="${container}"]`)
            .getByTestId('cargo-status-seizure')
            .waitFor();
        });

        await step(page, 'cargo-06-be-customs-alert-route', async () => {
          const detail = page.getByTestId('cargo-detail');
          // The panel names who the alert will reach: the customs of the other ports' countries.
          const countries = new Set(route.filter((p) => p !== ANTWERP).map((p) => p.slice(0, 2)));
          const recipients = demoOrgs().filter(
            (o) => o.kind === 'customs' && o.country !== 'BE' && countries.has(o.country),
          );
          expect(recipients.length, `a coalition port on the route ${route.join(' → ')}`).toBeGreaterThan(0);
          const named = (await detail.getByTestId('cargo-alert-recipients').textContent()) ?? '';
          for (const org of recipients) expect(named).toContain(org.name);
          await detail.getByTestId('cargo-alert-ports').click();
          const link = detail.getByTestId('cargo-alert-link');
          await link.waitFor();
          alertPath = (await link.getAttribute('href')) ?? '';
          expect(alertPath).toMatch(/^\/items\/[0-9a-f-]{36}$/);
          await expectAccessible(page);
          await link.click();
          await page.waitForURL((url) => url.pathname === alertPath);
          const title = page.getByTestId('item-title');
          await title.getByText(container).waitFor();
          alertTitle = ((await title.textContent()) ?? '').trim();
          const banner = page.getByTestId('marking-banner');
          await expect.poll(() => banner.getAttribute('data-tlp'), { timeout: STEP_TIMEOUT }).toBe('AMBER');
        });
      },
      TEST_TIMEOUT,
    );

    it(
      'the customs of the other ports on the route find the alert; their police do not',
      async () => {
        expect(alertPath, 'the alert was published').not.toBe('');
        const countries = [...new Set(route.filter((p) => p !== ANTWERP).map((p) => p.slice(0, 2)))].filter(
          (c) => c !== 'BE' && CUSTOMS_COUNTRIES.has(c),
        );
        expect(countries.length, `a coalition port on the route ${route.join(' → ')}`).toBeGreaterThan(0);

        for (const country of countries) {
          const cc = country.toLowerCase();
          const language = (['nl', 'fr', 'de', 'es', 'it'].includes(cc) ? cc : 'nl') as Language;
          const page = await newPage();
          await signIn(page, `${cc}.customs.analyst`, `cargo-07-${cc}-customs`, language);
          await step(page, `cargo-08-${cc}-customs-inbox-alert`, async () => {
            await page.getByTestId('inbox-alert-row').filter({ hasText: alertTitle }).waitFor();
            await page.goto(alertPath);
            await page.getByTestId('item-title').getByText(alertTitle, { exact: true }).waitFor();
            await page.getByText(container).first().waitFor();
            await expectAccessible(page);
          });
        }

        const [first] = countries as [string];
        const police = await newPage();
        const cc = first.toLowerCase();
        const language = (['nl', 'fr', 'de', 'es', 'it'].includes(cc) ? cc : 'nl') as Language;
        await signIn(police, `${cc}.police.analyst`, `cargo-09-${cc}-police`, language);
        await step(police, `cargo-10-${cc}-police-alert-not-found`, async () => {
          await police.goto(alertPath);
          await police.getByRole('alert').getByText(uiText(language, 'errors.notFound')).waitFor();
          expect(await police.getByText(alertTitle).count()).toBe(0);
        });
      },
      TEST_TIMEOUT,
    );

    it(
      'rule performance counts the seizure, overall and for the rules that selected the container',
      async () => {
        const page = analystPage;
        if (!page || reasonCodes.length === 0) throw new Error('the previous steps did not run');
        await step(page, 'cargo-11-be-customs-performance-after', async () => {
          await page.goto('/inbox');
          await openPerformance(page);
          await expect
            .poll(async () => count(await page.getByTestId('cargo-perf-seizures').textContent()), {
              timeout: STEP_TIMEOUT,
            })
            .toBe(before.seizures + 1);
          expect(count(await page.getByTestId('cargo-perf-inspections').textContent())).toBe(
            before.inspections + 1,
          );
          expect(await ruleSeizures(page, reasonCodes[0] ?? '')).toBe(before.ruleSeizures + 1);
          // The second opinion is retrained with the new inspection.
          await expect
            .poll(() => modelSeizures(page), { timeout: STEP_TIMEOUT })
            .toBe(before.modelSeizures + 1);
          await page.getByTestId('cargo-chart-volume').locator('svg[role="img"]').waitFor();
          await expectAccessible(page);
        });
      },
      TEST_TIMEOUT,
    );
  },
);
