import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import type { Marking } from './interchange.ts';
import { uuidV5 } from './interchange.ts';
import {
  assertExportable,
  DEFAULT_TLP,
  markingToTags,
  mergeSignals,
  mostRestrictiveHandlingCode,
  mostRestrictiveTlp,
  resolveMarking,
  STIX_TLP1_MARKING_IDS,
  STIX_TLP2_MARKING_IDS,
  scanMarkingTags,
  stixTlpMarkingDefinition,
  tlpFromStixMarkingDefinition,
  tlpFromStixMarkingId,
  tlpFromTags,
  tlpToMispTag,
  tlpToStixMarkingId,
} from './tlp.ts';

const marking = (over: Partial<Marking> = {}): Marking => ({
  tlp: 'AMBER',
  handlingCode: null,
  sourceReliability: null,
  infoCredibility: null,
  ...over,
});

describe('mostRestrictiveTlp', () => {
  it('orders CLEAR < GREEN < AMBER < AMBER+STRICT < RED', () => {
    expect(mostRestrictiveTlp('GREEN', 'CLEAR')).toBe('GREEN');
    expect(mostRestrictiveTlp('AMBER', 'AMBER+STRICT', 'GREEN')).toBe('AMBER+STRICT');
    expect(mostRestrictiveTlp('RED', 'AMBER+STRICT')).toBe('RED');
  });

  it('ignores null and returns null for nothing', () => {
    expect(mostRestrictiveTlp()).toBeNull();
    expect(mostRestrictiveTlp(null, undefined, 'CLEAR')).toBe('CLEAR');
  });
});

describe('tlpFromTags', () => {
  it('reads every MISP tlp level, case-insensitively', () => {
    expect(tlpFromTags(['tlp:clear'])).toBe('CLEAR');
    expect(tlpFromTags(['TLP:GREEN'])).toBe('GREEN');
    expect(tlpFromTags(['Tlp:Amber'])).toBe('AMBER');
    expect(tlpFromTags(['tlp:AMBER+STRICT'])).toBe('AMBER+STRICT');
    expect(tlpFromTags(['tlp:red'])).toBe('RED');
  });

  it('reads TLP 1.0 WHITE as CLEAR', () => {
    expect(tlpFromTags(['tlp:white'])).toBe('CLEAR');
  });

  it('keeps the most restrictive of several', () => {
    expect(tlpFromTags(['tlp:white', 'tlp:amber', 'tlp:green'])).toBe('AMBER');
  });

  it('ignores tags that are not levels', () => {
    expect(tlpFromTags(['tlp:ex:chr', 'tlp:unclear', 'circl:tlp', 'tlp:amber-ish'])).toBeNull();
  });
});

describe('tlpToMispTag', () => {
  it('writes TLP 2.0 spellings', () => {
    expect(tlpToMispTag('CLEAR')).toBe('tlp:clear');
    expect(tlpToMispTag('AMBER+STRICT')).toBe('tlp:amber+strict');
  });
});

describe('STIX marking ids', () => {
  it('reads TLP 1.0 ids (STIX 2.1 §7.2.1.4)', () => {
    expect(tlpFromStixMarkingId(STIX_TLP1_MARKING_IDS.WHITE)).toBe('CLEAR');
    expect(tlpFromStixMarkingId('marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da')).toBe('GREEN');
    expect(tlpFromStixMarkingId('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82')).toBe('AMBER');
    expect(tlpFromStixMarkingId('marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed')).toBe('RED');
  });

  it('reads and writes TLP 2.0 ids (OASIS TLP 2.0 extension)', () => {
    expect(tlpFromStixMarkingId('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487')).toBe('CLEAR');
    expect(tlpFromStixMarkingId('marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb')).toBe('GREEN');
    expect(tlpFromStixMarkingId('marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421')).toBe('AMBER');
    expect(tlpFromStixMarkingId('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003')).toBe(
      'AMBER+STRICT',
    );
    expect(tlpFromStixMarkingId('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1')).toBe('RED');
    for (const [tlp, id] of Object.entries(STIX_TLP2_MARKING_IDS)) {
      expect(tlpToStixMarkingId(tlp as keyof typeof STIX_TLP2_MARKING_IDS)).toBe(id);
    }
    expect(tlpFromStixMarkingId('marking-definition--00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('builds the TLP 2.0 object as published, and reads levels from object content', () => {
    expect(stixTlpMarkingDefinition('AMBER+STRICT')).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER+STRICT',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
          extension_type: 'property-extension',
          tlp_2_0: 'amber+strict',
        },
      },
    });
    const unknownId = 'marking-definition--11111111-1111-4111-8111-111111111111';
    expect(
      tlpFromStixMarkingDefinition({ id: unknownId, definition_type: 'tlp', definition: { tlp: 'white' } }),
    ).toBe('CLEAR');
    expect(
      tlpFromStixMarkingDefinition({
        id: unknownId,
        extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { tlp_2_0: 'red' } },
      }),
    ).toBe('RED');
    expect(tlpFromStixMarkingDefinition({ id: unknownId, definition_type: 'statement' })).toBeNull();
    expect(tlpFromStixMarkingDefinition('nope')).toBeNull();
  });
});

