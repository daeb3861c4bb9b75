import { Anchor, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Correlation } from '../api/types.ts';
import { KindBadge } from './KindBadge.tsx';

/**
 * Matches of this item's observables in other items. Visible matches link to the item;
 * restricted matches reveal only a count: the hits sit in the publisher's inbox, from where
 * contact with the hidden owner can be requested.
 */
export function CorrelationPanel({ correlation }: { correlation: Correlation }) {
  const { t } = useTranslation();
  const { visible, restricted } = correlation;
  const common = correlation.common ?? [];
  return (
    <Stack gap="sm" data-testid="correlations">
      {visible.length === 0 && restricted.length === 0 && common.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('correlations.none')}
        </Text>
      )}
      {visible.length > 0 && (
        <div>
          <Title order={3} size="h5" mb={4}>
            {t('correlations.visibleTitle')}
          </Title>
          <List spacing={4} listStyleType="none" p={0}>
            {visible.map((match) => (
              <List.Item key={`${match.itemId}-${match.observableType}-${match.normalized}`}>
                <Group gap="xs" wrap="wrap">
                  <KindBadge kind={match.kind} />
                  <Anchor
                    component={Link}
                    to={`/items/${encodeURIComponent(match.itemId)}`}
                    fw={600}
                    data-testid="correlation-visible"
                  >
                    {match.title}
                  </Anchor>
                  <Text size="xs" c="dimmed" className="ps-mono">
                    {t(`observableTypes.${match.observableType}`)}: {match.normalized}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {restricted.length > 0 && (
        <div>
          <Title order={3} size="h5" mb={4}>
            {t('correlations.restrictedTitle')}
          </Title>
          <Stack gap={6}>
            {restricted.map((match) => (
              <Paper
                key={`${match.observableType}-${match.normalized}`}
                withBorder
                p="xs"
                bg="yellow.0"
                data-testid="correlation-restricted"
              >
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <div>
                    <Text size="sm" fw={600}>
                      {t('correlations.restrictedCount', { count: match.count })}
                    </Text>
                    <Text size="xs" c="dimmed" className="ps-mono">
                      {t(`observableTypes.${match.observableType}`)}: {match.normalized}
                    </Text>
                  </div>
                  <Button
                    component={Link}
                    to={`/inbox?observable=${encodeURIComponent(match.normalized)}#hits`}
                    size="xs"
                    variant="light"
                    color="orange"
                  >
                    {t('correlations.requestContact')}
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
          <Text size="xs" c="dimmed" mt={4}>
            {t('correlations.restrictedHint')}
          </Text>
        </div>
      )}
      {common.length > 0 && (
        <div data-testid="correlation-common">
          <Title order={3} size="h5" mb={4}>
            {t('correlations.commonTitle')}
          </Title>
          <List spacing={2} listStyleType="none" p={0}>
            {common.map((value) => (
              <List.Item key={`${value.observableType}-${value.normalized}`}>
                <Text size="sm">
                  <span className="ps-mono">
                    {t(`observableTypes.${value.observableType}`)}: {value.normalized}
                  </span>{' '}
                  — {t('correlations.commonCount', { count: value.count })}
                </Text>
              </List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed" mt={4}>
            {t('correlations.commonHint')}
          </Text>
        </div>
      )}
    </Stack>
  );
}
