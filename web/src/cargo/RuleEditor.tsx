import {
  Alert,
  Button,
  Grid,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  cargoKeys,
  fetchRules,
  fetchRuleVersion,
  fetchRuleVersions,
  type RuleSetVersion,
  type RuleSetVersionText,
  saveRules,
  simulateRules,
} from '../api/cargo.ts';
import { ApiError } from '../api/client.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';
import { RuleVersionView } from './RuleVersionView.tsx';
import { useFormatNumber, useReasonLabel } from './useCargoText.ts';

function authorName(author: RuleSetVersion['author']): string {
  return author?.name ?? '—';
}

/** Validation errors of a rule set, each with the path of the offending element. */
function RuleErrors({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || error.details.length === 0) return <ErrorAlert error={error} />;
  return (
    <Alert color="red" title={t('cargo.rules.invalid')} role="alert" data-testid="cargo-rule-errors">
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {error.details.map((d) => (
          <li key={`${d.path}:${d.message}`}>
            <Text size="sm" span ff="monospace" fw={600}>
              {d.path || '/'}
            </Text>{' '}
            <Text size="sm" span>
              {d.message}
            </Text>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

export function RuleEditor() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const format = useFormatNumber();
  const reasonLabel = useReasonLabel();
  const current = useQuery({ queryKey: cargoKeys.rules, queryFn: ({ signal }) => fetchRules(signal) });
  const versions = useQuery({
    queryKey: cargoKeys.ruleVersions,
    queryFn: ({ signal }) => fetchRuleVersions(signal),
  });
  const [yaml, setYaml] = useState('');
  const [comment, setComment] = useState('');
  const [loaded, setLoaded] = useState<number | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const yamlRef = useRef<HTMLTextAreaElement>(null);
  /** Set when a version was loaded from the dialog: focus goes to the editor once it has closed. */
  const focusEditor = useRef(false);

  useEffect(() => {
    if (current.data && loaded === null) {
      setYaml(current.data.yaml);
      setLoaded(current.data.version);
    }
  }, [current.data, loaded]);

  const simulate = useMutation({ mutationFn: () => simulateRules(yaml, 90) });
  const save = useMutation({
    mutationFn: () => saveRules(yaml, comment.trim()),
    onSuccess: (saved) => {
      notifications.show({
        message: saved.created
          ? t('cargo.rules.saved', { version: saved.version })
          : t('cargo.rules.unchanged', { version: saved.version }),
        color: saved.created ? 'green' : 'gray',
      });
      setComment('');
      setLoaded(saved.version);
      void queryClient.invalidateQueries({ queryKey: cargoKeys.rules });
    },
  });

  // Restoring a version = loading its text here and saving it: a new version, history unchanged.
  const loadVersion = (v: RuleSetVersionText) => {
    setYaml(v.yaml);
    setComment(t('cargo.rules.restoredComment', { version: v.version }));
    simulate.reset();
    save.reset();
    notifications.show({ message: t('cargo.rules.versionLoaded', { version: v.version }), color: 'blue' });
    if (viewing === null) yamlRef.current?.focus();
    else {
      focusEditor.current = true;
      setViewing(null);
    }
  };
  const loadFromList = useMutation({
    mutationFn: (version: number) =>
      queryClient.fetchQuery({
        queryKey: cargoKeys.ruleVersion(version),
        queryFn: ({ signal }) => fetchRuleVersion(version, signal),
        staleTime: Number.POSITIVE_INFINITY,
      }),
    onSuccess: loadVersion,
  });

  if (current.isPending) return <LoadingState />;
  if (current.isError) return <ErrorAlert error={current.error} onRetry={() => void current.refetch()} />;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed" data-testid="cargo-rules-version">
            {current.data.builtIn
              ? t('cargo.rules.currentBuiltIn', { version: current.data.version })
              : t('cargo.rules.current', { version: current.data.version })}
          </Text>
          <Textarea
            label={t('cargo.rules.yaml')}
            description={t('cargo.rules.yamlHelp')}
            ref={yamlRef}
            value={yaml}
            onChange={(e) => {
              setYaml(e.currentTarget.value);
              simulate.reset();
              save.reset();
            }}
            autosize
            minRows={16}
            maxRows={24}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            data-testid="cargo-rules-yaml"
          />
          <TextInput
            label={t('cargo.rules.comment')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            maxLength={500}
            data-testid="cargo-rules-comment"
          />
          <Group gap="sm">
            <Button
              variant="default"
              onClick={() => simulate.mutate()}
              loading={simulate.isPending}
              data-testid="cargo-rules-simulate"
            >
              {t('cargo.rules.simulate')}
            </Button>
            <Button
              onClick={() => save.mutate()}
              loading={save.isPending}
              disabled={!comment.trim()}
              data-testid="cargo-rules-save"
            >
              {t('cargo.rules.save')}
            </Button>
          </Group>
          {simulate.isError && <RuleErrors error={simulate.error} />}
          {save.isError && <RuleErrors error={save.error} />}
          {simulate.isSuccess && (
            <Alert color="blue" role="status" data-testid="cargo-rules-simulation">
              <Text size="sm">
                {t('cargo.rules.simulation', {
                  selected: format.count(simulate.data.selected),
                  inspected: format.count(simulate.data.inspected),
                  seizures: format.count(simulate.data.seizures),
                })}
              </Text>
              {simulate.data.perRule.length > 0 && (
                <Table fz="xs" verticalSpacing={2} mt="xs" data-testid="cargo-rules-simulation-rules">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('cargo.performance.rule')}</Table.Th>
                      <Table.Th scope="col">{t('cargo.performance.selections')}</Table.Th>
                      <Table.Th scope="col">{t('cargo.performance.inspections')}</Table.Th>
                      <Table.Th scope="col">{t('cargo.performance.seizures')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {simulate.data.perRule.map((r) => (
                      <Table.Tr key={r.code}>
                        <Table.Th scope="row" fw={400}>
                          {reasonLabel(r)}
                        </Table.Th>
                        <Table.Td>{format.count(r.selected)}</Table.Td>
                        <Table.Td>{format.count(r.inspected)}</Table.Td>
                        <Table.Td>{format.count(r.seizures)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Alert>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Paper withBorder p="sm" component="section" aria-labelledby="cargo-rule-versions">
          <Title order={2} size="h5" id="cargo-rule-versions" mb="xs">
            {t('cargo.rules.versions')}
          </Title>
          {versions.isError && <ErrorAlert error={versions.error} />}
          {loadFromList.isError && <ErrorAlert error={loadFromList.error} />}
          <Table fz="xs" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cargo.rules.version')}</Table.Th>
                <Table.Th scope="col">{t('cargo.rules.when')}</Table.Th>
                <Table.Th scope="col">{t('cargo.rules.comment')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(versions.data ?? []).map((v) => (
                <Table.Tr key={v.version} data-testid="cargo-rule-version">
                  <Table.Td>{v.version}</Table.Td>
                  <Table.Td>
                    {formatDate(v.createdAt ?? null)}
                    <Text size="xs" c="dimmed">
                      {authorName(v.author)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {v.comment ?? '—'}
                    {/* Under the comment: the panel is narrow, a fourth column would overflow it. */}
                    <Group gap={4} mt={2}>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setViewing(v.version)}
                        aria-label={t('cargo.rules.viewVersion', { version: v.version })}
                        data-testid="cargo-rule-version-view-button"
                      >
                        {t('cargo.rules.view')}
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => loadFromList.mutate(v.version)}
                        loading={loadFromList.isPending && loadFromList.variables === v.version}
                        aria-label={t('cargo.rules.loadVersion', { version: v.version })}
                        data-testid="cargo-rule-version-load-button"
                      >
                        {t('cargo.rules.load')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <RuleVersionView
          version={viewing}
          editorText={yaml}
          onClose={() => setViewing(null)}
          onLoad={loadVersion}
          onClosed={() => {
            if (focusEditor.current) yamlRef.current?.focus();
            focusEditor.current = false;
          }}
        />
      </Grid.Col>
    </Grid>
  );
}
