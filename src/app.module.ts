import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, RouterModule } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AccountModule } from './account/account.module';
import { AuthModule } from './auth/auth.module';
import { CaptchaModule } from './captcha/captcha.module';
import { ChatModule } from './chat/chat.module';
import { CommentsModule } from './comments/comments.module';
import { AuthGuard } from './common/auth/auth.guard';
import { CommonModule } from './common/common.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { createLogger, loggerOptions } from './common/http/logger';
import { RequestBudgetGuard } from './common/rate-limit/request-budget';
import { RedisModule } from './common/redis/redis.module';
import { validationPipe } from './common/validation/validation.pipe';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { ConversationsModule } from './conversations/conversations.module';
import { dataSourceOptions } from './database/data-source';
import { assertSchemaNotNewer, runMigrationsLocked, SchemaNewerThanCodeError } from './database/migrate';
import { EmailPreferencesModule } from './email-preferences/email-preferences.module';
import { ForumsModule } from './forums/forums.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LibraryModule } from './library/library.module';
import { MailModule } from './mail/mail.module';
import { ModerationModule } from './moderation/moderation.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PublishingModule } from './publishing/publishing.module';
import { StoriesModule } from './stories/stories.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';

/** The JSON API's features: their routes live under /api (the web pages, at the root, are not among them). */
const API_MODULES = [
  HealthModule,
  CaptchaModule,
  UsersModule,
  AuthModule,
  MailModule,
  EmailPreferencesModule,
  PublishingModule,
  NotificationsModule,
  ForumsModule,
  ModerationModule,
  CommentsModule,
  LibraryModule,
  ChatModule,
  AccountModule,
  SubscriptionsModule,
  StoriesModule,
  ConversationsModule,
];

/** The whole server, built from a validated config and a database URL (main.ts and the tests both use this). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: Logger = createLogger(config)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(logger)),
        EventEmitterModule.forRoot(),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(databaseUrl),
            // Waiting will not make an older code know a newer schema: refuse at once.
            toRetry: (err: unknown) => !(err instanceof SchemaNewerThanCodeError),
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            try {
              if (config.migrationsRun) await runMigrationsLocked(dataSource);
              else await assertSchemaNotNewer(dataSource);
            } catch (err) {
              await dataSource.destroy();
              throw err;
            }
            return dataSource;
          },
        }),
        RedisModule,
        CommonModule,
        JobsModule,
        ...API_MODULES,
        RouterModule.register(API_MODULES.map((module) => ({ path: 'api', module }))),
        WebModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        // One request budget per client across all routes, charged once AuthGuard knows who the client is (in this
        // order: global guards run as registered); the pages' WebGuard charges the pages.
        { provide: APP_GUARD, useClass: RequestBudgetGuard },
        { provide: APP_PIPE, useFactory: validationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
