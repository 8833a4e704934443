// A busy machine for the UI tests: with HAWSER_UI_LOAD=N (4 under CI=true), each file under test/ui runs beside N threads
// that spin for as long as it runs. React then runs its effects late and Ink draws slowly, as on a loaded
// CI runner, so a key that only counts once an effect has run (#27 item 11) fails here instead of there.
// A vitest setup file of the unit project (vitest.config.ts); its other files run unloaded.
import {Worker} from 'node:worker_threads';
import {afterAll, beforeAll, expect} from 'vitest';

// CI runs them loaded (4 threads: the old key handling failed there, the current one passed 3 of 3 whole runs).
const raw = process.env['HAWSER_UI_LOAD'] ?? (process.env['CI'] === 'true' ? '4' : '');
const count = raw === '' ? 0 : Number(raw);
if (!Number.isInteger(count) || count < 0 || count > 64) {
  throw new Error(`HAWSER_UI_LOAD="${raw}": give the number of busy threads, 0 to 64.`);
}

let spinners: Worker[] = [];

beforeAll(() => {
  if (count === 0 || !/[\\/]test[\\/]ui[\\/]/.test(expect.getState().testPath ?? '')) {
    return;
  }

  // Threads, not processes: they end with the test process, whatever becomes of it.
  spinners = Array.from({length: count}, () => new Worker('for (;;) {}', {eval: true}));
  for (const spinner of spinners) {
    spinner.unref();
  }
});

afterAll(async () => {
  const stopping = spinners;
  spinners = [];
  await Promise.all(stopping.map(async spinner => spinner.terminate()));
});
