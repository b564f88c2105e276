//! Short names for the page's imports from its wasm-bindgen glue.
//!
//! wasm-bindgen names each import after its Rust binding and a hash
//! (`__wbg_remove_b28d816f9e896ff9`), and the glue spells every name again as
//! the key of the function it provides. Two hundred such names are 7 kB in the
//! wasm and as much in the glue, and their hashes do not compress: 5.8 kB of
//! the first load, gzipped (issue 12). The names mean nothing to the browser,
//! so the wasm and the glue get the same short ones here, before wasm-opt and
//! esbuild run.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs;
use std::path::Path;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasmparser::{Parser, Payload};

use crate::proc::Result;

/// Renames every import of `wasm` from `module` (the glue's own module name)
/// and the glue's key for it in `js`, both in place. Each name must be the
/// key of exactly one thing in the glue: anything else means wasm-bindgen's
/// glue changed shape, and the build stops rather than guess.
pub fn shorten(wasm: &Path, js: &Path, module: &str) -> Result<usize> {
    let bytes = fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let mut glue =
        fs::read_to_string(js).map_err(|e| format!("cannot read {}: {e}", js.display()))?;
    let (bytes, renamed) = rename_imports(&bytes, module)?;
    for (old, new) in &renamed {
        glue = replace_identifier(&glue, old, new).map_err(|count| {
            format!(
                "{}: the import {old} occurs {count} times, not once",
                js.display()
            )
        })?;
    }
    fs::write(wasm, bytes).map_err(|e| format!("cannot write {}: {e}", wasm.display()))?;
    fs::write(js, glue).map_err(|e| format!("cannot write {}: {e}", js.display()))?;
    Ok(renamed.len())
}

/// Old and new names, in the order of the imports.
type Renaming = Vec<(String, String)>;

/// The module with its imports from `module` renamed to short names, and the
/// renaming. Every other section is copied as it is.
fn rename_imports(wasm: &[u8], module: &str) -> Result<(Vec<u8>, Renaming)> {
    let fail = |e: wasmparser::BinaryReaderError| format!("cannot read the page's wasm: {e}");
    let mut out = wasm_encoder::Module::new();
    let mut renamed = Renaming::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(fail)?;
        if let Payload::ImportSection(reader) = &payload {
            let mut section = wasm_encoder::ImportSection::new();
            for import in reader.clone().into_imports() {
                let import = import.map_err(fail)?;
                let ty = RoundtripReencoder
                    .entity_type(import.ty)
                    .map_err(|e| format!("cannot re-encode an import's type: {e}"))?;
                let name = if import.module == module {
                    match names.entry(import.name.to_owned()) {
                        Entry::Occupied(known) => known.get().clone(),
                        Entry::Vacant(first) => {
                            let name = short_name(renamed.len());
                            renamed.push((import.name.to_owned(), name.clone()));
                            first.insert(name).clone()
                        }
                    }
                } else {
                    import.name.to_owned()
                };
                section.import(import.module, &name, ty);
            }
            out.section(&section);
        } else if let Some((id, range)) = payload.as_section() {
            out.section(&wasm_encoder::RawSection {
                id,
                data: &wasm[range],
            });
        }
    }
    Ok((out.finish(), renamed))
}

/// The `n`th short name: `a` to `Z`, then `aa`, `ba`, ...: valid JS
/// identifiers, none of them a name wasm-bindgen gives.
fn short_name(n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$";
    let mut name = vec![FIRST[n % FIRST.len()]];
    let mut rest = n / FIRST.len();
    while rest > 0 {
        rest -= 1;
        name.push(REST[rest % REST.len()]);
        rest /= REST.len();
    }
    String::from_utf8(name).expect("ASCII")
}

/// `text` with its one occurrence of the identifier `old` (not part of a
/// longer identifier) replaced by `new`; the number of occurrences if not one.
fn replace_identifier(text: &str, old: &str, new: &str) -> std::result::Result<String, usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let found: Vec<usize> = text
        .match_indices(old)
        .map(|(at, _)| at)
        .filter(|&at| {
            let before = text[..at].chars().next_back();
            let after = text[at + old.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .collect();
    match found[..] {
        [at] => Ok(format!("{}{new}{}", &text[..at], &text[at + old.len()..])),
        _ => Err(found.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and memory from elsewhere.
    fn module() -> Vec<u8> {
        let mut types = wasm_encoder::TypeSection::new();
        types.ty().function([], []);
        let mut imports = wasm_encoder::ImportSection::new();
        let func = wasm_encoder::EntityType::Function(0);
        imports.import("./glue.js", "__wbg_remove_b28d816f9e896ff9", func);
        imports.import("./glue.js", "__wbindgen_throw", func);
        let memory = wasm_encoder::MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        imports.import("__wasm_split", "memory", memory);
        let mut custom = wasm_encoder::CustomSection {
            name: "producers".into(),
            data: b"kept".as_slice().into(),
        };
        let mut module = wasm_encoder::Module::new();
        module.section(&types).section(&imports).section(&custom);
        custom.name = "other".into();
        module.section(&custom);
        module.finish()
    }

    fn imports_of(wasm: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ImportSection(reader) = payload.unwrap() {
                for import in reader.into_imports() {
                    let import = import.unwrap();
                    found.push((import.module.to_owned(), import.name.to_owned()));
                }
            }
        }
        found
    }

    #[test]
    fn renames_only_the_glue_imports_and_keeps_the_rest_byte_for_byte() {
        let wasm = module();
        let (out, renamed) = rename_imports(&wasm, "./glue.js").unwrap();
        assert_eq!(
            imports_of(&out),
            [
                ("./glue.js".to_owned(), "a".to_owned()),
                ("./glue.js".to_owned(), "b".to_owned()),
                ("__wasm_split".to_owned(), "memory".to_owned()),
            ]
        );
        assert_eq!(
            renamed[0],
            ("__wbg_remove_b28d816f9e896ff9".into(), "a".into())
        );
        let (same, none) = rename_imports(&wasm, "./elsewhere.js").unwrap();
        assert_eq!(
            same, wasm,
            "with nothing to rename, the module is unchanged"
        );
        assert!(none.is_empty());
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..5000).map(short_name).collect();
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert_eq!(
            (names[0].as_str(), names[51].as_str(), names[52].as_str()),
            ("a", "Z", "aa")
        );
        assert!(names.iter().all(|n| n.as_bytes()[0].is_ascii_alphabetic()));
    }

    #[test]
    fn replaces_the_whole_identifier_once_or_says_how_often_it_occurs() {
        let glue = "const i = { __wbg_a_1: function() {}, __wbg_a_12: function() {} };";
        assert_eq!(
            replace_identifier(glue, "__wbg_a_1", "a").unwrap(),
            "const i = { a: function() {}, __wbg_a_12: function() {} };"
        );
        assert_eq!(replace_identifier(glue, "__wbg_b_1", "b"), Err(0));
        assert_eq!(replace_identifier("x.f(); y.f();", "f", "g"), Err(2));
    }
}
