import { Button, Grid, Select, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../common/useDirectory.ts';

export interface AuditFilterValues {
  userId: string;
  itemId: string;
  action: string;
}

interface AuditFiltersProps {
  value: AuditFilterValues;
  onChange: (next: AuditFilterValues) => void;
}

export function AuditFilters({ value, onChange }: AuditFiltersProps) {
  const { t } = useTranslation();
  const directory = useDirectory();
  const [itemId, setItemId] = useState(value.itemId);
  const [action, setAction] = useState(value.action);
  useEffect(() => setItemId(value.itemId), [value.itemId]);
  useEffect(() => setAction(value.action), [value.action]);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onChange({ ...value, itemId: itemId.trim(), action: action.trim() });
  };

  return (
    <search aria-label={t('audit.filtersLabel')}>
      <form onSubmit={submit}>
        <Grid gap="sm" align="flex-end">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Select
              label={t('audit.filters.user')}
              placeholder={t('audit.filters.anyUser')}
              searchable
              clearable
              data={(directory.data?.users ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
              value={value.userId || null}
              onChange={(userId) => onChange({ ...value, itemId, action, userId: userId ?? '' })}
              data-testid="audit-filter-user"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <TextInput
              label={t('audit.filters.item')}
              value={itemId}
              onChange={(e) => setItemId(e.currentTarget.value)}
              data-testid="audit-filter-item"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <TextInput
              label={t('audit.filters.action')}
              placeholder="item.read"
              value={action}
              onChange={(e) => setAction(e.currentTarget.value)}
              data-testid="audit-filter-action"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 2 }}>
            <Button type="submit" fullWidth>
              {t('audit.filters.apply')}
            </Button>
          </Grid.Col>
        </Grid>
      </form>
    </search>
  );
}
