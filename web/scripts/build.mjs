// npm run build: copies the pages, styles and modules into dist/ with SignalR's browser bundle beside them.
// No bundler: the pages load plain ES modules. Output layout (what the server serves from Web:Root):
//   dist/index.html, dist/kiosk.html, dist/css/*.css, dist/js/*.js, dist/js/signalr.min.js
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const signalr = join(root, 'node_modules', '@microsoft', 'signalr', 'dist', 'browser', 'signalr.min.js');

if (!existsSync(signalr)) {
  console.error(`missing ${signalr}: run "npm ci" first`);
  process.exit(1);
}

// Build into a fresh folder and swap, so a server serving dist/ never sees a half-written tree.
const staging = join(root, 'dist.tmp');
rmSync(staging, { recursive: true, force: true });
mkdirSync(join(staging, 'js'), { recursive: true });
mkdirSync(join(staging, 'css'), { recursive: true });

let files = 0;
for (const name of readdirSync(src)) {
  const from = join(src, name);
  if (name.endsWith('.html')) {
    cpSync(from, join(staging, name));
  } else if (name.endsWith('.js')) {
    cpSync(from, join(staging, 'js', name));
  } else if (name === 'css') {
    cpSync(from, join(staging, 'css'), { recursive: true });
  } else {
    continue;
  }

  files++;
}

cpSync(signalr, join(staging, 'js', 'signalr.min.js'));
const { version } = JSON.parse(
  readFileSync(join(root, 'node_modules', '@microsoft', 'signalr', 'package.json'), 'utf8'));
writeFileSync(join(staging, 'build.json'), JSON.stringify({ signalr: version, builtAt: new Date().toISOString() }, null, 2) + '\n');

rmSync(dist, { recursive: true, force: true });
cpSync(staging, dist, { recursive: true });
rmSync(staging, { recursive: true, force: true });
console.log(`web: ${files} sources + signalr ${version} -> ${dist}`);
