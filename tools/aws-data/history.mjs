// What refresh.mjs adds to the snapshot beyond the current data: the services, actions and
// condition keys that earlier versions of the data listed and the current one no longer does,
// and the service principals AWS's own managed policies name. Pure functions over plain data,
// so that node-tests/test/aws-history.test.mjs can pin the rules on small inputs.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const lower = (s) => s.toLowerCase();

/** The data date of a package version: its `updatedAt` field, else the date its version encodes
 * (`0.2.202408312` is the second build of 2024-08-31; the first releases had no `updatedAt`). */
export function versionDate(pkg) {
  if (typeof pkg.updatedAt === 'string') {
    const d = new Date(pkg.updatedAt);
    if (!Number.isNaN(d.getTime())) return d.toISOString().slice(0, 10);
  }
  const m = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})\d+$/.exec(String(pkg.version));
  if (!m) throw new Error(`cannot tell the data date of version ${pkg.version}`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** One version of the package's data, read from its JSON files (the layout is the same in every
 * version: data/services.json, data/serviceNames.json, data/actions/P.json,
 * data/conditionKeys/P.json), as
 * `{ version, date, services: Map(prefix -> { name, actions: Map(lower -> Name), keys: Map(lower -> [Key, type]) }) }`. */
export function readVersion(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const data = (...parts) => {
    const path = join(dir, 'data', ...parts);
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  };
  const names = data('serviceNames.json');
  const services = new Map();
  for (const prefix of data('services.json')) {
    const actions = new Map(Object.entries(data('actions', `${prefix}.json`)).map(([a, info]) => [lower(a), info?.name ?? a]));
    const keys = new Map(
      Object.entries(data('conditionKeys', `${prefix}.json`)).map(([k, info]) => [lower(k), [info?.key ?? k, info?.type ?? 'Unknown']]),
    );
    services.set(prefix, { name: String(names[prefix] ?? prefix).replace(/\s+/g, ' ').trim(), actions, keys });
  }
  return { version: pkg.version, date: versionDate(pkg), services };
}

// A retired service's successor is a prefix that appeared after the retired one was last listed
// and carries at least this share of its actions, under the same names (a renamed prefix). Fewer
// actions than SUCCESSOR_MIN_ACTIONS say too little to call it a rename.
export const SUCCESSOR_SHARE = 0.8;
export const SUCCESSOR_MIN_ACTIONS = 3;

/**
 * What `earlier` versions (oldest first) listed and `current` does not, each with the index (in
 * `earlier`) of the last version that listed it and, where the data makes one obvious, a successor:
 *
 * - services: `{ prefix, name, last, successor }` (successor: a prefix, or '');
 * - actions: `{ prefix, action, last, successor }` for every action no longer listed under its
 *   prefix, retired services' actions included (successor: `prefix:Action` under the service's
 *   successor, when that service lists the same name);
 * - keys: `{ key, type, last, successor }` for service condition keys that no current service
 *   lists (successor likewise under the service's successor); `alsoKnown` holds other key names
 *   (lower-cased) the current data defines, such as the global keys.
 */
