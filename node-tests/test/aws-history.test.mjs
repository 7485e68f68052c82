// Pins the rules tools/aws-data/history.mjs applies when it writes the snapshot's history and
// service principals: what counts as retired, when a successor is obvious, which strings count as
// service principals.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  derivedFromPrefixes,
  globalServicePrincipal,
  managedPolicyServicePrincipals,
  retired,
  versionDate,
} from "../../tools/aws-data/history.mjs";

// A version of the data: { prefix: [actions, keys] }.
function version(name, services) {
  const map = new Map();
  for (const [prefix, [actions, keys = []]] of Object.entries(services)) {
    map.set(prefix, {
      name: prefix.toUpperCase(),
      actions: new Map(actions.map((a) => [a.toLowerCase(), a])),
      keys: new Map(keys.map(([k, t]) => [k.toLowerCase(), [k, t]])),
    });
  }
  return { version: name, date: "2025-01-01", services: map };
}

test("the data date comes from updatedAt, else from the version number", () => {
  assert.equal(versionDate({ version: "0.9.202502131", updatedAt: "2025-02-13T04:44:21.587Z" }), "2025-02-13");
  assert.equal(versionDate({ version: "0.2.202408312" }), "2024-08-31");
  assert.throws(() => versionDate({ version: "1.0.0" }));
});

test("what earlier versions listed and the current one lacks is retired, with the last version that listed it", () => {
  const v0 = version("a", { old: [["Get", "Put"], [["old:Mode", "String"]]], s3: [["GetObject", "GetObjectOld"]] });
  const v1 = version("b", { s3: [["GetObject", "GetObjectOld"]] });
  const now = version("c", { s3: [["GetObject"], [["s3:prefix", "String"]]] });
  const gone = retired(now, [v0, v1]);
  assert.deepEqual(gone.services, [{ prefix: "old", name: "OLD", last: 0, successor: "" }]);
  assert.deepEqual(
    gone.actions.map((a) => [`${a.prefix}:${a.action}`, a.last]),
    [
      ["old:Get", 0],
      ["old:Put", 0],
      ["s3:GetObjectOld", 1],
    ],
  );
  assert.deepEqual(gone.keys, [{ key: "old:Mode", type: "String", last: 0, successor: "" }]);
  // A key the current data defines elsewhere (a global key, say) is not retired.
  assert.deepEqual(retired(now, [v0], new Set(["old:mode"])).keys, []);
});

test("a renamed prefix is the successor of a retired service, and its actions follow", () => {
  const before = version("a", { zocalo: [["Describe", "Create", "Delete", "Update"], [["zocalo:Tag", "String"]]] });
  const now = version("b", { workdocs: [["Describe", "Create", "Delete", "Update", "New"], [["workdocs:Tag", "String"]]] });
  const gone = retired(now, [before]);
  assert.equal(gone.services[0].successor, "workdocs");
  assert.deepEqual(
    gone.actions.map((a) => a.successor),
    ["workdocs:Create", "workdocs:Delete", "workdocs:Describe", "workdocs:Update"],
  );
  assert.equal(gone.keys[0].successor, "workdocs:Tag");
});

test("no successor when the overlap is small, the service tiny, or two candidates tie", () => {
  const before = version("a", { old: [["A", "B", "C", "D", "E"]], tiny: [["A", "B"]] });
  const partial = version("b", { other: [["A", "B", "X", "Y"]] });
  assert.deepEqual(
    retired(partial, [before]).services.map((s) => s.successor),
    ["", ""],
  );
  const tie = version("b", { one: [["A", "B", "C", "D", "E"]], two: [["A", "B", "C", "D", "E"]] });
  assert.equal(retired(tie, [before]).services[0].successor, "");
  // A prefix that already existed when the old one was last listed is no rename.
  const both = version("a", { old: [["A", "B", "C"]], other: [["A", "B", "C"]] });
  assert.equal(retired(version("b", { other: [["A", "B", "C"]] }), [both]).services[0].successor, "");
});

test("service principals in their global form", () => {
  assert.equal(globalServicePrincipal("ec2.amazonaws.com"), "ec2.amazonaws.com");
  assert.equal(globalServicePrincipal("logs.us-east-1.amazonaws.com"), "logs.amazonaws.com");
  assert.equal(globalServicePrincipal("ec2.amazonaws.com.cn"), "ec2.amazonaws.com");
  assert.equal(globalServicePrincipal("pods.eks.amazonaws.com"), "pods.eks.amazonaws.com");
  assert.equal(globalServicePrincipal("*.amazonaws.com"), undefined);
  assert.equal(globalServicePrincipal("sgp.eks.amazonaws.com/vlan-id"), undefined);
  assert.equal(globalServicePrincipal("arn:aws:s3:::b"), undefined);
  assert.ok(derivedFromPrefixes("pods.eks.amazonaws.com", new Set(["eks"])));
  assert.ok(!derivedFromPrefixes("ecs-tasks.amazonaws.com", new Set(["ecs"])));
});

test("managed policies attest service principals in conditions and service-linked role paths, current versions only", () => {
  const doc = (statement) => ({ Version: "2012-10-17", Statement: statement });
  const policies = {
    A: {
      latestVersionId: "v2",
      versions: {
        v1: { document: doc([{ Condition: { StringEquals: { "iam:PassedToService": "typo.amazon.com" } } }]) },
        v2: {
          document: doc([
            { Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "*.amazonaws.com"] } } },
            { Resource: "arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot" },
            { Resource: "arn:aws:s3:::not-a-principal.amazonaws.com" },
            { Condition: { StringLike: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } },
          ]),
        },
      },
    },
  };
  assert.deepEqual(managedPolicyServicePrincipals(policies), ["ecs-tasks.amazonaws.com", "s3.amazonaws.com", "spot.amazonaws.com"]);
});
