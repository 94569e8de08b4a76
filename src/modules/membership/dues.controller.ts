import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { isStaff, type Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { pdfDownload } from '../files/uploaded-file.js';
import { DuesPdfService } from './dues-pdf.service.js';
import { parseYuanToFen } from './dues.js';
import {
  DuesService,
  toInvoiceView,
  toPaymentView,
  type InvoiceList,
  type InvoiceView,
  type PaymentView,
} from './dues.service.js';
import { InvoiceDetailDto, InvoiceListDto } from './dto/dues-views.dto.js';
import { ListInvoicesDto } from './dto/list-invoices.dto.js';
import { RecordPaymentDto } from './dto/record-payment.dto.js';
import { WaiveInvoiceDto } from './dto/waive-invoice.dto.js';
import { MembershipError } from './membership.errors.js';

const READERS: Role[] = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'];

type InvoiceDetail = InvoiceView & { payments: PaymentView[] };

@ApiTags('membership')
@Controller('api/v1/invoices')
export class DuesController {
  constructor(
    private readonly dues: DuesService,
    private readonly documents: DuesPdfService,
  ) {}

  @Get()
  @ApiDocumented({
    summary: 'Dues invoices, newest first, filtered by status and year; paginated',
    description: "Staff see every firm's; firm users their own firm's only. `limit` is 1-100.",
    access: READERS,
    errors: [[400, 'VALIDATION_FAILED']],
  })
  @ApiOkResponse({ type: InvoiceListDto })
  list(@Auth() auth: AuthContext, @Query() query: ListInvoicesDto): Promise<InvoiceList> {
    const firmId = isStaff(auth.user.role) ? query.firmId : (auth.user.firmId ?? '');
    return this.dues.list({ ...query, firmId });
  }

  @Get(':id')
  @ApiDocumented({
    summary: 'One invoice with its payments',
    description: "Another firm's invoice answers 404.",
    access: READERS,
    errors: [[404, 'INVOICE_NOT_FOUND']],
  })
  @ApiOkResponse({ type: InvoiceDetailDto })
  async get(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<InvoiceDetail> {
    const invoice = await this.dues.findVisible(auth.user, id);
    return this.detail(invoice.id, toInvoiceView(invoice));
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  @ApiDocumented({
    summary: 'The invoice as a PDF (会费缴费通知单; not a tax fapiao) with a QR code of its check',
    description: "Another firm's invoice answers 404.",
    access: READERS,
    errors: [[404, 'INVOICE_NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The PDF.' })
  async pdf(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.send(res, await this.documents.render(auth.user, id, 'invoice'));
  }

  @Get(':id/receipt/pdf')
  @ApiProduces('application/pdf')
  @ApiDocumented({
    summary: 'The receipt for the money received on an invoice, as a PDF (会费收据)',
    description: "Refused while nothing is paid. Another firm's invoice answers 404.",
    access: READERS,
    errors: [
      [404, 'INVOICE_NOT_FOUND'],
      [409, 'NOTHING_PAID'],
    ],
  })
  @ApiOkResponse({ description: 'The PDF.' })
  async receiptPdf(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.send(res, await this.documents.render(auth.user, id, 'receipt'));
  }

  @Post(':id/payments')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Record money received; a part payment leaves a balance, more than the balance is refused',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'AMOUNT_INVALID'],
      [400, 'PAYMENT_DATE_INVALID'],
      [404, 'INVOICE_NOT_FOUND'],
      [409, 'INVOICE_NOT_OPEN'],
      [409, 'CONFLICT'],
      [422, 'PAYMENT_EXCEEDS_BALANCE'],
    ],
  })
  @ApiOkResponse({ type: InvoiceDetailDto })
  async recordPayment(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RecordPaymentDto,
    @Req() req: Request,
  ): Promise<InvoiceDetail> {
    const amountFen = parseYuanToFen(body.amount);
    if (amountFen === null) throw new MembershipError('AMOUNT_INVALID');
    const { invoice } = await this.dues.recordPayment(
      auth.user,
      id,
      { amountFen, paidOn: body.paidOn, bankReference: body.bankReference, version: body.version },
      requestMeta(req),
    );
    return this.detail(invoice.id, toInvoiceView(invoice));
  }

  @Post(':id/waive')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Waive what is still owed on an open invoice, with a reason',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'INVOICE_NOT_FOUND'],
      [409, 'INVOICE_NOT_OPEN'],
      [409, 'CONFLICT'],
    ],
  })
  @ApiOkResponse({ type: InvoiceDetailDto })
  async waive(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: WaiveInvoiceDto,
    @Req() req: Request,
  ): Promise<InvoiceDetail> {
    const invoice = await this.dues.waive(auth.user, id, body, requestMeta(req));
    return this.detail(invoice.id, toInvoiceView(invoice));
  }

  private send(res: Response, file: { fileName: string; pdf: Buffer }): StreamableFile {
    return pdfDownload(res, file.fileName, file.pdf);
  }

  private async detail(id: string, view: InvoiceView): Promise<InvoiceDetail> {
    return { ...view, payments: (await this.dues.paymentsOf(id)).map(toPaymentView) };
  }
}
