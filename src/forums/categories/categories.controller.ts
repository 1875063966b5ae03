import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiCreated, ApiErrors, ApiOk } from '../../common/openapi/api-responses';
import { CategoriesService } from './categories.service';
import { CategorySlugParams, CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';
import { CategoryDto } from './dto/category-responses.dto';

@ApiTags('forums')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Public()
  @Get()
  @ApiOperation({ operationId: 'listCategories', summary: 'Every category, in home-page order, with its counters' })
  @ApiOk([CategoryDto])
  list() {
    return this.categories.list();
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Post()
  @ApiOperation({ operationId: 'createCategory', summary: 'Create a category (admin)' })
  @ApiCreated(CategoryDto)
  @ApiErrors([409], { 409: 'That slug is taken' })
  create(@CurrentUser() admin: Principal, @Body() body: CreateCategoryDto) {
    return this.categories.create(admin, body);
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Patch(':slug')
  @ApiOperation({ operationId: 'updateCategory', summary: 'Change a category (admin)' })
  @ApiOk(CategoryDto)
  @ApiErrors([404])
  update(@CurrentUser() admin: Principal, @Param() params: CategorySlugParams, @Body() body: UpdateCategoryDto) {
    return this.categories.update(admin, params.slug, body);
  }
}
