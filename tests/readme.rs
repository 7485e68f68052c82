//! The README's code table is generated from the code table in `src/diagnostic.rs`, so the two
//! cannot drift. `UPDATE_README=1 cargo test --test readme` rewrites it.

mod common;

use mdbook_iam::diagnostic::{Code, Severity};

fn table() -> String {
    let mut out =
        String::from("| code | severity | Access Analyzer | meaning |\n|---|---|---|---|\n");
    for c in Code::ALL {
        let sev = match c.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let aa = c
            .access_analyzer()
            .map(|a| format!("`{a}`"))
            .unwrap_or_default();
        out.push_str(&format!(
            "| `{}` | {sev} | {aa} | {} |\n",
            c.as_str(),
            c.summary().replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn readme_lists_every_code() {
    let path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- codes:begin -->\n", "<!-- codes:end -->");
    let start = readme.find(begin).expect("codes:begin marker") + begin.len();
    let stop = readme.find(end).expect("codes:end marker");
    let want = table();
    if readme[start..stop] != want {
        if std::env::var_os("UPDATE_README").is_some() {
            std::fs::write(
                &path,
                format!("{}{want}{}", &readme[..start], &readme[stop..]),
            )
            .unwrap();
        } else {
            panic!(
                "README.md's code table is out of date; run `UPDATE_README=1 cargo test --test readme`"
            );
        }
    }
}
