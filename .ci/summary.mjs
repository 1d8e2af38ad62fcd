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
// Name the files that failed, so a red run says where to look (a crashed worker leaves its file without results).
for (const f of r.testResults ?? []) {
  if (f.status !== 'passed') console.log(`failed file: ${f.name} (${f.status}) ${String(f.message ?? '').split('\n')[0].slice(0, 200)}`);
}
if (rc !== 0 && (r.numTotalTestSuites ?? 0) > (r.testResults ?? []).length) {
  console.log(`${r.numTotalTestSuites - r.testResults.length} test file(s) reported no results (a worker exited: see "Unhandled Errors" above)`);
}
console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed, ${skipped} skipped`);
process.exit(rc);
