/**
 * The page's code: local/console-ui/main.ts (and the CSS it imports) bundled by esbuild in memory, once per
 * process (at `npm start`, or on the first request for it), served at /console/app.js and /console/app.css.
 * Nothing is written to disk.
 */
import { fileURLToPath } from 'node:url';

export interface ConsoleBundle {
  js: string;
  css: string;
  /** Build time in ms. */
  ms: number;
}

const ENTRY = fileURLToPath(new URL('../console-ui/main.ts', import.meta.url));

let building: Promise<ConsoleBundle> | undefined;

/** Builds the bundle (once; later calls share the result). Rejects with esbuild's messages. */
export function buildConsoleBundle(): Promise<ConsoleBundle> {
  building ??= (async () => {
    const started = performance.now();
    // esbuild is a devDependency: `npm start` runs from a full install; loaded only when the console is on.
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: ['es2022'],
      minify: true,
      legalComments: 'none',
      outdir: 'console',
      entryNames: 'app',
      logLevel: 'silent',
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
    const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
    return { js, css, ms: Math.round(performance.now() - started) };
  })();
  building.catch(() => {
    building = undefined; // a failed build is retried on the next request
  });
  return building;
}

/** The page: a shell the bundle fills in. */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>qc-slack console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/app.css">
<script type="module" src="/console/app.js"></script>
</head>
<body>
<noscript>The qc-slack console needs JavaScript.</noscript>
<div id="app" aria-busy="true"></div>
</body>
</html>
`;
