use super::*;
use crate::catalog::Catalog;
use crate::policy::Policy;
use crate::validate::Validator;

fn yaml(text: &str) -> (Arc<SourceFile>, Option<Vec<TemplatePolicy>>) {
    let file = SourceFile::new("t.yaml", text);
    let found = yaml_policies(file.text(), 0, &file).unwrap();
    (file, found)
}

fn policies(text: &str) -> Vec<TemplatePolicy> {
    yaml(text).1.expect("a template")
}

/// Every finding of every policy, as `code line:col`.
fn findings(text: &str) -> Vec<String> {
    let (file, found) = yaml(text);
    let catalog = Catalog::default();
    let validator = Validator::new(&catalog);
    let mut out = Vec::new();
    for p in found.expect("a template") {
        let read = Policy::read(&p.value, p.kind);
        let mut all = read.findings;
        all.extend(validator.policy(&read.value, p.kind));
        for f in all {
            let (line, col) = f
                .span
                .as_ref()
                .map(|s| file.line_col(s.range.start))
                .unwrap_or_default();
            out.push(format!("{} {line}:{col}", f.code.as_str()));
        }
    }
    out
}

const ROLE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::amzn-s3-demo-bucket/*
"#;

#[test]
fn a_role_has_a_trust_policy_and_inline_identity_policies() {
    let found = policies(ROLE);
    let names: Vec<(&str, PolicyKind)> = found
        .iter()
        .map(|p| (p.property.as_str(), p.kind))
        .collect();
    assert_eq!(
        names,
        [
            (
                "Resources.AppRole.Properties.Policies[0].PolicyDocument",
                PolicyKind::Identity
            ),
            (
                "Resources.AppRole.Properties.AssumeRolePolicyDocument",
                PolicyKind::Trust
            ),
        ]
    );
    assert_eq!(findings(ROLE), Vec::<String>::new());
}

#[test]
fn a_finding_points_at_the_yaml_line_and_column() {
    let text = ROLE.replace("Action: s3:GetObject", "Action: s3:GetObjekt");
    assert_eq!(findings(&text), ["invalid-action 19:25"]);
    let text = ROLE.replace(
        "Effect: Allow\n            Principal",
        "Effect: Alow\n            Principal",
    );
    assert_eq!(findings(&text), ["invalid-effect 9:21"]);
}

#[test]
fn spans_are_the_page_s_when_the_block_stands_inside_it() {
    // A template pasted in a page, after some prose: offsets and lines are the page's.
    let page = format!("# Title\n\n```yaml\n{ROLE}```\n");
    let start = page.find("AWSTemplate").unwrap();
    let end = page.rfind("```").unwrap();
    let file = SourceFile::new("page.md", page.as_str());
    let found = yaml_policies(&page[start..end], start, &file)
        .unwrap()
        .unwrap();
    let trust = &found[1].value;
    let effect = trust.get("Statement").unwrap();
    assert_eq!(file.line_col(effect.span.range.start), (12, 11));
}

#[test]
fn not_a_template_is_none() {
    assert!(yaml("a: 1\nb: [x]\n").1.is_none());
    assert!(yaml("Resources:\n  X:\n    Kind: Deployment\n").1.is_none());
    assert!(yaml("- just\n- a list\n").1.is_none());
    // Helm-style text that is not YAML and not a template: silent.
    let file = SourceFile::new("t.yaml", "a: {{ .Values.x }}\n");
    assert!(matches!(yaml_policies(file.text(), 0, &file), Ok(None)));
}

#[test]
fn a_template_that_is_not_yaml_is_a_located_error() {
    let text = "Resources:\n  R:\n    Type: AWS::SQS::Queue\n    Properties: [a, b\n";
    let file = SourceFile::new("t.yaml", text);
    let e = yaml_policies(file.text(), 0, &file).unwrap_err();
    assert_eq!(e.code, Code::YamlSyntax);
    let (line, _) = file.line_col(e.span.unwrap().range.start);
    assert!(line >= 4, "{line}");
}

#[test]
fn the_resources_section_pasted_alone_is_read() {
    let found = policies(
        "MyKey:\n  Type: AWS::KMS::Key\n  Properties:\n    KeyPolicy:\n      Version: 2012-10-17\n      Statement:\n        - Sid: Enable IAM User Permissions\n          Effect: Allow\n          Principal:\n            AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root\n          Action: kms:*\n          Resource: '*'\n",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, PolicyKind::Resource);
    assert_eq!(found[0].property, "MyKey.Properties.KeyPolicy");
    let principal = found[0].value.get("Statement").unwrap();
    let Kind::Array(items) = &principal.kind else {
        panic!()
    };
    let aws = items[0].get("Principal").unwrap().get("AWS").unwrap();
    assert_eq!(
        aws.as_str(),
        Some("arn:<AWS::Partition>:iam::<AWS::AccountId>:root")
    );
}

#[test]
fn every_resource_policy_kind_is_read() {
    let statement =
        "Statement: [{Effect: Allow, Principal: '*', Action: 'sqs:SendMessage', Resource: '*'}]";
    for (ty, prop) in [
        ("AWS::S3::BucketPolicy", "PolicyDocument"),
        ("AWS::SQS::QueuePolicy", "PolicyDocument"),
        ("AWS::SNS::TopicPolicy", "PolicyDocument"),
        ("AWS::KMS::Key", "KeyPolicy"),
        ("AWS::ECR::Repository", "RepositoryPolicyText"),
        ("AWS::SecretsManager::ResourcePolicy", "ResourcePolicy"),
        ("AWS::OpenSearchService::Domain", "AccessPolicies"),
    ] {
        let text = format!(
            "Resources:\n  X:\n    Type: {ty}\n    Properties:\n      {prop}: {{{statement}}}\n"
        );
        let found = policies(&text);
        assert_eq!(found.len(), 1, "{ty}");
        assert_eq!(found[0].kind, PolicyKind::Resource, "{ty}");
    }
    // The same property name on a type that holds no IAM policy is not read.
    let text = format!(
        "Resources:\n  X:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument: {{{statement}}}\n"
    );
    assert!(policies(&text).is_empty());
}

#[test]
fn the_table_names_each_resource_and_path_once() {
    for (i, a) in PROPERTIES.iter().enumerate() {
        assert!(a.resource.starts_with("AWS::"), "{}", a.resource);
        for b in &PROPERTIES[i + 1..] {
            assert!(
                a.resource != b.resource || a.path != b.path,
                "{} {:?}",
                a.resource,
                a.path
            );
        }
    }
}

#[test]
fn a_logs_resource_policy_string_is_read_at_its_own_lines() {
    let text = r#"Resources:
  P:
    Type: AWS::Logs::ResourcePolicy
    Properties:
      PolicyName: route53
      PolicyDocument: |
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "route53.amazonaws.com"},
            "Action": ["logs:CreateLogStream", "logs:PutLogEventz"],
            "Resource": "*"
          }]
        }
"#;
    assert_eq!(findings(text), ["invalid-action 12:48"]);
    // The same string written with escapes: the findings point at the string.
    let text = "Resources:\n  P:\n    Type: AWS::Logs::ResourcePolicy\n    Properties:\n      PolicyDocument: \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\": {\\\"Service\\\": \\\"route53.amazonaws.com\\\"}, \\\"Action\\\": \\\"logs:PutLogEventz\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n";
    assert_eq!(findings(text), ["invalid-action 5:23"]);
}

#[test]
fn a_json_string_built_with_sub_is_read() {
    let text = r#"Resources:
  P:
    Type: AWS::Logs::ResourcePolicy
    Properties:
      PolicyDocument: !Sub |
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "es.amazonaws.com"}, "Action": "logs:PutLogEvents",
          "Resource": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:x:*"}]}
"#;
    let found = policies(text);
    assert_eq!(found.len(), 1);
    let s = found[0].value.get("Statement").unwrap();
    let Kind::Array(items) = &s.kind else {
        panic!()
    };
    assert_eq!(
        items[0].get("Resource").unwrap().as_str(),
        Some("arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:x:*")
    );
}

#[test]
fn intrinsics_in_short_and_long_forms_are_placeholders() {
    let text = r#"Resources:
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !GetAtt Role.Arn
            Action: s3:GetObject
            Resource:
              - !Sub "arn:aws:s3:::${Bucket}/*"
              - !Join ["", ["arn:aws:s3:::", !Ref Bucket, "/home/${aws:username}/*"]]
              - Fn::Sub: arn:aws:s3:::${Bucket}/${!aws:username}
              - {"Fn::GetAtt": ["Bucket", "Arn"]}
"#;
    let found = policies(text);
    let s = found[0].value.get("Statement").unwrap();
    let Kind::Array(items) = &s.kind else {
        panic!()
    };
    let resources: Vec<&str> = match &items[0].get("Resource").unwrap().kind {
        Kind::Array(r) => r.iter().filter_map(Value::as_str).collect(),
        _ => panic!(),
    };
    assert_eq!(
        resources,
        [
            "arn:aws:s3:::<Ref:Bucket>/*",
            "arn:aws:s3:::<Ref:Bucket>/home/${aws:username}/*",
            "arn:aws:s3:::<Ref:Bucket>/${aws:username}",
            "<GetAtt:Bucket.Arn>",
        ]
    );
    let principal = items[0].get("Principal").unwrap().get("AWS").unwrap();
    assert_eq!(principal.as_str(), Some("<GetAtt:Role.Arn>"));
    // The placeholder's span is where the function is written.
    assert_eq!(principal.span.text(), "!GetAtt Role.Arn");
}

#[test]
fn statements_and_policies_an_intrinsic_yields_are_skipped() {
    let text = r#"Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !ImportValue SharedTrust
      Policies:
        - PolicyName: a
          PolicyDocument:
            Statement: !Ref Statements
        - PolicyName: b
          PolicyDocument:
            Statement:
              - !If [IsProd, {Effect: Allow, Action: s3:GetObject, Resource: "*"}, !Ref AWS::NoValue]
              - !FindInMap [Statements, !Ref Env, Extra]
              - Effect: Allow
                Action: !If [IsProd, s3:PutObject, !Ref AWS::NoValue]
                Resource: "*"
"#;
    let found = policies(text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].property,
        "Resources.R.Properties.Policies[1].PolicyDocument"
    );
    let Kind::Array(items) = &found[0].value.get("Statement").unwrap().kind else {
        panic!()
    };
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0].get("Action").unwrap().as_str(),
        Some("s3:GetObject")
    );
    assert_eq!(
        items[1].get("Action").unwrap().as_str(),
        Some("s3:PutObject")
    );
}

#[test]
fn sam_policies_read_inline_documents_only() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Policies:
        - AWSLambdaExecute
        - S3ReadPolicy:
            BucketName: !Ref Bucket
        - Statement:
            - Effect: Allow
              Action: s3:GetObjectt
              Resource: !Sub arn:${AWS::Partition}:s3:::${Bucket}/*
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: !GetAtt Fn.Arn
"#;
    let found = policies(text);
    let names: Vec<&str> = found.iter().map(|p| p.property.as_str()).collect();
    assert_eq!(
        names,
        [
            "Resources.Fn.Properties.Policies[2]",
            "Resources.Machine.Properties.Policies"
        ]
    );
    assert!(found.iter().all(|p| p.kind == PolicyKind::Identity));
    // SAM's inline statements have no `Version`, which IAM reads as 2008-10-17.
    let all = findings(text);
    assert!(all.contains(&"invalid-action 13:23".to_string()), "{all:?}");
    assert!(
        all.contains(&"missing-version 11:11".to_string()),
        "{all:?}"
    );
}

#[test]
fn json_templates_are_read_the_same_way() {
    let text = r#"{
  "Resources": {
    "Queue": {"Type": "AWS::SQS::Queue"},
    "QueuePolicy": {
      "Type": "AWS::SQS::QueuePolicy",
      "Properties": {
        "Queues": [{"Ref": "Queue"}],
        "PolicyDocument": {
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}
          }]
        }
      }
    }
  }
}"#;
    let file = SourceFile::new("t.json", text);
    let doc = crate::json::parse(&file).unwrap();
    assert!(is_template(&doc));
    let found = json_policies(&doc).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, PolicyKind::Resource);
    let Kind::Array(items) = &found[0].value.get("Statement").unwrap().kind else {
        panic!()
    };
    let resource = items[0].get("Resource").unwrap();
    assert_eq!(resource.as_str(), Some("<GetAtt:Queue.Arn>"));
    assert_eq!(file.line_col(resource.span.range.start), (13, 25));
    // A policy document is not a template.
    let policy = crate::json::parse(&SourceFile::new(
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": []}"#,
    ))
    .unwrap();
    assert!(json_policies(&policy).is_none());
}

#[test]
fn a_json_string_in_a_json_template_is_reported_at_the_string() {
    let text = r#"{"Resources": {"P": {"Type": "AWS::Logs::ResourcePolicy", "Properties": {
  "PolicyName": "p",
  "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"es.amazonaws.com\"}, \"Action\": \"logs:PutLogEvents\", \"Resource\": \"*\"}]}"
}}}}"#;
    let file = SourceFile::new("t.json", text);
    let doc = crate::json::parse(&file).unwrap();
    let found = json_policies(&doc).unwrap();
    assert_eq!(found.len(), 1);
    let Kind::Array(items) = &found[0].value.get("Statement").unwrap().kind else {
        panic!()
    };
    let action = items[0].get("Action").unwrap();
    assert_eq!(action.as_str(), Some("logs:PutLogEvents"));
    assert_eq!(file.line_col(action.span.range.start), (3, 21));
    // A string that is not JSON is not a policy to check.
    let text = r#"{"Resources": {"P": {"Type": "AWS::Logs::ResourcePolicy", "Properties": {"PolicyDocument": "see below"}}}}"#;
    let doc = crate::json::parse(&SourceFile::new("t.json", text)).unwrap();
    assert_eq!(json_policies(&doc).unwrap().len(), 0);
}

#[test]
fn a_mapping_of_other_things_is_not_a_template() {
    // Entries with a `Type` that is not AWS's are not a `Resources` section.
    assert!(yaml("a:\n  Type: string\nb:\n  Type: number\n").1.is_none());
    // A `Resources` mapping without a single AWS type is not a template.
    assert!(
        yaml("Resources:\n  a:\n    Type: Custom::Thing\n")
            .1
            .is_none()
    );
}
