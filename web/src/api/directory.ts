import { apiRequest } from './client.ts';
import type { Directory } from './types.ts';

export function fetchDirectory(signal?: AbortSignal): Promise<Directory> {
  return apiRequest<Directory>('/api/directory', { signal });
}
