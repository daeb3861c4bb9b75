import type { ErrorDetail } from '../api/types.ts';

/** Field errors keyed by path in UI coordinates (observable rows by their position on screen). */
export type FieldErrors = Record<string, string>;

export type ErrorLookup = (path: string) => string | undefined;

/** Messages at `path` or below it (`observables.2` also gets `observables.2.value`'s parent errors). */
export function lookup(errors: FieldErrors): ErrorLookup {
  return (path) => {
    const messages = Object.entries(errors)
      .filter(([key]) => key === path)
      .map(([, message]) => message);
    return messages.length > 0 ? messages.join(' ') : undefined;
  };
}

const OBSERVABLE_PATH = /^observables\.(\d+)(?:\.(type|value))?(?:\..*)?$/;

/**
 * Maps server details to UI paths: `observables.<request index>.<field>` becomes the row's position
 * on screen (blank rows are not sent); a bare `observables.N` goes under the value field; other
 * paths are kept. Returns the field errors and the details no field shows.
 */
export function mapServerDetails(
  details: ErrorDetail[],
  rowKeys: string[],
  rowOrder: string[],
  knownPaths: readonly string[],
): { fields: FieldErrors; unplaced: ErrorDetail[] } {
  const fields: FieldErrors = {};
  const unplaced: ErrorDetail[] = [];
  const add = (path: string, message: string): void => {
    fields[path] = fields[path] ? `${fields[path]} ${message}` : message;
  };
  for (const detail of details) {
    const match = OBSERVABLE_PATH.exec(detail.path);
    if (match) {
      const key = rowKeys[Number(match[1])];
      const position = key ? rowOrder.indexOf(key) : -1;
      if (position >= 0) {
        add(`observables.${position}.${match[2] ?? 'value'}`, detail.message);
        continue;
      }
    }
    const known = knownPaths.find((p) => detail.path === p || detail.path.startsWith(`${p}.`));
    if (known) add(known, detail.message);
    else unplaced.push(detail);
  }
  return { fields, unplaced };
}
