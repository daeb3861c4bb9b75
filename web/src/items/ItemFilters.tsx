import { Button, Grid, Select, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ITEM_KINDS, type ItemKind, TLP_LEVELS, type Tlp } from '../api/types.ts';
import { tlpLabel } from './marking.ts';

export interface ItemFilterValues {
  q: string;
  kind: ItemKind | '';
  tlp: Tlp | '';
  observable: string;
}

interface ItemFiltersProps {
  value: ItemFilterValues;
  onChange: (next: ItemFilterValues) => void;
}

/** Search box and filters; text fields apply on submit (Enter), selects apply at once. */
export function ItemFilters({ value, onChange }: ItemFiltersProps) {
  const { t } = useTranslation();
  const [q, setQ] = useState(value.q);
  const [observable, setObservable] = useState(value.observable);

  useEffect(() => setQ(value.q), [value.q]);
  useEffect(() => setObservable(value.observable), [value.observable]);

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onChange({ ...value, q: q.trim(), observable: observable.trim() });
  };

  return (
    <search aria-label={t('items.searchLabel')}>
      <form onSubmit={onSubmit}>
        <Grid align="flex-end" gap="sm">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <TextInput
              type="search"
              label={t('items.search')}
              placeholder={t('items.searchPlaceholder')}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              data-testid="search-input"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}>
            <Select
              label={t('items.kind')}
              placeholder={t('items.allKinds')}
              clearable
              data={ITEM_KINDS.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
              value={value.kind || null}
              onChange={(kind) => onChange({ ...value, q: q.trim(), kind: (kind as ItemKind | null) ?? '' })}
              data-testid="filter-kind"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}>
            <Select
              label={t('marking.tlp')}
              placeholder={t('items.allLevels')}
              clearable
              data={TLP_LEVELS.map((tlp) => ({ value: tlp, label: tlpLabel(tlp) }))}
              value={value.tlp || null}
              onChange={(tlp) => onChange({ ...value, q: q.trim(), tlp: (tlp as Tlp | null) ?? '' })}
              data-testid="filter-tlp"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 9, md: 'auto' }}>
            <TextInput
              label={t('items.observable')}
              placeholder={t('items.observablePlaceholder')}
              value={observable}
              onChange={(e) => setObservable(e.currentTarget.value)}
              data-testid="filter-observable"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 3, md: 'content' }}>
            <Button type="submit" fullWidth data-testid="search-submit">
              {t('items.searchButton')}
            </Button>
          </Grid.Col>
        </Grid>
      </form>
    </search>
  );
}
