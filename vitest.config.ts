import { configDefaults, defineConfig } from "vitest/config";

// One runner for every suite; `scripts/test.sh` runs them and sums the results.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src-shared/**/*.test.ts", "src-main/**/*.test.ts", "bench/**/*.test.ts", "scripts/**/*.test.ts", "pbx-config/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        // Some server suites boot a real Asterisk or PostgreSQL: slower hooks under load.
        test: { name: "server", include: ["src-server/**/*.test.ts"], environment: "node", hookTimeout: 60_000, testTimeout: 30_000 },
      },
      {
        test: { name: "renderer", include: ["src-renderer/**/*.test.{ts,tsx}"], environment: "jsdom", setupFiles: ["src-renderer/test-setup.ts"] },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "e2e/scale/**"],
          environment: "node",
          globalSetup: ["e2e/support/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The scale topology (scripts/scale.sh): scripts/test.sh runs its CI set; `npx vitest run --project scale` runs all.
        test: {
          name: "scale",
          include: ["e2e/scale/**/*.test.ts"],
          environment: "node",
          globalSetup: ["e2e/support/scale-global-setup.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
