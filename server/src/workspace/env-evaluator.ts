/**
 * The JS evaluator with the frontend project's environment (its dev server, or its production
 * build): `import.meta.env.VITE_X` from Vite's `.env*` files, `process.env.REACT_APP_X` /
 * `NEXT_PUBLIC_X` from Create React App's and Next.js's, the mode constants
 * (`import.meta.env.DEV`, `process.env.NODE_ENV`) that the base evaluator's ternaries and
 * comparisons pick a base URL by. Names a bundler does not expose to the browser are left to the base evaluator
 * (unset at run time, so the code's default applies).
 */
import type { Node } from 'web-tree-sitter';
import { JsEvaluator, spanOf, unwrap } from '../lang/javascript/evaluate';
import type { StaticValue } from '../policy/types';
import type { EnvMap, FrontendMode } from './env-files';
import type { FrontendProject } from './frontend-project';

/** Prefixes Create React App and Next.js inline into browser code. */
const NODE_PREFIXES = ['REACT_APP_', 'NEXT_PUBLIC_'];

/** `import.meta.env` constants in `vite` (development mode) or `vite build` (production). */
const viteBuiltins = (mode: FrontendMode): Record<string, string | boolean> => ({
  MODE: mode,
  DEV: mode === 'development',
  PROD: mode === 'production',
  SSR: false,
  BASE_URL: '/',
});

export class EnvEvaluator extends JsEvaluator {
  constructor(
    file: string,
    root: Node,
    private readonly project: FrontendProject,
  ) {
    super(file, root);
  }

  override evaluate(input: Node): StaticValue {
    const node = unwrap(input);
    if (node.hasError || node.isMissing) return super.evaluate(input);
    if (node.type === 'member_expression' || node.type === 'subscript_expression')
      return this.envValue(node) ?? super.evaluate(input);
    if (node.type === 'binary_expression') return this.unknownSet(node) ?? super.evaluate(input);
    return super.evaluate(input);
  }

  /** An environment read the project's files answer; undefined when they do not set it. */
  private envValue(node: Node): StaticValue | undefined {
    const m = /^(import\.meta\.env|process\.env)\??(?:\.(\w+)|\[(['"])(\w+)\3\])$/.exec(
      node.text.replace(/\s+/g, ''),
    );
    if (!m) return undefined;
    const name = m[2] ?? m[4];
    const span = spanOf(this.file, node);
    if (m[1] === 'process.env' && name === 'NODE_ENV')
      return { kind: 'str', value: this.project.mode, span };
    const builtins = viteBuiltins(this.project.mode);
    if (m[1] === 'import.meta.env' && name in builtins) {
      const value = builtins[name];
      return typeof value === 'string'
        ? { kind: 'str', value, span }
        : { kind: 'bool', value, span };
    }
    const vite = m[1] === 'import.meta.env';
    const exposed = vite ? (this.project.vite?.envPrefix ?? ['VITE_']) : NODE_PREFIXES;
    if (!exposed.some((p) => p && name.startsWith(p))) return undefined;
    return fromEnv(vite ? this.project.viteEnv : this.project.nodeEnv, name, span);
  }

  /** `VAR || default` where `.env` sets VAR to an unknown value (the default does not apply). */
  private unknownSet(node: Node): StaticValue | undefined {
    const operator = node.childForFieldName('operator')?.text ?? '';
    const leftNode = node.childForFieldName('left');
    if (!leftNode || (operator !== '||' && operator !== '??')) return undefined;
    const left = unwrap(leftNode);
    const value =
      left.type === 'member_expression' || left.type === 'subscript_expression'
        ? this.envValue(left)
        : undefined;
    return value?.kind === 'dynamic' ? value : undefined;
  }
}

function fromEnv(env: EnvMap, name: string, span: StaticValue['span']): StaticValue | undefined {
  const entry = env.get(name);
  if (!entry) return undefined;
  if (entry.value === undefined)
    return { kind: 'dynamic', span, reason: `${name} in ${entry.file} is not known statically` };
  return { kind: 'str', value: entry.value, span, envDriven: true };
}
