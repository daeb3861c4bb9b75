import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages.ts';

type Messages = { [key: string]: string | Messages };

function load(language: string): Messages {
  const url = new URL(`./${language}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Messages;
}

/** Flattens nested messages to `a.b.c` keys; non-string leaves are reported as such. */
function flatten(messages: Messages, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of flatten(value, path)) out.set(k, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

/** `{{name}}` placeholders of a message, sorted. */
function placeholders(message: unknown): string[] {
  return typeof message === 'string'
    ? [...message.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort()
    : [];
}

const english = flatten(load('en'));

describe('translations', () => {
  it('English has messages', () => {
    expect(english.size).toBeGreaterThan(100);
  });

  for (const language of LANGUAGES) {
    describe(language, () => {
      const messages = flatten(load(language));

      it('has every English key', () => {
        const missing = [...english.keys()].filter((key) => !messages.has(key));
        expect(missing).toEqual([]);
      });

      it('has no key that English lacks', () => {
        const extra = [...messages.keys()].filter((key) => !english.has(key));
        expect(extra).toEqual([]);
      });

      it('has no empty or non-string value', () => {
        const empty = [...messages.entries()]
          .filter(([, value]) => typeof value !== 'string' || value.trim() === '')
          .map(([key]) => key);
        expect(empty).toEqual([]);
      });

      it('keeps the interpolation placeholders of English', () => {
        const mismatched = [...english.entries()]
          .filter(([key]) => messages.has(key))
          .filter(([key, value]) => placeholders(value).join() !== placeholders(messages.get(key)).join())
          .map(([key]) => key);
        expect(mismatched).toEqual([]);
      });

      it('keeps TLP labels in English', () => {
        const translatedTlp = [...messages.entries()]
          .filter(([, value]) => typeof value === 'string' && /TLP:/.test(value))
          .filter(([, value]) => !/TLP:(CLEAR|GREEN|AMBER\+STRICT|AMBER|RED)\b/.test(String(value)))
          .map(([key]) => key);
        expect(translatedTlp).toEqual([]);
      });
    });
  }
});
