import { ArgumentsHost, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.service';
import type { TransactionHost } from '../database/transaction-host';
import type { TenantContext } from '../common/tenant-context';
import { DomainException } from '../common/errors/domain.exception';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { ExceptionsFilter } from './exceptions.filter';

/** A module's exception, as every module declares one. */
class SampleException extends DomainException<'sample.stale_answer'> {
  protected readonly statusByCode = { 'sample.stale_answer': HttpStatus.CONFLICT };
}

/** What the filter answers an API request with, under the given NODE_ENV. */
async function answer(exception: unknown, nodeEnv: AppConfig['nodeEnv'] = 'test'): Promise<{ status: number; body: Record<string, unknown> }> {
  const filter = new ExceptionsFilter({} as TenantContext, {} as ModuleRef, {} as TransactionHost, { nodeEnv } as AppConfig);
  const sent = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    headersSent: false,
    hasHeader: () => false,
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
    },
  };
  const request = { path: '/api/v1/anything', method: 'POST', originalUrl: '/api/v1/anything' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  await filter.catch(exception, host);
  return sent;
}

describe('ExceptionsFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('answers a module’s error with its code, in the documented order', async () => {
    const sent = await answer(new SampleException('sample.stale_answer', 'Changed meanwhile.', { currentVersion: 3 }));
    expect(sent.status).toBe(409);
    expect(Object.keys(sent.body)).toEqual(['statusCode', 'code', 'error', 'message', 'details']);
    expect(sent.body).toEqual({ statusCode: 409, code: 'sample.stale_answer', error: 'Conflict', message: 'Changed meanwhile.', details: { currentVersion: 3 } });
  });

  it('gives the framework’s errors codes of their own', async () => {
    expect((await answer(new InvalidInputException({ name: ['name is required'] }))).body).toMatchObject({ statusCode: 400, code: 'request.invalid', details: { name: ['name is required'] } });
    expect((await answer(new NotFoundException('Cannot GET /nowhere'))).body).toMatchObject({ statusCode: 404, code: 'request.not_found' });
    expect((await answer(new Error('boom'))).body).toMatchObject({ statusCode: 500, code: 'server.error' });
  });

  it('fails loudly in tests on an error without a listed code, and keeps its status elsewhere', async () => {
    const teapot = () => new HttpException('I am a teapot', 418);
    expect(await answer(teapot())).toEqual({ status: 500, body: expect.objectContaining({ code: 'server.unlisted_code', message: expect.stringContaining('418 with no code') }) });
    expect(await answer(teapot(), 'production')).toEqual({ status: 418, body: expect.objectContaining({ code: 'server.error', message: 'I am a teapot' }) });

    const forced = new SampleException('sample.made_up' as 'sample.stale_answer', 'Not in the table.');
    expect((await answer(forced)).body).toMatchObject({ statusCode: 500, code: 'server.unlisted_code', message: expect.stringContaining('500 with the unlisted code sample.made_up') });
    expect(await answer(forced, 'production')).toEqual({ status: 500, body: expect.objectContaining({ code: 'sample.made_up' }) });
  });
});
