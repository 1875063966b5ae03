import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/openapi/api-responses';
import { Cost } from '../common/rate-limit/cost.decorator';
import { REDIS, type RedisClient } from '../common/redis/redis.module';
import { DatabaseProbe, PROBE_TIMEOUT_MS } from './database-probe';

/**
 * Readiness (`/api/health`): the database answers on the probe's own connection, the request pool can hand out a
 * connection in time, and Redis answers when configured. Liveness (`/api/health/live`): the process answers at all,
 * with no I/O, so that an orchestrator does not restart a process that is only waiting for its database.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly probe: DatabaseProbe,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  @Public()
  @Cost(0)
  @Get()
  @ApiErrors([503], {
    503: 'The database, its connection pool or Redis does not answer in time: try again after Retry-After seconds',
  })
  @HealthCheck()
  @ApiOperation({
    operationId: 'checkHealth',
    summary: '200 once the database answers and its pool has room (and Redis, when configured); 503 otherwise',
  })
  check() {
    return this.health.check([
      () => this.indicator('database', this.probe.ping()),
      () => this.indicator('pool', this.probe.poolAvailable()),
      ...(this.redis ? [() => this.indicator('redis', this.redisUp(this.redis!))] : []),
    ]);
  }

  @Public()
  @Cost(0)
  @Get('live')
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  @ApiOperation({
    operationId: 'checkLiveness',
    summary: '200 while the process answers; touches neither database nor Redis',
  })
  live() {
    return { status: 'ok' };
  }

  private async indicator(key: string, up: Promise<boolean>) {
    const indicator = this.indicators.check(key);
    return (await up) ? indicator.up() : indicator.down();
  }

  private redisUp(redis: NonNullable<RedisClient>): Promise<boolean> {
    return Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROBE_TIMEOUT_MS).unref()),
    ]);
  }
}
