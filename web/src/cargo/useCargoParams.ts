import { useSearchParams } from 'react-router-dom';
import { useCurrentUser } from '../auth/useSession.ts';
import { defaultQueuePort, isQueuePort } from './ports.ts';
import { isIsoDate } from './useCargoText.ts';

/**
 * Port and dates of the cargo screens live in the URL (`?port=BEANR&date=…`), so a view can be
 * bookmarked and shared with a colleague and the back button works.
 */
export function useCargoParams(defaults: Record<string, string>) {
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const portParam = params.get('port');
  const port = isQueuePort(portParam) ? portParam : defaultQueuePort(user.orgCountry);
  const get = (name: string): string => {
    const value = params.get(name);
    return isIsoDate(value) ? value : (defaults[name] ?? '');
  };
  const update = (changes: Record<string, string>): void => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: false });
  };
  return { port, get, update, params };
}
