import { Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Pages } from '../core/pages';
import { WebController } from '../core/web-controller.decorator';

/** Pages that are the same for everyone: the community guidelines (with crisis lines and privacy). */
@WebController()
export class SitePagesController {
  constructor(private readonly pages: Pages) {}

  @Get('guidelines')
  guidelines(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(
      req,
      reply,
      'site/guidelines',
      'Community guidelines',
      {},
      {
        description:
          'How we look after each other on Haven, where to find crisis support, and how we keep your privacy.',
      },
    );
  }
}
