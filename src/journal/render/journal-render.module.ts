import { Module } from '@nestjs/common';
import { JournalModule } from '../journal.module';
import { JournalDocuments } from './journal-documents';
import { SummaryPdfController } from './summary-pdf.controller';

/**
 * What the journal draws (src/journal/render): the charts (Observable Plot in linkedom, SVG) and "Prepare for my
 * appointment" (its period, its PDF with pdfkit), with the PDF's route /api/journal/summary.pdf. The journal pages
 * use JournalDocuments too.
 */
@Module({
  imports: [JournalModule],
  controllers: [SummaryPdfController],
  providers: [JournalDocuments],
  exports: [JournalDocuments],
})
export class JournalRenderModule {}
