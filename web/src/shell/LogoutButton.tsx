import { Button, type ButtonProps } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { logout } from '../api/auth.ts';
import { queryKeys } from '../api/queryKeys.ts';

export function LogoutButton(props: ButtonProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [leaving, setLeaving] = useState(false);

  const onLogout = async (): Promise<void> => {
    setLeaving(true);
    try {
      await logout();
    } catch {
      // The session is dropped locally either way.
    } finally {
      // Leave the signed-in tree first, then drop every cached answer of this session.
      queryClient.setQueryData(queryKeys.session, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
      setLeaving(false);
    }
  };

  return (
    <Button variant="default" size="xs" {...props} onClick={() => void onLogout()} loading={leaving}>
      {t('shell.logout')}
    </Button>
  );
}
