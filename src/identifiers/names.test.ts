import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldName, nameTokens, normalizeCompanyName, normalizePersonName, stripLegalForms } from './names.ts';

const company = (raw: string): string => {
  const result = normalizeCompanyName(raw);
  return result.ok ? result.value : `!${result.code}`;
};
const person = (raw: string): string => {
  const result = normalizePersonName(raw);
  return result.ok ? result.value : `!${result.code}`;
};

describe('normalizeCompanyName', () => {
  it('folds accents and drops legal forms', () => {
    expect(company('Frutas Del Pacífico S.A.C.')).toBe('frutas del pacifico');
    expect(company('Müller GmbH')).toBe('muller'); // one rule: marks are removed, never 'ue'
    expect(company('Bananas B.V.')).toBe('bananas');
  });

  it('handles dotted, spaced and chained legal forms across jurisdictions', () => {
    const cases: Record<string, string> = {
      'Müller GmbH & Co. KG': 'muller',
      'Smith & Co. Ltd': 'smith',
      'Exportadora Andina Cía. Ltda.': 'exportadora andina',
      'Transportes del Norte S. de R.L. de C.V.': 'transportes del norte',
      'Agro Export S.A. de C.V.': 'agro export',
      'Logistyka Polska Sp. z o.o.': 'logistyka polska',
      'Rotterdam Reefers N.V.': 'rotterdam reefers',
      'ANTWERP FRUIT BVBA': 'antwerp fruit',
      'Café Comercial SARL': 'cafe comercial',
      'Trasporti Rossi S.r.l.': 'trasporti rossi',
      'Flores de Colombia S.A.S.': 'flores de colombia',
      'Inversiones Lima E.I.R.L.': 'inversiones lima',
      'Global Trade LLC': 'global trade',
      'Acme Holdings Inc.': 'acme holdings',
      'Nordic Shipping AB (publ)': 'nordic shipping',
      'Baltic Cargo OÜ': 'baltic cargo',
      'Hellas Shipping Plc': 'hellas shipping',
    };
    for (const [raw, expected] of Object.entries(cases)) expect(company(raw), raw).toBe(expected);
  });

  it('only strips at the end and never strips the whole name', () => {
    expect(company('SA Fruit Importers')).toBe('sa fruit importers');
    expect(company('Banco SA Trading')).toBe('banco sa trading');
    expect(company('S.A.')).toBe('s a');
    expect(company('Company')).toBe('company');
    expect(stripLegalForms(['ag', 'sa'])).toEqual(['ag']);
  });

  it('does not glue long words into a legal form', () => {
    // 'limit' + 'ed' would read 'limited', but tokens longer than 3 are never joined.
    expect(company('Speed Limit Ed')).toBe('speed limit ed');
    // Short dotted pieces are: 'C.o.r.p.' → 'c o r p' → 'corp'.
    expect(company('Pacific Oceanic C.o.r.p.')).toBe('pacific oceanic');
  });

  it('rejects names with nothing left', () => {
    expect(company('...')).toBe('!BAD_FORMAT');
    expect(company('   ')).toBe('!BAD_FORMAT');
  });
});

describe('normalizePersonName and foldName', () => {
  it('lowercases, strips diacritics, transliterates and collapses punctuation', () => {
    expect(person('  José   Pérez-Núñez ')).toBe('jose perez nunez');
    expect(person("Seán O'Brien")).toBe('sean obrien');
    expect(person('Łukasz Żółć')).toBe('lukasz zolc');
    expect(person('Søren Kierkegaard')).toBe('soren kierkegaard');
    expect(person('Ægir Þórsson')).toBe('aegir thorsson');
    expect(person('Straße')).toBe('strasse');
    expect(person('Đorđe Đukić')).toBe('dorde dukic');
    expect(person('İBRAHİM Yılmaz')).toBe('ibrahim yilmaz');
    expect(person('ＪＯＨＮ　ＳＭＩＴＨ')).toBe('john smith');
    expect(person('Владимир Иванов')).toBe('владимир иванов');
    expect(person('—')).toBe('!BAD_FORMAT');
  });

  it('tokenises normalised names', () => {
    expect(nameTokens('frutas del pacifico')).toEqual(['frutas', 'del', 'pacifico']);
    expect(nameTokens('')).toEqual([]);
  });

  it('property: folding is idempotent and yields lowercase single-spaced tokens', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (raw) => {
        const once = foldName(raw);
        expect(foldName(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/ {2}/);
        expect(once).toBe(once.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });

  it('property: company normalisation is idempotent', () => {
    const word = fc.constantFrom(
      'frutas',
      'del',
      'sa',
      's',
      'a',
      'c',
      'co',
      'gmbh',
      'kg',
      'ltd',
      'banana',
      'x',
      'de',
      'cv',
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (words) => {
        const first = normalizeCompanyName(words.join(' '));
        if (!first.ok) return;
        expect(normalizeCompanyName(first.value)).toEqual(first);
      }),
    );
  });
});
