import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router-dom';
import { SessionGate } from './auth/SessionGate.tsx';
import { ErrorBoundary } from './common/ErrorBoundary.tsx';
import { createQueryClient } from './queryClient.ts';
import { localisedTheme } from './theme.ts';

export function App() {
  const { t } = useTranslation();
  const [queryClient] = useState(createQueryClient);
  const closeLabel = t('common.close');
  const theme = useMemo(() => localisedTheme(closeLabel), [closeLabel]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" limit={4} />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <ErrorBoundary>
            <SessionGate />
          </ErrorBoundary>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
