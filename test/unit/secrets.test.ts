// Secrets by name and by shape, masked in every view and output unless revealed.
import {describe, expect, it} from 'vitest';
import {containerFromInspect} from '../../source/engine/records.js';
import {hasSecretShape, isSecretName, maskCommandLine, maskedDocument, maskEnvEntry, maskSecretText, secretMask} from '../../source/model/secrets.js';
import {injectedEnv} from '../../source/jobs/links/legacy-link.js';
import {inspectLines} from '../../source/resources/inspect-text.js';
import {labelsSection} from '../../source/resources/labels-section.js';

describe('secret names', () => {
  it.each(['MYSQL_PWD', 'MYSQL_ROOT_PASSWORD', 'GITHUB_PAT', 'JWT', 'JWT_SECRET', 'db.password', 'AWS_SECRET_ACCESS_KEY', 'API_KEY', 'apikey', 'DBPASSWORD', 'REDIS_AUTH', 'SENTRY_DSN', 'app-token', 'SESSION_COOKIE'])('%s is secret', name => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(['PATH', 'HOME', 'PATCH_LEVEL', 'OAUTH_CALLBACK_URL', 'AUTHOR', 'KEYBOARD', 'HOSTNAME', 'com.docker.compose.project'])('%s is not', name => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('secret shapes', () => {
  it('masks the password in a URL and keeps the rest', () => {
    expect(maskEnvEntry('DATABASE_URL=postgres://app:pass@db:5432/app')).toBe(`DATABASE_URL=postgres://app:${secretMask}@db:5432/app`);
    expect(maskSecretText('amqp://guest:guest@rabbit/ and https://example.invalid/a:b')).toBe(`amqp://guest:${secretMask}@rabbit/ and https://example.invalid/a:b`);
    expect(hasSecretShape('http://host:8080/path')).toBe(false);
  });

  it('masks secret command-line flags, inline and as the next word', () => {
    expect(maskCommandLine(['mysqld', '--password=hunter2', '--port=3306', '--api-token', 'abc', '-v'])).toEqual(['mysqld', `--password=${secretMask}`, '--port=3306', '--api-token', secretMask, '-v']);
  });

  it('masks env, labels, command lines and URLs anywhere in an engine document', () => {
    const document = {
      Config: {Env: ['MYSQL_PWD=x1', 'DATABASE_URL=postgres://app:pass@db', 'PLAIN=ok'], Cmd: ['run', '--password=x2'], Labels: {'db.password': 'x3', note: 'redis://:x4@cache'}},
      Args: ['--secret', 'x5'],
      Path: 'https://u:x6@host/',
    };
    const text = inspectLines(document, false).join('\n');
    for (const secret of ['x1', 'pass@', 'x2', 'x3', 'x4', 'x5', 'x6']) {
      expect(text).not.toContain(secret);
    }

    expect(text).toContain('PLAIN=ok');
    expect(inspectLines(document, true).join('\n')).toContain('MYSQL_PWD=x1');
    // Records of hawser's own (ls --json) use lower-case keys.
    expect(JSON.stringify(maskedDocument({labels: {'db.password': 's3cret'}, env: ['GITHUB_PAT=ghp_x']}))).not.toMatch(/s3cret|ghp_x/);
  });

  it('masks label rows in the details, by name and by shape', () => {
    const [section] = labelsSection({'db.password': 'x', url: 'mysql://root:pw@db', plain: 'y'});
    expect(section!.rows).toEqual([
      {label: 'db.password', value: 'x', tone: 'dim', isSecret: true},
      {label: 'url', value: 'mysql://root:pw@db', tone: 'dim', maskedValue: `mysql://root:${secretMask}@db`},
      {label: 'plain', value: 'y', tone: 'dim'},
    ]);
  });

  it('masks what a legacy link injects, MYSQL_PWD included', () => {
    const source = containerFromInspect({Id: 's'.repeat(64), Name: '/db', Config: {Env: ['MYSQL_PWD=pw', 'URL=mysql://u:pw2@x', 'MODE=a']}, HostConfig: {}, State: {Running: true}, NetworkSettings: {Networks: {}}});
    const env = injectedEnv(source, 'db').join('\n');
    expect(env).toContain(`DB_ENV_MYSQL_PWD=${secretMask}`);
    expect(env).not.toContain('pw2');
    expect(env).toContain('DB_ENV_MODE=a');
  });
});
