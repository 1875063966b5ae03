import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OutageLog } from '../errors/outage-log';

export interface LoadSheddingOptions {
  /** Requests in flight past which a new read answers 503 at once (0: never). */
  maxConcurrent: number;
  /** Writes (a member's reply must not be lost behind a crowd of readers) may go this many above. */
  writeReserve: number;
  /** Event-loop delay (ms, sustained over the last samples) past which reads answer 503 (0: never). */
  maxEventLoopDelayMs: number;
}

/** How often the event-loop delay is read (and its histogram started again). */
const SAMPLE_MS = 100;
/** Shedding needs the loop late in this many samples in a row: a saturated CPU, not one long task or a GC pause. */
const SUSTAINED_SAMPLES = 3;

/**
 * The event loop's recent delay: when the CPU is saturated, requests wait before any hook of ours runs, so counting
 * requests in flight alone cannot see the queue; a loop that runs late can. Read every SAMPLE_MS; `sustained(ms)`
 * is the smallest mean delay of the last SUSTAINED_SAMPLES samples, so that one synchronous task (a chart drawn, a
 * module compiled at start) makes one late sample and never sheds anything by itself.
 */
function eventLoopDelay(): { sustained(): number; stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const recent: number[] = [];
  const timer = setInterval(() => {
    recent.push(Math.max(0, histogram.mean / 1e6 - 10));
    if (recent.length > SUSTAINED_SAMPLES) recent.shift();
    histogram.reset();
  }, SAMPLE_MS);
  timer.unref();
  return {
    sustained: () => (recent.length < SUSTAINED_SAMPLES ? 0 : Math.min(...recent)),
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

const COUNTED = Symbol('haven.inFlight');
type Counted = FastifyRequest & { [COUNTED]?: boolean };

/**
 * Sheds load before it hurts: past `maxConcurrent` requests in flight in this process, or while the event loop runs
 * more than `maxEventLoopDelayMs` late (the CPU is saturated), a new read answers 503 with `Retry-After: 1` at once
 * instead of waiting in a queue that only grows (and makes every request slow); writes keep a reserve of
 * `writeReserve` requests and twice the delay; `/api/health*` is never refused here (readiness tells the truth on its own
 * connection, and liveness must answer). Socket.IO's handshake does not pass through these hooks.
 */
export function shedLoad(fastify: FastifyInstance, options: LoadSheddingOptions, log: OutageLog): void {
  if (options.maxConcurrent <= 0 && options.maxEventLoopDelayMs <= 0) return;
  const maxConcurrent = options.maxConcurrent > 0 ? options.maxConcurrent : Number.POSITIVE_INFINITY;
  const delay = options.maxEventLoopDelayMs > 0 ? eventLoopDelay() : undefined;
  if (delay) fastify.addHook('onClose', (_instance, next) => (delay.stop(), next()));
  let inFlight = 0;
  const done = (request: Counted) => {
    if (request[COUNTED]) {
      request[COUNTED] = false;
      inFlight -= 1;
    }
  };
  fastify.addHook('onRequest', (request: Counted, reply, next) => {
    if (request.url.startsWith('/api/health')) return next();
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if (inFlight >= maxConcurrent + (write ? options.writeReserve : 0)) {
      log.seen(`${inFlight} requests in flight, past the limit of ${maxConcurrent} (MAX_CONCURRENT_REQUESTS)`);
      return busy(request, reply);
    }
    const late = delay?.sustained() ?? 0;
    if (late > options.maxEventLoopDelayMs * (write ? 2 : 1) && delay) {
      log.seen(
        `the event loop runs ${Math.round(late)} ms late (MAX_EVENT_LOOP_DELAY_MS ${options.maxEventLoopDelayMs})`,
      );
      return busy(request, reply);
    }
    inFlight += 1;
    request[COUNTED] = true;
    next();
  });
  fastify.addHook('onResponse', (request: Counted, _reply, next) => {
    done(request);
    next();
  });
  fastify.addHook('onRequestAbort', (request: Counted, next) => {
    done(request);
    next();
  });
}

const MESSAGE = 'Haven is very busy right now: please try again in a moment';

function busy(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(503).header('Retry-After', '1').header('Cache-Control', 'no-store');
  const page = !request.url.startsWith('/api') && request.headers.accept?.includes('text/html') === true;
  if (page) {
    void reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
          `<title>Busy for a moment - Haven</title></head><body><main><h1>Haven is very busy for a moment</h1>` +
          `<p>Nothing you wrote has been lost. Please try again in a few seconds.</p></main></body></html>`,
      );
    return;
  }
  void reply.send({ statusCode: 503, error: 'Service Unavailable', message: MESSAGE });
}
