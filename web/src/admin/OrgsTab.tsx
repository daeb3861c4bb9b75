import { Autocomplete, Button, Grid, Paper, Select, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createOrg, listOrgs } from '../api/admin.ts';
import { ApiError } from '../api/client.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { Org, OrgInput, Sector } from '../api/types.ts';
import { type CoreFeatures, DataTable } from '../common/DataTable.tsx';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { COUNTRIES, ORG_KINDS } from './countries.ts';

const column = createColumnHelper<CoreFeatures, Org>();
const EMPTY: OrgInput = { name: '', country: 'NL', sector: 'public', kind: '' };

export function OrgsTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const orgs = useQuery({ queryKey: queryKeys.adminOrgs, queryFn: ({ signal }) => listOrgs(signal) });
  const [form, setForm] = useState<OrgInput>(EMPTY);

  const mutation = useMutation({
    mutationFn: createOrg,
    onSuccess: (org) => {
      setForm(EMPTY);
      notifications.show({ message: t('admin.orgCreated', { name: org.name }), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminOrgs });
      void queryClient.invalidateQueries({ queryKey: queryKeys.directory });
    },
  });
  const fieldError = (path: string): string | undefined =>
    mutation.error instanceof ApiError ? mutation.error.detailFor(path) : undefined;

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('name', { header: () => t('admin.fields.name') }),
        column.accessor('country', {
          header: () => t('admin.fields.country'),
          cell: (info) => t(`countries.${info.getValue()}`, { defaultValue: info.getValue() }),
        }),
        column.accessor('sector', {
          header: () => t('admin.fields.sector'),
          cell: (info) => t(`sectors.${info.getValue()}`),
        }),
        column.accessor('kind', {
          header: () => t('admin.fields.kind'),
          cell: (info) => t(`orgKinds.${info.getValue()}`, { defaultValue: info.getValue() }),
        }),
      ]),
    [t],
  );

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    mutation.mutate({ ...form, name: form.name.trim(), kind: form.kind.trim() });
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md" component="section" aria-labelledby="org-create-heading">
        <Title order={2} size="h4" id="org-create-heading" mb="sm">
          {t('admin.createOrg')}
        </Title>
        <form onSubmit={submit}>
          <Grid gap="sm" align="flex-end">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput
                label={t('admin.fields.name')}
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                error={fieldError('name')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 2 }}>
              <Select
                label={t('admin.fields.country')}
                required
                allowDeselect={false}
                data={COUNTRIES.map((c) => ({ value: c, label: t(`countries.${c}`) }))}
                value={form.country}
                onChange={(country) => country && setForm({ ...form, country })}
                error={fieldError('country')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 2 }}>
              <Select<Sector>
                label={t('admin.fields.sector')}
                required
                allowDeselect={false}
                data={(['public', 'private'] as const).map((s) => ({ value: s, label: t(`sectors.${s}`) }))}
                value={form.sector}
                onChange={(sector) => sector && setForm({ ...form, sector })}
                error={fieldError('sector')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <Autocomplete
                label={t('admin.fields.kind')}
                required
                data={ORG_KINDS.map((k) => k)}
                value={form.kind}
                onChange={(kind) => setForm({ ...form, kind })}
                error={fieldError('kind')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 1 }}>
              <Button type="submit" loading={mutation.isPending} fullWidth>
                {t('common.create')}
              </Button>
            </Grid.Col>
          </Grid>
          {mutation.isError && (
            <Stack mt="sm">
              <ErrorAlert error={mutation.error} />
            </Stack>
          )}
        </form>
      </Paper>
      <Paper withBorder p="xs">
        {orgs.isPending && <LoadingState />}
        {orgs.isError && <ErrorAlert error={orgs.error} onRetry={() => void orgs.refetch()} />}
        {orgs.data && (
          <DataTable
            data={orgs.data}
            columns={columns}
            getRowId={(org) => org.id}
            caption={t('admin.tabs.orgs')}
            emptyText={t('admin.noOrgs')}
            rowTestId="org-row"
          />
        )}
      </Paper>
    </Stack>
  );
}
