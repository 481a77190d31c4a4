/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Routes are lazy-loaded, so each page is its own chunk; vendor code that every page needs is grouped so the
// initial download stays small and cacheable.
export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1", port: Number(process.env.PERKS_DAPP_PORT ?? 5173), strictPort: true },
  preview: { host: "127.0.0.1", port: Number(process.env.PERKS_DAPP_PORT ?? 5173), strictPort: true },
  build: { target: "es2022", sourcemap: false, chunkSizeWarningLimit: 800 },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
