import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError } from '../platform/errors.ts';
import { parseTagPack, toTagPackYaml } from './tagpack.ts';

const read = (name: string): string => readFileSync(`/work/shared/fixtures/tagpacks/${name}.yaml`, 'utf8');

function importError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('IMPORT_FAILED');
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('parseTagPack', () => {
  it('binance_hack: 44 tags inheriting every field from the header, all valid', () => {
    const pack = parseTagPack(read('binance_hack'));
    expect(pack.header).toMatchObject({
      title: 'GraphSense Binance',
      label: 'binance hack',
      abuse: 'service_hack',
      currency: 'BTC',
      lastmod: '2019-07-03',
    });
    expect(pack.tags).toHaveLength(44);
    expect(new Set(pack.tags.map((t) => t.address)).size).toBe(44);
    expect(pack.invalidAddresses).toEqual([]);
    expect(pack.tags[0]).toEqual({
      address: '14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM2',
      currency: 'BTC',
      label: 'binance hack',
      category: null,
      abuse: 'service_hack',
      source: 'https://www.coindesk.com/hackers-steal-40-7-million-in-bitcoin-from-crypto-exchange-binance',
      confidence: null,
      lastmod: '2019-07-03',
      isClusterDefiner: false,
      context: null,
      addressValid: true,
    });
    const byPrefix = (p: string) => pack.tags.filter((t) => t.address.startsWith(p)).length;
    expect([byPrefix('1'), byPrefix('3'), byPrefix('bc1q')]).toEqual([7, 16, 21]);
  });

  it('coinjoin_bounty: one valid P2SH tag, no abuse field', () => {
    const pack = parseTagPack(read('coinjoin_bounty'));
    expect(pack.tags).toHaveLength(1);
    expect(pack.tags[0]).toMatchObject({
      address: '3M8XGFBKwkf7miBzpkU3x2DoWwAVrD1mhk',
      label: 'Coinjoin Bounty',
      abuse: null,
      lastmod: '2020-02-04',
      addressValid: true,
    });
  });

  it('multiple_tags_for_address: two labels on one invalid address, loaded and flagged; no trailing newline', () => {
    const text = read('multiple_tags_for_address');
    expect(text.endsWith('\n')).toBe(false);
    const pack = parseTagPack(text);
    expect(pack.tags.map((t) => [t.address, t.label])).toEqual([
      ['1bacdeddg32dsfk5692dmn23', 'sometag'],
      ['1bacdeddg32dsfk5692dmn23', 'othertag'],
    ]);
    for (const t of pack.tags) {
      expect(t).toMatchObject({
        confidence: 'web_crawl',
        isClusterDefiner: true,
        currency: 'BTC',
        addressValid: false,
      });
    }
    expect(pack.invalidAddresses).toEqual(['1bacdeddg32dsfk5692dmn23']);
  });

  it('tags override header fields; other currencies are not validated', () => {
    const pack = parseTagPack(
      [
        'title: t',
        'label: default',
        'category: exchange',
        'currency: BTC',
        'is_cluster_definer: true',
        'tags:',
        '- address: 14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM2',
        '  label: own label',
        '  category: miner',
        '  is_cluster_definer: false',
        '- address: "0xdeadbeef"',
        '  currency: ETH',
      ].join('\n'),
    );
    expect(pack.tags[0]).toMatchObject({ label: 'own label', category: 'miner', isClusterDefiner: false });
    expect(pack.tags[1]).toMatchObject({
      label: 'default',
      category: 'exchange',
      currency: 'ETH',
      addressValid: null,
    });
  });

  it('reports YAML and structure errors with where they are', () => {
    expect(importError(() => parseTagPack('title: [unclosed\ntags: []')).message).toMatch(
      /not valid YAML \(line/,
    );
    expect(importError(() => parseTagPack('- just a list')).message).toMatch(/expected a mapping/);
    expect(importError(() => parseTagPack('title: x\n')).details[0]!.path).toBe('tags');
    expect(importError(() => parseTagPack('title: x\nlabel: l\ntags:\n- label: y\n')).details[0]!.path).toBe(
      'tags.0.address',
    );
    expect(importError(() => parseTagPack('title: x\ntags:\n- address: a\n')).details[0]!.path).toBe(
      'tags.0.label',
    );
    expect(importError(() => parseTagPack('tags: []\n')).details[0]!.path).toBe('title');
    expect(
      importError(() => parseTagPack('title: x\nlabel: l\ntags:\n- address: [1]\n')).details[0]!.path,
    ).toBe('tags.0.address');
  });
});

describe('toTagPackYaml', () => {
  it('round-trips the three fixtures, writing only what differs from the header', () => {
    for (const name of ['binance_hack', 'coinjoin_bounty', 'multiple_tags_for_address']) {
      const pack = parseTagPack(read(name));
      const yaml = toTagPackYaml(pack.header, pack.tags);
      const again = parseTagPack(yaml);
      expect(again.tags).toEqual(pack.tags);
      expect(again.header).toEqual(pack.header);
    }
    const binance = parseTagPack(read('binance_hack'));
    const written = parse(toTagPackYaml(binance.header, binance.tags)) as { tags: Record<string, unknown>[] };
    expect(written.tags.every((t) => Object.keys(t).join() === 'address')).toBe(true);
  });

  it('writes per-tag overrides', () => {
    const pack = parseTagPack(read('coinjoin_bounty'));
    const tags = [
      ...pack.tags,
      { ...pack.tags[0]!, address: '14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM2', abuse: 'mixing' },
    ];
    const text = toTagPackYaml(pack.header, tags);
    const again = parseTagPack(text);
    expect(again.tags[1]).toMatchObject({ abuse: 'mixing', label: 'Coinjoin Bounty', addressValid: true });
    expect(again.tags[0]!.abuse).toBeNull();
  });
});
