import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { RangeQueryDto } from '../dto/journal.dto';
import { JournalDocuments } from './journal-documents';

/** "Prepare for my appointment" as a PDF: the member's own, never cached by a shared cache. */
@ApiTags('journal')
@ApiBearerAuth()
@Controller('journal')
export class SummaryPdfController {
  constructor(private readonly documents: JournalDocuments) {}

  @Get('summary.pdf')
  @ApiOperation({
    operationId: 'getJournalSummaryPdf',
    summary:
      'Prepare for my appointment, as an A4 PDF: what changed, the worst days, your questions, medicines, ' +
      'temperatures (default: since your last appointment)',
  })
  @ApiOkResponse({
    description: 'An A4 PDF with selectable text',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async pdf(
    @CurrentUser() me: Principal,
    @Query() query: RangeQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { pdf, fileName } = await this.documents.appointmentPdf(me.id, query);
    void reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${fileName}"`)
      .header('Cache-Control', 'private, no-store');
    return pdf;
  }
}
