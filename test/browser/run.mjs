#!/usr/bin/env node
// Runs the browser tests (test/browser/*.test.mjs) with `node --test`, one file at a time, against the built
// server. They need Debian's chromium: when it is missing and we are root with apt-get, it is installed first
// (browsers cannot be downloaded from anywhere else here); otherwise we stop and say how to install it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(
      `browser tests: ${chromium} is missing. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
    process.exit(1);
  }
  console.log('browser tests: installing Debian chromium (apt-get install -y chromium)');
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    const retry = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
    if (retry.status !== 0) process.exit(1);
  }
}

// Without DATABASE_URL (a newcomer's `npm test`), one embedded PostgreSQL serves the whole browser run, as it does
// for jest: each test file still makes its own database on it.
let teardown;
if (!process.env.DATABASE_URL) {
  const { default: setup } = await import('../setup/global-setup.mjs');
  ({ default: teardown } = await import('../setup/global-teardown.mjs'));
  await setup();
  delete process.env.NODE_ENV;
}

const only = process.argv.slice(2);
const files = (
  only.length
    ? only
    : readdirSync(dir)
        .filter((f) => f.endsWith('.test.mjs'))
        .map((f) => path.join(dir, f))
).sort();
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
if (teardown) await teardown();
process.exit(result.status ?? 1);
