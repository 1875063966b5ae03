import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertDataFolderMajor, EmbeddedMajorMismatchError, majorOfVersionOutput } from './embedded-major';

describe('the embedded data folder against the bundled PostgreSQL major', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'haven-major-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const folderOf = (version: string) => {
    mkdirSync(path.join(dataDir, 'postgres'));
    writeFileSync(path.join(dataDir, 'postgres', 'PG_VERSION'), version);
  };

  it('lets a new install (no folder yet) and a folder of the same major through', () => {
    expect(() => assertDataFolderMajor(dataDir, 18)).not.toThrow();
    folderOf('18\n');
    expect(() => assertDataFolderMajor(dataDir, 18)).not.toThrow();
  });

  it('refuses a folder of another major, naming both and giving the commands that move the data', () => {
    folderOf('17\n');
    let refusal: unknown;
    try {
      assertDataFolderMajor(dataDir, 18);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(EmbeddedMajorMismatchError);
    const message = (refusal as Error).message;
    expect(message).toContain('was made by PostgreSQL 17');
    expect(message).toContain('bundles PostgreSQL 18');
    expect(message).toContain(`DATA_DIR=${dataDir} npm run cli -- backup --logical haven-pg17.backup`);
    expect(message).toContain(`mv ${path.join(dataDir, 'postgres')} ${path.join(dataDir, 'postgres')}-17`);
    expect(message).toContain(`DATA_DIR=${dataDir} npm run cli -- restore haven-pg17.backup`);
  });

  it("reads the major from the binaries' --version", () => {
    expect(majorOfVersionOutput('postgres (PostgreSQL) 18.1\n')).toBe(18);
    expect(majorOfVersionOutput('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)')).toBe(15);
    expect(majorOfVersionOutput('something else')).toBeUndefined();
  });
});
