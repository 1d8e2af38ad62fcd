// Prints "N passed, M failed, K skipped" from vitest's JSON report and exits with the run's status.
import { existsSync, readFileSync } from 'node:fs';

const [file, rcText] = process.argv.slice(2);
const rc = Number(rcText ?? 1);
if (!existsSync(file)) {
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(rc === 0 ? 1 : rc);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
let failed = r.numFailedTests ?? 0;
// A suite that failed to load counts as a failure even when no test inside it ran.
if (failed === 0 && (r.numFailedTestSuites ?? 0) > 0) failed = r.numFailedTestSuites;
if (failed === 0 && rc !== 0) failed = 1;
console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed, ${skipped} skipped`);
process.exit(rc);
