import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum AssessmentsErrorCode {
  NotFound = 'assessment.not_found',
  AnswerNotFound = 'assessment.answer_not_found',
  InvalidTransition = 'assessment.invalid_transition',
  NotEditable = 'assessment.not_editable',
  StaleAnswer = 'assessment.stale_answer',
  AlreadyOpen = 'assessment.already_open',
  NotAccredited = 'assessment.monitoring_body_not_accredited',
  VersionNotOpen = 'assessment.code_version_not_open',
  LevelUnknown = 'assessment.target_level_unknown',
  CarryForwardMismatch = 'assessment.carry_forward_mismatch',
  NotReady = 'assessment.not_ready',
  Forbidden = 'assessment.forbidden',
  ImportTooLarge = 'assessment.import_too_large',
}

export class AssessmentsException extends DomainException<AssessmentsErrorCode> {
  protected readonly statusByCode: Record<AssessmentsErrorCode, HttpStatus> = {
    [AssessmentsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [AssessmentsErrorCode.AnswerNotFound]: HttpStatus.NOT_FOUND,
    [AssessmentsErrorCode.InvalidTransition]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.NotEditable]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.StaleAnswer]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.AlreadyOpen]: HttpStatus.CONFLICT,
    [AssessmentsErrorCode.NotAccredited]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.VersionNotOpen]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.LevelUnknown]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.CarryForwardMismatch]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.NotReady]: HttpStatus.UNPROCESSABLE_ENTITY,
    [AssessmentsErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
    [AssessmentsErrorCode.ImportTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  };
}
