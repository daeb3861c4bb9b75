import { Badge, Divider, Group, Stack, Text, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Sighting, SightingKind } from '../api/types.ts';
import { useFormatDate } from '../common/useFormatDate.ts';
import { SightingForm } from './SightingForm.tsx';

const KIND_COLOURS: Record<SightingKind, string> = {
  seen: 'blue',
  false_positive: 'gray',
  acted_on: 'teal',
  seizure: 'red',
};

interface SightingsPanelProps {
  itemId: string;
  sightings: Sighting[];
  justification?: string;
}

export function SightingsPanel({ itemId, sightings, justification }: SightingsPanelProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <Stack gap="md">
      {sightings.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('sightings.empty')}
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2}>
          {sightings.map((sighting) => (
            <Timeline.Item
              key={sighting.id}
              color={KIND_COLOURS[sighting.kind]}
              title={
                <Group gap="xs">
                  <Badge size="sm" color={KIND_COLOURS[sighting.kind]} tt="none">
                    {t(`sightingKinds.${sighting.kind}`)}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {[sighting.authorName, sighting.orgName, formatDate(sighting.createdAt)]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                </Group>
              }
            >
              {sighting.note && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {sighting.note}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      <Divider />
      <Title order={3} size="h5">
        {t('sightings.addTitle')}
      </Title>
      <SightingForm itemId={itemId} justification={justification} />
    </Stack>
  );
}
