import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ROLES } from '../access/index.ts';
import { fileBatches, formatOfFile, type IngestFormat, parseDeclarationFile } from '../cargo/index.ts';
import { demoNextBlocksHex } from '../demo/finance-demo.ts';
import { seedDemo } from '../demo/seed.ts';
import { DEMO_PASSWORD, demoTotpSecret } from '../demo/world.ts';
import { inspectBlock } from '../finance/index.ts';
import { currentTotp } from '../identity/index.ts';
import { loadConfig } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { createLogger } from '../platform/logger.ts';
import { buildApp } from '../server/app.ts';
import { type NodeContext, openNode } from '../server/context.ts';
import { importInterchange } from '../sharing/interchange-service.ts';
import { progressBar } from './progress.ts';

const program = new Command();
program
  .name('portshield')
  .description(
    'PortShield node: information sharing, targeting and tracing against drug trafficking through ports',
  );

async function withNode<T>(fn: (ctx: NodeContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ctx = await openNode(config, { log: quietLogger() });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** CLI commands print their own results; the structured log is for the server. */
function quietLogger() {
  return createLogger(process.env.LOG_LEVEL ?? 'warn');
}

program
  .command('serve')
  .description('Start the node: API, web UI and background work')
  .option('--demo', 'seed the demo world on first start and print demo logins')
  .action(async (opts: { demo?: boolean }) => {
    const config = loadConfig();
    const ctx = await openNode(config);
    if (opts.demo) {
      const report = await seedWithProgress(ctx, demoItemCount(process.env.DEMO_ITEMS));
      printLogins(report.logins);
    }
    const app = await buildApp(ctx);
    const timers = [
      setInterval(
        () => void ctx.audit.signHead().catch((err) => ctx.log.error({ err }, 'signing tree head failed')),
        60_000,
      ),
      setInterval(
        () => void ctx.sharing.reviewSweep().catch((err) => ctx.log.error({ err }, 'review sweep failed')),
        3_600_000,
      ),
    ];
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      for (const t of timers) clearInterval(t);
      await app.close();
      await ctx.audit.signHead().catch(() => {});
      await ctx.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    await ctx.sharing.reviewSweep();
    await ctx.audit.signHead();
    await app.listen({ port: config.port, host: config.host });
    const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
    console.log(`\nPortShield is running: open ${where}  (API docs: ${where}/api/docs)`);
    console.log(
      `Database: ${ctx.database.kind === 'pglite' ? `embedded (${config.dataDir})` : 'PostgreSQL server'}`,
    );
  });

/** `DEMO_ITEMS` sizes the demo world that `serve --demo` seeds (default 300 items). */
function demoItemCount(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new AppError('BAD_REQUEST', `DEMO_ITEMS must be a non-negative integer, got '${raw}'`);
  return n;
}

async function seedWithProgress(ctx: NodeContext, items?: number) {
  let bar: ReturnType<typeof progressBar> | null = null;
  const report = await seedDemo(ctx, {
    ...(items === undefined ? {} : { items }),
    onProgress: (done, total) => {
      bar ??= progressBar('Seeding the demo world', total);
      bar.update(done);
    },
  });
  (bar as ReturnType<typeof progressBar> | null)?.stop();
  return report;
}

function printLogins(logins: { username: string; org: string }[]) {
  const highlight = [
    'be.customs.analyst',
    'nl.police.analyst',
    'nl.terminal.analyst',
    'nl.fiu.analyst',
    'be.customs.dpo',
    'admin',
  ];
  console.log('\nDemo logins (password for all: %s). Each needs a one-time code:', DEMO_PASSWORD);
  console.log('  npm run -s portshield -- demo-code USERNAME   prints the current code');
  for (const u of logins.filter((l) => highlight.includes(l.username))) {
    console.log(`  ${u.username.padEnd(22)} ${u.org}`);
  }
  console.log(`  … and ${logins.length - highlight.length} more: npm run -s portshield -- demo-logins`);
}

program
  .command('demo')
  .description('Seed the demo world (organisations, users, communities, items)')
  .option('--items <n>', 'number of items', '300')
  .action(async (opts: { items: string }) => {
    await withNode(async (ctx) => {
      const bar = progressBar('Seeding', Number(opts.items) + 100);
      const report = await seedDemo(ctx, { items: Number(opts.items), onProgress: (d) => bar.update(d) });
      bar.stop();
      console.log(
        JSON.stringify({
          orgs: report.orgs,
          users: report.users,
          communities: report.communities,
          items: report.items,
        }),
      );
    });
  });

program
  .command('demo-logins')
  .description('List the demo users and their authenticator secrets')
  .action(async () => {
    const { demoOrgs, demoUsers } = await import('../demo/world.ts');
    const orgs = demoOrgs();
    for (const u of demoUsers(orgs)) {
      console.log(
        `${u.username.padEnd(24)} ${u.roles.join(',').padEnd(12)} otpauth://totp/PortShield:${u.username}?secret=${demoTotpSecret(u.username)}&issuer=PortShield`,
      );
    }
  });

program
  .command('demo-code')
  .description('Print the current one-time code of a demo user')
  .argument('<username>')
  .action((username: string) => {
    console.log(currentTotp(demoTotpSecret(username), new Date()));
  });

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    await withNode(async () => {
      console.log('Migrations applied.');
    });
  });

