import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import type { InterchangeItem } from './interchange.ts';
import { parseMispEvent } from './misp.ts';
import {
  handlingCodeMarkingId,
  parseStixBundle,
  patternComparisons,
  STIX_20_REJECTED,
  stixPatternFor,
  toStixBundle,
} from './stix.ts';
import { STIX_TLP1_MARKING_IDS } from './tlp.ts';

const FIXTURES = process.env.PORTSHIELD_FIXTURES ?? resolve(import.meta.dirname, '../../../shared/fixtures');
const fixture = (dir: string, name: string): unknown =>
  JSON.parse(readFileSync(resolve(FIXTURES, dir, name), 'utf8'));

const ITEM_ID = '9b7e2a10-4c3d-4e5f-8a9b-0c1d2e3f4a5b';

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('parseStixBundle: indicator-for-c2-ip-address (2.1)', () => {
  const item = parseStixBundle(fixture('stix', 'indicator-for-c2-ip-address.json'));

  it('gives one ip observable', () => {
    expect(item.observables).toEqual([{ type: 'ip', value: '10.0.0.0', toIds: true }]);
  });

  it('takes the title from the indicator and defaults to AMBER', () => {
    expect(item.title).toBe('IP Address for known C2 channel');
    expect(item.externalId).toBe('bundle--44af6c39-c09b-49c5-9de2-394224b04982');
    expect(item.createdAt).toBe('2014-05-08T09:00:00.000Z');
    expect(item.marking).toEqual({
      tlp: 'AMBER',
      handlingCode: null,
      sourceReliability: null,
      infoCredibility: null,
    });
    expect(item.source).toBeNull();
  });
});

describe('parseStixBundle: malicious-email-indicator-with-attachment (2.1)', () => {
  const item = parseStixBundle(fixture('stix', 'malicious-email-indicator-with-attachment.json'));

  it('gets observables from both indicators, never reading a regex as a value of a typed observable', () => {
    expect(item.observables).toEqual([
      {
        type: 'other',
        value: '^[IMPORTANT] Please Review Before',
        comment: 'STIX pattern: email-message:subject MATCHES',
        toIds: true,
      },
      {
        type: 'other',
        value: '^Final Report.+\\.exe$',
        comment: 'STIX pattern: email-message:body_multipart[*].body_raw_ref.name MATCHES',
        toIds: true,
      },
    ]);
  });

  it('resolves the TLP 1.0 GREEN marking the identity references, though it is not in the bundle', () => {
    // marking-definition--34098fce-... is the STIX 2.1 predefined TLP:GREEN (TLP 1.0).
    expect(STIX_TLP1_MARKING_IDS.GREEN).toBe('marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da');
    expect(item.marking.tlp).toBe('GREEN');
  });

  it('reads title and source', () => {
    expect(item.title).toBe('Malicious E-mail');
    expect(item.source).toBe('The MITRE Corporation - DHS Support Team');
    expect(item.tags).toEqual([]);
  });
});

describe('parseStixBundle: STIX 2.0 is refused', () => {
  for (const name of [
    'threat-actor-leveraging-attack-patterns-and-malware.stix20.json',
    'sighting-of-observed-data.stix20.json',
  ]) {
    it(name, () => {
      const err = appError(() => parseStixBundle(fixture('stix', name)));
      expect(err.code).toBe('IMPORT_FAILED');
      expect(err.message).toBe(STIX_20_REJECTED);
      expect(err.message).toBe('STIX 2.0 is not supported; convert to 2.1');
    });
  }

  it('also when only the objects say so (no spec_version on an SDO)', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--11111111-1111-4111-8111-111111111111',
      objects: [
        {
          type: 'indicator',
          id: 'indicator--22222222-2222-4222-8222-222222222222',
          pattern: "[url:value = 'x']",
        },
      ],
    };
    const err = appError(() => parseStixBundle(bundle));
    expect(err.message).toBe(STIX_20_REJECTED);
    expect(err.details[0]?.path).toBe('objects.0.spec_version');
  });
});

