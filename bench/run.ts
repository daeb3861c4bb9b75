/**
 * `npm run bench -- NAME [--quick]` runs bench/NAME.bench.ts in this process.
 * Each benchmark file runs on import and prints its table and JSON lines.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const name = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [--quick]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(
  `# ${name} on ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
await import(pathToFileURL(`${dir}${name}.bench.ts`).href);
