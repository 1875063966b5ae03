/**
 * The overload benchmark's load generator, in a process of its own so that its work never delays the health prober
 * (in the parent) and the prober never delays it. It speaks HTTP/1.1 over raw keep-alive sockets with one request
 * prepared as bytes and a minimal response reader (status line, Content-Length, body), a few microseconds of CPU a
 * request: Node's http client costs several times that, and on a 2-core machine the generator's own lag would be
 * counted as the server's.
 *
 * Started with an IPC channel; one message in, one message out:
 *   { mode: 'closed', host, port, route, connections, seconds }  -> { done: <2xx answered> }
 *   { mode: 'open', host, port, route, rate, seconds, pool }     -> { results: [[status, ms], ...], connections }
 * Open loop: requests are scheduled on a clock at `rate` a second and sent on the first idle connection of a pool
 * opened before the clock starts (`pool` keep-alive connections, as a proxy in front of a server keeps); a request
 * waits in the generator's queue while every connection is busy, and its time is counted from when it was due, so a
 * queue in front of the server counts as well as one inside it. Status 0: the connection failed or closed.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearInterval, setInterval, setTimeout } from 'node:timers';

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection, one request at a time: `send(onAnswer)` writes the request, onAnswer(status) follows. */
function connection(host, port, request, onClosed) {
  const socket = net.connect({ host, port, noDelay: true });
  let buffered = Buffer.alloc(0);
  let waiting = null; // the answer callback of the request in flight
  let bodyLeft = -1; // bytes of body still to come, -1 while reading the head
  let status = 0;
  const answer = (code) => {
    const callback = waiting;
    waiting = null;
    bodyLeft = -1;
    callback?.(code);
  };
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      if (bodyLeft < 0) {
        const end = buffered.indexOf(HEADER_END);
        if (end < 0) return;
        const head = buffered.toString('latin1', 0, end);
        status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!length) {
          socket.destroy(); // a chunked answer: not expected from these routes
          return;
        }
        bodyLeft = Number(length[1]);
        buffered = buffered.subarray(end + 4);
      }
      if (buffered.length < bodyLeft) return;
      buffered = buffered.subarray(bodyLeft);
      answer(status);
      if (!buffered.length) return;
    }
  });
  const ready = new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    answer(0);
    onClosed?.();
  });
  return {
    ready,
    get idle() {
      return waiting === null && !socket.destroyed;
    },
    send(onAnswer) {
      waiting = onAnswer;
      socket.write(request);
    },
    close: () => socket.destroy(),
  };
}

const requestBytes = (host, port, route) =>
  Buffer.from(
    `GET ${route} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n`,
  );

async function closed({ host, port, route, connections, seconds }) {
  const request = requestBytes(host, port, route);
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    let c = connection(host, port, request);
    await c.ready;
    while (performance.now() < until) {
      const code = await new Promise((resolve) => c.send(resolve));
      if (code >= 200 && code < 300) done += 1;
      if (code === 0) {
        c = connection(host, port, request);
        await c.ready.catch(() => {});
      }
    }
    c.close();
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { done };
}

async function open({ host, port, route, rate, seconds, pool }) {
  const request = requestBytes(host, port, route);
  const results = [];
  const total = Math.round(rate * seconds);
  let allAnswered;
  const answered = new Promise((resolve) => (allAnswered = resolve));
  const record = (status, ms) => {
    results.push([status, ms]);
    if (results.length === total) allAnswered();
  };
  const queue = []; // scheduled times of requests waiting for an idle connection
  const idle = [];
  let opened = 0;
  const open1 = () => {
    opened += 1;
    const c = connection(host, port, request, () => {
      // A closed connection is replaced, so the pool keeps its size.
      const at = idle.indexOf(c);
      if (at >= 0) idle.splice(at, 1);
      if (!stopping)
        open1().ready.then(
          () => dispatch(),
          () => {},
        );
    });
    c.ready.then(
      () => {
        idle.push(c);
        dispatch();
      },
      () => {},
    );
    return c;
  };
  let stopping = false;
  const dispatch = () => {
    while (queue.length && idle.length) {
      const c = idle.pop();
      if (!c.idle) continue;
      const scheduled = queue.shift();
      c.send((status) => {
        record(status, performance.now() - scheduled);
        if (status !== 0) idle.push(c);
        dispatch();
      });
    }
  };
  const pending = Array.from({ length: pool }, () => open1().ready.catch(() => {}));
  await Promise.all(pending);
  const start = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (sent < due) {
        queue.push(start + (sent / rate) * 1000);
        sent += 1;
      }
      dispatch();
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  // Every request is answered (or its connection fails) in the end: wait, bounded.
  await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
  stopping = true;
  for (const c of idle) c.close();
  return { results, connections: opened };
}

process.once('message', async (job) => {
  const out = job.mode === 'closed' ? await closed(job) : await open(job);
  process.send(out, () => process.exit(0));
});
