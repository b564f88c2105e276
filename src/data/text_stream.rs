//! A byte stream checked as UTF-8 as it passes: a UTF-8 byte-order mark is
//! dropped, UTF-16 (by its mark) and invalid UTF-8 are refused with the
//! byte offset, so a streaming parser behind it never sees them, whatever
//! it skips unread.

use std::io::{self, Read};

/// Why a stream is not UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// It starts with a UTF-16 byte-order mark.
    Utf16,
    /// Bytes that are not UTF-8, at this offset from the start.
    NotUtf8 {
        /// Where the bad sequence starts.
        offset: u64,
    },
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Utf16 => write!(f, "the file is UTF-16 (save it as UTF-8)"),
            Self::NotUtf8 { offset } => write!(f, "bytes that are not UTF-8 at byte {offset}"),
        }
    }
}

impl std::error::Error for TextError {}

/// The [`TextError`] inside an I/O error from a [`Utf8Reader`], if that is what it is.
pub fn text_error(e: &io::Error) -> Option<&TextError> {
    e.get_ref()?.downcast_ref()
}

/// Reads `inner`, checking UTF-8 on the way.
pub struct Utf8Reader<R> {
    inner: R,
    /// Bytes read from `inner` so far.
    offset: u64,
    /// The tail of the last read that may begin a sequence the next read ends.
    carry: [u8; 4],
    carried: usize,
    started: bool,
}

impl<R: Read> Utf8Reader<R> {
    /// A checked reader over `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            carry: [0; 4],
            carried: 0,
            started: false,
        }
    }

    /// Bytes read from the source so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    fn fail(e: TextError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }

    /// Checks `bytes`, read from offset `at` (they follow the carried tail);
    /// keeps a new tail that may be an unfinished sequence.
    fn check(&mut self, at: u64, bytes: &[u8]) -> io::Result<()> {
        let mut rest = bytes;
        let start = at - self.carried as u64;
        if self.carried > 0 {
            // Complete the carried sequence from the front of `bytes`.
            let mut seq = self.carry;
            let need = utf8_len(seq[0]).unwrap_or(1);
            let take = (need - self.carried).min(rest.len());
            seq[self.carried..self.carried + take].copy_from_slice(&rest[..take]);
            let have = self.carried + take;
            if have < need {
                self.carry = seq;
                self.carried = have;
                return Ok(());
            }
            if std::str::from_utf8(&seq[..need]).is_err() {
                return Err(Self::fail(TextError::NotUtf8 { offset: start }));
            }
            rest = &rest[take..];
            self.carried = 0;
        }
        let base = at + (bytes.len() - rest.len()) as u64;
        match std::str::from_utf8(rest) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_none() => {
                // An unfinished sequence at the end: wait for the next read.
                let tail = &rest[e.valid_up_to()..];
                self.carry[..tail.len()].copy_from_slice(tail);
                self.carried = tail.len();
                Ok(())
            }
            Err(e) => Err(Self::fail(TextError::NotUtf8 {
                offset: base + e.valid_up_to() as u64,
            })),
        }
    }
}

/// The length of the sequence a lead byte starts, if it can start one.
fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0x00..=0x7f => Some(1),
        0xc2..=0xdf => Some(2),
        0xe0..=0xef => Some(3),
        0xf0..=0xf4 => Some(4),
        _ => None,
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = self.inner.read(buf)?;
        if !self.started && n > 0 {
            self.started = true;
            // The marks are at most 3 bytes: have 3 if the stream has them.
            while n < 3.min(buf.len()) {
                match self.inner.read(&mut buf[n..])? {
                    0 => break,
                    more => n += more,
                }
            }
            if buf[..n].starts_with(&[0xff, 0xfe]) || buf[..n].starts_with(&[0xfe, 0xff]) {
                return Err(Self::fail(TextError::Utf16));
            }
            if buf[..n].starts_with(&[0xef, 0xbb, 0xbf]) {
                buf.copy_within(3..n, 0);
                n -= 3;
                self.offset += 3;
                if n == 0 {
                    // Only the mark so far: 0 would read as the end.
                    return self.read(buf);
                }
            }
        }
        if n == 0 && self.carried > 0 {
            return Err(Self::fail(TextError::NotUtf8 {
                offset: self.offset - self.carried as u64,
            }));
        }
        let at = self.offset;
        self.offset += n as u64;
        self.check(at, &buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads everything, `chunk` bytes at a time.
    fn read_all(bytes: &[u8], chunk: usize) -> Result<Vec<u8>, TextError> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        Utf8Reader::new(Chunks(bytes, chunk))
            .read_to_end(&mut out)
            .map_err(|e| text_error(&e).cloned().expect("a text error"))?;
        Ok(out)
    }

    #[test]
    fn utf8_passes_in_any_chunks_and_the_mark_goes() {
        let text = "{\"name\": \"café 猫 🐈\"}".as_bytes();
        for chunk in 1..8 {
            assert_eq!(read_all(text, chunk).unwrap(), text);
            let marked = [&[0xef, 0xbb, 0xbf][..], text].concat();
            assert_eq!(read_all(&marked, chunk.max(3)).unwrap(), text);
        }
    }

    #[test]
    fn utf16_and_bad_bytes_are_refused_where_they_are() {
        assert_eq!(read_all(&[0xff, 0xfe, b'{', 0], 64), Err(TextError::Utf16));
        let bad = b"{\"a\": \"\xc3\x28\"}";
        for chunk in 1..6 {
            assert_eq!(read_all(bad, chunk), Err(TextError::NotUtf8 { offset: 7 }));
        }
        // Cut short inside a sequence.
        assert_eq!(
            read_all(b"ab\xe7\x8c", 2),
            Err(TextError::NotUtf8 { offset: 2 })
        );
    }
}
