import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import type { InterchangeItem } from './interchange.ts';
import { parseMispEvent, toMispEvent } from './misp.ts';

const FIXTURES = process.env.PORTSHIELD_FIXTURES ?? resolve(import.meta.dirname, '../../../shared/fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, 'misp', name), 'utf8'));

const ITEM_ID = '3f1c9a52-8a2b-4c1e-9d3e-1a2b3c4d5e6f';

function importError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('parseMispEvent: circl-xorist (wrapped, real CIRCL OSINT event)', () => {
  const item = parseMispEvent(fixture('circl-xorist-57c4445b.json'));

  it('reads the event metadata', () => {
    expect(item.title).toBe('Ransomware - Xorist');
    expect(item.externalId).toBe('57c4445b-c548-4654-af0b-4be3950d210f');
    expect(item.source).toBe('CIRCL');
    // timestamp (2016-08-30) is not on `date`, so the reference date wins.
    expect(item.createdAt).toBe('2016-08-29T00:00:00.000Z');
    expect(item.kind).toBe('report');
  });

  it('reads tlp:white as CLEAR and keeps the 3 non-TLP tags', () => {
    expect(item.marking).toEqual({
      tlp: 'CLEAR',
      handlingCode: null,
      sourceReliability: null,
      infoCredibility: null,
    });
    expect(item.tags).toEqual([
      'circl:incident-classification="malware"',
      'ms-caro-malware:malware-type="Ransom"',
      'malware_classification:malware-category="Ransomware"',
    ]);
  });

  it('turns the 9 attributes into 7 observables and 2 body paragraphs', () => {
    expect(item.observables).toEqual([
      {
        type: 'url',
        value:
          'https://www.virustotal.com/file/b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68/analysis/1469554268/',
        comment:
          'Imported via the Freetext Import Tool - Xchecked via VT: b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68',
        toIds: false,
      },
      {
        type: 'url',
        value: 'http://www.xylibox.com/2011/06/have-fun-with-trojan-ransomwin32xorist.html',
        toIds: false,
      },
      {
        type: 'filename',
        value: '3Z4wnG9603it23y.exe',
        comment: 'Imported via the Freetext Import Tool',
        toIds: true,
      },
      {
        type: 'hash',
        value: '0749bae92ca336a02c83d126e04ec628',
        comment: 'Imported via the Freetext Import Tool',
        toIds: true,
      },
      {
        type: 'hash',
        value: '77b0c41b7d340b8a3d903f21347bbf06aa766b5b',
        comment: 'Imported via the Freetext Import Tool',
        toIds: true,
      },
      {
        type: 'hash',
        value: 'b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68',
        comment: 'Imported via the Freetext Import Tool',
        toIds: true,
      },
      {
        type: 'other',
        value: 'Software\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run|%TEMP%\\3Z4wnG9603it23y.exe',
        comment: 'MISP type: regkey|value',
        toIds: true,
      },
    ]);
    // to_ids is true on 5 attributes; all 5 are observables.
    expect(item.observables.filter((o) => o.toIds)).toHaveLength(5);
  });

  it('puts the comment and text attributes in the body, with CRLF normalised', () => {
    expect(item.body).toBe(
      'UPX packed\n\nKey: 85350044dF4AC3518D185678A9414A7F,\nEncryption rounds:8,\nStart offset: 64,\nAlgorithm: TEA',
    );
  });
});

describe('parseMispEvent: pymisp-misp_event (bare event)', () => {
  const item = parseMispEvent(fixture('pymisp-misp_event.json'));

  it('reads an event without the Event wrapper', () => {
    expect(item.title).toBe('A Random Event');
    expect(item.externalId).toBe('5758ebf5-c898-48e6-9fe9-5665c0a83866');
    expect(item.source).toBe('ORGNAME');
    expect(item.tags).toEqual(['ecsirt:malicious-code="ransomware"', 'for_intelmq_processing']);
  });

  it('maps its 2 attributes: a url observable and a text body', () => {
    expect(item.observables).toEqual([
      { type: 'url', value: 'http://fake.website.com/malware/is/here', toIds: false },
    ]);
    expect(item.body).toBe('Locky');
  });

  it('defaults to AMBER when the event has no TLP tag', () => {
    expect(item.marking.tlp).toBe('AMBER');
  });
});

describe('parseMispEvent: pymisp-event_obj_attr_tag (objects only)', () => {
  const item = parseMispEvent(fixture('pymisp-event_obj_attr_tag.json'));

  it('reads attributes inside objects, with numeric distribution', () => {
    expect(item.observables).toEqual([
      { type: 'filename', value: 'bar', toIds: true },
      { type: 'url', value: 'https://www.circl.lu', toIds: true },
    ]);
  });

  it('copes with no uuid, info or date, and keeps the attribute tag', () => {
    expect(item.externalId).toBeNull();
    expect(item.title).toBe('Untitled MISP event');
    expect(item.createdAt).toBeNull();
    expect(item.source).toBeNull();
    expect(item.tags).toEqual(['blah']);
  });
});

describe('parseMispEvent: mapping and markings', () => {
  const event = (attributes: unknown[], tags: string[] = []) => ({
    Event: { info: 'x', Attribute: attributes, Tag: tags.map((name) => ({ name })) },
  });

  it('splits composite types and maps the financial and network types', () => {
    const item = parseMispEvent(
      event([
        { type: 'filename|md5', value: 'a.exe|0749bae92ca336a02c83d126e04ec628', to_ids: true },
        { type: 'domain|ip', value: 'evil.example|203.0.113.9', to_ids: '1' },
        { type: 'ip-dst|port', value: '198.51.100.7|443', to_ids: 0 },
        { type: 'hostname', value: 'c2.example' },
        { type: 'email-src', value: 'a@b.example' },
        { type: 'phone-number', value: '+31 20 123 4567' },
        { type: 'iban', value: 'NL91ABNA0417164300' },
        { type: 'btc', value: '3M8XGFBKwkf7miBzpkU3x2DoWwAVrD1mhk' },
        { type: 'sha3-256', value: 'ab'.repeat(32) },
        { type: 'AS', value: 'AS64500', comment: 'transit' },
        { type: 'text', value: 'ignored as observable', deleted: true },
      ]),
    );
    expect(item.observables).toEqual([
      { type: 'filename', value: 'a.exe', toIds: true },
      { type: 'hash', value: '0749bae92ca336a02c83d126e04ec628', toIds: true },
      { type: 'domain', value: 'evil.example', toIds: true },
      { type: 'ip', value: '203.0.113.9', toIds: true },
      { type: 'ip', value: '198.51.100.7', comment: 'port 443', toIds: false },
      { type: 'domain', value: 'c2.example', toIds: false },
      { type: 'email', value: 'a@b.example', toIds: false },
      { type: 'phone', value: '+31 20 123 4567', toIds: false },
      { type: 'iban', value: 'NL91ABNA0417164300', toIds: false },
      { type: 'crypto', value: '3M8XGFBKwkf7miBzpkU3x2DoWwAVrD1mhk', toIds: false },
      { type: 'other', value: 'ab'.repeat(32), comment: 'MISP type: sha3-256', toIds: false },
      { type: 'other', value: 'AS64500', comment: 'MISP type: AS - transit', toIds: false },
    ]);
    expect(item.body).toBe('');
  });

  it('takes the most restrictive TLP from event and attribute tags, and reads handling and evaluation', () => {
    const item = parseMispEvent(
      event(
        [
          {
            type: 'url',
            value: 'http://x.example',
            Tag: [{ name: 'tlp:amber+strict' }, { name: 'kill-chain:Delivery' }],
          },
        ],
        [
          'tlp:green',
          'europol:handling-code="H1"',
          'europol:handling-code="H2"',
          'admiralty-scale:source-reliability="b"',
          'admiralty-scale:information-credibility="2"',
          'portshield:kind="alert"',
          'misc',
        ],
      ),
    );
    expect(item.marking).toEqual({
      tlp: 'AMBER+STRICT',
      handlingCode: 'H2',
      sourceReliability: 'B',
      infoCredibility: '2',
    });
    expect(item.kind).toBe('alert');
    expect(item.tags).toEqual(['misc', 'kill-chain:Delivery', 'europol:handling-code="H1"']);
  });

  it('refuses an unreadable handling code', () => {
    const err = importError(() => parseMispEvent(event([], ['europol:handling-code="H7"'])));
    expect(err.code).toBe('IMPORT_FAILED');
    expect(err.details[0]?.path).toBe('Event.Tag.0.name');
  });
});

describe('parseMispEvent: malformed input', () => {
  it('rejects a value that is not an object', () => {
    for (const bad of ['event', 42, null, [{ Event: {} }]]) {
      const err = importError(() => parseMispEvent(bad));
      expect(err.code).toBe('IMPORT_FAILED');
      expect(err.details[0]?.path).toBe('(root)');
    }
    expect(importError(() => parseMispEvent({ Event: 'x' })).details[0]?.path).toBe('Event');
  });

  it('rejects Attribute that is not an array', () => {
    const err = importError(() => parseMispEvent({ Event: { info: 'x', Attribute: { type: 'url' } } }));
    expect(err.code).toBe('IMPORT_FAILED');
    expect(err.details[0]?.path).toBe('Event.Attribute');
  });

  it('rejects an attribute without a value, pointing at it', () => {
    const attrs = [
      { type: 'url', value: 'http://a.example' },
      { type: 'md5', value: '0749bae92ca336a02c83d126e04ec628' },
      { type: 'domain', value: 'b.example' },
      { type: 'ip-dst' },
    ];
    const err = importError(() => parseMispEvent({ Event: { info: 'x', Attribute: attrs } }));
    expect(err.code).toBe('IMPORT_FAILED');
    expect(err.details).toContainEqual({ path: 'Event.Attribute.3.value', message: expect.any(String) });
  });

  it('rejects a bad attribute inside an object, and uses bare paths for bare events', () => {
    const err = importError(() => parseMispEvent({ info: 'x', Object: [{ Attribute: [{ value: 'v' }] }] }));
    expect(err.details[0]?.path).toBe('Object.0.Attribute.0.type');
    const empty = importError(() => parseMispEvent({ info: 'x', Attribute: [{ type: 'url', value: ' ' }] }));
    expect(empty.details[0]?.path).toBe('Attribute.0.value');
  });
});

describe('toMispEvent', () => {
  const base: InterchangeItem & { id: string } = {
    id: ITEM_ID,
    kind: 'alert',
    title: 'Cocaine in reefer\ncontainer',
    body: '## Summary\n\nSeized at **Rotterdam**.',
    marking: { tlp: 'AMBER+STRICT', handlingCode: 'H1', sourceReliability: 'A', infoCredibility: '2' },
    observables: [
      { type: 'container', value: 'MSKU1234565', comment: 'reefer', toIds: true },
      { type: 'ip', value: '203.0.113.9', toIds: true },
      { type: 'hash', value: '77b0c41b7d340b8a3d903f21347bbf06aa766b5b' },
      { type: 'crypto', value: 'bc1q3ldtrr6xtpx8jam5gw68aaexz2wtluj0qullvr', toIds: false },
      { type: 'person', value: 'Jan Jansen', toIds: false },
    ],
    tags: ['operation:"tidal"', 'tlp:clear'],
    externalId: null,
    createdAt: '2024-03-05T10:20:30.000Z',
    source: 'Dutch Customs',
  };

  it('writes a MISP core event', () => {
    const { Event } = toMispEvent(base);
    expect(Event).toMatchObject({
      uuid: ITEM_ID,
      info: 'Cocaine in reefer container',
      date: '2024-03-05',
      timestamp: '1709634030',
      publish_timestamp: '0',
      published: false,
      threat_level_id: '4',
      analysis: '2',
      distribution: '0',
      sharing_group_id: '0',
      Orgc: { name: 'Dutch Customs' },
    });
    expect(Event.Tag.map((t) => t.name)).toEqual([
      'tlp:amber+strict',
      'europol:handling-code="H1"',
      'admiralty-scale:source-reliability="a"',
      'admiralty-scale:information-credibility="2"',
      'portshield:kind="alert"',
      'operation:"tidal"',
    ]);
    expect(Event.Attribute.map((a) => [a.type, a.category, a.value, a.to_ids])).toEqual([
      ['other', 'Other', 'MSKU1234565', true],
      ['ip-dst', 'Network activity', '203.0.113.9', true],
      ['sha1', 'Payload delivery', '77b0c41b7d340b8a3d903f21347bbf06aa766b5b', false],
      ['btc', 'Financial fraud', 'bc1q3ldtrr6xtpx8jam5gw68aaexz2wtluj0qullvr', false],
      ['full-name', 'Person', 'Jan Jansen', false],
    ]);
    expect(Event.Attribute[0]?.Tag?.map((t) => t.name)).toEqual(['portshield:observable-type="container"']);
    expect(Event.EventReport?.[0]?.content).toBe(base.body);
  });

  it('derives the same uuids every time, distinct per attribute', () => {
    const a = toMispEvent(base).Event.Attribute.map((x) => x.uuid);
    const b = toMispEvent(base).Event.Attribute.map((x) => x.uuid);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
    for (const u of a)
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('round-trips a PortShield item', () => {
    const back = parseMispEvent(JSON.parse(JSON.stringify(toMispEvent(base))));
    expect(back.observables).toEqual(base.observables.map((o) => ({ ...o, toIds: o.toIds === true })));
    expect(back.marking).toEqual(base.marking);
    expect(back.kind).toBe('alert');
    expect(back.body).toBe(base.body);
    expect(back.tags).toEqual(['operation:"tidal"']);
    expect(back.createdAt).toBe(base.createdAt);
    expect(back.externalId).toBe(ITEM_ID);
  });

  it('round-trips every fixture: parse(toMisp(parse(x))) keeps observables and marking', () => {
    for (const name of [
      'circl-xorist-57c4445b.json',
      'pymisp-misp_event.json',
      'pymisp-event_obj_attr_tag.json',
    ]) {
      const first = parseMispEvent(fixture(name));
      const second = parseMispEvent(JSON.parse(JSON.stringify(toMispEvent({ ...first, id: ITEM_ID }))));
      expect(second.observables, name).toEqual(first.observables);
      expect(second.marking, name).toEqual(first.marking);
      expect(second.tags, name).toEqual(first.tags);
      expect(second.body, name).toBe(first.body);
      expect(second.title, name).toBe(first.title);
    }
  });

  it('refuses TLP:RED', () => {
    const err = importError(() => toMispEvent({ ...base, marking: { ...base.marking, tlp: 'RED' } }));
    expect(err.code).toBe('MARKING_VIOLATION');
  });

  it('requires a uuid item id', () => {
    expect(importError(() => toMispEvent({ ...base, id: 'item-7' })).code).toBe('VALIDATION_FAILED');
  });
});