describe('parseStixBundle: tolerance and errors', () => {
  const id = (type: string, n: number) =>
    `${type}--${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const sdo = (type: string, n: number, extra: Record<string, unknown>) => ({
    type,
    spec_version: '2.1',
    id: id(type, n),
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    ...extra,
  });

  it('reads SCOs, ignores unknown types, and takes the most restrictive marking over all objects', () => {
    const bundle = {
      type: 'bundle',
      id: id('bundle', 1),
      objects: [
        { type: 'ipv6-addr', id: id('ipv6-addr', 1), value: '2001:db8::1' },
        { type: 'domain-name', spec_version: '2.1', id: id('domain-name', 1), value: 'evil.example' },
        {
          type: 'file',
          spec_version: '2.1',
          id: id('file', 1),
          name: 'invoice.pdf.exe',
          hashes: { MD5: '1717b7fff97d37a1e1a0029d83492de1', 'SHA-256': 'ab'.repeat(32), SSDEEP: '3:x:y' },
          object_marking_refs: [STIX_TLP1_MARKING_IDS.WHITE],
        },
        {
          type: 'windows-registry-key',
          spec_version: '2.1',
          id: id('windows-registry-key', 1),
          key: 'HKLM\\X',
        },
        { type: 'x-acme-thing', id: id('x-acme-thing', 1), foo: 1 },
        sdo('malware', 1, {
          name: 'M',
          is_family: false,
          object_marking_refs: ['marking-definition--unknown'],
        }),
        sdo('indicator', 1, {
          pattern:
            "[file:hashes.'SHA-1' = '77b0c41b7d340b8a3d903f21347bbf06aa766b5b'] AND [url:value NOT = 'x']",
          pattern_type: 'stix',
          valid_from: '2024-01-01T00:00:00Z',
          granular_markings: [{ marking_ref: STIX_TLP1_MARKING_IDS.AMBER, selectors: ['pattern'] }],
        }),
        sdo('indicator', 2, {
          pattern: 'alert tcp any any -> any any',
          pattern_type: 'snort',
          valid_from: 'x',
        }),
      ],
    };
    const item = parseStixBundle(bundle);
    expect(item.observables).toEqual([
      { type: 'ip', value: '2001:db8::1', toIds: false },
      { type: 'domain', value: 'evil.example', toIds: false },
      { type: 'filename', value: 'invoice.pdf.exe', toIds: false },
      { type: 'hash', value: '1717b7fff97d37a1e1a0029d83492de1', toIds: false },
      { type: 'hash', value: 'ab'.repeat(32), toIds: false },
      { type: 'hash', value: '77b0c41b7d340b8a3d903f21347bbf06aa766b5b', toIds: true },
    ]);
    expect(item.marking.tlp).toBe('AMBER');
    expect(item.title).toBe(`STIX bundle ${id('bundle', 1)}`);
  });

  it('resolves markings from marking-definition objects by content, and statement markings for handling codes', () => {
    const custom = 'marking-definition--33333333-3333-4333-8333-333333333333';
    const bundle = {
      type: 'bundle',
      id: id('bundle', 2),
      objects: [
        {
          type: 'marking-definition',
          spec_version: '2.1',
          id: custom,
          created: '2024-01-01T00:00:00.000Z',
          definition_type: 'tlp',
          definition: { tlp: 'red' },
        },
        sdo('report', 1, {
          name: 'R',
          published: '2024-02-02T00:00:00Z',
          object_refs: [id('indicator', 1)],
          object_marking_refs: [custom, handlingCodeMarkingId('H2')],
          labels: ['europol:handling-code="H0"', 'topic:cocaine'],
        }),
      ],
    };
    const item = parseStixBundle(bundle);
    expect(item.marking.tlp).toBe('RED');
    expect(item.marking.handlingCode).toBe('H2');
    expect(item.tags).toEqual(['topic:cocaine', 'europol:handling-code="H0"']);
    expect(item.createdAt).toBe('2024-02-02T00:00:00.000Z');
  });

  it('rejects what is not a bundle, pointing at the problem', () => {
    expect(appError(() => parseStixBundle('x')).details[0]?.path).toBe('(root)');
    expect(appError(() => parseStixBundle({ type: 'report', id: 'bundle--x' })).details[0]?.path).toBe(
      'type',
    );
    expect(
      appError(() => parseStixBundle({ type: 'bundle', id: 'bundle--x', objects: {} })).details[0]?.path,
    ).toBe('objects');
    const noId = appError(() =>
      parseStixBundle({ type: 'bundle', id: 'bundle--x', objects: [{ type: 'url', value: 'http://x' }] }),
    );
    expect(noId.code).toBe('IMPORT_FAILED');
    expect(noId.details[0]?.path).toBe('objects.0.id');
    const badPattern = appError(() =>
      parseStixBundle({ type: 'bundle', id: 'bundle--x', objects: [sdo('indicator', 1, { pattern: 7 })] }),
    );
    expect(badPattern.details[0]?.path).toBe('objects.0.pattern');
  });
});

describe('patternComparisons', () => {
  it('reads escapes, quoted paths, IN sets and qualifiers', () => {
    expect(
      patternComparisons(
        "([domain-name:value IN ('a.example', 'b\\'s.example')] OR [file:hashes.'SHA-256' = 'ff']) WITHIN 600 SECONDS",
      ),
    ).toEqual([
      { objectType: 'domain-name', property: 'value', operator: 'IN', values: ['a.example', "b's.example"] },
      { objectType: 'file', property: 'hashes.SHA-256', operator: '=', values: ['ff'] },
    ]);
    expect(patternComparisons("[file:size > 10 AND file:created = t'2020-01-01T00:00:00Z']")).toEqual([]);
    expect(patternComparisons('[url:value = "double quotes are not STIX"]')).toBeNull();
  });

  it('writes patterns that read back', () => {
    const p = stixPatternFor({ type: 'filename', value: "it's\\here.exe" });
    expect(p).toBe("[file:name = 'it\\'s\\\\here.exe']");
    expect(patternComparisons(p ?? '')?.[0]?.values).toEqual(["it's\\here.exe"]);
    expect(stixPatternFor({ type: 'hash', value: '0749bae92ca336a02c83d126e04ec628' })).toBe(
      "[file:hashes.MD5 = '0749bae92ca336a02c83d126e04ec628']",
    );
    expect(stixPatternFor({ type: 'vessel', value: 'IMO 9321483' })).toBeNull();
  });
});

describe('toStixBundle', () => {
  const item: InterchangeItem & { id: string; createdAt: string; ownerOrgName: string } = {
    id: ITEM_ID,
    kind: 'rfi',
    title: 'Who owns this reefer?',
    body: 'Please check **MSKU1234565**.',
    marking: { tlp: 'AMBER+STRICT', handlingCode: 'H2', sourceReliability: 'B', infoCredibility: '3' },
    observables: [
      { type: 'ip', value: '203.0.113.9', comment: 'C2', toIds: true },
      {
        type: 'hash',
        value: 'b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68',
        toIds: true,
      },
      { type: 'url', value: 'https://example.org/report', comment: 'press', toIds: false },
      { type: 'email', value: 'broker@example.net', toIds: false },
      { type: 'container', value: 'MSKU1234565', comment: 'reefer', toIds: true },
      { type: 'iban', value: 'NL91ABNA0417164300', toIds: false },
    ],
    tags: ['operation:"tidal"', 'europol:handling-code="H1"'],
    externalId: null,
    createdAt: '2024-03-05T10:20:30Z',
    source: 'Dutch Customs',
    ownerOrgName: 'Douane Nederland',
  };

  it('emits a valid-looking STIX 2.1 bundle', () => {
    const bundle = toStixBundle(item);
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(bundle).not.toHaveProperty('spec_version');
    const types = bundle.objects.map((o) => o.type);
    expect(types).toEqual([
      'marking-definition',
      'marking-definition',
      'identity',
      'report',
      'indicator',
      'indicator',
      'url',
      'note',
      'email-addr',
      'x-portshield-observable',
      'x-portshield-observable',
    ]);
    const ids = bundle.objects.map((o) => o.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of bundle.objects) {
      expect(o.spec_version).toBe('2.1');
      expect(String(o.id).startsWith(`${String(o.type)}--`)).toBe(true);
      if (o.type !== 'marking-definition') {
        expect(o.object_marking_refs).toEqual([
          'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
          handlingCodeMarkingId('H2'),
        ]);
      }
    }
    const report = bundle.objects.find((o) => o.type === 'report');
    expect(report).toMatchObject({
      name: item.title,
      description: item.body,
      published: '2024-03-05T10:20:30.000Z',
      labels: [
        'admiralty-scale:source-reliability="b"',
        'admiralty-scale:information-credibility="3"',
        'portshield:kind="rfi"',
        'operation:"tidal"',
        'europol:handling-code="H1"',
      ],
    });
    const refs = new Set(report?.object_refs as string[]);
    for (const o of bundle.objects.slice(4)) expect(refs.has(o.id as string)).toBe(true);
    const indicator = bundle.objects.find((o) => o.type === 'indicator');
    expect(indicator).toMatchObject({
      pattern: "[ipv4-addr:value = '203.0.113.9']",
      pattern_type: 'stix',
      description: 'C2',
      valid_from: '2024-03-05T10:20:30.000Z',
    });
  });

  it('derives SCO ids from content (STIX 2.1 §2.9) and everything else from the item id', () => {
    const a = toStixBundle(item);
    const b = toStixBundle({ ...item });
    expect(a).toEqual(b);
    const other = toStixBundle({ ...item, id: '0e8f5b4a-1111-4222-8333-444455556666' });
    const urlA = a.objects.find((o) => o.type === 'url');
    const urlB = other.objects.find((o) => o.type === 'url');
    expect(urlA?.id).toBe(urlB?.id);
    expect(a.id).not.toBe(other.id);
  });

  it('round-trips an exported bundle', () => {
    const back = parseStixBundle(JSON.parse(JSON.stringify(toStixBundle(item))));
    expect(back.observables).toEqual(item.observables);
    expect(back.marking).toEqual(item.marking);
    expect(back.kind).toBe('rfi');
    expect(back.title).toBe(item.title);
    expect(back.body).toBe(item.body);
    expect(back.tags).toEqual(item.tags);
    expect(back.createdAt).toBe('2024-03-05T10:20:30.000Z');
    expect(back.source).toBe('Douane Nederland');
  });

  it('round-trips the MISP fixtures through STIX', () => {
    const first = parseMispEvent(fixture('misp', 'circl-xorist-57c4445b.json'));
    const back = parseStixBundle(
      toStixBundle({
        ...first,
        id: ITEM_ID,
        createdAt: first.createdAt ?? '',
        ownerOrgName: 'PortShield NL',
      }),
    );
    expect(back.observables).toEqual(first.observables);
    expect(back.marking).toEqual(first.marking);
    expect(back.tags).toEqual(first.tags);
  });

  it('refuses TLP:RED', () => {
    const err = appError(() => toStixBundle({ ...item, marking: { ...item.marking, tlp: 'RED' } }));
    expect(err.code).toBe('MARKING_VIOLATION');
  });

  it('references the owner identity when there are no observables', () => {
    const bundle = toStixBundle({ ...item, observables: [] });
    const identity = bundle.objects.find((o) => o.type === 'identity');
    const report = bundle.objects.find((o) => o.type === 'report');
    expect(report?.object_refs).toEqual([identity?.id]);
  });
});
