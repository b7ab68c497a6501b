//! graphql_client reads the schema inside its derive macro, which cargo does not track:
//! without this, a changed schema would not recompile the operations checked against it.

fn main() {
    println!("cargo::rerun-if-changed=../../schema/supergraph.graphql");
}
