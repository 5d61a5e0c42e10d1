//! Writes the npm package's generated files from the registry (src/npm.rs): each entry's
//! JavaScript, `.d.ts` and `describe` catalog, and the registry metadata.
//!
//!   kassa-typegen <dist-dir>    write every generated file under <dist-dir>
//!   kassa-typegen --entries     one line per entry, for scripts/build.sh: `<name> <features>`
//!                               (`default` for the root entry, which has every feature)

#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;

/// The generator runs natively; a wasm32 build (the wasm tests build every target) has nothing to do.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let arg = std::env::args().nth(1);
    match arg.as_deref() {
        Some("--entries") => {
            for entry in kassa::npm::entries() {
                println!("{} {}", entry.name, entry.features.unwrap_or("default"));
            }
        }
        Some(dir) if !dir.starts_with('-') => {
            for file in kassa::npm::files() {
                let path = Path::new(dir).join(&file.path);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &file.text));
                if let Err(e) = written {
                    eprintln!("kassa-typegen: cannot write {}: {e}", path.display());
                    std::process::exit(1);
                }
            }
        }
        _ => {
            eprintln!("usage: kassa-typegen <dist-dir> | --entries");
            std::process::exit(2);
        }
    }
}
