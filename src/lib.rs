//! CB Lab: class-balanced loss (Cui et al., "Class-Balanced Loss Based on
//! Effective Number of Samples", CVPR 2019), from the effective number of
//! samples to trained classifiers.
//!
//! The pure core has no web or GPU code and is what every other part calls.
//! It lives in four folders: [`balance`] (the paper's math: effective numbers,
//! weights, losses), [`data`] (count profiles, input parsing, the toy task,
//! export), [`train`] (the MLP, optimisers, the CPU trainer, metrics and
//! experiments) and [`teach`] (the lesson's simulation, proof and formulas),
//! with [`i18n`] beside them for every text and [`order`], the one sort.
//! Around it: [`charts`] (the figures, over any plotters backend),
//! [`explorer`] (the page's logic), the `cblab` command-line tool ([`cli`], native only), the GPU trainer
//! ([`gpu`]: wgpu, Vulkan natively and WebGPU in the browser) and the site
//! ([`site`], wasm32 and the `site` feature only) with its training worker ([`worker`]: the
//! messages on every target, the worker itself in wasm32).

pub mod balance;
pub mod charts;
pub mod data;
pub mod explorer;
pub mod gpu;
pub mod i18n;
pub mod order;
pub mod teach;
pub mod train;
pub mod worker;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(all(target_arch = "wasm32", feature = "site"))]
pub mod site;

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The core's folders keep to what their `mod.rs` says they may use:
    /// no web, GPU or UI code, and `balance` <- `data` <- `train`, `teach`.
    /// Test modules (after `#[cfg(test)]`) may reach further. Checked to fail
    /// with a `use crate::train::...` added to `balance/weights.rs`.
    #[test]
    fn core_folders_use_only_what_they_may() {
        let web_gpu_ui = [
            "crate::charts",
            "crate::explorer",
            "crate::gpu",
            "crate::site",
            "crate::cli",
            "leptos",
            "web_sys",
            "wasm_bindgen",
            "wgpu",
        ];
        let rules: [(&str, &[&str]); 4] = [
            ("balance", &["crate::data", "crate::train", "crate::teach"]),
            ("data", &["crate::train", "crate::teach"]),
            ("train", &["crate::teach"]),
            ("teach", &["crate::train"]),
        ];
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for (folder, forbidden) in rules {
            let dir = src.join(folder);
            let files = std::fs::read_dir(&dir).expect("the core folder exists");
            for file in files {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                // Code before the tests, without comments (a doc link is no dependency).
                let code: String = text
                    .split("#[cfg(test)]")
                    .next()
                    .unwrap_or_default()
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .collect();
                for name in forbidden.iter().chain(&web_gpu_ui) {
                    assert!(
                        !code.contains(&format!("{name}::")),
                        "{} uses {name}",
                        path.display()
                    );
                }
            }
        }
    }
}
