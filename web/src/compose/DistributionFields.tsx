import { Alert, Grid, MultiSelect, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../common/useDirectory.ts';
import type { ComposeState } from './composeState.ts';
import type { ErrorLookup } from './fieldErrors.ts';

interface DistributionFieldsProps {
  state: ComposeState;
  update: (patch: Partial<ComposeState>) => void;
  errorFor: ErrorLookup;
}

/**
 * Who may see the item besides the owner organisation: the union of named organisations,
 * named users, communities and (optionally) the whole node. Nothing chosen = organisation only.
 */
export function DistributionFields({ state, update, errorFor }: DistributionFieldsProps) {
  const { t } = useTranslation();
  const directory = useDirectory();
  const orgs = directory.data?.orgs ?? [];
  const orgName = (id: string): string => orgs.find((o) => o.id === id)?.name ?? '';
  const orgOnly =
    !state.node && state.orgs.length === 0 && state.users.length === 0 && state.communities.length === 0;

  return (
    <Grid gap="sm">
      <Grid.Col span={12}>
        {state.tlp === 'RED' ? (
          <Alert color="red" variant="light" p="xs">
            {t('distribution.redHint')}
          </Alert>
        ) : (
          <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="distribution-summary">
            {orgOnly ? t('distribution.orgOnlyHint') : t('distribution.unionHint')}
          </Text>
        )}
        {directory.isError && (
          <Text size="sm" c="red">
            {t('distribution.directoryUnavailable')}
          </Text>
        )}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <MultiSelect
          label={t('distribution.orgs')}
          placeholder={t('distribution.choose')}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          data={orgs.map((org) => ({ value: org.id, label: `${org.name} (${org.country})` }))}
          value={state.orgs}
          onChange={(value) => update({ orgs: value })}
          error={errorFor('distribution.orgs')}
          data-testid="compose-orgs"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <MultiSelect
          label={t('distribution.communities')}
          placeholder={t('distribution.choose')}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          data={(directory.data?.communities ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={state.communities}
          onChange={(value) => update({ communities: value })}
          error={errorFor('distribution.communities')}
          data-testid="compose-communities"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <MultiSelect
          label={t('distribution.users')}
          placeholder={t('distribution.choose')}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          data={(directory.data?.users ?? []).map((u) => ({
            value: u.id,
            label: orgName(u.orgId) ? `${u.displayName} (${orgName(u.orgId)})` : u.displayName,
          }))}
          value={state.users}
          onChange={(value) => update({ users: value })}
          error={errorFor('distribution.users')}
          data-testid="compose-users"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }} pt={{ md: 'xl' }}>
        <Switch
          label={t('distribution.node')}
          description={t('distribution.nodeHint')}
          checked={state.node}
          onChange={(e) => update({ node: e.currentTarget.checked })}
          error={errorFor('distribution.node')}
          data-testid="compose-node"
        />
      </Grid.Col>
    </Grid>
  );
}
