//! The build's files, listed and hashed: the page's chunk folder is named by
//! its hash, and the service worker's version by the site's.

use std::path::Path;

use crate::proc::Result;

/// FNV-1a (64 bits) of every file under `dir`, names and bytes.
pub fn fnv1a(dir: &Path) -> Result<u64> {
    let mut files = Vec::new();
    list_files(dir, dir, &mut files)?;
    files.sort();
    hash_files(dir, &files)
}

/// FNV-1a (64 bits) of `files` (paths under `base`), names and bytes, in order.
pub fn hash_files(base: &Path, files: &[String]) -> Result<u64> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes = std::fs::read(base.join(file))
            .map_err(|e| format!("cannot read {}: {e}", base.join(file).display()))?;
        for &b in file.as_bytes().iter().chain(&[0]).chain(&bytes) {
            hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok(hash)
}

/// Every file under `dir`, as a path relative to `base` with `/` between folders.
pub fn list_files(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            list_files(base, &path, out)?;
        } else {
            let relative = path.strip_prefix(base).expect("listed under the base");
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}
