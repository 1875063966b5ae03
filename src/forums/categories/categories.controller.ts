import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { CategoriesService } from './categories.service';
import { CategorySlugParams, CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';

@ApiTags('forums')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Every category, in home-page order, with its counters' })
  list() {
    return this.categories.list();
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Post()
  @ApiOperation({ summary: 'Create a category (admin)' })
  create(@CurrentUser() admin: Principal, @Body() body: CreateCategoryDto) {
    return this.categories.create(admin, body);
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Patch(':slug')
  @ApiOperation({ summary: 'Change a category (admin)' })
  update(@CurrentUser() admin: Principal, @Param() params: CategorySlugParams, @Body() body: UpdateCategoryDto) {
    return this.categories.update(admin, params.slug, body);
  }
}
