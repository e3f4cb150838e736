import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum VerificationErrorCode {
  RequirementNotFound = 'verification.requirement_not_in_submission',
  SectionNotFound = 'verification.section_not_in_submission',
  EvidenceNotFound = 'verification.evidence_not_in_submission',
  NotAssigned = 'verification.not_assigned',
  NotDeclared = 'verification.declaration_required',
  Conflicted = 'verification.conflict_of_interest',
  AlreadyDeclared = 'verification.already_declared',
  AlreadyAssigned = 'verification.already_assigned',
  NotReviewer = 'verification.not_a_reviewer',
  SameReviewer = 'verification.same_reviewer',
  FourEyes = 'verification.four_eyes',
  NotUnderReview = 'verification.not_under_review',
  Stale = 'verification.stale_review',
  DecisionPending = 'verification.decision_pending',
  NoDecision = 'verification.no_decision_pending',
  LevelTooHigh = 'verification.level_not_earned',
  NothingRequested = 'verification.no_changes_requested',
  Replaced = 'verification.replaced',
}

export class VerificationException extends DomainException<VerificationErrorCode> {
  protected readonly statusByCode: Record<VerificationErrorCode, HttpStatus> = {
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
  };
}
