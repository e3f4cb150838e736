import { Environment } from '@marcbachmann/cel-js';
import type { ASTNode } from '@marcbachmann/cel-js';
import { CodeDocument, Profile, ProfileAnswer, ProfileQuestion, QuestionType } from './code-document';

const CEL_TYPE: Record<QuestionType, string> = {
  boolean: 'bool',
  single_choice: 'string',
  multiple_choice: 'list<string>',
};

/** Whether a requirement applies; `undecided` while a question its rule reads is unanswered. */
export type RuleOutcome = { applies: boolean } | { undecided: string[] };

/**
 * Applicability rules are CEL (Common Expression Language) expressions over a code's profile questions:
 * a language made to be evaluated safely, with no access to anything but the declared variables.
 * Each question is a typed variable, so a rule that reads an unknown question, compares the wrong types
 * or names an option that does not exist is refused when the code is imported, not when a provider uses it.
 */
export class ProfileRules {
  private readonly environment = new Environment({ limits: { maxAstNodes: 500, maxDepth: 50 } });
  private readonly questions = new Map<string, ProfileQuestion>();

  constructor(questions: readonly ProfileQuestion[]) {
    for (const question of questions) {
      this.environment.registerVariable(question.key, CEL_TYPE[question.type]);
      this.questions.set(question.key, question);
    }
  }

  /** Why a key cannot name a question, or null: a word of the rule language (`in`, `true`, `int`…) cannot. */
  static keyProblem(key: string): string | null {
    try {
      if (new Environment().registerVariable(key, 'bool').parse(key).ast.op === 'id') return null;
    } catch {
      // Refused by the language itself: a reserved word or a type name.
    }
    return `"${key}" is a word of the rule language and cannot name a question`;
  }

  /** What is wrong with a rule, or null when it is a valid condition over these questions. */
  problem(rule: string): string | null {
    const checked = this.environment.check(rule);
    if (!checked.valid) return firstLine(checked.error);
    if (checked.type !== 'bool') return `the rule must be true or false, but it gives a ${checked.type}`;
    const ast = this.environment.parse(rule).ast;
    return unsupportedOperation(ast) ?? this.unknownOption(ast);
  }

  /** The questions a rule reads, in the order they appear. */
  questionsOf(rule: string): string[] {
    const found: string[] = [];
    walk(this.environment.parse(rule).ast, (node) => {
      if (node.op === 'id' && !found.includes(node.args as string)) found.push(node.args as string);
    });
    return found;
  }

  evaluate(rule: string | null, profile: Profile): RuleOutcome {
    if (!rule) return { applies: true };
    const read = this.questionsOf(rule);
    const unanswered = read.filter((key) => !this.isAnswer(key, profile[key]));
    if (unanswered.length > 0) return { undecided: unanswered };
    const context = Object.fromEntries(read.map((key) => [key, profile[key]]));
    return { applies: this.environment.evaluate(rule, context) === true };
  }

  /** Whether a value is a well-typed answer to the question: a stored profile may predate a code. */
  isAnswer(key: string, value: ProfileAnswer | undefined): boolean {
    const question = this.questions.get(key);
    if (!question || value === undefined) return false;
    const allowed = new Set(question.options.map((option) => option.value));
    switch (question.type) {
      case 'boolean':
        return typeof value === 'boolean';
      case 'single_choice':
        return typeof value === 'string' && allowed.has(value);
      case 'multiple_choice':
        return Array.isArray(value) && value.every((item) => allowed.has(item));
    }
  }

  /**
   * The rule in words, for readers who do not read expressions: each question by its label and each
   * option by its label. Falls back to the expression itself for forms it does not know.
   */
  describe(rule: string): string {
    return this.sentence(this.environment.parse(rule).ast) ?? rule;
  }

