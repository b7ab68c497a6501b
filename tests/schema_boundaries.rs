//! Each subgraph writes only its own Postgres schema. The two exceptions the architecture names
//! (the audit log and the outbox, written in the changing transaction, and the user row the
//! service crate provisions from a verified token) are written by `makrx_service` or by the
//! owning schema's SQL functions, never by a subgraph's own statements. Reading another
//! schema is allowed (the events service asks `makrcave.may_see_space`); writing is not.

use std::path::Path;

/// Each subgraph and the one schema it owns.
const OWNERS: [(&str, &str); 4] = [
    ("identity", "shared"),
    ("makrcave", "makrcave"),
    ("store", "store"),
    ("events", "events"),
];

/// The tables a statement in `sql` writes, as `schema.table` (one of our schemas: Rust such as
/// `map.insert(...)` or `.update(x.id)` names none).
fn written_tables(sql: &str) -> Vec<String> {
    let words: Vec<String> = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words
        .windows(3)
        .filter_map(
            |window| match [&window[0][..], &window[1][..], &window[2][..]] {
                ["insert", "into", table] | ["delete", "from", table] => Some(table.to_owned()),
                ["update", table, _] => Some(table.to_owned()),
                _ => None,
            },
        )
        .filter(|table| {
            table.split_once('.').is_some_and(|(schema, name)| {
                !name.is_empty() && OWNERS.iter().any(|(_, owned)| *owned == schema)
            })
        })
        .collect()
}

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn the_reader_finds_each_kind_of_write() {
    let sql = "insert into makrcave.skills (id) values ($1);
               UPDATE shared.users SET name = $1; delete from events.outbox where seq < $1;
               select * from makrcave.makerspaces; grants.update(skill.id);";
    assert_eq!(
        written_tables(sql),
        ["makrcave.skills", "shared.users", "events.outbox"]
    );
}

#[test]
fn each_subgraph_writes_only_its_own_schema() {
    let mut crossings = Vec::new();
    for (subgraph, schema) in OWNERS {
        let mut files = Vec::new();
        rust_files(
            &makrx::project_dir()
                .join("subgraphs")
                .join(subgraph)
                .join("src"),
            &mut files,
        );
        assert!(!files.is_empty(), "{subgraph} has sources");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable source");
            for table in written_tables(&text) {
                if !table.starts_with(&format!("{schema}.")) {
                    crossings.push(format!("{} writes {table}", file.display()));
                }
            }
        }
    }
    assert!(crossings.is_empty(), "{}", crossings.join("\n"));
}
