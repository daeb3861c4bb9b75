import { useQuery } from '@tanstack/react-query';
import { fetchDirectory } from '../api/directory.ts';
import { queryKeys } from '../api/queryKeys.ts';

export function useDirectory() {
  return useQuery({
    queryKey: queryKeys.directory,
    queryFn: ({ signal }) => fetchDirectory(signal),
    staleTime: 5 * 60_000,
  });
}