  private sentence(node: ASTNode): string | null {
    const [left, right] = (Array.isArray(node.args) ? node.args : []) as [ASTNode, ASTNode];
    switch (node.op) {
      case 'id':
        return this.answer(node.args as string, 'yes');
      case '!_': {
        const inner = node.args as ASTNode;
        if (inner.op === 'id') return this.answer(inner.args as string, 'no');
        const said = this.sentence(inner);
        return said && `not (${said})`;
      }
      case 'in':
        if (left.op === 'value' && right.op === 'id') return `the answer to ${this.label(right.args as string)} includes ${this.optionLabel(right.args as string, left.args)}`;
        return left.op === 'id' && right.op === 'list' ? this.oneOf(left.args as string, right.args as ASTNode[]) : null;
      case '==':
      case '!=': {
        const [variable, literal] = left.op === 'id' ? [left, right] : [right, left];
        if (variable.op !== 'id' || literal.op !== 'value') return null;
        const negate = node.op === '!=';
        if (typeof literal.args === 'boolean') return this.answer(variable.args as string, literal.args !== negate ? 'yes' : 'no');
        return `${this.label(variable.args as string)} is ${negate ? 'not ' : ''}answered ${this.optionLabel(variable.args as string, literal.args)}`;
      }
      case '&&':
      case '||': {
        const parts = [left, right].map((child) => {
          const said = this.sentence(child);
          return said && (child.op === '&&' || child.op === '||') && child.op !== node.op ? `(${said})` : said;
        });
        return parts.every(Boolean) ? parts.join(node.op === '&&' ? ' and ' : ' or ') : null;
      }
      default:
        return null;
    }
  }

  /** A single choice answered with one of several options: `“Q” is answered “A”, “B” or “C”`. */
  private oneOf(key: string, items: ASTNode[]): string | null {
    if (this.questions.get(key)?.type !== 'single_choice' || items.length === 0 || !items.every((item) => item.op === 'value')) return null;
    const labels = items.map((item) => this.optionLabel(key, item.args));
    const listed = labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
    return `${this.label(key)} is answered ${listed}`;
  }

  private answer(key: string, answer: 'yes' | 'no'): string {
    return `${this.label(key)} is answered ${answer}`;
  }

  private label(key: string): string {
    return `“${this.questions.get(key)?.label ?? key}”`;
  }

  private optionLabel(key: string, value: unknown): string {
    return `“${this.questions.get(key)?.options.find((option) => option.value === value)?.label ?? String(value)}”`;
  }

  /** A string compared with a choice question, or looked up in its answer, must be one of its options. */
  private unknownOption(ast: ASTNode): string | null {
    let problem: string | null = null;
    walk(ast, (node) => {
      if (problem || !['==', '!=', 'in'].includes(node.op)) return;
      const [left, right] = node.args as [ASTNode, ASTNode];
      for (const [variable, other] of [[left, right], [right, left]]) {
        const question = variable.op === 'id' ? this.questions.get(variable.args as string) : undefined;
        if (!question || question.type === 'boolean') continue;
        const unknown = stringsOf(other).find((value) => !question.options.some((option) => option.value === value));
        if (unknown !== undefined) problem = `"${unknown}" is not an option of ${question.key} (${question.options.map((option) => option.value).join(', ')})`;
      }
    });
    return problem;
  }
}

/** Every rule of a code in words, by requirement key (requirements without a rule are absent). */
export function rulesInWords(document: CodeDocument): Map<string, string> {
  const rules = new ProfileRules(document.profileQuestions);
  return new Map(
    document.sections.flatMap((section) =>
      section.requirements.filter((requirement) => requirement.appliesWhen !== null).map((requirement) => [requirement.key, rules.describe(requirement.appliesWhen!)] as const),
    ),
  );
}

/**
 * Rules are conditions on answers, nothing more: the operations below keep them readable, let every
 * question a rule reads be known in advance, and keep out macros whose loop variables are not questions.
 */
const RULE_OPERATIONS = new Set(['id', 'value', 'list', '==', '!=', 'in', '!_', '&&', '||']);

function unsupportedOperation(ast: ASTNode): string | null {
  let found: string | null = null;
  walk(ast, (node) => {
    if (!found && !RULE_OPERATIONS.has(node.op)) found = node.op;
  });
  return found && `rules may only compare answers with ==, != and in, and combine them with !, && and || (found ${found})`;
}

/** The string literals of a node: a string, or a list of them. */
function stringsOf(node: ASTNode): string[] {
  if (node.op === 'value') return typeof node.args === 'string' ? [node.args] : [];
  if (node.op === 'list') return (node.args as ASTNode[]).flatMap(stringsOf);
  return [];
}

function walk(node: ASTNode, visit: (node: ASTNode) => void): void {
  visit(node);
  const args = node.args as unknown;
  const children = Array.isArray(args) ? args.flat() : [args];
  for (const child of children) {
    if (child && typeof child === 'object' && 'op' in child) walk(child as ASTNode, visit);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
}
