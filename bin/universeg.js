#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm ci` (prepare) or `npm run build`.
import('../dist/core/cli.js')
  .then((m) => m.main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
