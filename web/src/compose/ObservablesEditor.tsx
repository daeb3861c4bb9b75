import { ActionIcon, Button, Grid, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OBSERVABLE_TYPES, type ObservableType } from '../api/types.ts';
import { newObservableRow, type ObservableRow } from './composeState.ts';
import type { ErrorLookup } from './fieldErrors.ts';

/** Format examples shown as placeholders (identifiers, not prose: not translated). */
const EXAMPLES: Partial<Record<ObservableType, string>> = {
  container: 'MSCU1234565',
  bl: 'MAEU123456789',
  vessel: 'IMO 9321483',
  phone: '+31 6 12345678',
  email: 'name@example.org',
  iban: 'NL91 ABNA 0417 1643 00',
  crypto: 'bc1q…',
  plate: 'AB-123-C',
  location: '51.9496, 4.1453',
  lei: '5493001KJTIIGC8Y1R12',
  eori: 'NL123456789',
  hs: '0803.90',
  url: 'https://…',
  domain: 'example.org',
  ip: '192.0.2.10',
  hash: 'sha256…',
};

interface ObservablesEditorProps {
  rows: ObservableRow[];
  onChange: (rows: ObservableRow[]) => void;
  errorFor: ErrorLookup;
}

export function ObservablesEditor({ rows, onChange, errorFor }: ObservablesEditorProps) {
  const { t } = useTranslation();
  const typeRefs = useRef(new Map<string, HTMLInputElement>());
  const [focusKey, setFocusKey] = useState<string | null>(null);

  useEffect(() => {
    if (!focusKey) return;
    typeRefs.current.get(focusKey)?.focus();
    setFocusKey(null);
  }, [focusKey]);

  const typeOptions = OBSERVABLE_TYPES.map((type) => ({ value: type, label: t(`observableTypes.${type}`) }));
  const updateRow = (key: string, patch: Partial<ObservableRow>): void =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const add = (): void => {
    const row = newObservableRow();
    onChange([...rows, row]);
    setFocusKey(row.key);
  };

  return (
    <Stack gap="xs">
      {rows.map((row, index) => {
        const n = index + 1;
        return (
          <Grid key={row.key} gap="xs" align="flex-start" data-testid={`observable-row-${index}`}>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <Select<ObservableType>
                ref={(element) => {
                  if (element) typeRefs.current.set(row.key, element);
                  else typeRefs.current.delete(row.key);
                }}
                label={t('observables.typeN', { n })}
                placeholder={t('observables.chooseType')}
                searchable
                allowDeselect={false}
                nothingFoundMessage={t('common.nothingFound')}
                data={typeOptions}
                value={row.type}
                onChange={(type) => updateRow(row.key, { type })}
                error={errorFor(`observables.${index}.type`)}
                data-testid={`observable-type-${index}`}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 10, sm: 7 }}>
              <TextInput
                label={t('observables.valueN', { n })}
                placeholder={row.type ? EXAMPLES[row.type] : undefined}
                value={row.value}
                onChange={(e) => updateRow(row.key, { value: e.currentTarget.value })}
                error={errorFor(`observables.${index}.value`)}
                spellCheck={false}
                autoComplete="off"
                data-testid={`observable-value-${index}`}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 2, sm: 1 }} pt={28}>
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t('observables.remove', { n })}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                data-testid={`remove-observable-${index}`}
              >
                <span aria-hidden>×</span>
              </ActionIcon>
            </Grid.Col>
          </Grid>
        );
      })}
      <div>
        <Button variant="light" size="xs" onClick={add} data-testid="add-observable">
          {t('observables.add')}
        </Button>
      </div>
    </Stack>
  );
}
