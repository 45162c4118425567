//! Links the `dossier` binary as a position-dependent executable (`-no-pie`). A
//! position-independent one carries 41,000 relative relocations that the loader applies
//! at every start, writing (and so copying) about 200 pages: about an eighth of the CPU
//! of a one-shot `dossier search`. Only this package's binaries are affected, not tests or libraries.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
