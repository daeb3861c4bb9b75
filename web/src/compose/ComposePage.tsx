import { Alert, Button, Group, List, Paper, Radio, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import { createItem } from '../api/items.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { type CreatedItem, ITEM_KINDS, type ItemKind } from '../api/types.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { BodyEditor } from './BodyEditor.tsx';
import { buildItemInput, type ComposeState, initialComposeState, validateCompose } from './composeState.ts';
import { DistributionFields } from './DistributionFields.tsx';
import { type FieldErrors, lookup, mapServerDetails } from './fieldErrors.ts';
import { MarkingFields } from './MarkingFields.tsx';
import { ObservablesEditor } from './ObservablesEditor.tsx';
import { PersonalDataFields } from './PersonalDataFields.tsx';
import { RfiFields } from './RfiFields.tsx';

/** Paths that have a field on this form; server details for other paths are listed on top. */
const KNOWN_PATHS = [
  'kind',
  'title',
  'body',
  'marking.tlp',
  'marking.handlingCode',
  'marking.sourceReliability',
  'marking.infoCredibility',
  'distribution.orgs',
  'distribution.users',
  'distribution.communities',
  'distribution.node',
  'personalData.subjectCategory',
  'personalData.reviewDate',
  'personalData',
  'addressees',
  'deadline',
] as const;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="fieldset" aria-labelledby={`${id}-legend`} style={{ minWidth: 0 }}>
      <Title order={2} size="h4" id={`${id}-legend`} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export default function ComposePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [state, setState] = useState<ComposeState>(initialComposeState);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [unplaced, setUnplaced] = useState<{ path: string; message: string }[]>([]);
  const errorSummaryRef = useRef<HTMLDivElement>(null);

  const update = (patch: Partial<ComposeState>): void => setState((current) => ({ ...current, ...patch }));
  const errorFor = lookup(fieldErrors);
  const translatedErrorFor = (path: string): string | undefined => {
    const message = errorFor(path);
    return message?.startsWith('compose.errors.') ? t(message) : message;
  };

  const focusFirstError = (): void => {
    requestAnimationFrame(() => {
      const invalid = document.querySelector<HTMLElement>('form[data-compose] [aria-invalid="true"]');
      (invalid ?? errorSummaryRef.current)?.focus();
    });
  };

  const mutation = useMutation<CreatedItem, Error, ComposeState>({
    mutationFn: (current) => createItem(buildItemInput(current).input),
    onSuccess: ({ item, correlation }) => {
      // Lists are out of date now; the new item itself is seeded (not invalidated), so it opens at
      // once with the correlations found at publication.
      void queryClient.invalidateQueries({ queryKey: queryKeys.itemLists, refetchType: 'none' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
      queryClient.setQueryData(queryKeys.itemWithJustification(item.id, undefined), { ...item, correlation });
      const matches = correlation.visible.length + correlation.restricted.length;
      notifications.show({
        title: t('compose.published'),
        message: matches > 0 ? t('compose.publishedWithMatches', { count: matches }) : item.title,
        color: 'green',
      });
      navigate(`/items/${encodeURIComponent(item.id)}`);
    },
    onError: (error, submitted) => {
      if (error instanceof ApiError && error.details.length > 0) {
        const { rowKeys } = buildItemInput(submitted);
        const mapped = mapServerDetails(
          error.details,
          rowKeys,
          submitted.observables.map((r) => r.key),
          KNOWN_PATHS,
        );
        setFieldErrors(mapped.fields);
        setUnplaced(mapped.unplaced);
      } else {
        setFieldErrors({});
        setUnplaced([]);
      }
      focusFirstError();
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const clientErrors = validateCompose(state);
    setFieldErrors(clientErrors);
    setUnplaced([]);
    if (Object.keys(clientErrors).length > 0) {
      focusFirstError();
      return;
    }
    mutation.mutate(state);
  };

  const hasErrors = mutation.isError || Object.keys(fieldErrors).length > 0;

  return (
    <Stack gap="md">
      <PageTitle>{t('compose.title')}</PageTitle>
      <form onSubmit={onSubmit} noValidate data-compose aria-label={t('compose.title')}>
        <Stack gap="md">
          {hasErrors && (
            <div ref={errorSummaryRef} tabIndex={-1}>
              {mutation.isError ? (
                <ErrorAlert error={mutation.error} title={t('compose.notPublished')} />
              ) : (
                <Alert color="red" title={t('compose.notPublished')} role="alert">
                  {t('compose.fixErrors')}
                </Alert>
              )}
              {unplaced.length > 0 && (
                <List size="sm" mt="xs" c="red.8" data-testid="compose-unplaced-errors">
                  {unplaced.map((detail) => (
                    <List.Item key={`${detail.path}-${detail.message}`}>
                      {detail.path ? `${detail.path}: ` : ''}
                      {detail.message}
                    </List.Item>
                  ))}
                </List>
              )}
            </div>
          )}

          <Section id="compose-content" title={t('compose.content')}>
            <Stack gap="sm">
              <Radio.Group<ItemKind>
                label={t('compose.kind')}
                required
                value={state.kind}
                onChange={(kind) => update({ kind })}
                error={translatedErrorFor('kind')}
              >
                <Group gap="lg" mt={4}>
                  {ITEM_KINDS.map((kind) => (
                    <Radio
                      key={kind}
                      value={kind}
                      label={t(`kinds.${kind}`)}
                      data-testid={`compose-kind-${kind}`}
                    />
                  ))}
                </Group>
              </Radio.Group>
              <TextInput
                label={t('compose.titleField')}
                required
                maxLength={300}
                value={state.title}
                onChange={(e) => update({ title: e.currentTarget.value })}
                error={translatedErrorFor('title')}
                data-testid="compose-title"
              />
              <BodyEditor
                value={state.body}
                onChange={(body) => update({ body })}
                error={translatedErrorFor('body')}
              />
            </Stack>
          </Section>

          <Section id="compose-marking" title={t('compose.marking')}>
            <MarkingFields state={state} update={update} errorFor={translatedErrorFor} />
          </Section>

          <Section id="compose-distribution" title={t('compose.distribution')}>
            <DistributionFields state={state} update={update} errorFor={translatedErrorFor} />
          </Section>

          <Section id="compose-personal" title={t('compose.personalDataSection')}>
            <PersonalDataFields state={state} update={update} errorFor={translatedErrorFor} />
          </Section>

          <Section id="compose-observables" title={t('compose.observables')}>
            <ObservablesEditor
              rows={state.observables}
              onChange={(observables) => update({ observables })}
              errorFor={translatedErrorFor}
            />
          </Section>

          {state.kind === 'rfi' && (
            <Section id="compose-rfi" title={t('compose.rfi')}>
              <RfiFields state={state} update={update} errorFor={translatedErrorFor} />
            </Section>
          )}

          <Group justify="flex-end">
            <Button type="submit" loading={mutation.isPending} data-testid="compose-submit">
              {t('compose.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
