//! Decimal numbers that people type: in the URL, in the page's fields, in
//! pasted or uploaded counts.
//!
//! Read with lexical's compact parser rather than `str::parse::<f64>`. Both
//! give the correctly rounded `f64` of the same text, and both accept the
//! same texts (the tests check both against each other). But std's parser
//! brings a 10 kB table of 128-bit powers of five that does not compress: 3%
//! of the page's first load (issue 12), for numbers that are typed by hand.

use lexical_parse_float::FromLexical;

/// The number `text` writes, as `text.parse::<f64>()` reads it: an optional
/// sign, then digits with an optional point and exponent (`12`, `-0.5`,
/// `.5`, `1.`, `5e3`, `1E-8`), or `inf`, `infinity` or `nan` in any case.
/// No white space; `None` for anything else.
pub fn parse_f64(text: &str) -> Option<f64> {
    // lexical's standard format is Rust's grammar for floats.
    f64::from_lexical(text.as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::parse_f64;
    use proptest::prelude::*;

    /// Agrees with std on `text`: the same value to the bit (NaN's sign
    /// aside), or both refuse it.
    fn agrees(text: &str) -> Result<(), TestCaseError> {
        let ours = parse_f64(text);
        let std = text.parse::<f64>().ok();
        match (ours, std) {
            (Some(a), Some(b)) if a.is_nan() && b.is_nan() => Ok(()),
            (Some(a), Some(b)) => {
                prop_assert_eq!(a.to_bits(), b.to_bits(), "{:?}: {} vs std {}", text, a, b);
                Ok(())
            }
            (None, None) => Ok(()),
            _ => Err(TestCaseError::fail(format!(
                "{text:?}: {ours:?} vs std {std:?}"
            ))),
        }
    }

    #[test]
    fn reads_what_std_reads_and_refuses_what_it_refuses() {
        for text in [
            "0",
            "-0",
            "+0",
            "12",
            "0.5",
            ".5",
            "1.",
            "5e3",
            "1E-8",
            "1e+8",
            "0.99999999",
            "1 - 1e-8",
            "0.999999999999999999999999",
            "1e308",
            "1.8e308",
            "1e-400",
            "4.9e-324",
            "2.2250738585072011e-308",
            "9007199254740993",
            "123456789012345678901234567890",
            "inf",
            "-inf",
            "+Infinity",
            "INF",
            "NaN",
            "nan",
            "-nan",
            "infinit",
            "nan1",
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.5.2",
            "--1",
            "+-1",
            "-+1",
            "++1",
            " 1",
            "1 ",
            "1_000",
            "0x10",
            "1,5",
            "١",
            "1e5000000000",
            "0.0000000000000000000000000000001e30",
            "٣.5",
        ] {
            agrees(text).unwrap();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Texts shaped like numbers, the edge of the grammar included.
        #[test]
        fn agrees_with_std_on_number_like_texts(
            text in "[+-]{0,2}[0-9]{0,25}\\.?[0-9]{0,25}([eE][+-]?[0-9]{0,4})?"
        ) {
            agrees(&text)?;
        }

        /// Every f64 printed both ways comes back to itself.
        #[test]
        fn round_trips_printed_numbers(x in any::<f64>()) {
            agrees(&x.to_string())?;
            agrees(&format!("{x:e}"))?;
            agrees(&format!("{x:.3e}"))?;
        }

        /// Any short text at all.
        #[test]
        fn agrees_with_std_on_any_text(text in "\\PC{0,12}") {
            agrees(&text)?;
        }
    }
}
