import { describe, expect, it } from 'vitest';
import {
  categoryColour,
  formatAlertAmount,
  formatAmount,
  parseReason,
  parseSubject,
  shortId,
} from './format.ts';
import { categoryKey } from './useCategoryLabel.ts';

describe('finance UI formatting', () => {
  it('reads the search box as a transaction, a cluster or an address', () => {
    const txid = 'Ab'.repeat(32);
    expect(parseSubject(` ${txid} `)).toEqual({ kind: 'tx', value: txid.toLowerCase() });
    expect(parseSubject('cluster:42')).toEqual({ kind: 'cluster', value: 'cluster:42', clusterId: 42 });
    expect(parseSubject('42')).toEqual({ kind: 'cluster', value: 'cluster:42', clusterId: 42 });
    expect(parseSubject('bc1qxyz')).toEqual({ kind: 'address', value: 'bc1qxyz' });
    expect(parseSubject('TXYZ')).toEqual({ kind: 'address', value: 'TXYZ' });
    expect(parseSubject('   ')).toBeNull();
  });

  it('shows satoshis as BTC in the UI language, other units as they are', () => {
    expect(formatAmount(123_456_789, 'sat', 'en')).toBe('1.23456789 BTC');
    expect(formatAmount(4_000_000, 'sat', 'nl')).toBe('0,04 BTC');
    expect(formatAmount(1500.5, 'USDT', 'de')).toBe('1.500,5 USDT');
    expect(formatAmount(7, '', 'en')).toBe('7');
    expect(formatAlertAmount('4000000', 'btc', 'fr')).toBe('0,04 BTC');
    expect(formatAlertAmount('12.5', 'tron', 'en')).toBe('12.5');
    expect(formatAlertAmount('not a number', 'eth', 'en')).toBe('not a number');
  });

  it('reads the server’s exposure reasons back into their parts', () => {
    expect(parseReason('88.6% of the value sent reached exchange within 3 hops')).toEqual({
      kind: 'sent',
      percent: '88.6',
      category: 'exchange',
      hops: '3',
    });
    expect(parseReason('100.0% of the value received came from darknet market within 3 hops')).toEqual({
      kind: 'received',
      percent: '100.0',
      category: 'darknet market',
      hops: '3',
    });
    expect(parseReason('no exposure to tagged risky categories within 3 hops')).toEqual({
      kind: 'none',
      hops: '3',
    });
    expect(parseReason('bc1qabc is tagged mixer')).toEqual({
      kind: 'tagged',
      address: 'bc1qabc',
      category: 'mixer',
    });
    expect(parseReason('something the UI does not know')).toBeNull();
  });

  it('names categories and colours them consistently', () => {
    expect(categoryKey('darknet market')).toBe('darknet_market');
    expect(categoryKey('Mining-Pool')).toBe('mining_pool');
    expect(categoryColour('darknet market')).toBe(categoryColour('darknet_market'));
    expect(categoryColour('exchange')).not.toBe(categoryColour('mixer'));
    expect(categoryColour(null)).toBe(categoryColour(null));
    expect(shortId('bc1q0em647jf8ffu4npsuzkn9z6q892gtxkca2w5dk', 6)).toBe('bc1q0e…a2w5dk');
    expect(shortId('short', 6)).toBe('short');
  });
});
