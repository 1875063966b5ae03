import { Get } from '@nestjs/common';
import { Page } from '../core/page.decorator';
import { view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';

/** Pages that are the same for everyone: the community guidelines (with crisis lines and privacy). */
@WebController()
export class SitePagesController {
  @Get('guidelines')
  @Page('site/guidelines', {
    description: 'How we look after each other on Haven, where to find crisis support, and how we keep your privacy.',
  })
  guidelines() {
    return view('Community guidelines', {});
  }
}
