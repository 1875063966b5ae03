import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** The options Fastify passes its `serverFactory` that this server honours (Fastify has filled in its defaults). */
interface ServerTimeouts {
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket: number;
}

/**
 * Sheds load before it hurts: past `maxConcurrent` requests in flight in this process, or while the event loop runs
 * more than `maxEventLoopDelayMs` late (the CPU is saturated), a new read answers 503 with `Retry-After: 1` at once
 * instead of waiting in a queue that only grows (and makes every request slow); writes keep a reserve of
 * `writeReserve` requests and twice the delay; `/api/health*` is never refused here (readiness tells the truth on its
 * own connection, and liveness must answer). Socket.IO's requests do not pass through it (its engine answers them
 * before any other listener).
 *
 * It sits in front of Fastify, on the HTTP server itself (Fastify's `serverFactory`): a refused request costs Node's
 * parsing and one write, nothing more, because past capacity the refusals are most of the traffic and every
 * microsecond they take is taken from the requests being served (and from health).
 */
export class LoadShedder {
  private readonly maxConcurrent: number;
  private readonly delay?: { sustained(): number; stop(): void };
  private inFlight = 0;
  private log?: OutageLog;

  /** `headers`: what every answer carries (the security headers), set on refusals too. */
  constructor(
    private readonly options: LoadSheddingOptions,
    private readonly headers: Readonly<Record<string, string>>,
  ) {
    this.maxConcurrent = options.maxConcurrent > 0 ? options.maxConcurrent : Number.POSITIVE_INFINITY;
    this.delay = options.maxEventLoopDelayMs > 0 ? eventLoopDelay() : undefined;
  }

  /** Where the first refusal of each outage is told (the application's logger exists only once it is built). */
  logTo(log: OutageLog): void {
    this.log = log;
  }

  stop(): void {
    this.delay?.stop();
  }

  /**
   * Fastify's `serverFactory`: an HTTP server whose requests pass here before they reach Fastify's handler, with the
   * timeouts Fastify gives the servers it makes itself.
   */
  readonly serverFactory = (
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    fastifyOptions: Record<string, unknown>,
  ): Server => {
    const options = fastifyOptions as unknown as ServerTimeouts;
    const enabled = this.options.maxConcurrent > 0 || this.options.maxEventLoopDelayMs > 0;
    const server = createServer(enabled ? (req, res) => this.admit(req, res, handler) : handler);
    server.keepAliveTimeout = options.keepAliveTimeout;
    server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  private admit(
    req: IncomingMessage,
    res: ServerResponse,
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): void {
    const url = req.url ?? '/';
    if (url.startsWith('/api/health')) return handler(req, res);
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    const reason = this.refusal(write);
    if (reason) {
      this.log?.seen(reason);
      return busy(req, res, this.headers);
    }
    this.inFlight += 1;
    // 'close' comes once per response, answered or abandoned.
    res.once('close', () => (this.inFlight -= 1));
    handler(req, res);
  }

  private refusal(write: boolean): string | undefined {
    if (this.inFlight >= this.maxConcurrent + (write ? this.options.writeReserve : 0)) {
      return `${this.inFlight} requests in flight, past the limit of ${this.maxConcurrent} (MAX_CONCURRENT_REQUESTS)`;
    }
    const late = this.delay?.sustained() ?? 0;
    if (this.delay && late > this.options.maxEventLoopDelayMs * (write ? 2 : 1)) {
      return `the event loop runs ${Math.round(late)} ms late (MAX_EVENT_LOOP_DELAY_MS ${this.options.maxEventLoopDelayMs})`;
    }
    return undefined;
  }
}

const MESSAGE = 'Haven is very busy right now: please try again in a moment';
const JSON_BODY = JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: MESSAGE });
const HTML_BODY =
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>Busy for a moment - Haven</title></head><body><main><h1>Haven is very busy for a moment</h1>` +
  `<p>Nothing you wrote has been lost. Please try again in a few seconds.</p></main></body></html>`;

function busy(req: IncomingMessage, res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  const page = !(req.url ?? '').startsWith('/api') && req.headers.accept?.includes('text/html') === true;
  const body = page ? HTML_BODY : JSON_BODY;
  res.writeHead(503, {
    ...headers,
    'Retry-After': '1',
    'Cache-Control': 'no-store',
    'Content-Type': page ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
