import { Alert, Button, Center, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { type WithTranslation, withTranslation } from 'react-i18next';

interface State {
  error: Error | null;
}

/** Last line of defence: an unexpected rendering error shows a message instead of a blank page. */
class ErrorBoundaryInner extends Component<WithTranslation & { children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('PortShield UI error', error, info.componentStack);
  }

  override render(): ReactNode {
    const { t } = this.props;
    if (!this.state.error) return this.props.children;
    return (
      <Center mih="60vh" p="md">
        <Stack maw={520}>
          <Alert color="red" title={t('errors.title')} role="alert">
            <Text size="sm">{t('errors.generic')}</Text>
          </Alert>
          <Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }
}

export const ErrorBoundary = withTranslation()(ErrorBoundaryInner);
