// npm 11 on Linux leaves other platforms' optional native packages out of package-lock.json,
// and `npm ci` then refuses the lock as out of sync. This adds the missing entries (as optional,
// with their os/cpu from the registry) so `npm ci` works everywhere. Run after `npm install`:
//   node .ci/fix-lock.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

// The registry reachable here mirrors only some platforms' builds; for the others we record
// name, version and platform (from the package name) so npm ci skips them on this platform.
function view(name, range) {
  try {
    const meta = JSON.parse(execFileSync('npm', ['view', `${name}@${range}`, '--json', 'version', 'dist', 'os', 'cpu', 'license', 'libc'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return Array.isArray(meta) ? meta[meta.length - 1] : meta;
  } catch {
    return undefined;
  }
}

function guess(name, range) {
  const plat = name.split('/').pop();
  const os = ['darwin', 'win32', 'linux', 'freebsd', 'android'].find((o) => plat.includes(o));
  const cpu = plat.includes('universal') ? ['x64', 'arm64'] : [['arm64', 'arm64'], ['x64', 'x64'], ['arm', 'arm'], ['ia32', 'ia32']].filter(([k]) => plat.endsWith(`-${k}`) || plat.includes(`-${k}-`)).map(([, v]) => v);
  if (!os || cpu.length === 0) throw new Error(`cannot infer the platform of ${name}`);
  return { version: range.replace(/^[\^~]/, ''), os: [os], cpu };
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(pkgs)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (pkgs[key]) continue;
    const m = view(name, range) ?? guess(name, range);
    pkgs[key] = {
      version: m.version,
      ...(m.dist ? { resolved: m.dist.tarball, integrity: m.dist.integrity } : {}),
      ...(m.cpu ? { cpu: [].concat(m.cpu) } : {}),
      ...(m.license ? { license: m.license } : {}),
      optional: true,
      ...(m.os ? { os: [].concat(m.os) } : {}),
      ...(m.libc ? { libc: [].concat(m.libc) } : {}),
    };
    added++;
    console.log(`added ${key}@${m.version} (needed by ${path || 'root'})`);
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} entries added`);
