import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import de from '../../web/src/i18n/de.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import es from '../../web/src/i18n/es.json' with { type: 'json' };
import fr from '../../web/src/i18n/fr.json' with { type: 'json' };
import it from '../../web/src/i18n/it.json' with { type: 'json' };
import nl from '../../web/src/i18n/nl.json' with { type: 'json' };

/** Helpers shared by the browser tests: UI texts, screenshots per step, an accessibility check. */

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/browser');

export type Language = 'en' | 'nl' | 'fr' | 'de' | 'es' | 'it';
const MESSAGES: Record<Language, unknown> = { en, nl, fr, de, es, it };

/**
 * The UI text of `key` in `language`, read from the same translation files the UI uses, so a
 * test asserts what a user of that language sees. Supports `{{name}}` placeholders.
 */
export function uiText(
  language: Language,
  key: string,
  values: Record<string, string | number> = {},
): string {
  let node: unknown = MESSAGES[language];
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (typeof node !== 'string') throw new Error(`no UI text '${key}' in ${language}`);
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => String(values[name] ?? `{{${name}}}`));
}

/** Saves a full-page screenshot as `test-results/browser/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // From the top, so that the fixed header is drawn where it belongs on the full-page image.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Runs one step of a scenario and keeps a screenshot of the screen it ends on; when the step
 * fails, the screenshot is kept as `<name>-FAILED.png` before the error is rethrown.
 */
export async function step(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    await screenshot(page, `${name}-FAILED`).catch(() => undefined);
    throw error;
  }
  await screenshot(page, name);
}

/** Roles that a user operates: each needs an accessible name. */
const NAMED_ROLES = new Set([
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'switch',
  'spinbutton',
  'slider',
  'button',
  'link',
  'tab',
  'menuitem',
]);

interface AxNode {
  nodeId: string;
  ignored: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
  backendDOMNodeId?: number;
}

/**
 * A small accessibility check: every form control, button, link and tab that the browser exposes
 * has a non-empty accessible name, as Chromium computes it (labels, aria-label, aria-labelledby…).
 * Returns the offenders as `role <outer HTML excerpt>`.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Accessibility.enable');
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    const offenders: string[] = [];
    for (const node of nodes) {
      if (node.ignored) continue;
      const role = String(node.role?.value ?? '');
      if (!NAMED_ROLES.has(role)) continue;
      const name = String(node.name?.value ?? '').trim();
      if (name) continue;
      let html = '';
      if (node.backendDOMNodeId !== undefined) {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
        if (object.objectId) {
          const res = await cdp.send('Runtime.callFunctionOn', {
            objectId: object.objectId,
            functionDeclaration: 'function () { return this.outerHTML ? this.outerHTML.slice(0, 200) : ""; }',
            returnByValue: true,
          });
          html = String(res.result.value ?? '');
        }
      }
      offenders.push(`${role} ${html}`);
    }
    return offenders;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
