import { Grid, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  HANDLING_CODES,
  type HandlingCode,
  INFO_CREDIBILITIES,
  type InfoCredibility,
  SOURCE_RELIABILITIES,
  type SourceReliability,
  TLP_LEVELS,
  type Tlp,
} from '../api/types.ts';
import { tlpLabel } from '../items/marking.ts';
import type { ComposeState } from './composeState.ts';
import type { ErrorLookup } from './fieldErrors.ts';

const NONE = 'none';

interface MarkingFieldsProps {
  state: ComposeState;
  update: (patch: Partial<ComposeState>) => void;
  errorFor: ErrorLookup;
}

/** TLP 2.0 level, Europol handling code and the 4×4 source/information grading. */
export function MarkingFields({ state, update, errorFor }: MarkingFieldsProps) {
  const { t } = useTranslation();
  return (
    <Grid gap="sm">
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Select<Tlp>
          label={t('marking.tlp')}
          description={t(`tlpDescriptions.${state.tlp}`)}
          required
          allowDeselect={false}
          data={TLP_LEVELS.map((tlp) => ({ value: tlp, label: tlpLabel(tlp) }))}
          value={state.tlp}
          onChange={(tlp) => tlp && update({ tlp })}
          error={errorFor('marking.tlp')}
          data-testid="compose-tlp"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Select
          label={t('marking.handlingCode')}
          description={
            state.handlingCode ? t(`handlingCodes.${state.handlingCode}`) : t('marking.handlingNoneHint')
          }
          allowDeselect={false}
          data={[
            { value: NONE, label: t('marking.handlingNone') },
            ...HANDLING_CODES.map((code) => ({ value: code, label: code })),
          ]}
          value={state.handlingCode ?? NONE}
          onChange={(value) =>
            update({ handlingCode: value && value !== NONE ? (value as HandlingCode) : null })
          }
          error={errorFor('marking.handlingCode')}
          data-testid="compose-handling"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Select
          label={t('marking.sourceReliability')}
          allowDeselect={false}
          data={[
            { value: NONE, label: t('marking.notGraded') },
            ...SOURCE_RELIABILITIES.map((code) => ({
              value: code,
              label: `${code} – ${t(`sourceReliability.${code}`)}`,
            })),
          ]}
          value={state.sourceReliability ?? NONE}
          onChange={(value) =>
            update({ sourceReliability: value && value !== NONE ? (value as SourceReliability) : null })
          }
          error={errorFor('marking.sourceReliability')}
          data-testid="compose-reliability"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Select
          label={t('marking.infoCredibility')}
          allowDeselect={false}
          data={[
            { value: NONE, label: t('marking.notGraded') },
            ...INFO_CREDIBILITIES.map((code) => ({
              value: code,
              label: `${code} – ${t(`infoCredibility.${code}`)}`,
            })),
          ]}
          value={state.infoCredibility ?? NONE}
          onChange={(value) =>
            update({ infoCredibility: value && value !== NONE ? (value as InfoCredibility) : null })
          }
          error={errorFor('marking.infoCredibility')}
          data-testid="compose-credibility"
        />
      </Grid.Col>
    </Grid>
  );
}
