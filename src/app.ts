import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { OutageLog } from './common/errors/outage-log';
import { LoadShedder } from './common/http/load-shedding';
import { createLogger, logRequests } from './common/http/logger';
import { helmetHeaders, securityHeaders } from './common/http/security-headers';
import { BEARER, completeDocument } from './common/openapi/complete-document';
import { ErrorResponseDto } from './common/openapi/error-response.dto';
import { ChatIoAdapter } from './chat/chat-io.adapter';
import type { AppConfig } from './config/config';
import { setUpWeb } from './web/web-setup';

const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'self'";

/** Builds the HTTP server (not yet listening): Fastify with the contract's edges, the API under /api, docs. */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Haven may be served over plain HTTP on a LAN or localhost: upgrading would break its own stylesheet.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // First of all: a refused request costs as little as possible (it never reaches Fastify).
  const shedder = new LoadShedder(config.loadShedding, headers);
  const adapter = new FastifyAdapter({
    serverFactory: shedder.serverFactory,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    // Request logs come from an onResponse hook (common/http/logger.ts) with the request id; never bodies.
    logger: false,
    return503OnClosing: true,
    // A request id for every log line: the caller's X-Request-Id when it is sane, else a fresh one (echoed below).
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    forceCloseConnections: 'idle',
    // Signed links (one-click unsubscribe) carry their meaning in the path: longer than Fastify's default of 100.
    routerOptions: { maxParamLength: 300 },
  });
  const logger = createLogger(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, logger),
    adapter,
    {
      bufferLogs: true,
      // A failing start (a schema newer than the code) reaches the caller, which explains it, instead of Nest
      // ending the process.
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  shedder.logTo(new OutageLog(app.get(Logger)));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', (_instance, done) => (shedder.stop(), done()));
  await setUpWeb(app);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header('X-Request-Id', request.id);
      done();
    });

  securityHeaders(app.getHttpAdapter().getInstance(), headers);
  logRequests(app.getHttpAdapter().getInstance(), logger);
  // Only the API docs page (Swagger UI) runs an inline initialiser and inline styles: it alone gets them.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      if (request.url.startsWith('/api/docs') && !request.url.startsWith('/api/docs-json')) {
        void reply.header('Content-Security-Policy', DOCS_CSP);
      }
      done(null, payload);
    });
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins.includes('*') ? true : config.http.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }

  const document = completeDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Haven')
        .setDescription('A support-group community: discussion threads, live support chat and article comments.')
        .setVersion('1')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
        .addTag('auth', 'Accounts: register, sign in, tokens')
        .addTag('users', 'Your profile, public profiles, blocking')
        .addTag('account', 'Your data: download it all; delete your account (with a grace period)')
        .addTag('forums', 'Discussion threads: categories, threads, posts, reactions, search')
        .addTag('comments', 'Article pages: comments and ratings')
        .addTag('chat', 'Live support rooms (the live chat itself is Socket.IO on /chat)')
        .addTag(
          'conversations',
          'Private conversations between members, and who may start one with you (live on Socket.IO /chat)',
        )
        .addTag('notifications', 'Replies, mentions and moderation outcomes')
        .addTag('mail', 'Mail: one-click unsubscribe (RFC 8058), subscriptions and email preferences')
        .addTag(
          'subscriptions',
          'Email updates about articles, categories, threads and new articles: subscribe (double opt-in), confirm, list, end',
        )
        .addTag('moderation', 'Reports, the moderation queue, sanctions, watched words, the audit log')
        .addTag('journal', 'Your private symptom journal: days, summaries, exports, share links (yours alone)')
        .addTag('captcha', 'Challenges for guests: an image to read or a proof-of-work puzzle')
        .addTag('health', 'Readiness for load balancers')
        .build(),
      { extraModels: [ErrorResponseDto] },
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  app.useWebSocketAdapter(new ChatIoAdapter(app, config));
  return app;
}
