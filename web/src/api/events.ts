import type { LiveEvent, LiveEventType } from './types.ts';

const EVENT_TYPES: readonly LiveEventType[] = ['item', 'hit', 'request'];

/**
 * Listeners of other named server events (e.g. `finance-alert`), registered by the screens that care;
 * they ride on the one stream opened by subscribeToEvents instead of opening a second connection.
 */
const namedListeners = new Map<string, Set<(data: string) => void>>();
const openSources = new Set<EventSource>();

function dispatchNamed(type: string) {
  return (message: MessageEvent<string>): void => {
    for (const fn of namedListeners.get(type) ?? []) fn(message.data);
  };
}
const namedDispatchers = new Map<string, (message: MessageEvent<string>) => void>();

/** Calls `fn` with the raw data of every `type` event on the live stream. Returns the remover. */
export function onServerEvent(type: string, fn: (data: string) => void): () => void {
  let set = namedListeners.get(type);
  if (!set) {
    set = new Set();
    namedListeners.set(type, set);
    const dispatcher = dispatchNamed(type);
    namedDispatchers.set(type, dispatcher);
    for (const source of openSources) source.addEventListener(type, dispatcher);
  }
  set.add(fn);
  return () => {
    set.delete(fn);
  };
}

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
  openSources.add(source);
  for (const [type, dispatcher] of namedDispatchers) source.addEventListener(type, dispatcher);
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
    for (const [type, dispatcher] of namedDispatchers) source.removeEventListener(type, dispatcher);
    openSources.delete(source);
    source.close();
  };
}
