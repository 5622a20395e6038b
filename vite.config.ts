import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The renderer, built once and loaded by both Electron (app://) and the Node host (http://127.0.0.1).
export default defineConfig({
  root: "src-renderer",
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../dist/renderer",
    emptyOutDir: true,
    target: "chrome130",
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
