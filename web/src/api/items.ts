import { apiBlob, apiRequest } from './client.ts';
import type {
  Attachment,
  AuditRecord,
  CreatedItem,
  Distribution,
  ExportFormat,
  Item,
  ItemInput,
  ItemList,
  ItemQuery,
  Reply,
  Sighting,
  SightingKind,
  WidenResult,
} from './types.ts';

const itemPath = (id: string): string => `/api/items/${encodeURIComponent(id)}`;

export function listItems(query: ItemQuery, signal?: AbortSignal): Promise<ItemList> {
  return apiRequest<ItemList>('/api/items', { query: { ...query }, signal });
}

export function createItem(input: ItemInput): Promise<CreatedItem> {
  return apiRequest<CreatedItem>('/api/items', { method: 'POST', body: input });
}

/** Personal-data items answer 428 JUSTIFICATION_REQUIRED unless a justification is given. */
export function getItem(id: string, justification?: string, signal?: AbortSignal): Promise<Item> {
  return apiRequest<Item>(itemPath(id), { justification, signal });
}

export function addReply(id: string, body: string, justification?: string): Promise<Reply> {
  return apiRequest<Reply>(`${itemPath(id)}/replies`, { method: 'POST', body: { body }, justification });
}

export function addSighting(
  id: string,
  input: { kind: SightingKind; note?: string },
  justification?: string,
): Promise<Sighting> {
  return apiRequest<Sighting>(`${itemPath(id)}/sightings`, { method: 'POST', body: input, justification });
}

export function widenItem(id: string, distribution: Distribution, reason: string): Promise<WidenResult> {
  return apiRequest<WidenResult>(`${itemPath(id)}/widen`, { method: 'POST', body: { distribution, reason } });
}

export async function getItemAudit(id: string, signal?: AbortSignal): Promise<AuditRecord[]> {
  const answer = await apiRequest<{ records: AuditRecord[] }>(`${itemPath(id)}/audit`, { signal });
  return answer.records;
}

export function exportItem(id: string, format: ExportFormat, justification?: string): Promise<Blob> {
  return apiBlob(`${itemPath(id)}/export`, { query: { format }, justification });
}

/** The file travels base64-encoded in JSON; the server checks its type on the bytes. */
export function uploadAttachment(
  id: string,
  file: { filename: string; mediaType: string; contentBase64: string },
): Promise<Attachment> {
  return apiRequest<Attachment>(`${itemPath(id)}/attachments`, { method: 'POST', body: file });
}

export function downloadAttachment(id: string, attachmentId: string, justification?: string): Promise<Blob> {
  return apiBlob(`${itemPath(id)}/attachments/${encodeURIComponent(attachmentId)}`, { justification });
}
