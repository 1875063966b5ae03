import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiPaged } from '../../common/openapi/api-responses';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { SearchQueryDto, SearchService } from './search.service';
import { SearchHitDto } from './dto/search-responses.dto';

@ApiTags('forums')
@Controller('search')
export class SearchController {
  constructor(private readonly searches: SearchService) {}

  @Public()
  @Cost(COSTS.search)
  @Get()
  @ApiOperation({ operationId: 'search', summary: 'Published threads and posts, ranked; paged' })
  @ApiPaged(SearchHitDto, 'One page of hits, best first')
  search(@Query() query: SearchQueryDto, @CurrentUser() viewer?: Principal) {
    return this.searches.search(query, viewer);
  }
}
