//! `cblab cite`: the site's BibTeX, every entry or the ones named.

use super::{cblab, fails_with};
use cblab::teach::citations::{CITATIONS, Citation};

fn stdout(args: &[&str]) -> String {
    let out = cblab(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn prints_every_entry_or_the_ones_named() {
    let all = stdout(&["cite"]);
    assert_eq!(all.matches("@inproceedings{").count(), CITATIONS.len());
    for c in &CITATIONS {
        assert!(all.contains(&c.bibtex()), "{}", c.key);
    }
    let one = stdout(&["cite", "cui2019classbalancedloss"]);
    assert_eq!(
        one.trim_end(),
        Citation::find("cui2019classbalancedloss").unwrap().bibtex()
    );
}

#[test]
fn an_unknown_key_is_refused_with_the_known_ones() {
    fails_with(
        &["cite", "nobody2020"],
        "no entry \"nobody2020\"; the entries are cui2019classbalancedloss",
    );
}
