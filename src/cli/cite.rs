//! `cblab cite [KEY...]`: BibTeX for the paper and the methods the lesson
//! names (every entry without keys), as the site's "Cite" list shows it.

use anyhow::{Result, bail};
use clap::Args;

use crate::teach::citations::{CITATIONS, Citation, bibliography};

#[derive(Debug, Args)]
pub struct CiteArgs {
    /// Entries to print by BibTeX key (all of them when none is given).
    keys: Vec<String>,
}

pub fn run(args: &CiteArgs) -> Result<String> {
    if args.keys.is_empty() {
        return Ok(bibliography(&CITATIONS).trim_end().to_owned());
    }
    let mut chosen = Vec::with_capacity(args.keys.len());
    for key in &args.keys {
        match Citation::find(key) {
            Some(c) => chosen.push(*c),
            None => {
                let known: Vec<&str> = CITATIONS.iter().map(|c| c.key).collect();
                bail!("no entry {key:?}; the entries are {}", known.join(", "))
            }
        }
    }
    Ok(bibliography(&chosen).trim_end().to_owned())
}
