import {
  Badge,
  CloseButton,
  Divider,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { cargoKeys, fetchDeclaration, type QueueEntry } from '../api/cargo.ts';
import { useFormatDate } from '../common/useFormatDate.ts';
import { AlertButton } from './AlertButton.tsx';
import { AssignForm } from './AssignForm.tsx';
import { ChannelBadge } from './ChannelBadge.tsx';
import { InspectionForm } from './InspectionForm.tsx';
import { InspectionSummary } from './InspectionSummary.tsx';
import { ReasonBars } from './ReasonBars.tsx';
import { RouteMap } from './RouteMap.tsx';
import { SecondOpinionNote } from './SecondOpinionNote.tsx';
import { useFormatNumber } from './useCargoText.ts';

interface DeclarationPanelProps {
  entry: QueueEntry;
  port: string;
  onClose: () => void;
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

/** Everything about one container of the queue: why it scored, where it came from, what to do. */
export function DeclarationPanel({ entry, port, onClose }: DeclarationPanelProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const format = useFormatNumber();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const detail = useQuery({
    queryKey: cargoKeys.declaration(entry.id),
    queryFn: ({ signal }) => fetchDeclaration(entry.id, signal),
  });

  // Keyboard and screen-reader users land on the panel they just opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again when another container is opened.
  useEffect(() => {
    headingRef.current?.focus();
    headingRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [entry.id]);

  const versions = detail.data?.versions ?? [];
  const inspection = entry.inspection ?? detail.data?.inspection ?? null;

  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby="cargo-detail-title"
      data-testid="cargo-detail"
    >
      <Group justify="space-between" align="flex-start" mb="sm">
        <Group gap="sm">
          <Title
            order={2}
            size="h3"
            id="cargo-detail-title"
            ref={headingRef}
            tabIndex={-1}
            data-testid="cargo-detail-title"
          >
            {entry.container}
          </Title>
          <ChannelBadge channel={entry.channel} />
          <Badge variant="outline" color="dark">
            {t('cargo.detail.scoreValue', { score: format.score(entry.score) })}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('cargo.detail.rankValue', { rank: entry.rank })}
          </Text>
        </Group>
        <CloseButton
          onClick={onClose}
          aria-label={t('cargo.detail.close')}
          data-testid="cargo-detail-close"
        />
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="md">
            <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs">
              <Field label={t('cargo.columns.consignee')}>{entry.consignee}</Field>
              <Field label={t('cargo.columns.shipper')}>{entry.shipper}</Field>
              <Field label={t('cargo.columns.hs')}>{entry.hs}</Field>
              <Field label={t('cargo.columns.containerType')}>{entry.containerType}</Field>
              <Field label={t('cargo.columns.vessel')}>
                {entry.vessel.name ? `${entry.vessel.name} (${entry.vessel.imo})` : entry.vessel.imo}
              </Field>
              <Field label={t('cargo.columns.eta')}>{formatDate(entry.eta)}</Field>
            </SimpleGrid>
            <div>
              <Title order={3} size="h5" mb="xs">
                {t('cargo.detail.reasons')}
              </Title>
              <ReasonBars reasons={entry.reasons} />
            </div>
            <div>
              <Title order={3} size="h5" mb="xs">
                {t('cargo.secondOpinion.title')}
              </Title>
              {detail.data !== undefined && <SecondOpinionNote opinion={detail.data.secondOpinion} />}
            </div>
            {versions.length > 1 && (
              <div>
                <Title order={3} size="h5" mb="xs">
                  {t('cargo.detail.versions')}
                </Title>
                <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="cargo-versions">
                  {versions.map((v) => (
                    <li key={v.version}>
                      <Text size="sm" span>
                        {t('cargo.detail.versionLine', { version: v.version, date: formatDate(v.filedAt) })}
                        {v.changes.length > 0 &&
                          ` — ${v.changes.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(', ')}`}
                      </Text>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Title order={3} size="h5" mb="xs">
            {t('cargo.detail.route')}
          </Title>
          <RouteMap route={entry.route} container={entry.container} />
        </Grid.Col>
      </Grid>
      <Divider my="md" />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="md">
            <div>
              <Title order={3} size="h5" mb="xs">
                {t('cargo.assign.title')}
              </Title>
              <AssignForm declarationId={entry.id} assignee={entry.assignee} />
            </div>
            <div>
              <Title order={3} size="h5" mb="xs">
                {t('cargo.alert.title')}
              </Title>
              <AlertButton key={entry.id} declarationId={entry.id} route={entry.route} port={port} />
            </div>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Title order={3} size="h5" mb="xs">
            {t('cargo.inspection.title')}
          </Title>
          {inspection ? (
            <InspectionSummary inspection={inspection} />
          ) : (
            <InspectionForm key={entry.id} declarationId={entry.id} />
          )}
        </Grid.Col>
      </Grid>
    </Paper>
  );
}
