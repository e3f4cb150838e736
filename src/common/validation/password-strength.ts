import { registerDecorator, ValidationArguments } from 'class-validator';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * The lowest zxcvbn score a password may have: 3 is "safely unguessable", about 10^8 guesses, which an
 * attacker holding the Argon2id hash of a single account cannot afford to try.
 */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/**
 * The estimator with the common-password, diceware and English dictionaries. They take a few seconds to
 * load and index, so they are loaded at the first password checked, once per process: a process that
 * never sets a password never pays for them.
 */
function loaded(): ZxcvbnFactory {
  if (estimator) return estimator;
  const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const english = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  estimator = new Factory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs, translations: english.translations });
  return estimator;
}

/**
 * Why a password is too easy to guess, in zxcvbn's own plain words (its warning, then its suggestions);
 * undefined when it is strong enough. `related` are words of the account (address, name), which a
 * password must not lean on.
 */
export function passwordWeakness(password: string, related: readonly string[] = []): string | undefined {
  // zxcvbn looks at the first 100 characters only; beyond them a password is long enough anyway.
  const result = loaded().check(password.slice(0, 100), related.filter((word) => word.length > 0));
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const reasons = [result.feedback.warning ?? 'It could be guessed in a short time.', ...result.feedback.suggestions].filter(Boolean);
  return reasons.map((reason) => reason!.trim()).join(' ');
}

/**
 * Refuses a string password that a guesser would find soon (strings only: the type and length checks
 * beside it speak for other values). On a DTO, the object's `email` and `name` count as related words.
 */
export function IsHardToGuess(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isHardToGuess',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          if (typeof value !== 'string' || value.length < 12 || value.length > 256) return true;
          return passwordWeakness(value, relatedWords(args.object)) === undefined;
        },
        defaultMessage(args: ValidationArguments) {
          const weakness = passwordWeakness(String(args.value), relatedWords(args.object));
          return `${args.property} is too easy to guess: ${weakness ?? ''}`.trim();
        },
      },
    });
}

function relatedWords(object: object): string[] {
  const record = object as Record<string, unknown>;
  const words = [record.email, record.name].filter((value): value is string => typeof value === 'string');
  // The address's local part and domain as words of their own, e.g. "ada" and "example".
  return words.flatMap((word) => [word, ...word.split(/[@.\s]+/)]).filter((word) => word.length >= 3);
}
