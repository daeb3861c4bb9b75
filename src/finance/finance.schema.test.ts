import { describe, expect, it } from 'vitest';
import { tbmlQuerySchema } from './finance.schema.ts';

describe('TBML query', () => {
  it('reads the port as a UN/LOCODE through the identifiers module, as filers write it', () => {
    expect(tbmlQuerySchema.parse({ port: 'nl rtm' }).port).toBe('NLRTM');
    expect(tbmlQuerySchema.parse({ port: 'BEANR' }).port).toBe('BEANR');
  });

  it('refuses what is not a UN/LOCODE, with the path of the field', () => {
    for (const port of ['BE', 'BEANRX1', 'B1ANR', 'ZZANR']) {
      const r = tbmlQuerySchema.safeParse({ port });
      expect(r.success, port).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['port']);
    }
  });
});
