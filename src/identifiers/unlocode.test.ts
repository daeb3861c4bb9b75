import { describe, expect, it } from 'vitest';
import { ISO_3166_ALPHA2 } from './countries.ts';
import { validateUnLocode } from './unlocode.ts';

describe('validateUnLocode', () => {
  it('accepts real port codes with or without a separator', () => {
    expect(validateUnLocode('NL RTM')).toEqual({ ok: true, value: 'NLRTM' });
    expect(validateUnLocode('nlrtm')).toEqual({ ok: true, value: 'NLRTM' });
    expect(validateUnLocode('BE-ANR')).toEqual({ ok: true, value: 'BEANR' });
    expect(validateUnLocode('ECGYE')).toEqual({ ok: true, value: 'ECGYE' });
    expect(validateUnLocode('PE CLL')).toEqual({ ok: true, value: 'PECLL' });
    expect(validateUnLocode('CO BUN')).toEqual({ ok: true, value: 'COBUN' });
  });

  it('rejects unknown countries and characters outside A–Z, 2–9', () => {
    expect(validateUnLocode('XX RTM')).toMatchObject({ ok: false, code: 'UNKNOWN_COUNTRY' });
    expect(validateUnLocode('UK LON')).toMatchObject({ ok: false, code: 'UNKNOWN_COUNTRY' });
    expect(validateUnLocode('NL RT1')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateUnLocode('NL RT0')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateUnLocode('N1RTM')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateUnLocode('NL RTMX')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateUnLocode('NL/RTM')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });

  it('uses the full ISO 3166-1 alpha-2 list', () => {
    expect(ISO_3166_ALPHA2.size).toBe(249);
    for (const code of ISO_3166_ALPHA2) expect(code).toMatch(/^[A-Z]{2}$/);
  });
});