export function retired(current, earlier, alsoKnown = new Set()) {
  const lastIndex = (test) => {
    for (let i = earlier.length - 1; i >= 0; i--) if (test(earlier[i])) return i;
    return -1;
  };
  const currentKeys = new Set(alsoKnown);
  for (const s of current.services.values()) for (const k of s.keys.keys()) currentKeys.add(k);

  const successorOf = new Map();
  const services = [];
  const gonePrefixes = new Set();
  for (const v of earlier) for (const p of v.services.keys()) if (!current.services.has(p)) gonePrefixes.add(p);
  for (const prefix of [...gonePrefixes].sort()) {
    const last = lastIndex((v) => v.services.has(prefix));
    const then = earlier[last];
    const old = then.services.get(prefix);
    let successor = '';
    if (old.actions.size >= SUCCESSOR_MIN_ACTIONS) {
      const scored = [];
      for (const [q, s] of current.services) {
        if (then.services.has(q)) continue;
        let shared = 0;
        for (const a of old.actions.keys()) if (s.actions.has(a)) shared++;
        const share = shared / old.actions.size;
        if (share >= SUCCESSOR_SHARE) scored.push([share, q]);
      }
      scored.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
      // Only a clear winner counts: two equally good candidates are no obvious successor.
      if (scored.length === 1 || (scored.length > 1 && scored[0][0] > scored[1][0])) successor = scored[0][1];
    }
    if (successor) successorOf.set(prefix, successor);
    services.push({ prefix, name: old.name, last, successor });
  }

  const actions = [];
  const keys = new Map();
  const allPrefixes = new Set();
  for (const v of earlier) for (const p of v.services.keys()) allPrefixes.add(p);
  for (const prefix of [...allPrefixes].sort()) {
    const now = current.services.get(prefix);
    const next = successorOf.get(prefix);
    const nextService = next ? current.services.get(next) : undefined;
    const seen = new Map(); // lower-cased action -> spelling of the last version listing it
    for (const v of earlier) for (const [l, a] of v.services.get(prefix)?.actions ?? []) seen.set(l, a);
    for (const [l, action] of [...seen].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
      if (now?.actions.has(l)) continue;
      const last = lastIndex((v) => v.services.get(prefix)?.actions.has(l) ?? false);
      const successor = nextService?.actions.has(l) ? `${next}:${nextService.actions.get(l)}` : '';
      actions.push({ prefix, action, last, successor });
    }
    for (const v of earlier) {
      for (const [l, [key, type]] of v.services.get(prefix)?.keys ?? []) {
        if (currentKeys.has(l)) continue;
        const last = lastIndex((w) => w.services.get(prefix)?.keys.has(l) ?? false);
        let successor = '';
        const name = key.slice(key.indexOf(':') + 1);
        if (nextService && lower(key).startsWith(`${prefix}:`)) {
          const moved = nextService.keys.get(lower(`${next}:${name}`));
          if (moved) successor = moved[0];
        }
        const had = keys.get(l);
        if (!had || had.last <= last) keys.set(l, { key, type, last, successor });
      }
    }
  }
  return { services, actions, keys: [...keys.values()].sort((a, b) => (lower(a.key) < lower(b.key) ? -1 : 1)) };
}

const SERVICE_DOMAIN = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.(amazonaws\.com(?:\.cn)?|amazon\.com)$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

/** `logs.us-east-1.amazonaws.com` -> `logs.amazonaws.com`; `ec2.amazonaws.com.cn` ->
 * `ec2.amazonaws.com`; anything not shaped like a service principal -> undefined. */
export function globalServicePrincipal(text) {
  const m = SERVICE_DOMAIN.exec(text);
  if (!m) return undefined;
  const labels = m[1].split('.');
  if (labels.length > 1 && REGION.test(labels[labels.length - 1])) labels.pop();
  if (labels.some((l) => REGION.test(l))) return undefined;
  const domain = m[2] === 'amazon.com' ? 'amazon.com' : 'amazonaws.com';
  return `${labels.join('.')}.${domain}`;
}

/** Whether the reader derives `principal` from the service prefixes alone: `P.amazonaws.com` and
 * `sub.P.amazonaws.com` for a service prefix P (the rule mdbook-iam applies; see
 * src/iam/service_principals.rs). */
export function derivedFromPrefixes(principal, prefixes) {
  if (!principal.endsWith('.amazonaws.com')) return false;
  const labels = principal.slice(0, -'.amazonaws.com'.length).split('.');
  return prefixes.has(labels[labels.length - 1]);
}

/** Service principals that AWS managed policies name (the current version of each; older
 * versions keep mistakes AWS has since fixed, such as `events.amazon.com`): condition
 * values shaped like a service principal (the keys that hold them, such as
 * `iam:PassedToService`, `iam:AWSServiceName` and `kms:ViaService`, take nothing else of that
 * shape) and the principal in a service-linked role's path
 * (`arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/...`), under amazonaws.com. Returned
 * in their global form, sorted. */
export function managedPolicyServicePrincipals(policies) {
  const found = new Set();
  const visit = (value, inCondition) => {
    if (typeof value === 'string') {
      const role = /:role\/aws-service-role\/([^/*?]+)\//.exec(value);
      const sp = globalServicePrincipal(role ? role[1] : inCondition ? value : '');
      if (sp?.endsWith('.amazonaws.com')) found.add(sp);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, inCondition);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, inCondition || k === 'Condition');
    }
  };
  for (const entry of Object.values(policies)) visit(entry.versions?.[entry.latestVersionId]?.document, false);
  return [...found].sort();
}
