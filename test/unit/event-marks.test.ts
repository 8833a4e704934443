// What each engine event marks for the refresher: the rows to list again, and the ones to forget.
import {expect, it} from 'vitest';
import {marksOf} from '../../source/state/event-marks.js';

const event = (type: string, action: string, attributes: Record<string, string> = {}) => ({type, action, id: 'c1', attributes, timeNano: 0});

it('lists a changed container again, and once more after a state change the list may lag', () => {
  expect(marksOf(event('container', 'rename'))).toEqual({container: 'c1', confirm: false});
  expect(marksOf(event('container', 'die'))).toEqual({container: 'c1', confirm: true});
  expect(marksOf(event('container', 'health_status'))).toEqual({container: 'c1', confirm: true});
});

it('forgets a destroyed container at once and ignores what does not change a row', () => {
  expect(marksOf(event('container', 'destroy'))).toEqual({removed: 'c1'});
  expect(marksOf(event('container', 'exec_start'))).toBeUndefined();
  expect(marksOf(event('image', 'pull'))).toBeUndefined();
});

it('marks the container of a network connect (its mode may have changed), and the networks for the rest', () => {
  expect(marksOf(event('network', 'connect', {container: 'c2'}))).toEqual({container: 'c2', confirm: true, modeChanged: true});
  expect(marksOf(event('network', 'disconnect'))).toEqual({});
  expect(marksOf(event('network', 'create'))).toEqual({networks: true});
});

it('marks the volumes when one is made or removed', () => {
  expect(marksOf(event('volume', 'create'))).toEqual({volumes: true});
  expect(marksOf(event('volume', 'prune'))).toEqual({volumes: true});
  expect(marksOf(event('volume', 'mount'))).toEqual({});
});
