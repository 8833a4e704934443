// hawser's own helpers (the start-up forwarding check on Engine >= 23, a backup's way into a volume)
// are not the user's containers: the panels do not list them; a dead hawser's leftovers stay listed.
import {hostname} from 'node:os';
import {expect, it} from 'vitest';
import {helperLabel, helperOwnerLabel, helperOwnerLabels} from '../../source/jobs/helpers/leftovers.js';
import {EngineMirror} from '../../source/state/engine-mirror.js';
import {fakeContainer} from '../helpers/fake-engine.js';

it('lists neither in a full listing, a partial one nor the listing of a reconnect the helpers this hawser runs', () => {
  const mirror = new EngineMirror();
  const own = fakeContainer('hawser-helper-forwarding-check-1', {labels: {[helperLabel]: '1', ...helperOwnerLabels()}});
  const leftover = fakeContainer('hawser-helper-restore-2', {labels: {[helperLabel]: '1', [helperOwnerLabel]: `${hostname()}:1`}});
  const web = fakeContainer('web');
  mirror.replaceContainers([own, leftover, web]);
  expect(mirror.snapshot().containers.map(c => c.name).sort()).toEqual(['hawser-helper-restore-2', 'web']);
  mirror.updateContainers([own.id], [own]);
  expect(mirror.snapshot().containers.map(c => c.name)).not.toContain(own.name);
  // A reconnect lists everything again, while a backup's helper may be running.
  mirror.replaceAll([own, leftover, web], [], []);
  expect(mirror.snapshot().containers.map(c => c.name).sort()).toEqual(['hawser-helper-restore-2', 'web']);
});
