import type { LiveEvent, LiveEventType } from './types.ts';

const EVENT_TYPES: readonly LiveEventType[] = ['item', 'hit', 'request'];

function parse(type: LiveEventType, data: string): LiveEvent | null {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { id, title } = parsed as { id?: unknown; title?: unknown };
    if (typeof id !== 'string' && typeof id !== 'number') return null;
    return { type, id: String(id), title: typeof title === 'string' ? title : undefined };
  } catch {
    return null;
  }
}

/**
 * Subscribes to the server-sent events of `/api/events` (cookie session, same origin).
 * The browser reconnects by itself after a dropped connection. Returns the unsubscribe function.
 */
export function subscribeToEvents(onEvent: (event: LiveEvent) => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource('/api/events', { withCredentials: true });
  const listeners = EVENT_TYPES.map((type) => {
    const listener = (message: MessageEvent<string>): void => {
      const event = parse(type, message.data);
      if (event) onEvent(event);
    };
    source.addEventListener(type, listener);
    return [type, listener] as const;
  });
  return () => {
    for (const [type, listener] of listeners) source.removeEventListener(type, listener);
    source.close();
  };
}
