#!/usr/bin/env node
// The npm registry mirror of our build machines serves only the Linux builds of some platform-specific
// packages (@swc/core-*, @unrs/resolver-binding-*). `npm install` there leaves the other platforms'
// optional packages out of package-lock.json, and `npm ci` then refuses the lockfile as out of sync.
// This adds the missing optional entries the way npm writes them with a full registry (name, version,
// os/cpu, optional), so `npm ci` works here and on every platform. Run it after `npm install` changes
// the lockfile:  node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'openbsd', 'netbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  const entry = {};
  if (os) entry.os = [os];
  if (cpu) entry.cpu = [cpu];
  if (parts.includes('musl') || parts.includes('musleabihf')) entry.libc = ['musl'];
  else if (os === 'linux' && (parts.includes('gnu') || parts.includes('gnueabihf'))) entry.libc = ['glibc'];
  return entry;
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path === '' ? 'node_modules' : `${path.replace(/\/node_modules\/[^/]+(\/[^/]+)?$/, '')}/node_modules`;
    const candidates = [`${path}/node_modules/${dep}`, `node_modules/${dep}`, `${base}/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    const version = range.replace(/^[\^~=]/, '');
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    packages[`node_modules/${dep}`] = { version, ...platformOf(dep), dev: meta.dev || undefined, optional: true };
    added += 1;
  }
}
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`package-lock.json: added ${added} optional platform package entr${added === 1 ? 'y' : 'ies'}\n`);
