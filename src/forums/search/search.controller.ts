import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { SearchQueryDto, SearchService } from './search.service';

@ApiTags('forums')
@Controller('search')
export class SearchController {
  constructor(private readonly searches: SearchService) {}

  @Public()
  @Cost(COSTS.search)
  @Get()
  @ApiOperation({ summary: 'Published threads and posts, ranked; paged' })
  search(@Query() query: SearchQueryDto, @CurrentUser() viewer?: Principal) {
    return this.searches.search(query, viewer);
  }
}
