import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envReference } from '../../src/config-reference.js';
import { CONFIG_SCHEMA } from '../../src/config.js';

describe('environment reference', () => {
  it('README carries the table generated from the config schema (run `npm run env-reference`)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(`<!-- env-reference:start -->\n${envReference()}\n<!-- env-reference:end -->`);
  });

  it('documents every variable the config reads', () => {
    const table = envReference();
    for (const name of Object.keys(CONFIG_SCHEMA.shape)) expect(table).toContain(`| \`${name}\` |`);
  });
});
