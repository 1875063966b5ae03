import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findClientTool, missingToolMessage } from './client-tools';

describe("finding PostgreSQL's client tools of the server's major", () => {
  let dir: string;
  /** A stand-in pg_dump that only answers --version, as the real one does. */
  const fake = (folder: string, major: number) => {
    mkdirSync(path.join(dir, folder), { recursive: true });
    const file = path.join(dir, folder, 'pg_dump');
    writeFileSync(file, `#!/bin/sh\necho "pg_dump (PostgreSQL) ${major}.3"\n`);
    chmodSync(file, 0o755);
    return file;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'haven-tools-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the first one on PATH whose --version has the major, passing over the others', async () => {
    fake('old', 91);
    const wanted = fake('right', 92);
    const PATH = [path.join(dir, 'old'), path.join(dir, 'right')].join(path.delimiter);
    const { found, tried } = await findClientTool('pg_dump', 92, { PATH });
    expect(found).toEqual({ path: wanted, version: 'pg_dump (PostgreSQL) 92.3', major: 92 });
    expect(tried.map((t) => t.major)).toEqual([91]);
  });

  it('looks in extra folders (the embedded binaries) before PATH, and PG_DUMP alone when it is set', async () => {
    const extra = fake('extra', 93);
    fake('onpath', 93);
    expect(
      (await findClientTool('pg_dump', 93, { PATH: path.join(dir, 'onpath') }, [path.join(dir, 'extra')])).found?.path,
    ).toBe(extra);
    const chosen = fake('chosen', 94);
    expect(
      (await findClientTool('pg_dump', 93, { PG_DUMP: chosen, PATH: path.join(dir, 'onpath') })).found,
    ).toBeUndefined();
  });

  it('finds none of the major, and the refusal says how to install one and names what it found', async () => {
    fake('old', 91);
    const { found, tried } = await findClientTool('pg_dump', 95, { PATH: path.join(dir, 'old') });
    expect(found).toBeUndefined();
    const message = missingToolMessage('pg_dump', 95, tried, 'PG_DUMP');
    expect(message).toContain('apt-get install postgresql-client-95');
    expect(message).toContain(`${path.join(dir, 'old', 'pg_dump')} (91)`);
    expect(message).toContain('PG_DUMP');
    expect(message).toContain('backup --logical');
  });
});
