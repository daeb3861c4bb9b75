import { Grid, Select, Switch, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SUBJECT_CATEGORIES, type SubjectCategory } from '../api/types.ts';
import type { ComposeState } from './composeState.ts';
import type { ErrorLookup } from './fieldErrors.ts';

interface PersonalDataFieldsProps {
  state: ComposeState;
  update: (patch: Partial<ComposeState>) => void;
  errorFor: ErrorLookup;
}

export function PersonalDataFields({ state, update, errorFor }: PersonalDataFieldsProps) {
  const { t } = useTranslation();
  return (
    <Grid gap="sm">
      <Grid.Col span={12}>
        <Switch
          label={t('compose.personalData')}
          description={t('compose.personalDataHint')}
          checked={state.personalData}
          onChange={(e) => update({ personalData: e.currentTarget.checked })}
          error={errorFor('personalData')}
          data-testid="compose-personal-data"
        />
      </Grid.Col>
      {state.personalData && (
        <>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select<SubjectCategory>
              label={t('compose.subjectCategory')}
              required
              placeholder={t('compose.chooseCategory')}
              data={SUBJECT_CATEGORIES.map((c) => ({ value: c, label: t(`subjectCategories.${c}`) }))}
              value={state.subjectCategory}
              onChange={(value) => update({ subjectCategory: value })}
              error={errorFor('personalData.subjectCategory')}
              data-testid="compose-subject-category"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput
              type="date"
              label={t('compose.reviewDate')}
              description={t('compose.reviewDateHint')}
              required
              value={state.reviewDate}
              onChange={(e) => update({ reviewDate: e.currentTarget.value })}
              error={errorFor('personalData.reviewDate')}
              data-testid="compose-review-date"
            />
          </Grid.Col>
        </>
      )}
    </Grid>
  );
}