const user = program.command('user').description('Manage users');
user
  .command('add')
  .description('Add a user; prints the TOTP secret once')
  .requiredOption('--username <u>')
  .requiredOption('--name <displayName>')
  .requiredOption('--org <orgName>')
  .requiredOption(
    '--roles <roles>',
    'comma-separated: analyst, officer, liaison, dpo, auditor, org_admin, node_admin',
  )
  .option('--locale <l>', 'en, nl, fr, de, es or it', 'en')
  .action(async (o: { username: string; name: string; org: string; roles: string; locale: string }) => {
    const password = process.env.PORTSHIELD_PASSWORD;
    if (!password)
      throw new AppError(
        'BAD_REQUEST',
        'Set PORTSHIELD_PASSWORD in the environment (kept out of shell history)',
      );
    await withNode(async (ctx) => {
      const org = (await ctx.identity.listOrgs()).find((x) => x.name === o.org || x.id === o.org);
      if (!org) throw new AppError('NOT_FOUND', `No organisation '${o.org}'`);
      const { userInputSchema } = await import('../identity/index.ts');
      const input = userInputSchema.parse({
        username: o.username,
        displayName: o.name,
        orgId: org.id,
        roles: o.roles.split(',').map((r) => r.trim()) as (typeof ROLES)[number][],
        password,
        locale: o.locale,
      });
      const res = await ctx.identity.createUser(null, input);
      console.log(`User ${res.user.username} added to ${org.name}.`);
      console.log(
        `Authenticator: otpauth://totp/PortShield:${res.user.username}?secret=${res.totpSecret}&issuer=PortShield`,
      );
    });
  });

const audit = program.command('audit').description('The tamper-evident audit log');
audit
  .command('verify')
  .description('Recompute every leaf and the Merkle tree; check against the last signed head')
  .action(async () => {
    await withNode(async (ctx) => {
      // The bar is made on the first report, when the log's size is known.
      let bar: ReturnType<typeof progressBar> | null = null;
      const report = await ctx.audit.verify((done, total) => {
        bar ??= progressBar('Verifying', total);
        bar.update(done);
      });
      (bar as ReturnType<typeof progressBar> | null)?.stop();
      console.log(JSON.stringify(report, null, 2));
      if (!report.ok) process.exitCode = 1;
      else await ctx.audit.signHead();
    });
  });

program
  .command('import')
  .description('Import a MISP event or a STIX 2.1 bundle as an item of a user')
  .argument('<format>', 'misp or stix')
  .argument('<file>')
  .requiredOption('--as <username>', 'the user on whose behalf the item is created')
  .action(async (format: string, file: string, o: { as: string }) => {
    if (format !== 'misp' && format !== 'stix')
      throw new AppError('BAD_REQUEST', 'format must be misp or stix');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AppError('MALFORMED_JSON', `${file}: ${(err as Error).message}`);
    }
    await withNode(async (ctx) => {
      const actor = await ctx.identity.actorForUsername(o.as);
      const res = await importInterchange(ctx.sharing, actor, format, json);
      console.log(
        JSON.stringify({
          itemId: res.item.id,
          title: res.item.title,
          observables: res.item.observables.length,
          quarantined: res.quarantined,
        }),
      );
    });
  });

