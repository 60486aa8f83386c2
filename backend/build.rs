//! The migrations are embedded at compile time (`embed_migrations!`): a new migration folder must
//! rebuild the crate, which cargo only knows to do when told.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
