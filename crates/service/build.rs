//! `sqlx::migrate!` embeds the migrations when this crate compiles; a migration added since
//! would be missing from an incremental build without this.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