const finance = program.command('finance').description('Crypto-currency ledgers and tracing');
finance
  .command('inspect-block')
  .description(
    'Parse a raw Bitcoin block (binary or hex) and check its merkle root; exits non-zero on a mismatch',
  )
  .argument('<file>')
  .action((file: string) => {
    const report = inspectBlock(readFileSync(file));
    console.log(JSON.stringify(report));
    if (!report.ok) process.exitCode = 1;
  });

finance
  .command('import-blocks')
  .description('Import raw Bitcoin blocks (blk*.dat files or hex files); each file is one batch')
  .argument('<files...>')
  .requiredOption('--as <username>', 'the user on whose behalf the blocks are imported')
  .action(async (files: string[], o: { as: string }) => {
    await withNode(async (ctx) => {
      const actor = await ctx.identity.actorForUsername(o.as);
      const bar = progressBar('Importing blocks', files.length);
      const totals = { blocks: 0, skipped: 0, transactions: 0, merges: 0, alerts: 0 };
      let done = 0;
      for (const file of files) {
        const buf = readFileSync(file);
        // A hex file may hold several blocks, one per line (as `finance demo-next-batch` writes them).
        const lines = /^[0-9a-fA-F\s]+$/.test(buf.subarray(0, 4096).toString('latin1'))
          ? buf
              .toString('latin1')
              .split(/\r?\n/)
              .filter((l) => l.trim() !== '')
          : [];
        const r = await ctx.finance.importBlocks(actor, lines.length > 1 ? lines : [buf]);
        totals.blocks += r.blocks;
        totals.skipped += r.skipped;
        totals.transactions += r.transactions;
        totals.merges += r.merges;
        totals.alerts += r.alerts;
        bar.update(++done);
      }
      bar.stop();
      console.log(JSON.stringify(totals));
    });
  });

finance
  .command('import-transfers')
  .description('Import ETH/TRON transfers (CSV with header or JSON Lines); bad rows are reported')
  .argument('<file>')
  .requiredOption('--as <username>', 'the user on whose behalf the transfers are imported')
  .action(async (file: string, o: { as: string }) => {
    await withNode(async (ctx) => {
      const actor = await ctx.identity.actorForUsername(o.as);
      const r = await ctx.finance.importTransfers(actor, readFileSync(file, 'utf8'));
      console.log(JSON.stringify(r));
    });
  });

finance
  .command('import-tagpack')
  .description('Import a GraphSense TagPack (YAML) as tags of a user (marking TLP:AMBER, own organisation)')
  .argument('<file>')
  .requiredOption('--as <username>', 'the user on whose behalf the tags are created')
  .option('--tlp <tlp>', 'CLEAR, GREEN, AMBER or AMBER+STRICT', 'AMBER')
  .action(async (file: string, o: { as: string; tlp: string }) => {
    const tlps = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'] as const;
    const tlp = tlps.find((t) => t === o.tlp.toUpperCase());
    if (!tlp) throw new AppError('BAD_REQUEST', `--tlp must be one of ${tlps.join(', ')}`);
    await withNode(async (ctx) => {
      const actor = await ctx.identity.actorForUsername(o.as);
      const r = await ctx.finance.importTagPack(actor, readFileSync(file, 'utf8'), {
        marking: { tlp, handlingCode: null, sourceReliability: null, infoCredibility: null },
        distribution: { orgs: [], users: [], communities: [], node: false },
      });
      console.log(JSON.stringify(r));
    });
  });

finance
  .command('demo-next-batch')
  .description(
    'Print (or write) the next batch of the demo ledger: raw blocks in hex, one per line, that move funds into and out of the planted wallet',
  )
  .option('--out <file>', 'write to this file instead of standard output')
  .action((o: { out?: string }) => {
    const text = `${demoNextBlocksHex().join('\n')}\n`;
    if (o.out) writeFileSync(o.out, text);
    else process.stdout.write(text);
  });

