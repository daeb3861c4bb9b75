import { Button, Group, NativeSelect } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Assignee, assignDeclaration, cargoKeys } from '../api/cargo.ts';
import { useCurrentUser } from '../auth/useSession.ts';
import { useErrorText } from '../common/ErrorAlert.tsx';
import { useDirectory } from '../common/useDirectory.ts';

/** Assigns the declaration to an officer of the user's own organisation. */
export function AssignForm({
  declarationId,
  assignee,
}: {
  declarationId: string;
  assignee: Assignee | null;
}) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const directory = useDirectory();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [userId, setUserId] = useState(assignee?.id ?? '');
  useEffect(() => setUserId(assignee?.id ?? ''), [assignee?.id]);

  const colleagues = (directory.data?.users ?? [])
    .filter((u) => u.orgId === user.orgId)
    .sort((a, b) => a.displayName.localeCompare(b.displayName));

  const mutation = useMutation({
    mutationFn: (id: string) => assignDeclaration(declarationId, id),
    onSuccess: (result) => {
      notifications.show({ message: t('cargo.assign.done', { name: result.assignee.name }), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: cargoKeys.all });
    },
    onError: (error) =>
      notifications.show({ title: t('errors.title'), message: errorText(error), color: 'red' }),
  });

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (userId) mutation.mutate(userId);
      }}
    >
      <Group align="flex-end" gap="xs">
        <NativeSelect
          label={t('cargo.assign.label')}
          value={userId}
          onChange={(e) => setUserId(e.currentTarget.value)}
          data={[
            { value: '', label: t('cargo.assign.nobody') },
            ...colleagues.map((u) => ({ value: u.id, label: u.displayName })),
          ]}
          data-testid="cargo-assign-user"
          style={{ flex: 1 }}
        />
        <Button
          type="submit"
          variant="default"
          disabled={!userId || userId === assignee?.id}
          loading={mutation.isPending}
          data-testid="cargo-assign-submit"
        >
          {t('cargo.assign.submit')}
        </Button>
      </Group>
    </form>
  );
}
