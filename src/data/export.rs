//! Weight vectors as snippets to paste into other tools: JSON, CSV, Python,
//! NumPy, PyTorch and a Keras `class_weight` dict. Numbers are written in
//! the shortest decimal form that reads back to the same f64.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

/// A snippet format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// A JSON array.
    Json,
    /// `class,weight` rows with a header.
    Csv,
    /// A Python list.
    Python,
    /// A NumPy array.
    Numpy,
    /// A PyTorch tensor.
    Torch,
    /// A Keras `class_weight` dict, class index to weight.
    Keras,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [ExportFormat; 6] = [
        Self::Json,
        Self::Csv,
        Self::Python,
        Self::Numpy,
        Self::Torch,
        Self::Keras,
    ];

    /// `json`, `csv`, `python`, `numpy`, `torch` or `keras`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Python => "python",
            Self::Numpy => "numpy",
            Self::Torch => "torch",
            Self::Keras => "keras",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// A file name extension for the snippet.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            _ => "py",
        }
    }
}

/// The shortest decimal that parses back to exactly `x` (Rust's `{:?}` for f64,
/// which is also valid JSON and Python for finite values).
pub fn decimal(x: f64) -> String {
    debug_assert!(x.is_finite(), "weights are always finite");
    format!("{x:?}")
}

fn list(weights: &[f64]) -> String {
    let items: Vec<String> = weights.iter().map(|&w| decimal(w)).collect();
    format!("[{}]", items.join(", "))
}

/// The snippet for these weights; `names` label CSV rows when the classes have names.
pub fn export_weights(weights: &[f64], names: Option<&[String]>, format: ExportFormat) -> String {
    match format {
        ExportFormat::Json => list(weights),
        ExportFormat::Csv => {
            let mut out = String::from("class,weight\n");
            for (i, &w) in weights.iter().enumerate() {
                match names.and_then(|n| n.get(i)) {
                    Some(name) => writeln!(out, "{},{}", csv_field(name), decimal(w)),
                    None => writeln!(out, "{i},{}", decimal(w)),
                }
                .expect("writing to a String cannot fail");
            }
            out
        }
        ExportFormat::Python => format!("class_weights = {}\n", list(weights)),
        ExportFormat::Numpy => format!(
            "import numpy as np\n\nclass_weights = np.array({}, dtype=np.float64)\n",
            list(weights)
        ),
        ExportFormat::Torch => format!(
            "import torch\n\n\
             # Per-class weights, index = class. The paper's code multiplies each sample's loss\n\
             # by its class weight and divides the sum by the batch size; note that\n\
             # nn.CrossEntropyLoss(weight=...) with reduction=\"mean\" divides by the sum of\n\
             # the batch's weights instead.\n\
             class_weights = torch.tensor({}, dtype=torch.float32)\n",
            list(weights)
        ),
        ExportFormat::Keras => {
            let items: Vec<String> = weights
                .iter()
                .enumerate()
                .map(|(i, &w)| format!("{i}: {}", decimal(w)))
                .collect();
            format!(
                "# model.fit(..., class_weight=class_weight)\nclass_weight = {{{}}}\n",
                items.join(", ")
            )
        }
    }
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: [f64; 3] = [0.1, 1.0 / 3.0, 2.5666666666666664];

    #[test]
    fn json_round_trips() {
        let text = export_weights(&W, None, ExportFormat::Json);
        assert_eq!(text, "[0.1, 0.3333333333333333, 2.5666666666666664]");
        let back: Vec<f64> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, W);
    }

    #[test]
    fn every_format() {
        assert_eq!(
            export_weights(&[0.5, 1.5], None, ExportFormat::Csv),
            "class,weight\n0,0.5\n1,1.5\n"
        );
        let names = vec!["a,b".to_string(), "dog".to_string()];
        assert_eq!(
            export_weights(&[0.5, 1.5], Some(&names), ExportFormat::Csv),
            "class,weight\n\"a,b\",0.5\ndog,1.5\n"
        );
        assert_eq!(
            export_weights(&[0.5, 1.5], None, ExportFormat::Python),
            "class_weights = [0.5, 1.5]\n"
        );
        assert!(
            export_weights(&[1.0], None, ExportFormat::Numpy)
                .contains("np.array([1.0], dtype=np.float64)")
        );
        assert!(
            export_weights(&[1.0], None, ExportFormat::Torch)
                .contains("torch.tensor([1.0], dtype=torch.float32)")
        );
        assert_eq!(
            export_weights(&[0.5, 1.5], None, ExportFormat::Keras),
            "# model.fit(..., class_weight=class_weight)\nclass_weight = {0: 0.5, 1: 1.5}\n"
        );
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_name(f.name()), Some(f));
        }
    }

    proptest::proptest! {
        #[test]
        fn decimals_round_trip(x in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO) {
            proptest::prop_assert_eq!(decimal(x).parse::<f64>().unwrap(), x);
            let json: f64 = serde_json::from_str(&decimal(x)).unwrap();
            proptest::prop_assert_eq!(json, x);
        }
    }
}
