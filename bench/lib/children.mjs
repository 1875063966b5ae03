/** Child processes of a benchmark (Haven, bare servers, proxies, the migrations CLI): start, wait for, stop. */
import { spawn } from 'node:child_process';
import { ROOT, sleep } from './util.mjs';

/**
 * The set of running children and the functions that manage them, logging through `log`.
 *  - ipc: give each child an IPC channel (process.send / child.send);
 *  - debug: also copy each child's output to this process's stdout, prefixed with its name;
 *  - tail: how many characters of a child's output an unexpected exit prints (all by default);
 *  - expectedExits: names of children that exit by themselves (no "exited unexpectedly" line).
 */
export function createChildren({ log, ipc = false, debug = false, tail = Infinity, expectedExits = [] }) {
  const children = new Set();

  function startChild(name, args, childEnv) {
    const stdio = ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio });
    const out = [];
    const keep = (d) => {
      out.push(d.toString());
      if (out.length > 200) out.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    if (debug) {
      child.stdout.on('data', (d) => process.stdout.write(`[${name}] ${d}`));
      child.stderr.on('data', (d) => process.stdout.write(`[${name}] ${d}`));
    }
    child.output = () => out.join('');
    child.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        if (!child.stopping && !expectedExits.includes(name))
          log(`${name} (pid ${child.pid}) exited unexpectedly: ${code ?? signal}\n${child.output().slice(-tail)}`);
        resolve({ code, signal });
      }),
    );
    child.label = name;
    children.add(child);
    child.exited.then(() => children.delete(child));
    return child;
  }

  async function stopChild(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stopping = true;
    child.kill('SIGTERM');
    const done = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
    if (!done) {
      log(`${child.label} did not stop within 15 s of SIGTERM: SIGKILL`);
      child.kill('SIGKILL');
      await Promise.race([child.exited, sleep(5000)]);
    }
  }

  /** Runs a child that ends by itself (the migrations CLI) and returns its output; throws when it fails. */
  async function runToEnd(name, args, childEnv, timeoutMs) {
    const child = startChild(name, args, childEnv);
    const result = await Promise.race([child.exited, sleep(timeoutMs).then(() => null)]);
    if (!result) {
      await stopChild(child);
      throw new Error(`${name} took longer than ${timeoutMs / 1000} s:\n${child.output()}`);
    }
    if (result.code !== 0) throw new Error(`${name} failed (${result.code ?? result.signal}):\n${child.output()}`);
    return child.output();
  }

  return { children, startChild, stopChild, runToEnd };
}

/** Polls `${base}/api/health` until it answers 2xx; throws when `child` exits first or the time runs out. */
export async function waitForHealth(base, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.label} exited early:\n${child.output()}`);
    try {
      const res = await fetch(`${base}/api/health`, { signal: globalThis.AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(150);
  }
  throw new Error(`${child.label} did not become healthy within ${timeoutMs / 1000} s:\n${child.output()}`);
}
