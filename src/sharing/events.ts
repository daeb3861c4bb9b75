import { EventEmitter } from 'node:events';

export type LiveEvent =
  | { type: 'item'; itemId: string; title: string }
  | { type: 'hit'; hitId: string; ownerOrgId: string; requesterUserId: string }
  | { type: 'request'; itemId: string; title: string; userIds: string[] };

/**
 * In-process fan-out of live events to server-sent-event connections. Each connection decides
 * with the access condition whether its actor may see an event before sending it. Several node
 * processes would relay these through PostgreSQL LISTEN/NOTIFY; one process needs no more.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(10_000);
  }
  publish(e: LiveEvent): void {
    this.emitter.emit('event', e);
  }
  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
}
