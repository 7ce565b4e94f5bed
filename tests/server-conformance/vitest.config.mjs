// Runs the published suite through our runner (conformance-runner.mjs, which switches the subscription group
// on) with the suite's 60 s per-test timeout, and writes JSON results for run.sh to compare with known-failures.txt.
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["conformance-runner.mjs"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    exclude: [],
  },
})
