// Which engine the sandbox and the test matrix run, and where its packages come from: the system's
// own Debian entry with the suite changed, never a mirror written into hawser.
import {describe, expect, it} from 'vitest';
import {engineChoice, systemDebianSource} from '../../source/sandbox/engine-versions.js';

describe('engine choices', () => {
  it('takes a version or a suite name, and lists the choices for anything else', () => {
    expect(engineChoice('28')).toMatchObject({id: '28', suite: 'sid'});
    expect(engineChoice('trixie')).toMatchObject({id: '26'});
    expect(() => engineChoice('29')).toThrow(/Unknown engine "29": choose one of 20 \(bookworm\), 26 \(trixie\), 28 \(sid\)/);
  });
});

describe('the system\'s Debian entry', () => {
  it('reads deb822 sources, skipping security, disabled and third-party entries', () => {
    const sources = [
      {name: '/etc/apt/sources.list.d/vendor.sources', text: 'Types: deb\nURIs: https://vendor.example/apt\nSuites: stable\nComponents: main\n'},
      {name: '/etc/apt/sources.list.d/debian.sources', text: [
        'Types: deb\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security\nComponents: main\n',
        'Types: deb\nURIs: http://off.invalid/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n',
        'Types: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm bookworm-updates\nComponents: main contrib\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
      ].join('\n')},
    ];
    expect(systemDebianSource(sources)).toEqual({uris: 'http://mirror.invalid/debian', signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg'});
  });

  it('reads one-line sources.list entries with their options', () => {
    const list = [
      '# deb http://commented.invalid/debian bookworm main',
      'deb http://mirror.invalid/debian-security bookworm-security main',
      'deb [arch=amd64 signed-by=/k.gpg] http://mirror.invalid/debian/ bookworm main non-free',
    ].join('\n');
    expect(systemDebianSource([{name: '/etc/apt/sources.list', text: list}])).toEqual({uris: 'http://mirror.invalid/debian/', signedBy: '/k.gpg'});
    expect(systemDebianSource([{name: '/etc/apt/sources.list', text: 'deb http://ubuntu.invalid/ubuntu jammy main'}])).toBeUndefined();
  });
});
