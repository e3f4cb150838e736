import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum AssessmentsErrorCode {
  NotFound = 'ASSESSMENT_NOT_FOUND',
  AnswerNotFound = 'ANSWER_NOT_FOUND',
  SectionNotFound = 'SECTION_NOT_FOUND',
  InvalidTransition = 'ASSESSMENT_INVALID_TRANSITION',
  NotEditable = 'ASSESSMENT_NOT_EDITABLE',
  StaleAnswer = 'STALE_ANSWER',
  AlreadyOpen = 'ASSESSMENT_ALREADY_OPEN',
  NotAccredited = 'MONITORING_BODY_NOT_ACCREDITED',
  VersionNotOpen = 'CODE_VERSION_NOT_OPEN',
  LevelUnknown = 'TARGET_LEVEL_UNKNOWN',
  CarryForwardMismatch = 'CARRY_FORWARD_MISMATCH',
  NotReady = 'ASSESSMENT_NOT_READY',
  ProvidersOnly = 'PROVIDERS_ONLY',
  Forbidden = 'FORBIDDEN',
  ImportTooLarge = 'IMPORT_TOO_LARGE',
}

export class AssessmentsException extends DomainException<AssessmentsErrorCode> {
  protected readonly statusByCode: Record<AssessmentsErrorCode, HttpStatus> = {
    [AssessmentsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [AssessmentsErrorCode.AnswerNotFound]: HttpStatus.NOT_FOUND,
    [AssessmentsErrorCode.SectionNotFound]: HttpStatus.NOT_FOUND,
    [AssessmentsErrorCode.InvalidTransition]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.NotEditable]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.StaleAnswer]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.AlreadyOpen]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.NotAccredited]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.VersionNotOpen]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.LevelUnknown]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.CarryForwardMismatch]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.NotReady]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.ProvidersOnly]: HttpStatus.FORBIDDEN,
    [AssessmentsErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
    [AssessmentsErrorCode.ImportTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  };
}
