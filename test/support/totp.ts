import { currentTotp } from '../../src/identity/index.ts';
import { type Clock, ManualClock } from '../../src/platform/clock.ts';

/**
 * The node accepts each TOTP code once (a replayed step is refused), and tests sign the same user in
 * several times within 30 seconds. This hands out codes of steps this test process has not used yet
 * for a secret, among the three the node accepts at `at` (one step of drift either way).
 */
const lastStep = new Map<string, number>();

/**
 * `earliest`: how many steps back the code may be. On a test's manual clock no time passes before
 * the node checks the code, so the previous step is safe too; on the wall clock a code of the
 * previous step may expire while a busy browser submits it, so codes start at the current step.
 */
export function freshTotp(secret: string, at: Date, earliest: 0 | 1 = 1): string {
  const current = Math.floor(at.getTime() / 30_000);
  const step = Math.max(current - earliest, (lastStep.get(secret) ?? Number.NEGATIVE_INFINITY) + 1);
  if (step > current + 1) {
    throw new Error('more than three sign-ins of one user within 30 s: move the clock on between them');
  }
  lastStep.set(secret, step);
  return currentTotp(secret, new Date(step * 30_000));
}

/**
 * A fresh code at the clock's time; on a test's manual clock that has used up the three steps, the
 * clock moves on 30 seconds (nothing in a test depends on sign-ins being at the same instant).
 */
export function totpAt(clock: Clock, secret: string): string {
  const at = clock.now();
  const current = Math.floor(at.getTime() / 30_000);
  if ((lastStep.get(secret) ?? Number.NEGATIVE_INFINITY) >= current + 1 && clock instanceof ManualClock) {
    clock.advance(30_000);
  }
  return freshTotp(secret, clock.now());
}

/** A fresh code at the wall clock's time (current or next step), waiting for the next 30-second step when both are used. */
export async function freshTotpNow(secret: string): Promise<string> {
  const current = Math.floor(Date.now() / 30_000);
  if ((lastStep.get(secret) ?? Number.NEGATIVE_INFINITY) >= current + 1) {
    await new Promise((resolve) => setTimeout(resolve, (current + 1) * 30_000 - Date.now() + 50));
  }
  return freshTotp(secret, new Date(), 0);
}
