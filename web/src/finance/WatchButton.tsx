import { Button, Group, NativeSelect, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createWatch, deleteWatch, financeKeys, listWatches, type WatchInput } from '../api/finance.ts';
import { TLP_LEVELS, type Tlp } from '../api/types.ts';
import { hasPermission } from '../auth/permissions.ts';
import { useCurrentUser } from '../auth/useSession.ts';
import { useErrorText } from '../common/ErrorAlert.tsx';
import { useDirectory } from '../common/useDirectory.ts';

interface WatchButtonProps {
  /** The watched subject: an address (canonical form) or a cluster id. */
  target: { address: string } | { clusterId: number };
}

/**
 * Watch or stop watching an address or a cluster for the organisation: new inbound or outbound flows
 * raise alerts in the inbox, and, if asked, each alert is also published as a sharing item with the
 * chosen TLP to one of the user's communities (or to their organisation only). Watching is an act
 * (items:write); reading the state needs only items:read.
 */
export function WatchButton({ target }: WatchButtonProps) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const directory = useDirectory();
  const [note, setNote] = useState('');
  const [share, setShare] = useState(false);
  const [tlp, setTlp] = useState<Tlp>('AMBER');
  const [communityId, setCommunityId] = useState('');
  const watches = useQuery({ queryKey: financeKeys.watches, queryFn: ({ signal }) => listWatches(signal) });
  const current = watches.data?.find((w) =>
    'address' in target ? w.address === target.address : w.clusterId === target.clusterId,
  );
  const onError = (error: unknown) =>
    notifications.show({ title: t('finance.watches.failed'), message: errorText(error), color: 'red' });
  const refresh = () => queryClient.invalidateQueries({ queryKey: financeKeys.watches });
  const watch = useMutation({
    mutationFn: (input: WatchInput) => createWatch(input),
    onSuccess: async () => {
      setNote('');
      setShare(false);
      await refresh();
    },
    onError,
  });
  const unwatch = useMutation({ mutationFn: deleteWatch, onSuccess: refresh, onError });

  if (!hasPermission(user, 'items:write') || !watches.data) return null;
  if (current) {
    return (
      <Stack gap={2} align="flex-end">
        <Group gap="xs" align="center">
          <Text size="sm" c="teal.8" role="status" data-testid="finance-watched">
            {t('finance.watches.watched')}
          </Text>
          <Button
            size="xs"
            variant="default"
            loading={unwatch.isPending}
            onClick={() => unwatch.mutate(current.id)}
            data-testid="finance-unwatch"
          >
            {t('finance.watches.unwatch')}
          </Button>
        </Group>
        {current.share && (
          <Text size="xs" c="dimmed">
            {t('finance.watches.sharedAs', { tlp: `TLP:${current.share.tlp}` })}
          </Text>
        )}
      </Stack>
    );
  }
  // The items can go to a community the user's organisation belongs to, or stay in the organisation.
  const communities = (directory.data?.communities ?? []).filter((c) => c.memberOrgIds.includes(user.orgId));
  const submit = (): void => {
    const input: WatchInput = { ...target, note };
    if (share) input.share = communityId ? { tlp, communityId } : { tlp };
    watch.mutate(input);
  };
  return (
    <Stack gap="xs" maw={420}>
      <Group gap="xs" align="flex-end">
        <TextInput
          size="xs"
          label={t('finance.watches.note')}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-testid="finance-watch-note"
        />
        <Button size="xs" loading={watch.isPending} onClick={submit} data-testid="finance-watch">
          {t('finance.watches.watch')}
        </Button>
      </Group>
      <Switch
        size="xs"
        label={t('finance.watches.share')}
        description={t('finance.watches.shareHelp')}
        checked={share}
        onChange={(e) => setShare(e.currentTarget.checked)}
        data-testid="finance-watch-share"
      />
      {share && (
        <Group gap="xs" align="flex-end">
          <NativeSelect
            size="xs"
            label={t('finance.watches.shareTlp')}
            value={tlp}
            onChange={(e) => setTlp(e.currentTarget.value as Tlp)}
            data={TLP_LEVELS.map((level) => ({ value: level, label: `TLP:${level}` }))}
            data-testid="finance-watch-share-tlp"
          />
          <NativeSelect
            size="xs"
            label={t('finance.watches.shareCommunity')}
            value={communityId}
            onChange={(e) => setCommunityId(e.currentTarget.value)}
            data={[
              { value: '', label: t('finance.watches.shareOwnOrg') },
              ...communities.map((c) => ({ value: c.id, label: c.name })),
            ]}
            data-testid="finance-watch-share-community"
          />
        </Group>
      )}
    </Stack>
  );
}
