/**
 * A truth case served as a project of its own, for the suites that run one Express major: the
 * case folder copied to a temporary folder, with a package.json pinned to that major when the
 * case has none, and `node_modules/express` linked to the installed package of the major that
 * the project's package.json says (read by the same workspace/npm-version.ts the extractor
 * uses). So the model and the real server both follow what the project declares.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageVersion } from '../../../server/src/workspace/npm-version';

const ROOT = path.resolve(__dirname, '../../..');

/** The installed package of each major: the `express` dev dependency and its `express4` alias. */
export const EXPRESS_PACKAGES: Readonly<Record<number, string>> = { 4: 'express4', 5: 'express' };

/** The folder of an installed npm package. */
const packageDir = (name: string): string =>
  path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));

/** The version of the installed package that runs Express `major`. */
export function installedExpress(major: number): string {
  const manifest = path.join(packageDir(EXPRESS_PACKAGES[major]), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** A package.json text that pins Express to the installed version of `major`. */
export const pinnedManifest = (major: number): string =>
  `${JSON.stringify({ private: true, dependencies: { express: installedExpress(major) } }, null, 2)}\n`;

/** A case's project on disk. */
export interface ExpressProject {
  /** The copied app file: analysed and run. */
  app: string;
  /** The major its package.json (or lockfile) says, whose package `express` resolves to. */
  major: number;
  remove(): void;
}

/**
 * Copies `caseDir` to a temporary project: its own package.json, else one pinned to `major`;
 * `node_modules/express` is the package of the major the project then says, and each of
 * `linked` (`cors`) the installed package of that name.
 */
export function expressProject(
  caseDir: string,
  appName: string,
  major: number,
  linked: string[],
): ExpressProject {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-express-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  cpSync(caseDir, dir, { recursive: true });
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, pinnedManifest(major));
  const app = path.join(dir, appName);
  const said = packageVersion(app, 'express', (f) =>
    existsSync(f) ? readFileSync(f, 'utf8') : undefined,
  ).major;
  const runs = said === undefined ? undefined : EXPRESS_PACKAGES[said];
  if (said === undefined || !runs) {
    remove();
    throw new Error(`${caseDir}: its package.json names no installed Express major`);
  }
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(packageDir(runs), path.join(dir, 'node_modules', 'express'), 'dir');
  for (const name of linked)
    symlinkSync(packageDir(name), path.join(dir, 'node_modules', name), 'dir');
  return { app, major: said, remove };
}
