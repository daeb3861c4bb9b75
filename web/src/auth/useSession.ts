import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { fetchSession } from '../api/auth.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { Session, User } from '../api/types.ts';

export function useSessionQuery() {
  return useQuery<Session | null>({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Provided by `SessionGate` around the signed-in application only. */
export const CurrentUserContext = createContext<User | null>(null);

/** The signed-in user; only for components below `SessionGate`'s provider. */
export function useCurrentUser(): User {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser outside a signed-in session');
  return user;
}
