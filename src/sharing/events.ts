import { EventEmitter } from 'node:events';

export type LiveEvent =
  /** `personalData` items travel without their title: reading it is a consultation, which needs a justification. */
  | { type: 'item'; itemId: string; title: string; personalData: boolean; authorId: string }
  | { type: 'hit'; hitId: string; ownerOrgId: string; requesterUserId: string }
  | { type: 'request'; itemId: string; title: string; personalData: boolean; userIds: string[] }
  /** A watched address or cluster moved funds; only the watching organisation's users receive it. */
  | { type: 'finance-alert'; alertId: string; orgId: string };

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
