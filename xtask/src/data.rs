//! `cargo xtask data`: derives the committed Fashion-MNIST-LT asset
//! (`assets/data/fashion-mnist-lt.bin`) from Debian's `dataset-fashion-mnist`
//! package, installing the package when it is missing. The site, the tests
//! and CI read only the committed asset; a test pins its SHA-256.

use crate::proc::{Result, command, output, root, run};

/// Where Debian's package puts Zalando's files.
const SOURCE: &str = "/usr/share/datasets/fashion-mnist";
/// The asset, from the repository root.
pub const ASSET: &str = "assets/data/fashion-mnist-lt.bin";

pub fn data() -> Result<()> {
    let source = std::path::Path::new(SOURCE);
    if source.join("train-images-idx3-ubyte.gz").is_file() {
        println!("data: {SOURCE}: present");
    } else {
        let root_user = output(command("id").arg("-u")).as_deref() == Some("0");
        if !root_user {
            return Err(format!(
                "{SOURCE} is missing: install Debian's package as root \
                 (apt-get install dataset-fashion-mnist), then run `cargo xtask data` again"
            ));
        }
        println!("data: {SOURCE} missing: installing dataset-fashion-mnist");
        run(command("apt-get").args(["install", "-y", "dataset-fashion-mnist"]))?;
    }
    run(command("cargo").args([
        "run",
        "--release",
        "--quiet",
        "--example",
        "fashion_asset",
        "--",
        "make",
        SOURCE,
        &root().join(ASSET).to_string_lossy(),
    ]))
}
