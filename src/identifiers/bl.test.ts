import { describe, expect, it } from 'vitest';
import { validateBillOfLading } from './bl.ts';

describe('validateBillOfLading', () => {
  it('uppercases and strips spaces and dashes', () => {
    expect(validateBillOfLading('medu xy 123456')).toEqual({ ok: true, value: 'MEDUXY123456' });
    expect(validateBillOfLading('HLCU-RTM-1234567')).toEqual({ ok: true, value: 'HLCURTM1234567' });
  });

  it('rejects other characters and implausible lengths', () => {
    expect(validateBillOfLading('MEDU/123456')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateBillOfLading('AB1')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateBillOfLading('A'.repeat(21))).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
  });
});
