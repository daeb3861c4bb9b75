import { describe, expect, it } from 'vitest';
import { browserTestsEnabled } from './browser.ts';
import { expectAccessible, STEP_TIMEOUT, useDemoBrowser } from './demo-browser.ts';
import { type Language, step, uiText } from './ui.ts';

/**
 * An analyst opens an earlier version of the targeting rules, sees what it changes against the
 * editor, loads it, simulates it and saves it: the old rules are back as a new version and the
 * history keeps every earlier version.
 */

const ANALYST = 'be.customs.analyst';
const LANGUAGE: Language = 'nl';

const rules = (weight: number) => `rules:
  - id: browser-bananas
    name: Bananas from Ecuador
    description: Bananas loaded in Ecuador.
    weight: ${weight}
    when:
      all:
        - field: route.loadingCountry
          eq: EC
        - field: goods.hsChapter
          eq: "08"
`;

describe.skipIf(!browserTestsEnabled())('cargo rule-set versions in the browser', () => {
  const demo = useDemoBrowser({ items: 10 });

  it('views an earlier version with its differences, loads it and restores it by saving', async () => {
    const actor = await demo.ctx.identity.actorForUsername(ANALYST);
    const old = await demo.ctx.cargo.saveRules(actor, rules(35), 'bananas at 35');
    const newer = await demo.ctx.cargo.saveRules(actor, rules(60), 'bananas at 60');
    expect(newer.version).toBe(old.version + 1);

    const page = await demo.newPage();
    await demo.signIn(page, ANALYST, 'rule-versions', LANGUAGE);
    const rows = page.getByTestId('cargo-rule-version');

    await step(page, 'rule-versions-3-view', async () => {
      await page.getByTestId('nav-cargo').click();
      await page.getByTestId('cargo-nav-rules').click();
      await page.waitForURL((url) => url.pathname === '/cargo/rules');
      await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT }).toBe(2);
      await expect.poll(() => page.getByTestId('cargo-rules-yaml').inputValue()).toBe(rules(60));
      await page
        .getByRole('button', { name: uiText(LANGUAGE, 'cargo.rules.viewVersion', { version: old.version }) })
        .click();
      const dialog = page.getByRole('dialog', {
        name: uiText(LANGUAGE, 'cargo.rules.versionTitle', { version: old.version }),
      });
      await dialog.waitFor();
      await expect
        .poll(() => dialog.getByTestId('cargo-rule-version-diff-summary').textContent())
        .toBe(uiText(LANGUAGE, 'cargo.rules.diffSummary', { version: old.version, added: 1, removed: 1 }));
      const diff = dialog.getByTestId('cargo-rule-version-diff');
      expect(await diff.locator('[data-kind="removed"]').textContent()).toContain('weight: 60');
      expect(await diff.locator('[data-kind="added"]').textContent()).toContain('weight: 35');
      await expectAccessible(page);
      await dialog.getByRole('tab', { name: uiText(LANGUAGE, 'cargo.rules.textTab') }).click();
      expect(await dialog.getByTestId('cargo-rule-version-yaml').inputValue()).toBe(rules(35));
      expect(await dialog.getByTestId('cargo-rule-version-yaml').getAttribute('readonly')).not.toBeNull();
      await expectAccessible(page);
    });

    await step(page, 'rule-versions-4-loaded', async () => {
      await page.getByTestId('cargo-rule-version-load').click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(await page.getByTestId('cargo-rules-yaml').inputValue()).toBe(rules(35));
      expect(await page.getByTestId('cargo-rules-comment').inputValue()).toBe(
        uiText(LANGUAGE, 'cargo.rules.restoredComment', { version: old.version }),
      );
      // Focus lands on the text that changed, for keyboard users.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe('cargo-rules-yaml');
      await page.getByTestId('cargo-rules-simulate').click();
      await page.getByTestId('cargo-rules-simulation').waitFor();
      expect(await page.getByTestId('cargo-rules-simulation-rules').textContent()).toContain(
        'Bananas from Ecuador',
      );
    });

    await step(page, 'rule-versions-5-restored', async () => {
      await page.getByTestId('cargo-rules-save').click();
      await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT }).toBe(3);
      expect(await rows.first().textContent()).toContain(
        uiText(LANGUAGE, 'cargo.rules.restoredComment', { version: old.version }),
      );
      const now = await demo.ctx.cargo.rules(actor);
      expect(now).toMatchObject({ version: newer.version + 1, yaml: rules(35) });
      expect((await demo.ctx.cargo.ruleVersion(actor, old.version)).yaml).toBe(rules(35));
      expect((await demo.ctx.cargo.ruleVersion(actor, newer.version)).yaml).toBe(rules(60));
      // Loading straight from the list works too, without the dialog.
      await page
        .getByRole('button', {
          name: uiText(LANGUAGE, 'cargo.rules.loadVersion', { version: newer.version }),
        })
        .click();
      await expect.poll(() => page.getByTestId('cargo-rules-yaml').inputValue()).toBe(rules(60));
      await expectAccessible(page);
    });
  }, 240_000);
});
