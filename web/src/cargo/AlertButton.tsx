import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { alertRoutePorts } from '../api/cargo.ts';
import { useCurrentUser } from '../auth/useSession.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { useDirectory } from '../common/useDirectory.ts';

interface AlertButtonProps {
  declarationId: string;
  /** UN/LOCODEs of the route; the port of discharge is the queue's port. */
  route: string[];
  port: string;
}

/**
 * One click publishes an alert to the customs organisations of the other ports' countries on the
 * route (those on this node, as the server decides); the directory names them beforehand, and
 * the link to the new item is shown afterwards.
 */
export function AlertButton({ declarationId, route, port }: AlertButtonProps) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const directory = useDirectory();
  const mutation = useMutation({ mutationFn: () => alertRoutePorts(declarationId) });

  const countries = new Set(route.filter((p) => p !== port).map((p) => p.slice(0, 2)));
  const recipients = (directory.data?.orgs ?? []).filter(
    (o) => o.kind === 'customs' && o.id !== user.orgId && countries.has(o.country),
  );
  const nobody = directory.isSuccess && recipients.length === 0;

  return (
    <Stack gap="xs">
      <div>
        <Button
          color="orange"
          variant="light"
          onClick={() => mutation.mutate()}
          loading={mutation.isPending}
          disabled={mutation.isSuccess || nobody}
          data-testid="cargo-alert-ports"
        >
          {t('cargo.alert.button')}
        </Button>
      </div>
      <Text size="xs" c="dimmed" data-testid="cargo-alert-recipients">
        {nobody
          ? t('cargo.alert.noOtherPorts')
          : t('cargo.alert.explain', { orgs: recipients.map((o) => o.name).join(', ') })}
      </Text>
      {mutation.isSuccess && (
        <Alert color="green" role="status" data-testid="cargo-alert-created">
          <Anchor component={Link} to={`/items/${mutation.data.itemId}`} data-testid="cargo-alert-link">
            {t('cargo.alert.created')}
          </Anchor>
        </Alert>
      )}
      {mutation.isError && <ErrorAlert error={mutation.error} />}
    </Stack>
  );
}
