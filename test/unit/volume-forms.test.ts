// Volume management's own checks (#24): names as the engine takes them, driver options whole, and the
// read-back compare that turns a create the engine changed into ✗.
import {describe, expect, it} from 'vitest';
import {parseDriverOptions, volumeDifferences, volumeNameProblem} from '../../source/jobs/volumes/create.js';
import {isAnonymousVolume, usersOf} from '../../source/jobs/volumes/users.js';
import {fakeContainer} from '../helpers/fake-engine.js';

describe('volume names', () => {
  it('takes what the engine takes, and says why not otherwise', () => {
    for (const name of ['db', 'mysql-data', 'web_1.cache', 'A9']) expect(volumeNameProblem(name)).toBeUndefined();
    for (const name of ['', 'a', '-x', '.hidden', 'has space', 'a/b', 'données']) expect(volumeNameProblem(name)).toMatch(/name/);
  });

  it('tells an anonymous volume by its 64 hex digits', () => {
    expect(isAnonymousVolume({name: 'a'.repeat(64)})).toBe(true);
    expect(isAnonymousVolume({name: 'mysql-data'})).toBe(false);
  });
});

describe('driver options', () => {
  it('keeps a mount\'s options whole, commas and = included', () => {
    expect(parseDriverOptions('type=nfs o=addr=10.0.0.5,rw,nfsvers=4 device=:/export')).toEqual({type: 'nfs', o: 'addr=10.0.0.5,rw,nfsvers=4', device: ':/export'});
    expect(parseDriverOptions('')).toEqual({});
    expect(() => parseDriverOptions('type=tmpfs size')).toThrow(/"size" is not in the form key=value/);
  });

  it('names what the engine made differently from what was asked', () => {
    expect(volumeDifferences({name: 'v', labels: {a: '1'}, options: {type: 'tmpfs'}}, {driver: 'local', labels: {a: '1'}, options: {type: 'tmpfs'}})).toEqual([]);
    expect(volumeDifferences({name: 'v', driver: 'local', labels: {a: '1'}, options: {o: 'size=8m'}}, {driver: 'other', labels: {}, options: {o: 'size=16m'}})).toEqual([
      'driver is other, not local',
      'label a is missing, not "1"',
      'option o is "size=16m", not "size=8m"',
    ]);
  });
});

it('names the containers that mount a volume, stopped ones too', () => {
  const web = fakeContainer('web', {mounts: [{type: 'volume', name: 'data', destination: '/d'}]} as never);
  const job = fakeContainer('job', {state: 'exited', mounts: [{type: 'volume', name: 'data', destination: '/d'}]} as never);
  const other = fakeContainer('other', {mounts: [{type: 'bind', source: '/data', destination: '/d'}]} as never);
  expect(usersOf('data', [web, job, other])).toEqual([{name: 'job', isRunning: false}, {name: 'web', isRunning: true}]);
});
