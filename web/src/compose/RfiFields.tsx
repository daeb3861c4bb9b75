import { Grid, MultiSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../common/useDirectory.ts';
import type { ComposeState } from './composeState.ts';
import type { ErrorLookup } from './fieldErrors.ts';

interface RfiFieldsProps {
  state: ComposeState;
  update: (patch: Partial<ComposeState>) => void;
  errorFor: ErrorLookup;
}

/** Addressees and deadline of a request for information. */
export function RfiFields({ state, update, errorFor }: RfiFieldsProps) {
  const { t } = useTranslation();
  const directory = useDirectory();
  const orgs = directory.data?.orgs ?? [];
  return (
    <Grid gap="sm">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <MultiSelect
          label={t('compose.addressees')}
          description={t('compose.addresseesHint')}
          placeholder={t('distribution.choose')}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          data={(directory.data?.users ?? []).map((u) => {
            const org = orgs.find((o) => o.id === u.orgId)?.name;
            return { value: u.id, label: org ? `${u.displayName} (${org})` : u.displayName };
          })}
          value={state.addressees}
          onChange={(value) => update({ addressees: value })}
          error={errorFor('addressees')}
          data-testid="compose-addressees"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <TextInput
          type="datetime-local"
          label={t('compose.deadline')}
          value={state.deadline}
          onChange={(e) => update({ deadline: e.currentTarget.value })}
          error={errorFor('deadline')}
          data-testid="compose-deadline"
        />
      </Grid.Col>
    </Grid>
  );
}
