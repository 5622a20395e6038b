// Sums Vitest JSON reports into the one closing line CI reads: "N passed, N failed".
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    // A suite that failed to load counts as a failure even with no test in it.
    failed += report.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
  } catch (error) {
    console.error(`cannot read ${file}: ${error.message}`);
    failed += 1;
  }
}
// Checks outside Vitest (typecheck, lint, build, Electronegativity) that failed, counted by test.sh.
const failedChecks = Number(process.env.FAILED_CHECKS ?? 0);
if (failedChecks > 0) console.log(`${failedChecks} check(s) outside the test suites failed (see "FAILED" above)`);
failed += failedChecks;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
