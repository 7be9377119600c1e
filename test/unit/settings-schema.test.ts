import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { checks } from '../../server/src/analysis/analyze';
import { defaultSettings } from '../../server/src/analysis/settings';

/**
 * `package.json` `contributes.configuration` mirrors `CorsLensSettings`: every setting is declared
 * with its type, its default and a description, and nothing else is declared.
 */
interface Schema {
  type: string;
  default?: unknown;
  description?: string;
  items?: { type: string };
  enum?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
}

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const properties: Record<string, Schema> = pkg.contributes.configuration.properties;
const declared = Object.keys(properties).map((key) => key.replace(/^corsLens\./, ''));

const jsonType = (value: unknown): string =>
  Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'number'
        ? 'number'
        : typeof value;

describe('package.json settings schema', () => {
  test('declares exactly the keys of CorsLensSettings, under corsLens.', () => {
    assert.ok(Object.keys(properties).every((key) => key.startsWith('corsLens.')));
    assert.deepEqual([...declared].sort(), Object.keys(defaultSettings).sort());
  });

  for (const [key, value] of Object.entries(defaultSettings)) {
    test(`corsLens.${key}: type, default and description match`, () => {
      const schema = properties[`corsLens.${key}`];
      assert.ok(schema, 'declared');
      assert.equal(schema.type, jsonType(value));
      assert.deepEqual(schema.default, value);
      assert.ok(schema.description && schema.description.length > 10, 'has a description');
      if (Array.isArray(value)) assert.equal(schema.items?.type, 'string');
    });
  }

  test('corsLens.severity offers every check and the same levels as the server accepts', () => {
    const severity = properties['corsLens.severity'];
    const levels = ['error', 'warning', 'info', 'hint', 'off'];
    assert.deepEqual(severity.additionalProperties?.enum, levels);
    assert.deepEqual(
      Object.keys(severity.properties ?? {}),
      checks.map((c) => c.id),
    );
    for (const check of checks) {
      const entry = severity.properties![check.id];
      assert.deepEqual(entry.enum, levels);
      assert.equal(entry.description, check.description);
    }
  });

  test('the preview, explain, probe, output and environment commands are contributed; the status bar menu only from the status bar', () => {
    assert.deepEqual(
      pkg.contributes.commands.map((c: { command: string }) => c.command),
      [
        'corsLens.previewEffectiveHeaders',
        'corsLens.explainError',
        'corsLens.probe',
        'corsLens.showOutput',
        'corsLens.showMenu',
        'corsLens.selectEnvironment',
      ],
    );
    const palette = pkg.contributes.menus.commandPalette as { command: string; when: string }[];
    assert.equal(palette.find((m) => m.command === 'corsLens.showMenu')?.when, 'false');
    assert.equal(palette.find((m) => m.command === 'corsLens.probe')?.when, 'isWorkspaceTrusted');
    // The environment can be picked from the palette too, not only from its status bar item.
    assert.equal(
      palette.find((m) => m.command === 'corsLens.selectEnvironment'),
      undefined,
    );
  });
});
