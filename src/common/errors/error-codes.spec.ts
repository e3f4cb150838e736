import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../project-root';
import { COMMON_STATUS_BY_CODE, CommonErrorCode } from './common-error-code';
import { DomainException } from './domain.exception';

type ExceptionClass = new (code: string, message: string) => DomainException;

const root = projectRoot();
const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
  .map((file) => join(root, 'src', file));

/** Every `[code, status]` a module can answer with: its exception class tried with each code of its enum. */
function moduleCodes(): { file: string; code: string; status: number; listed: boolean }[] {
  return sources
    .filter((file) => file.endsWith('.exception.ts'))
    .flatMap((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exports = require(file) as Record<string, unknown>;
      const base = Object.values(exports).find((value) => typeof value === 'function' && Object.getPrototypeOf(value) === DomainException) as ExceptionClass | undefined;
      const codes = Object.entries(exports)
        .filter(([name]) => name.endsWith('ErrorCode'))
        .flatMap(([, codeEnum]) => Object.values(codeEnum as Record<string, string>));
      if (!base) return [];
      return codes.map((code) => {
        const exception = new base(code, 'test');
        return { file: relative(root, file), code, status: exception.status, listed: exception.listed };
      });
    });
}

/** The `| \`code\` | status | meaning |` rows of the README's Errors section. */
function readmeCodes(): [string, number][] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### Errors\n'), readme.indexOf('\n## ', readme.indexOf('\n### Errors\n')));
  return [...section.matchAll(/^\| `([^`]+)` \| (\d{3}) \| .+ \|$/gm)].map(([, code, status]) => [code, Number(status)]);
}

/** Codes clients read before codes were named `module.name`; they keep their form. */
const PUBLISHED_EARLIER = /^(src\/evidence\/evidence|src\/screening\/screening)\.exception\.ts$/;

describe('error codes', () => {
  const modules = moduleCodes();
  const common = Object.values(CommonErrorCode).map((code) => ({ file: 'src/common/errors/common-error-code.ts', code, status: COMMON_STATUS_BY_CODE[code] as number }));

  it('finds every module’s exception table', () => {
    const declaring = sources.filter((file) => /extends DomainException\b/.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    // A table outside `*.exception.ts` would escape the comparison below.
    expect(declaring.filter((file) => !file.endsWith('.exception.ts'))).toEqual([]);
    expect(new Set(modules.map((entry) => entry.file))).toEqual(new Set(declaring));
  });

  it('gives every code of a module a status', () => {
    expect(modules.filter((entry) => !entry.listed || !(entry.status >= 400 && entry.status < 600))).toEqual([]);
  });

  it('names codes `module.name`, except those published earlier', () => {
    const misnamed = [...modules, ...common].filter((entry) => !/^[a-z]+\.[a-z_]+$/.test(entry.code) && !PUBLISHED_EARLIER.test(entry.file));
    expect(misnamed.map((entry) => entry.code)).toEqual([CommonErrorCode.TransactionConflict]);
  });

  it('lists in the README exactly the codes there are, with their statuses', () => {
    const thrown = [...common, ...modules].map(({ code, status }) => `${code} ${status}`).sort();
    const listed = readmeCodes()
      .map(([code, status]) => `${code} ${status}`)
      .sort();
    expect(listed).toEqual(thrown);
  });
});
