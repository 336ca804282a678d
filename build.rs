//! The message catalogue is read when the crate is compiled: a change to `locales/`
//! rebuilds it.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
