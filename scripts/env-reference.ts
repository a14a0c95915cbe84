/** Prints the environment reference, or with --write replaces it in README.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { envReference } from '../src/config-reference.js';

const START = '<!-- env-reference:start -->';
const END = '<!-- env-reference:end -->';

if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  const [before, rest] = readme.split(START);
  const after = rest?.split(END)[1];
  if (before === undefined || after === undefined) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  writeFileSync('README.md', `${before}${START}\n${envReference()}\n${END}${after}`);
} else {
  console.log(envReference());
}
