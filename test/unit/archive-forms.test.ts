import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {InputError} from '../../source/jobs/job.js';
import {restoreArchiveForm, verifyArchiveForm} from '../../source/jobs/volume-archive/forms.js';
import {FakeEngine} from '../helpers/fake-engine.js';

let dir: string | undefined;
afterEach(() => {
  rmSync(dir ?? '/nonexistent', {recursive: true, force: true});
  delete process.env['HAWSER_BACKUP_DIR'];
});

describe('the restore and verify wizards', () => {
  it('offer the backups folder\'s archives and "Another file…", whose typed path is the one used', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hawser-forms-'));
    process.env['HAWSER_BACKUP_DIR'] = dir;
    writeFileSync(path.join(dir, 'data.tar'), 'not really a tar');
    const engine = new FakeEngine();
    for (const form of [verifyArchiveForm, restoreArchiveForm()]) {
      const [choice, typed] = form.fields;
      expect(choice?.kind === 'choice' ? (await choice.choices(engine)).map(c => c.label) : []).toEqual(['data.tar', 'Another file…']);
      expect(typed?.kind).toBe('text');
      const another = choice?.kind === 'choice' ? (await choice.choices(engine)).at(-1)!.value : '';
      const none = await form.prepare(engine, {file: another, path: ''}).then(() => undefined, (error: unknown) => error);
      expect(none).toBeInstanceOf(InputError);
      expect((none as InputError).hint).toContain('"Another file…"');
      // The typed path wins: the refusal names it, not the archive chosen above it.
      const elsewhere = path.join(dir, 'elsewhere', 'other.tar');
      const refusal = await form.prepare(engine, {file: path.join(dir, 'data.tar'), path: elsewhere}).then(() => undefined, (error: unknown) => error);
      expect(String((refusal as Error).message)).toContain(elsewhere);
      // A typed path that names no file is refused at its own question, not after the last one.
      const validate = typed?.kind === 'text' ? typed.validate : undefined;
      expect(validate?.(elsewhere, {file: another})).toBe(`there is no file ${elsewhere}`);
      expect(validate?.(dir, {file: another})).toBe(`${dir} is not a file`);
      expect(validate?.(path.join(dir, 'data.tar'), {file: another})).toBeUndefined();
      // Empty is an answer only when an archive was chosen above: after "Another file…" the path is asked for again.
      const whenEmpty = typed?.kind === 'text' ? typed.whenEmpty : undefined;
      expect(whenEmpty?.({file: another})).toBe('Type the path of the archive: "Another file…" was chosen.');
      expect(whenEmpty?.({file: path.join(dir, 'data.tar')})).toBeUndefined();
    }
  });

  it('refuse a new volume name the engine would refuse at its own question, not after the last one', () => {
    const name = restoreArchiveForm().fields.find(field => field.name === 'volume');
    const validate = name?.kind === 'text' ? name.validate : undefined;
    expect(validate?.('qa3 bad/name', {})).toBe('"qa3 bad/name" is not a valid volume name. Use letters, digits, _ . and -, at least two characters.');
    expect(validate?.('x'.repeat(256), {})).toBe('The volume name is 256 characters long; a volume name can have at most 255. Choose a shorter name.');
    expect(validate?.('restored-data', {})).toBeUndefined();
  });
});
