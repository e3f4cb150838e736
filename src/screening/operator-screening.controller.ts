import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Operator } from '../access/access.decorator';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { validateInput } from '../common/validation/validation.pipe';
import { HashListFormDto } from './dto/hash-list-form.dto';
import { IncidentListQueryDto } from './dto/incident-list-query.dto';
import { ResolveIncidentDto } from './dto/resolve-incident.dto';
import { listText } from './hash-list-upload.middleware';
import { HashLists } from './hash-lists';
import { UploadIncidents } from './upload-incidents';

/** The operator's API for known-hash screening: load and drop hash lists, read and resolve upload incidents. */
@ApiTags('operator')
@Controller('api/v1/operator')
export class OperatorScreeningController {
  constructor(
    private readonly lists: HashLists,
    private readonly incidents: UploadIncidents,
  ) {}

  @Get('hash-lists')
  @Operator()
  async hashLists() {
    return this.lists.list();
  }

  /** A list as a text/plain body with `?name=`, or as multipart `file` and `name`; it replaces the list of that name. */
  @Post('hash-lists')
  @Operator()
  @ApiConsumes('text/plain', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['name', 'file'], properties: { name: { type: 'string' }, file: { type: 'string', format: 'binary' } } } })
  async load(@Req() request: Request, @Query('name') queryName: unknown) {
    const fields = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
    const form = await validateInput(HashListFormDto, { ...fields, ...(queryName !== undefined && { name: queryName }) });
    const text = listText(request, form.text);
    if (!text?.trim()) throw new InvalidInputException({ file: ['send the list as a file, or as a text/plain body'] });
    return this.lists.load(form.name, text);
  }

  @Delete('hash-lists/:id')
  @Operator()
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await this.lists.remove(id);
  }

  @Get('upload-incidents')
  @Operator()
  async incidentList(@Query() query: IncidentListQueryDto) {
    return this.incidents.list(query.state);
  }

  @Post('upload-incidents/:id/resolve')
  @Operator()
  @HttpCode(200)
  async resolve(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveIncidentDto) {
    return this.incidents.resolve(id, dto.note, dto.version);
  }
}
