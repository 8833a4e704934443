// A restore's planning and preview without an engine (issue #20, bounded memory): `hawser restore FILE`
// up to the question it asks, for bench/archive-memory.mjs. The engine answers every request with an
// error, so the volume counts as missing and the plan is to create it. Prints the preview as JSON.
// Run: node bench/lib/plan-restore.mjs FILE (after npm run build).
import {prepareRestore} from '../../dist/jobs/volume-archive/restore-job.js';

const noEngine = new Proxy({address: 'tcp://no-engine:2375'}, {
  get: (target, key) => (key in target ? target[key] : async () => {
    throw new Error('no engine in this bench');
  }),
});

const prepared = await prepareRestore(noEngine, {file: process.argv[2], volume: 'bench-restore'});
process.stdout.write(`${JSON.stringify(prepared.preview)}\n`);
