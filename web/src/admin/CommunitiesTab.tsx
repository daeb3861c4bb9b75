import { Button, Grid, MultiSelect, Paper, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createCommunity, listCommunities, listOrgs } from '../api/admin.ts';
import { ApiError } from '../api/client.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { Community, CommunityInput } from '../api/types.ts';
import { type CoreFeatures, DataTable } from '../common/DataTable.tsx';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';

const column = createColumnHelper<CoreFeatures, Community>();
const EMPTY: CommunityInput = { name: '', description: '', memberOrgIds: [] };

export function CommunitiesTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const communities = useQuery({
    queryKey: queryKeys.adminCommunities,
    queryFn: ({ signal }) => listCommunities(signal),
  });
  const orgs = useQuery({ queryKey: queryKeys.adminOrgs, queryFn: ({ signal }) => listOrgs(signal) });
  const [form, setForm] = useState<CommunityInput>(EMPTY);

  const mutation = useMutation({
    mutationFn: createCommunity,
    onSuccess: (community) => {
      setForm(EMPTY);
      notifications.show({ message: t('admin.communityCreated', { name: community.name }), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminCommunities });
      void queryClient.invalidateQueries({ queryKey: queryKeys.directory });
    },
  });
  const fieldError = (path: string): string | undefined =>
    mutation.error instanceof ApiError ? mutation.error.detailFor(path) : undefined;

  const columns = useMemo(() => {
    const names = new Map((orgs.data ?? []).map((o) => [o.id, o.name]));
    return column.columns([
      column.accessor('name', { header: () => t('admin.fields.name') }),
      column.accessor('description', { header: () => t('admin.fields.description') }),
      column.accessor((c) => c.memberOrgIds.map((id) => names.get(id) ?? id).join(', '), {
        id: 'members',
        header: () => t('admin.fields.members'),
      }),
    ]);
  }, [t, orgs.data]);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    mutation.mutate({ ...form, name: form.name.trim(), description: form.description.trim() });
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md" component="section" aria-labelledby="community-create-heading">
        <Title order={2} size="h4" id="community-create-heading" mb="sm">
          {t('admin.createCommunity')}
        </Title>
        <form onSubmit={submit}>
          <Grid gap="sm" align="flex-start">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput
                label={t('admin.fields.name')}
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                error={fieldError('name')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <MultiSelect
                label={t('admin.fields.members')}
                searchable
                clearable
                data={(orgs.data ?? []).map((o) => ({ value: o.id, label: `${o.name} (${o.country})` }))}
                value={form.memberOrgIds}
                onChange={(memberOrgIds) => setForm({ ...form, memberOrgIds })}
                error={fieldError('memberOrgIds')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 10 }}>
              <Textarea
                label={t('admin.fields.description')}
                autosize
                minRows={2}
                value={form.description}
                onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
                error={fieldError('description')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 2 }} pt={{ md: 28 }}>
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
        {communities.isPending && <LoadingState />}
        {communities.isError && (
          <ErrorAlert error={communities.error} onRetry={() => void communities.refetch()} />
        )}
        {communities.data && (
          <DataTable
            data={communities.data}
            columns={columns}
            getRowId={(c) => c.id}
            caption={t('admin.tabs.communities')}
            emptyText={t('admin.noCommunities')}
            rowTestId="community-row"
          />
        )}
      </Paper>
    </Stack>
  );
}
