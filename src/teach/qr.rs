//! The printed handout's QR codes: a link as the modules of a QR code (the
//! `qrcodegen` crate encodes), drawn as one SVG path. A link too long for a
//! code a phone reads off paper gets none, and the handout says why.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

/// The largest QR version printed: 97 modules a side (105 with the quiet
/// zone), about 0.4 mm each in the handout's 4 cm square, which a phone's
/// camera still reads. At error correction L it holds 858 bytes.
pub const MAX_VERSION: u8 = 20;

/// The most bytes a code of [`MAX_VERSION`] at error correction L holds
/// (the standard's table; a test asks the encoder).
pub const MAX_BYTES: usize = 858;

/// The modules around the code that must stay blank (the standard's quiet zone).
const QUIET: i32 = 4;

/// A QR code as an SVG path: one `M x y h1 v1 h-1 z` square a dark module,
/// in a `size` x `size` box that includes the quiet zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrPath {
    /// The side of the box, in modules.
    pub size: u32,
    /// The dark modules, for a `<path d=..>`.
    pub path: String,
}

/// Why a link has no code: its length in bytes and the most a code holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLong {
    /// The link's length in bytes.
    pub bytes: usize,
    /// The most bytes a code of [`MAX_VERSION`] holds.
    pub max: usize,
}

/// The QR code of `text` (a URL), at error correction L (raised where the
/// version has room), at most [`MAX_VERSION`].
pub fn qr_path(text: &str) -> Result<QrPath, TooLong> {
    let segments = [QrSegment::make_bytes(text.as_bytes())];
    let code = QrCode::encode_segments_advanced(
        &segments,
        QrCodeEcc::Low,
        Version::MIN,
        Version::new(MAX_VERSION),
        None,
        true,
    )
    .map_err(|_| TooLong {
        bytes: text.len(),
        max: MAX_BYTES,
    })?;
    let side = code.size();
    let mut path = String::new();
    for y in 0..side {
        for x in 0..side {
            if code.get_module(x, y) {
                path.push_str(&format!("M{} {}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    Ok(QrPath {
        size: (side + 2 * QUIET) as u32,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules a path draws, as (x, y) in the box.
    fn modules(qr: &QrPath) -> Vec<(u32, u32)> {
        qr.path
            .split('M')
            .filter(|s| !s.is_empty())
            .map(|s| {
                let square = s.strip_suffix("h1v1h-1z").expect("one square a module");
                let (x, y) = square.split_once(' ').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn a_link_becomes_a_code_with_its_finder_patterns_and_quiet_zone() {
        let qr = qr_path("https://cblab.example/?preset=cifar10-lt-100&beta=0.9999").unwrap();
        // Version 4 at most for 60 bytes: 33 modules and the quiet zone.
        assert!(qr.size >= 21 + 8 && qr.size <= 33 + 8, "{}", qr.size);
        let dark = modules(&qr);
        let side = qr.size - 8;
        for &(x, y) in &dark {
            assert!((4..4 + side).contains(&x) && (4..4 + side).contains(&y));
        }
        // The three finder patterns: a dark 7 x 7 ring with a 3 x 3 centre.
        for (fx, fy) in [(0, 0), (side - 7, 0), (0, side - 7)] {
            for dy in 0..7 {
                for dx in 0..7 {
                    let ring = dx == 0 || dy == 0 || dx == 6 || dy == 6;
                    let centre = (2..5).contains(&dx) && (2..5).contains(&dy);
                    assert_eq!(
                        dark.contains(&(4 + fx + dx, 4 + fy + dy)),
                        ring || centre,
                        "finder at {fx},{fy}: {dx},{dy}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_link_too_long_for_paper_says_by_how_much() {
        let longest = "h".repeat(MAX_BYTES);
        assert_eq!(qr_path(&longest).unwrap().size, 97 + 8);
        assert!(qr_path(&"h".repeat(MAX_BYTES + 1)).is_err());
        let long = format!("https://cblab.example/?counts={}", "1000,".repeat(400));
        assert_eq!(
            qr_path(&long),
            Err(TooLong {
                bytes: long.len(),
                max: MAX_BYTES
            })
        );
    }
}
