import {
  Button,
  Grid,
  Paper,
  PasswordInput,
  Select,
  Stack,
  TagsInput,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createUser, listOrgs, listUsers } from '../api/admin.ts';
import { ApiError } from '../api/client.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { AdminUser, UserInput } from '../api/types.ts';
import { type CoreFeatures, DataTable } from '../common/DataTable.tsx';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.ts';
import { ROLES } from './countries.ts';
import { TotpSecretDialog } from './TotpSecretDialog.tsx';

const column = createColumnHelper<CoreFeatures, AdminUser>();
const EMPTY: UserInput = { username: '', displayName: '', orgId: '', roles: [], password: '', locale: 'en' };

export function UsersTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: queryKeys.adminUsers, queryFn: ({ signal }) => listUsers(signal) });
  const orgs = useQuery({ queryKey: queryKeys.adminOrgs, queryFn: ({ signal }) => listOrgs(signal) });
  const [form, setForm] = useState<UserInput>(EMPTY);
  const [secret, setSecret] = useState<{ username: string; secret: string } | null>(null);

  const mutation = useMutation({
    mutationFn: createUser,
    onSuccess: ({ user, totpSecret }) => {
      setForm(EMPTY);
      setSecret({ username: user.username, secret: totpSecret });
      notifications.show({ message: t('admin.userCreated', { name: user.displayName }), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminUsers });
      void queryClient.invalidateQueries({ queryKey: queryKeys.directory });
    },
  });
  const fieldError = (path: string): string | undefined =>
    mutation.error instanceof ApiError ? mutation.error.detailFor(path) : undefined;

  const orgName = useMemo(() => {
    const names = new Map((orgs.data ?? []).map((o) => [o.id, o.name]));
    return (id: string): string => names.get(id) ?? id;
  }, [orgs.data]);

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('username', { header: () => t('admin.fields.username') }),
        column.accessor('displayName', { header: () => t('admin.fields.displayName') }),
        column.accessor((user) => user.orgName ?? orgName(user.orgId), {
          id: 'org',
          header: () => t('admin.fields.org'),
        }),
        column.accessor((user) => user.roles.join(', '), {
          id: 'roles',
          header: () => t('admin.fields.roles'),
        }),
        column.accessor((user) => user.locale ?? '', {
          id: 'locale',
          header: () => t('admin.fields.locale'),
        }),
      ]),
    [t, orgName],
  );

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    mutation.mutate({ ...form, username: form.username.trim(), displayName: form.displayName.trim() });
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md" component="section" aria-labelledby="user-create-heading">
        <Title order={2} size="h4" id="user-create-heading" mb="sm">
          {t('admin.createUser')}
        </Title>
        <form onSubmit={submit}>
          <Grid gap="sm" align="flex-start">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput
                label={t('admin.fields.username')}
                required
                autoComplete="off"
                value={form.username}
                onChange={(e) => setForm({ ...form, username: e.currentTarget.value })}
                error={fieldError('username')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TextInput
                label={t('admin.fields.displayName')}
                required
                value={form.displayName}
                onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })}
                error={fieldError('displayName')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Select
                label={t('admin.fields.org')}
                required
                searchable
                data={(orgs.data ?? []).map((o) => ({ value: o.id, label: `${o.name} (${o.country})` }))}
                value={form.orgId || null}
                onChange={(orgId) => setForm({ ...form, orgId: orgId ?? '' })}
                error={fieldError('orgId')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <TagsInput
                label={t('admin.fields.roles')}
                description={t('admin.rolesHint')}
                data={[...ROLES]}
                value={form.roles}
                onChange={(roles) => setForm({ ...form, roles })}
                error={fieldError('roles')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <PasswordInput
                label={t('admin.fields.password')}
                description={t('admin.passwordHint')}
                required
                autoComplete="new-password"
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
                error={fieldError('password')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 2 }}>
              <Select
                label={t('admin.fields.locale')}
                required
                allowDeselect={false}
                data={LANGUAGES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code] }))}
                value={form.locale}
                onChange={(locale) => locale && setForm({ ...form, locale })}
                error={fieldError('locale')}
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
        {users.isPending && <LoadingState />}
        {users.isError && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
        {users.data && (
          <DataTable
            data={users.data}
            columns={columns}
            getRowId={(user) => user.id}
            caption={t('admin.tabs.users')}
            emptyText={t('admin.noUsers')}
            rowTestId="user-row"
          />
        )}
      </Paper>
      <TotpSecretDialog
        username={secret?.username ?? ''}
        secret={secret?.secret ?? null}
        onClose={() => setSecret(null)}
      />
    </Stack>
  );
}
