import { defineConfig } from 'vitest/config';

// .ci/run sets VITEST_JSON_REPORT to read the totals; locally only the default reporter runs.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Node 20 here, Node 22 on Lambda: the AWS SDK's "upgrade Node" notice (once per process, 27 times
    // a run) is noise, as in `npm start` and .ci/run. Set in the workers, so children inherit it too.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
