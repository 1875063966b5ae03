import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/openapi/api-responses';
import { Cost } from '../common/rate-limit/cost.decorator';
import { REDIS, type RedisClient } from '../common/redis/redis.module';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  @Public()
  @Cost(0)
  @Get()
  @ApiErrors([503], { 503: 'The database or Redis does not answer: try again after Retry-After seconds' })
  @HealthCheck()
  @ApiOperation({
    operationId: 'checkHealth',
    summary: '200 once the database (and Redis, when configured) answers; 503 otherwise',
  })
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      ...(this.redis ? [() => this.redisCheck(this.redis!)] : []),
    ]);
  }

  private async redisCheck(redis: NonNullable<RedisClient>) {
    const indicator = this.indicators.check('redis');
    const up = await Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
    ]);
    return up ? indicator.up() : indicator.down();
  }
}
