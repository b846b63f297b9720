//! The identity of the code that builds tree indexes: a hash of the sources of this crate
//! and of the scanner it uses, so that an index kept by other code is not used.

include!("source_id.rs");

fn main() {
    source_id(&["src", "../patch/src"]);
}
