/**
 * `npm run bench`: every benchmark, one after another, in the order of the issues. A bench
 * that fails is reported and the rest still run; the exit code says whether any failed.
 *
 *   npx tsx bench/run-all.ts
 */
import { main as slashCommands } from './slash-commands.js';
import { main as confirmRace } from './confirm-race.js';
import { main as incidents } from './incidents.js';
import { main as alerts } from './alerts.js';
import { main as runbooks } from './runbooks.js';
import { main as load } from './load.js';

const BENCHES: [string, () => Promise<void>][] = [
  ['slash-commands', slashCommands],
  ['confirm-race', confirmRace],
  ['incidents', incidents],
  ['alerts', alerts],
  ['runbooks', runbooks],
  ['load', load],
];

const failed: string[] = [];
for (const [name, main] of BENCHES) {
  console.log(`\n=== bench/${name}.ts ===`);
  try {
    await main();
  } catch (err) {
    console.error(err);
    failed.push(name);
  }
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
