/** The chat benchmark's fan-out measurement: receivers in one room, one paced sender, delays, losses, heap per socket. */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sleep } from '../lib/util.mjs';
import { BASELINE_SOCKETS, env, log, RATE, RECEIVERS, ROOM, SECONDS, SETTLE_MS } from './config.mjs';
import { connect, emitAck, percentile, pool, receiver } from './clients.mjs';
import { heapOf } from './servers.mjs';

/** One fan-out measurement against a set of server processes (Haven's or the bare server's). */
export async function fanOut(label, servers, tokens, sender) {
  const run = { id: randomBytes(3).toString('hex') };
  const receivers = [];
  const joinOne = async (token, i) => {
    const socket = await connect(servers[i % servers.length].base, token);
    const ack = await emitAck(socket, 'room:join', { room: ROOM });
    if (!ack.ok) throw new Error(`join: ${JSON.stringify(ack.error)}`);
    receivers.push(receiver(socket, run));
  };
  try {
    const t0 = Date.now();
    await pool(tokens.slice(0, BASELINE_SOCKETS), 25, (token, i) => joinOne(token, i));
    await sleep(2500);
    const baseline = await Promise.all(servers.map(heapOf));
    await pool(tokens.slice(BASELINE_SOCKETS, RECEIVERS), 50, (token, i) => joinOne(token, i + BASELINE_SOCKETS));
    const joinSeconds = (Date.now() - t0) / 1000;
    const senderSocket = await connect(servers[0].base, sender);
    await emitAck(senderSocket, 'room:join', { room: ROOM });
    await sleep(SETTLE_MS); // presence broadcasts settle, the pools' surplus connections from the joins close
    const loaded = await Promise.all(servers.map(heapOf));
    const heapPerSocket =
      loaded.reduce((sum, h, i) => sum + (h - baseline[i]), 0) / (RECEIVERS + 1 - BASELINE_SOCKETS) / 1024;
    const ackDelays = [];
    const sendOne = async (seq, measured) => {
      const sentAt = performance.now();
      const body = measured ? `bench ${run.id} ${seq} ${sentAt.toFixed(3)}` : `warm-up ${seq}`;
      const clientId = `${run.id}-${measured ? 'm' : 'w'}-${seq}`;
      const ack = await emitAck(senderSocket, 'message:send', { room: ROOM, body, clientId });
      if (!ack.ok) throw new Error(`send: ${JSON.stringify(ack.error)}`);
      if (measured) ackDelays.push(performance.now() - sentAt);
      if (measured && env.BENCH_DEBUG && performance.now() - sentAt > 100) {
        log(`slow ack: ${(performance.now() - sentAt).toFixed(0)} ms (message ${seq})`);
      }
    };
    const paced = async (count, measured) => {
      const sends = [];
      const start = performance.now();
      for (let seq = 0; seq < count; seq++) {
        const due = start + (seq * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        sends.push(sendOne(seq, measured));
      }
      await Promise.all(sends);
    };
    await paced(RATE * 2, false);
    const messages = RATE * SECONDS;
    await paced(messages, true);
    await sleep(3000);
    senderSocket.disconnect();

    const delays = receivers.flatMap((r) => r.delays).sort((a, b) => a - b);
    const expected = messages * receivers.length;
    const acks = ackDelays.sort((a, b) => a - b);
    return {
      label,
      processes: servers.length,
      receivers: receivers.length,
      messages,
      deliveries: delays.length,
      lost: expected - delays.length,
      duplicates: receivers.reduce((s, r) => s + r.dups, 0),
      p50: percentile(delays, 0.5),
      p99: percentile(delays, 0.99),
      max: delays[delays.length - 1],
      ackP50: percentile(acks, 0.5),
      ackP99: percentile(acks, 0.99),
      heapPerSocketKB: heapPerSocket,
      joinSeconds,
    };
  } finally {
    for (const r of receivers) r.socket.disconnect();
  }
}

export function printTable(results) {
  const pad = (v, n) => String(v).padStart(n);
  const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
  console.log('');
  console.log(
    `Fan-out to one room: ${RECEIVERS} receivers, ${RATE} messages/s for ${SECONDS} s, ${SETTLE_MS / 1000} s after the ` +
      `joins (delays in ms, send to arrival)`,
  );
  console.log(
    `${'server'.padEnd(24)}${pad('procs', 6)}${pad('p50', 8)}${pad('p99', 8)}${pad('max', 8)}${pad('lost', 7)}${pad('dups', 6)}${pad('ack p50', 9)}${pad('ack p99', 9)}${pad('KB/socket', 11)}${pad('join s', 8)}`,
  );
  for (const r of results) {
    console.log(
      `${r.label.padEnd(24)}${pad(r.processes, 6)}${pad(ms(r.p50), 8)}${pad(ms(r.p99), 8)}${pad(ms(r.max), 8)}${pad(r.lost, 7)}${pad(r.duplicates, 6)}${pad(ms(r.ackP50), 9)}${pad(ms(r.ackP99), 9)}${pad(r.heapPerSocketKB.toFixed(1), 11)}${pad(r.joinSeconds.toFixed(1), 8)}`,
    );
  }
  const twoProc = results.find((r) => r.label.startsWith('Haven') && r.processes === 2);
  if (twoProc) {
    const ok = (cond) => (cond ? 'met' : 'NOT MET');
    console.log(
      `targets (Haven, two processes): p99 <= 100 ms ${ok(twoProc.p99 <= 100)}; 0 lost ${ok(twoProc.lost === 0)}; ` +
        `<= 20 KB heap per socket ${ok(results.filter((r) => r.label.startsWith('Haven')).every((r) => r.heapPerSocketKB <= 20))}`,
    );
  }
}
