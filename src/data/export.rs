//! Weight vectors as snippets to paste into other tools: JSON, CSV, Python,
//! NumPy, PyTorch and a Keras `class_weight` dict. Numbers are written in
//! the shortest decimal form that reads back to the same f64.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::balance::multi_label::CbMode;

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

/// The snippet for class weights on several labels a sample, placed by `mode`.
/// JSON, CSV and Python are the plain list; NumPy, PyTorch and Keras give a
/// weighted binary cross-entropy (a sample's C terms summed, averaged over the
/// batch, as CB Lab computes it). Keras's `class_weight` takes the argmax of
/// multi-hot targets, so it cannot serve here.
pub fn export_multi_label_weights(
    weights: &[f64],
    names: Option<&[String]>,
    mode: CbMode,
    format: ExportFormat,
) -> String {
    let placed = match mode {
        CbMode::ByClass => "# By class: w_c on every term of class c, positive and negative.\n",
        CbMode::BySample => {
            "# By sample: a sample's weight is the mean of w_c over its positive classes\n\
             # (1 for a sample with none), on all its terms.\n"
        }
    };
    let w = list(weights);
    match (format, mode) {
        (ExportFormat::Json | ExportFormat::Csv | ExportFormat::Python, _) => {
            export_weights(weights, names, format)
        }
        (ExportFormat::Numpy, _) => {
            let weight = match mode {
                CbMode::ByClass => "class_weights",
                CbMode::BySample => "sample_weights(targets)[:, None]",
            };
            format!(
                "import numpy as np\n\n{placed}class_weights = np.array({w}, dtype=np.float64)\n\n\
                 def sample_weights(targets):\n    \
                     positives = targets.sum(axis=1)\n    \
                     weighted = (targets * class_weights).sum(axis=1)\n    \
                     return np.where(positives > 0, weighted / np.maximum(positives, 1), 1.0)\n\n\
                 def cb_bce(logits, targets):\n    \
                     \"\"\"logits and 0/1 targets of shape (batch, classes).\"\"\"\n    \
                     terms = np.logaddexp(0.0, logits) - targets * logits\n    \
                     return (terms * {weight}).sum(axis=1).mean()\n"
            )
        }
        (ExportFormat::Torch, _) => {
            let body = match mode {
                CbMode::ByClass => "    return bce(logits, targets).sum(dim=1).mean()\n",
                CbMode::BySample => {
                    "    positives = targets.sum(dim=1)\n    \
                     weighted = (targets * class_weights).sum(dim=1)\n    \
                     sample_weights = torch.where(positives > 0, weighted / positives.clamp(min=1), torch.ones_like(positives))\n    \
                     return (sample_weights * bce(logits, targets).sum(dim=1)).mean()\n"
                }
            };
            let weight = match mode {
                CbMode::ByClass => "weight=class_weights, ",
                CbMode::BySample => "",
            };
            format!(
                "import torch\n\n{placed}\
                 # The weight goes in `weight`, which scales class c's whole loss; `pos_weight`\n\
                 # scales only its positive term (a recall knob), not what CB weights.\n\
                 class_weights = torch.tensor({w}, dtype=torch.float32)\n\
                 bce = torch.nn.BCEWithLogitsLoss({weight}reduction=\"none\")\n\n\
                 def cb_bce(logits, targets):\n{body}"
            )
        }
        (ExportFormat::Keras, _) => {
            let weight = match mode {
                CbMode::ByClass => "terms * class_weights",
                CbMode::BySample => {
                    "terms * tf.where(positives > 0, tf.reduce_sum(y_true * class_weights, axis=-1, keepdims=True) / tf.maximum(positives, 1.0), 1.0)"
                }
            };
            format!(
                "import tensorflow as tf\n\n{placed}\
                 # Keras's class_weight takes the argmax of multi-hot targets: it cannot weight\n\
                 # several labels a sample. A weighted binary cross-entropy on C logits instead:\n\
                 # model.compile(loss=cb_bce, ...) with a last layer of C units, no activation.\n\
                 class_weights = tf.constant({w}, dtype=tf.float32)\n\n\
                 def cb_bce(y_true, logits):\n    \
                     y_true = tf.cast(y_true, logits.dtype)\n    \
                     positives = tf.reduce_sum(y_true, axis=-1, keepdims=True)\n    \
                     terms = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)\n    \
                     return tf.reduce_sum({weight}, axis=-1)\n"
            )
        }
    }
}

