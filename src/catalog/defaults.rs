//! What every catalog gets, whether or not it lists it: AWS retirements the service data does not
//! carry. (Keys whose values are service principals are IAM vocabulary: `crate::iam::service_principals`.)

use super::Deprecation;
use crate::source::{Span, Spanned};

/// The actions every catalog retires, whether or not it lists them.
pub const DEFAULT_RETIRED_ACTIONS: [&str; 3] = [
    "aws-mcp:InvokeMcp",
    "aws-mcp:CallReadOnlyTool",
    "aws-mcp:CallReadWriteTool",
];

/// The retirements every catalog gets, whether or not it lists them.
pub fn default_deprecations() -> Vec<Deprecation> {
    const HINT: &str = "since 2026-03-24 the AWS MCP Server authorizes each call with the downstream service's own actions (for example `s3:GetObject`); grant those, and scope them to MCP with the `aws:ViaAWSMCPService` or `aws:CalledViaAWSMCP` condition keys";
    DEFAULT_RETIRED_ACTIONS
        .into_iter()
        .map(|a| Deprecation {
            action: Spanned::new(a.to_string(), Span::generated()),
            since: Some("2026-03-24".into()),
            hint: HINT.into(),
        })
        .collect()
}
