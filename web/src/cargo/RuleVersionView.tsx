import { Alert, Box, Button, Group, Modal, Stack, Tabs, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { cargoKeys, fetchRuleVersion, type RuleSetVersionText } from '../api/cargo.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';
import { type DiffLine, lineDiff, summarise } from './line-diff.ts';

const MONO = 'var(--mantine-font-family-monospace)';

const LINE_STYLE: Record<DiffLine['kind'], { mark: string; bg: string | undefined }> = {
  same: { mark: ' ', bg: undefined },
  removed: { mark: '−', bg: 'var(--mantine-color-red-light)' },
  added: { mark: '+', bg: 'var(--mantine-color-green-light)' },
};

/**
 * The changes that loading a stored version would make to the editor's text: "−" lines are in
 * the editor now, "+" lines in the version. Each line also says so in words for screen readers.
 */
function VersionDiff({ editorText, version }: { editorText: string; version: RuleSetVersionText }) {
  const { t } = useTranslation();
  const diff = useMemo(() => lineDiff(editorText, version.yaml), [editorText, version.yaml]);
  const counts = summarise(diff);
  if (counts.added === 0 && counts.removed === 0)
    return (
      <Alert color="gray" role="status" data-testid="cargo-rule-version-identical">
        {t('cargo.rules.versionIdentical', { version: version.version })}
      </Alert>
    );
  return (
    <Stack gap="xs">
      <Text size="sm" data-testid="cargo-rule-version-diff-summary">
        {t('cargo.rules.diffSummary', {
          version: version.version,
          added: counts.added,
          removed: counts.removed,
        })}
      </Text>
      <Box
        component="section"
        aria-label={t('cargo.rules.diffLabel', { version: version.version })}
        tabIndex={0}
        mah={420}
        style={{
          overflow: 'auto',
          fontFamily: MONO,
          fontSize: 12,
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 4,
        }}
        data-testid="cargo-rule-version-diff"
      >
        {diff.map((line) => {
          const s = LINE_STYLE[line.kind];
          const key =
            line.kind === 'same'
              ? `s${line.oldLine}`
              : line.kind === 'removed'
                ? `r${line.oldLine}`
                : `a${line.newLine}`;
          return (
            <Box
              key={key}
              data-kind={line.kind}
              style={{ background: s.bg, whiteSpace: 'pre', padding: '0 8px', minHeight: '1.4em' }}
            >
              <span aria-hidden="true">{s.mark} </span>
              {line.kind !== 'same' && (
                <VisuallyHidden>
                  {line.kind === 'added' ? t('cargo.rules.diffAdded') : t('cargo.rules.diffRemoved')}:{' '}
                </VisuallyHidden>
              )}
              {line.text}
            </Box>
          );
        })}
      </Box>
    </Stack>
  );
}

interface RuleVersionViewProps {
  /** The version to show; null keeps the dialog closed. */
  version: number | null;
  /** The editor's current text, to compare against. */
  editorText: string;
  onClose: () => void;
  /** Puts the version's text into the editor (saving it then restores the version). */
  onLoad: (version: RuleSetVersionText) => void;
  /** Called once the dialog has closed and given focus back. */
  onClosed?: () => void;
}

/** A stored rule-set version, read-only, with its differences from the editor and a way to load it. */
export function RuleVersionView({ version, editorText, onClose, onLoad, onClosed }: RuleVersionViewProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const q = useQuery({
    queryKey: cargoKeys.ruleVersion(version ?? 0),
    queryFn: ({ signal }) => fetchRuleVersion(version ?? 0, signal),
    enabled: version !== null,
    // A stored version never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });

  return (
    <Modal
      opened={version !== null}
      onClose={onClose}
      onExitTransitionEnd={onClosed}
      title={t('cargo.rules.versionTitle', { version: version ?? '' })}
      size="xl"
      data-testid="cargo-rule-version-view"
    >
      {q.isPending && <LoadingState />}
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.isSuccess && (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('cargo.rules.versionSaved', {
              when: formatDate(q.data.createdAt ?? null),
              author: q.data.author?.name ?? '—',
            })}
            {q.data.comment ? ` — ${q.data.comment}` : ''}
          </Text>
          <Tabs defaultValue="diff" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="diff" data-testid="cargo-rule-version-tab-diff">
                {t('cargo.rules.diffTab')}
              </Tabs.Tab>
              <Tabs.Tab value="text" data-testid="cargo-rule-version-tab-text">
                {t('cargo.rules.textTab')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="diff" pt="sm">
              <VersionDiff editorText={editorText} version={q.data} />
            </Tabs.Panel>
            <Tabs.Panel value="text" pt="sm">
              <Textarea
                label={t('cargo.rules.versionText', { version: q.data.version })}
                value={q.data.yaml}
                readOnly
                autosize
                minRows={8}
                maxRows={22}
                spellCheck={false}
                styles={{ input: { fontFamily: MONO, fontSize: 12 } }}
                data-testid="cargo-rule-version-yaml"
              />
            </Tabs.Panel>
          </Tabs>
          <Text size="xs" c="dimmed">
            {t('cargo.rules.loadHelp')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
            <Button onClick={() => onLoad(q.data)} data-autofocus data-testid="cargo-rule-version-load">
              {t('cargo.rules.loadVersion', { version: q.data.version })}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
