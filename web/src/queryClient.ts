import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, setCsrfToken } from './api/client.ts';
import { queryKeys } from './api/queryKeys.ts';

/** Client errors are answers, not glitches: retry only transport and server failures. */
function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        // The session expired or was revoked: drop back to the login screen.
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          client.setQueryData(queryKeys.session, null);
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (!(error instanceof ApiError)) return;
        if (error.status === 401) {
          setCsrfToken(null);
          client.setQueryData(queryKeys.session, null);
        } else if (error.code === 'CSRF_FAILED') {
          // The token rotated (e.g. server restart): fetch a fresh one for the next attempt.
          void client.invalidateQueries({ queryKey: queryKeys.session });
        }
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
  return client;
}
