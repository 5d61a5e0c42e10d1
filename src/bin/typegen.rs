//! Writes the npm package's TypeScript declarations, generated from the operation tables.
//! Usage: `kassa-typegen <out.d.ts>` (or stdout without an argument).

fn main() {
    let text = kassa::typescript::package();
    match std::env::args().nth(1) {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("kassa-typegen: cannot write {path}: {e}");
                std::process::exit(1);
            }
        }
        None => print!("{text}"),
    }
}
