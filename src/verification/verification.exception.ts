import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum VerificationErrorCode {
  NotFound = 'REVIEW_NOT_FOUND',
  RequirementNotFound = 'REQUIREMENT_NOT_IN_SUBMISSION',
  SectionNotFound = 'SECTION_NOT_IN_SUBMISSION',
  EvidenceNotFound = 'EVIDENCE_NOT_IN_SUBMISSION',
  NotAssigned = 'NOT_ASSIGNED',
  NotDeclared = 'DECLARATION_REQUIRED',
  Conflicted = 'CONFLICT_OF_INTEREST',
  AlreadyDeclared = 'ALREADY_DECLARED',
  AlreadyAssigned = 'ALREADY_ASSIGNED',
  NotReviewer = 'NOT_A_REVIEWER',
  SameReviewer = 'SAME_REVIEWER',
  FourEyes = 'FOUR_EYES',
  NotUnderReview = 'NOT_UNDER_REVIEW',
  Stale = 'STALE_REVIEW_RECORD',
  DecisionPending = 'DECISION_PENDING',
  NoDecision = 'NO_DECISION_PENDING',
  LevelTooHigh = 'LEVEL_NOT_EARNED',
  NothingRequested = 'NO_CHANGES_REQUESTED',
  Replaced = 'VERIFICATION_REPLACED',
  NotRegistered = 'NOT_IN_REGISTER',
}

export class VerificationException extends DomainException<VerificationErrorCode> {
  protected readonly statusByCode: Record<VerificationErrorCode, HttpStatus> = {
    [VerificationErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [VerificationErrorCode.RequirementNotFound]: HttpStatus.NOT_FOUND,
    [VerificationErrorCode.SectionNotFound]: HttpStatus.NOT_FOUND,
    [VerificationErrorCode.EvidenceNotFound]: HttpStatus.NOT_FOUND,
    [VerificationErrorCode.NotAssigned]: HttpStatus.FORBIDDEN,
    [VerificationErrorCode.NotDeclared]: HttpStatus.FORBIDDEN,
    [VerificationErrorCode.Conflicted]: HttpStatus.UNPROCESSABLE_ENTITY,
    [VerificationErrorCode.AlreadyDeclared]: HttpStatus.CONFLICT,
    [VerificationErrorCode.AlreadyAssigned]: HttpStatus.CONFLICT,
    [VerificationErrorCode.NotReviewer]: HttpStatus.UNPROCESSABLE_ENTITY,
    [VerificationErrorCode.SameReviewer]: HttpStatus.UNPROCESSABLE_ENTITY,
    [VerificationErrorCode.FourEyes]: HttpStatus.FORBIDDEN,
    [VerificationErrorCode.NotUnderReview]: HttpStatus.CONFLICT,
    [VerificationErrorCode.Stale]: HttpStatus.CONFLICT,
    [VerificationErrorCode.DecisionPending]: HttpStatus.CONFLICT,
    [VerificationErrorCode.NoDecision]: HttpStatus.CONFLICT,
    [VerificationErrorCode.LevelTooHigh]: HttpStatus.UNPROCESSABLE_ENTITY,
    [VerificationErrorCode.NothingRequested]: HttpStatus.UNPROCESSABLE_ENTITY,
    [VerificationErrorCode.Replaced]: HttpStatus.CONFLICT,
    [VerificationErrorCode.NotRegistered]: HttpStatus.CONFLICT,
  };
}
