import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json' with { type: 'json' };
import { defaultQueuePort, isQueuePort, PORTS, portInfo, portName, QUEUE_PORTS } from './ports.ts';
import { niceMax } from './TrendChart.tsx';
import { addDays, isIsoDate, localDate, reasonKey } from './useCargoText.ts';

describe('cargo ports', () => {
  // That every port of the demo world's lanes is here is checked against the generator itself
  // (test/cargo-ports.test.ts).
  it('places every port with coordinates on the globe', () => {
    for (const code of Object.keys(PORTS)) {
      const info = portInfo(code);
      expect(info, code).toBeDefined();
      expect(Math.abs(info?.lat ?? 999)).toBeLessThanOrEqual(90);
      expect(Math.abs(info?.lon ?? 999)).toBeLessThanOrEqual(180);
    }
  });

  it('keeps each port in its country (the LOCODE prefix) and in the right hemisphere', () => {
    for (const [code, info] of Object.entries(PORTS)) {
      expect(code).toMatch(/^[A-Z]{2}[A-Z2-9]{3}$/);
      expect(info.country, code).toBe(code.slice(0, 2));
    }
    // European ports north of the equator and east of the Atlantic; Latin American origins west.
    for (const code of QUEUE_PORTS) expect(PORTS[code]?.lat).toBeGreaterThan(35);
    for (const code of ['ECGYE', 'PECLL', 'BRSSZ']) expect(PORTS[code]?.lat).toBeLessThan(0);
    for (const code of ['COCTG', 'PAONX', 'CRMOB']) expect(PORTS[code]?.lon).toBeLessThan(-60);
    // Antwerp lies north of Algeciras and east of Le Havre.
    expect(PORTS.BEANR?.lat).toBeGreaterThan(PORTS.ESALG?.lat ?? 90);
    expect(PORTS.BEANR?.lon).toBeGreaterThan(PORTS.FRLEH?.lon ?? 180);
  });

  it('reads LOCODEs as filers write them and names unknown ports by their code', () => {
    expect(portInfo('BE ANR')?.name).toBe('Antwerp');
    expect(portInfo('beanr')?.name).toBe('Antwerp');
    expect(portName('BEANR')).toBe('BEANR (Antwerp)');
    expect(portName('XXZZZ')).toBe('XXZZZ');
  });

  it("defaults the queue to the first port of the user's country, else to the first port", () => {
    expect(defaultQueuePort('BE')).toBe('BEANR');
    expect(defaultQueuePort('nl')).toBe('NLRTM');
    expect(defaultQueuePort('ES')).toBe('ESALG');
    expect(defaultQueuePort('IT')).toBe('ITGIT');
    expect(defaultQueuePort('CO')).toBe(QUEUE_PORTS[0]);
    expect(defaultQueuePort(null)).toBe(QUEUE_PORTS[0]);
    expect(isQueuePort('DEHAM')).toBe(true);
    expect(isQueuePort('ECGYE')).toBe(false);
    expect(isQueuePort(null)).toBe(false);
  });
});

describe('cargo texts', () => {
  it('translates indicator ids and rule ids (with or without the rule: prefix and a version)', () => {
    const indicators = (en as { cargo: { indicators: Record<string, string> } }).cargo.indicators;
    expect(reasonKey('high-risk-port')).toBe('cargo.indicators.high-risk-port');
    expect(reasonKey('rule:new-importer-risky-cover')).toBe('cargo.indicators.new-importer-risky-cover');
    expect(reasonKey('rule:new-importer-risky-cover@3')).toBe('cargo.indicators.new-importer-risky-cover');
    expect(indicators['new-importer-risky-cover']).toBeDefined();
    expect(indicators['seal-anomaly']).toBe('Seal anomaly');
  });

  it('does date arithmetic on calendar days, across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-11-22', -83)).toBe('2026-08-31');
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(isIsoDate('2026-11-22')).toBe(true);
    expect(isIsoDate('2026-13-40')).toBe(false);
    expect(isIsoDate('22/11/2026')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('trend chart axis', () => {
  it('rounds the maximum up to four even steps', () => {
    expect(niceMax(0)).toEqual({ top: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
    expect(niceMax(37)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceMax(0.153).top).toBeCloseTo(0.2);
    const { top, ticks } = niceMax(1842);
    expect(top).toBeGreaterThanOrEqual(1842);
    expect(top).toBeLessThan(1842 * 1.5);
    expect(ticks).toHaveLength(5);
  });
});