finance
  .command('import-payments')
  .description(
    "Import payment records (CSV with header or JSON Lines) into a user's organisation; bad rows are reported",
  )
  .argument('<file>')
  .requiredOption('--as <username>', 'the user on whose behalf the payments are imported')
  .action(async (file: string, o: { as: string }) => {
    await withNode(async (ctx) => {
      const actor = await ctx.identity.actorForUsername(o.as);
      let bar: ReturnType<typeof progressBar> | null = null;
      const r = await ctx.finance.importPayments(actor, readFileSync(file, 'utf8'), (done, total) => {
        bar ??= progressBar('Importing payments', total);
        bar.update(done);
      });
      (bar as ReturnType<typeof progressBar> | null)?.stop();
      console.log(JSON.stringify(r));
    });
  });

const cargo = program.command('cargo').description('Cargo declarations and targeting');
cargo
  .command('ingest')
  .description(
    'Ingest declarations (CSV or JSON Lines), streamed from the file in batches of 5,000 rows, each its own transaction; prints accepted/amended/unchanged/quarantined counts (a file sent again, e.g. after a crash, counts its stored rows as unchanged)',
  )
  .argument('<file>')
  .requiredOption('--as <username>', 'the customs user on whose behalf the declarations are filed')
  .option('--format <format>', 'csv or jsonl (default: from the file name)')
  .option('--batch <rows>', 'rows per batch', '5000')
  .action(async (file: string, o: { as: string; format?: string; batch: string }) => {
    const format = cargoFormat(file, o.format);
    const size = Math.max(1, Math.min(50_000, Number(o.batch) || 5000));
    const bytes = statSync(file).size;
    await withNode(async (ctx) => {
      const actor = await ctx.identity.actorForUsername(o.as);
      const bar = progressBar('Ingesting declarations', bytes, { unit: 'bytes' });
      const totals = { rows: 0, batches: 0, accepted: 0, amended: 0, unchanged: 0, quarantined: 0 };
      const errors: unknown[] = [];
      // Batches in file order, read from disk as they are needed; the next one is read while
      // the previous one is written. Progress counts the bytes of the file whose batch is stored.
      const read: number[] = [];
      const batches = async function* () {
        for await (const b of fileBatches(file, format, size)) {
          read.push(b.bytesRead);
          totals.rows += b.rows;
          yield b.input;
        }
      };
      await ctx.cargo.ingestBatches(actor, format, batches(), (report) => {
        totals.batches++;
        totals.accepted += report.accepted;
        totals.amended += report.amended;
        totals.unchanged += report.unchanged;
        totals.quarantined += report.quarantined;
        errors.push(...report.errors);
        bar.update(read.shift() ?? bytes);
      });
      bar.update(bytes);
      bar.stop();
      for (const e of errors.slice(0, 50)) console.error(JSON.stringify(e));
      console.log(JSON.stringify(totals));
    });
  });

cargo
  .command('score')
  .description(
    'Score declarations without storing them, against the history in the database; one JSON line per declaration',
  )
  .argument('<file>')
  .requiredOption('--as <username>', "the user whose organisation's history, rules and watchlists are used")
  .option('--format <format>', 'csv or jsonl (default: from the file name)')
  .action(async (file: string, o: { as: string; format?: string }) => {
    const rows = parseDeclarationFile(cargoFormat(file, o.format), readFileSync(file, 'utf8'));
    await withNode(async (ctx) => {
      const actor = await ctx.identity.actorForUsername(o.as);
      for (const r of await ctx.cargo.scoreRows(actor, rows)) {
        if (r.errors) {
          for (const e of r.errors) console.error(JSON.stringify(e));
          continue;
        }
        const { id, container, score, channel, reasons } = r;
        process.stdout.write(`${JSON.stringify({ id, container, score, channel, reasons })}\n`);
      }
    });
  });

function cargoFormat(file: string, format: string | undefined): IngestFormat {
  if (format === undefined) return formatOfFile(file);
  if (format !== 'csv' && format !== 'jsonl')
    throw new AppError('BAD_REQUEST', '--format must be csv or jsonl');
  return format;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AppError) {
    console.error(`error ${err.code}: ${err.message}`);
    for (const d of err.details) console.error(`  ${d.path}: ${d.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