describe('handling codes and evaluation tags', () => {
  it('reads europol:handling-code tags and keeps the strongest (H3 > H2 > H1 > H0)', () => {
    expect(mostRestrictiveHandlingCode('H1', 'H2', 'H0')).toBe('H2');
    expect(mostRestrictiveHandlingCode('H2', 'H3')).toBe('H3');
    expect(mostRestrictiveHandlingCode(null, 'H0')).toBe('H0');
    const scan = scanMarkingTags(['europol:handling-code="H1"', 'EUROPOL:handling-code="h2"', 'x']);
    expect(scan.signals.handlingCodes).toEqual(['H1', 'H2']);
    expect(scan.otherTags).toEqual(['x']);
    const { marking: m, extraTags } = resolveMarking(scan.signals);
    expect(m.handlingCode).toBe('H2');
    // H1 is not dropped: it stays a tag.
    expect(extraTags).toEqual(['europol:handling-code="H1"']);
  });

  it('rejects a handling code it cannot read', () => {
    const scan = scanMarkingTags(['ok', 'europol:handling-code="H9"']);
    expect(scan.invalid).toEqual([
      { index: 1, tag: 'europol:handling-code="H9"', message: expect.any(String) },
    ]);
  });

  it('maps the Admiralty scale onto Europol 4x4, never upgrading', () => {
    const read = (tags: string[]) => resolveMarking(scanMarkingTags(tags).signals).marking;
    expect(read(['admiralty-scale:source-reliability="a"']).sourceReliability).toBe('A');
    expect(read(['admiralty-scale:source-reliability="b"']).sourceReliability).toBe('B');
    for (const g of ['c', 'd', 'e']) {
      expect(read([`admiralty-scale:source-reliability="${g}"`]).sourceReliability).toBe('C');
    }
    expect(read(['admiralty-scale:source-reliability="f"']).sourceReliability).toBe('X');
    expect(read(['admiralty-scale:information-credibility="2"']).infoCredibility).toBe('2');
    expect(read(['admiralty-scale:information-credibility="5"']).infoCredibility).toBe('4');
    expect(read(['admiralty-scale:information-credibility="6"']).infoCredibility).toBeNull();
    // Conflicting evaluations: the weakest wins (A < B < C < X, as in src/access mergeMarkings).
    expect(
      read(['admiralty-scale:source-reliability="f"', 'admiralty-scale:source-reliability="d"'])
        .sourceReliability,
    ).toBe('X');
    expect(
      read(['admiralty-scale:source-reliability="a"', 'admiralty-scale:source-reliability="f"'])
        .sourceReliability,
    ).toBe('X');
    expect(
      read(['admiralty-scale:information-credibility="1"', 'admiralty-scale:information-credibility="3"'])
        .infoCredibility,
    ).toBe('3');
    // An unknown grade is not a restriction: it stays an ordinary tag.
    expect(scanMarkingTags(['admiralty-scale:source-reliability="z"']).otherTags).toHaveLength(1);
  });

  it('writes a marking as tags that read back to the same marking', () => {
    const m = marking({ tlp: 'GREEN', handlingCode: 'H2', sourceReliability: 'C', infoCredibility: '3' });
    const tags = markingToTags(m);
    expect(tags).toEqual([
      'tlp:green',
      'europol:handling-code="H2"',
      'admiralty-scale:source-reliability="d"',
      'admiralty-scale:information-credibility="3"',
    ]);
    expect(resolveMarking(scanMarkingTags(tags).signals).marking).toEqual(m);
  });
});

describe('resolveMarking', () => {
  it('defaults to AMBER when nothing is marked', () => {
    expect(DEFAULT_TLP).toBe('AMBER');
    expect(resolveMarking(mergeSignals()).marking).toEqual(marking());
  });

  it('never weakens: the most restrictive of all sources wins', () => {
    const a = scanMarkingTags(['tlp:clear']).signals;
    const b = scanMarkingTags(['tlp:amber+strict']).signals;
    expect(resolveMarking(mergeSignals(a, b)).marking.tlp).toBe('AMBER+STRICT');
  });
});

describe('assertExportable', () => {
  it('refuses TLP:RED with MARKING_VIOLATION', () => {
    expect(() => assertExportable(marking({ tlp: 'RED' }), 'x')).toThrow(AppError);
    try {
      assertExportable(marking({ tlp: 'RED' }), 'x');
    } catch (e) {
      expect((e as AppError).code).toBe('MARKING_VIOLATION');
      expect((e as AppError).details[0]?.path).toBe('marking.tlp');
    }
    expect(() => assertExportable(marking({ tlp: 'AMBER+STRICT' }), 'x')).not.toThrow();
  });
});

describe('uuidV5', () => {
  it('matches the RFC 4122 name-based example', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});
