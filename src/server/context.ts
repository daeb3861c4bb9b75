import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../audit/index.ts';
import { CargoService } from '../cargo/index.ts';
import { FinanceService } from '../finance/index.ts';
import { IdentityService } from '../identity/index.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import { type Database, migrate, openDatabase } from '../platform/database.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import { loadOrCreateNodeKey, type NodeKey } from '../platform/node-key.ts';
import { EventBus } from '../sharing/events.ts';
import { SharingService } from '../sharing/index.ts';
import { allMigrations } from './migrations.ts';

/** Everything a running node holds: built once, handed to routes, CLI commands and tests. */
export interface NodeContext {
  config: Config;
  database: Database;
  clock: Clock;
  log: Logger;
  nodeKey: NodeKey;
  audit: AuditLog;
  identity: IdentityService;
  sharing: SharingService;
  finance: FinanceService;
  cargo: CargoService;
  events: EventBus;
  close(): Promise<void>;
}

/**
 * Rows from which an ingest batch is read on the reader's thread. Reading on a thread of its own
 * pays off where that thread gets a core of its own: on two cores the node's thread and the
 * database (the server's processes, or PGlite inside the node) already use both while a batch is
 * scored and streamed, and handing declarations between threads costs more than it saves
 * (measured: docs/benchmarks.md, cargo-ingest).
 */
function readerThreadFrom(config: Config): number {
  const on =
    config.ingestReaderThread === 'on' ||
    (config.ingestReaderThread === 'auto' && availableParallelism() > 2);
  return on ? 1_000 : Number.POSITIVE_INFINITY;
}

export async function openNode(
  config: Config,
  opts: { clock?: Clock; log?: Logger; database?: Database } = {},
): Promise<NodeContext> {
  const log = opts.log ?? createLogger(config.logLevel);
  const database = opts.database ?? (await openDatabase(config));
  try {
    await migrate(database.db, allMigrations());
    const clock = opts.clock ?? systemClock;
    const nodeKey = await loadOrCreateNodeKey(database.db);
    const headFile = config.databaseUrl ? null : path.join(config.dataDir, 'audit-head.json');
    const audit = new AuditLog(database.db, clock, nodeKey, headFile);
    const events = new EventBus();
    const identity = new IdentityService(database.db, clock, audit, {
      idleMinutes: config.sessionIdleMinutes,
      absoluteHours: config.sessionAbsoluteHours,
      cacheSeconds: config.sessionCacheSeconds,
    });
    const sharing = new SharingService(database.db, clock, audit, events);
    const cargo = new CargoService(database.db, clock, audit, identity, sharing, {
      reader: { workerMinRows: readerThreadFrom(config) },
    });
    const finance = new FinanceService(database.db, clock, audit, {
      events,
      actorForUser: (id) =>
        identity.publicUser(id).then(
          (u) => identity.actorFor(u),
          () => null,
        ),
      publishItem: async (actor, input) => (await sharing.publish(actor, input)).item.id,
      onError: (err, alertId) => log.warn({ err, alertId }, 'finance alert: sharing item not published'),
      itemsMentioning: (actor, addresses) => sharing.itemsMentioning(actor, 'crypto', addresses),
      priceChecks: cargo,
    });
    return {
      config,
      database,
      clock,
      log,
      nodeKey,
      audit,
      identity,
      sharing,
      finance,
      cargo,
      events,
      close: async () => {
        await cargo.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
