// The CPU time of one password hash and one check, inside workerd (the Worker's own scrypt and
// parameters, src/features/auth/passwords.ts). Workers bill CPU time, and a sign-in pays one check.
// Timers move in the test pool (they are coarsened only at Cloudflare's edge), so wall time here
// is CPU time: nothing else runs in the isolate meanwhile.
import { it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/features/auth/passwords';

const RUNS = 10;
// The production default, not the tests' cheaper PASSWORD_SCRYPT_LOG_N.
const LOG_N = 14;

it('one password hash', () => {
  const times: number[] = [];
  let stored = '';
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    stored = hashPassword(`correct horse battery ${run}`, LOG_N);
    times.push(performance.now() - started);
  }
  const started = performance.now();
  verifyPassword('correct horse battery 0', stored);
  const check = performance.now() - started;
  times.sort((a, b) => a - b);
  const [, n, r, p] = stored.split('$');
  console.log(`\nPassword hash (scrypt N=${n}, r=${r}, p=${p}, inside workerd, ${RUNS} runs): p50 ${times[RUNS / 2]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms; one check ${check.toFixed(1)} ms`);
});