/// The snippet for LVIS's repeat factors (a sampler, never a loss `weight=`):
/// JSON and Python the plain list, CSV a row a class; PyTorch a
/// `WeightedRandomSampler` over each image's factor; NumPy and Keras
/// Detectron2's repeat list (image i repeated floor(r_i) times, and once more
/// with probability frac(r_i)). An image's factor is the largest r_c of its
/// classes, 1 for an image with none, as Detectron2 computes it.
pub fn export_repeat_factors(
    factors: &[f64],
    names: Option<&[String]>,
    threshold: f64,
    format: ExportFormat,
) -> String {
    let r = list(factors);
    let t = decimal(threshold);
    let about = format!(
        "# LVIS's repeat factors (Gupta et al., CVPR 2019): r_c = max(1, sqrt(t / f_c)) at t = {t},\n\
         # f_c the fraction of the training images that hold class c (0 for a class in none).\n\
         # A sampling factor, not a loss weight: keep the loss unweighted.\n"
    );
    let per_image = "def image_repeat_factors(label_sets):\n    \
         \"\"\"label_sets[i]: the class indices in training image i.\"\"\"\n    \
         return [max((repeat_factors[c] for c in labels), default=1.0) for labels in label_sets]\n";
    match format {
        ExportFormat::Json => r,
        ExportFormat::Python => format!("{about}repeat_factors = {r}\n\n{per_image}"),
        ExportFormat::Csv => {
            let mut out = String::from("class,repeat_factor\n");
            for (i, &f) in factors.iter().enumerate() {
                match names.and_then(|n| n.get(i)) {
                    Some(name) => writeln!(out, "{},{}", csv_field(name), decimal(f)),
                    None => writeln!(out, "{i},{}", decimal(f)),
                }
                .expect("writing to a String cannot fail");
            }
            out
        }
        ExportFormat::Torch => format!(
            "import math\n\nimport torch\nfrom torch.utils.data import DataLoader, WeightedRandomSampler\n\n\
             {about}repeat_factors = {r}\n\n{per_image}\n\
             # An epoch draws about sum(r_i) images, image i with probability r_i / sum(r).\n\
             # r = image_repeat_factors(label_sets)\n\
             # sampler = WeightedRandomSampler(torch.tensor(r, dtype=torch.double), num_samples=math.ceil(sum(r)), replacement=True)\n\
             # loader = DataLoader(dataset, batch_size=..., sampler=sampler)\n"
        ),
        ExportFormat::Numpy | ExportFormat::Keras => {
            let feed = if format == ExportFormat::Keras {
                "# Feed the indices to your tf.data pipeline, e.g. tf.data.Dataset.from_tensor_slices(epoch_indices(...)).\n"
            } else {
                ""
            };
            format!(
                "import numpy as np\n\n{about}repeat_factors = {r}\n\n{per_image}\n\
                 def epoch_indices(label_sets, rng=np.random.default_rng()):\n    \
                     \"\"\"One epoch's image indices, as Detectron2's RepeatFactorTrainingSampler draws them.\"\"\"\n    \
                     r = np.array(image_repeat_factors(label_sets))\n    \
                     repeats = np.floor(r) + (rng.random(len(r)) < r - np.floor(r))\n    \
                     indices = np.repeat(np.arange(len(r)), repeats.astype(int))\n    \
                     rng.shuffle(indices)\n    \
                     return indices\n{feed}"
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
    fn repeat_factors_export_a_sampler_never_a_loss_weight() {
        let r = [1.0, 3.1622776601683795, 0.0];
        assert_eq!(
            export_repeat_factors(&r, None, 0.001, ExportFormat::Json),
            "[1.0, 3.1622776601683795, 0.0]"
        );
        let names = vec!["dog".to_string(), "emu".to_string(), "yak".to_string()];
        assert_eq!(
            export_repeat_factors(&r, Some(&names), 0.001, ExportFormat::Csv),
            "class,repeat_factor\ndog,1.0\nemu,3.1622776601683795\nyak,0.0\n"
        );
        for format in ExportFormat::ALL {
            let text = export_repeat_factors(&r, None, 0.001, format);
            assert!(!text.contains("weight="), "{format:?}: {text}");
        }
        let torch = export_repeat_factors(&r, None, 0.001, ExportFormat::Torch);
        assert!(torch.contains("WeightedRandomSampler(") && torch.contains("t = 0.001"));
        let numpy = export_repeat_factors(&r, None, 0.001, ExportFormat::Numpy);
        assert!(numpy.contains("np.repeat(") && numpy.contains("default=1.0"));
    }

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

    #[test]
    fn multi_label_snippets() {
        let w = [0.5, 1.5];
        for mode in CbMode::ALL {
            let torch = export_multi_label_weights(&w, None, mode, ExportFormat::Torch);
            assert!(torch.contains("BCEWithLogitsLoss(") && torch.contains("[0.5, 1.5]"));
            assert!(!torch.contains("pos_weight=class"), "{torch}");
            let keras = export_multi_label_weights(&w, None, mode, ExportFormat::Keras);
            assert!(
                keras.contains("sigmoid_cross_entropy_with_logits")
                    && !keras.contains("class_weight = {")
            );
            let numpy = export_multi_label_weights(&w, None, mode, ExportFormat::Numpy);
            assert!(numpy.contains("np.logaddexp(0.0, logits) - targets * logits"));
        }
        let by_class = export_multi_label_weights(&w, None, CbMode::ByClass, ExportFormat::Torch);
        assert!(by_class.contains("BCEWithLogitsLoss(weight=class_weights, reduction=\"none\")"));
        let by_sample = export_multi_label_weights(&w, None, CbMode::BySample, ExportFormat::Torch);
        assert!(by_sample.contains("sample_weights * bce(logits, targets)"));
        assert_eq!(
            export_multi_label_weights(&w, None, CbMode::BySample, ExportFormat::Json),
            "[0.5, 1.5]"
        );
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
