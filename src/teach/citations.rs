//! BibTeX for the paper and for the methods the lesson names, each entry as
//! its paper's own listing gives it: the official repository's BibTeX where
//! it has one, else the proceedings' page (the source is kept with each).
//! Page ranges only where a proceedings page or the authors give them.

use std::fmt::Write as _;

/// One paper.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Citation {
    /// The BibTeX key.
    pub key: &'static str,
    /// The title as published.
    pub title: &'static str,
    /// The authors in the paper's order, "Last, First".
    pub authors: &'static [&'static str],
    /// The proceedings.
    pub booktitle: &'static str,
    /// The year of the conference.
    pub year: u16,
    /// The pages, where the proceedings give them.
    pub pages: Option<&'static str>,
    /// Where to read it.
    pub url: &'static str,
    /// Where this entry was checked.
    pub checked_at: &'static str,
}

/// The CB paper first, then focal loss (the lesson's section 5), the methods of
/// section 8, the multi-label losses and LVIS's repeat-factor sampling
/// (section 9 and the samplers).
pub const CITATIONS: [Citation; 10] = [
    Citation {
        key: "cui2019classbalancedloss",
        title: "Class-Balanced Loss Based on Effective Number of Samples",
        authors: &[
            "Cui, Yin",
            "Jia, Menglin",
            "Lin, Tsung-Yi",
            "Song, Yang",
            "Belongie, Serge",
        ],
        booktitle: "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
        year: 2019,
        pages: None,
        url: "https://arxiv.org/abs/1901.05555",
        checked_at: "github.com/richardaecn/class-balanced-loss README",
    },
    Citation {
        key: "lin2017focal",
        title: "Focal Loss for Dense Object Detection",
        authors: &[
            "Lin, Tsung-Yi",
            "Goyal, Priya",
            "Girshick, Ross",
            "He, Kaiming",
            "Doll{\\'a}r, Piotr",
        ],
        booktitle: "Proceedings of the IEEE International Conference on Computer Vision (ICCV)",
        year: 2017,
        pages: None,
        url: "https://arxiv.org/abs/1708.02002",
        checked_at: "the paper (arXiv 1708.02002)",
    },
    Citation {
        key: "cao2019learning",
        title: "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss",
        authors: &[
            "Cao, Kaidi",
            "Wei, Colin",
            "Gaidon, Adrien",
            "Arechiga, Nikos",
            "Ma, Tengyu",
        ],
        booktitle: "Advances in Neural Information Processing Systems (NeurIPS)",
        year: 2019,
        pages: Some("1567--1578"),
        url: "https://arxiv.org/abs/1906.07413",
        checked_at: "github.com/kaidic/LDAM-DRW README; papers.nips.cc metadata",
    },
    Citation {
        key: "kang2020decoupling",
        title: "Decoupling Representation and Classifier for Long-Tailed Recognition",
        authors: &[
            "Kang, Bingyi",
            "Xie, Saining",
            "Rohrbach, Marcus",
            "Yan, Zhicheng",
            "Gordo, Albert",
            "Feng, Jiashi",
            "Kalantidis, Yannis",
        ],
        booktitle: "International Conference on Learning Representations (ICLR)",
        year: 2020,
        pages: None,
        url: "https://openreview.net/forum?id=r1gRTCVFvB",
        checked_at: "github.com/facebookresearch/classifier-balancing README",
    },
    Citation {
        key: "ren2020balms",
        title: "Balanced Meta-Softmax for Long-Tailed Visual Recognition",
        authors: &[
            "Ren, Jiawei",
            "Yu, Cunjun",
            "Sheng, Shunan",
            "Ma, Xiao",
            "Zhao, Haiyu",
            "Yi, Shuai",
            "Li, Hongsheng",
        ],
        booktitle: "Advances in Neural Information Processing Systems (NeurIPS)",
        year: 2020,
        pages: None,
        url: "https://arxiv.org/abs/2007.10740",
        checked_at: "github.com/jiawei-ren/BalancedMetaSoftmax README",
    },
    Citation {
        key: "menon2021longtail",
        title: "Long-tail learning via logit adjustment",
        authors: &[
            "Menon, Aditya Krishna",
            "Jayasumana, Sadeep",
            "Rawat, Ankit Singh",
            "Jain, Himanshu",
            "Veit, Andreas",
            "Kumar, Sanjiv",
        ],
        booktitle: "International Conference on Learning Representations (ICLR)",
        year: 2021,
        pages: None,
        url: "https://openreview.net/forum?id=37nvvqkCo5",
        checked_at: "google-research/google-research logit_adjustment README; iclr.cc",
    },
    Citation {
        key: "park2021influence",
        title: "Influence-Balanced Loss for Imbalanced Visual Classification",
        authors: &[
            "Park, Seulki",
            "Lim, Jongin",
            "Jeon, Younghan",
            "Choi, Jin Young",
        ],
        booktitle: "Proceedings of the IEEE/CVF International Conference on Computer Vision (ICCV)",
        year: 2021,
        pages: Some("735--744"),
        url: "https://arxiv.org/abs/2110.02444",
        checked_at: "github.com/pseulki/IB-Loss README",
    },
    Citation {
        key: "wu2020distribution",
        title: "Distribution-Balanced Loss for Multi-Label Classification in Long-Tailed Datasets",
        authors: &[
            "Wu, Tong",
            "Huang, Qingqiu",
            "Liu, Ziwei",
            "Wang, Yu",
            "Lin, Dahua",
        ],
        booktitle: "European Conference on Computer Vision (ECCV)",
        year: 2020,
        pages: None,
        url: "https://arxiv.org/abs/2007.09654",
        checked_at: "github.com/wutong16/DistributionBalancedLoss README; ecva.net",
    },
    Citation {
        key: "ridnik2021asymmetric",
        title: "Asymmetric Loss for Multi-Label Classification",
        authors: &[
            "Ridnik, Tal",
            "Ben-Baruch, Emanuel",
            "Zamir, Nadav",
            "Noy, Asaf",
            "Friedman, Itamar",
            "Protter, Matan",
            "Zelnik-Manor, Lihi",
        ],
        booktitle: "Proceedings of the IEEE/CVF International Conference on Computer Vision (ICCV)",
        year: 2021,
        pages: Some("82--91"),
        url: "https://arxiv.org/abs/2009.14119",
        checked_at: "openaccess.thecvf.com ICCV 2021 page",
    },
    Citation {
        key: "gupta2019lvis",
        title: "LVIS: A Dataset for Large Vocabulary Instance Segmentation",
        // The README writes "Dollar"; the paper's title page, as the focal
        // loss entry, "Dollár".
        authors: &["Gupta, Agrim", "Doll{\\'a}r, Piotr", "Girshick, Ross"],
        booktitle: "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
        year: 2019,
        pages: None,
        url: "https://arxiv.org/abs/1908.03195",
        checked_at: "github.com/lvis-dataset/lvis-api README; the paper's title page",
    },
];

impl Citation {
    /// The entry with `key`.
    pub fn find(key: &str) -> Option<&'static Citation> {
        CITATIONS.iter().find(|c| c.key == key)
    }

    /// The entry as BibTeX. The title's braces keep its capitals as published.
    pub fn bibtex(&self) -> String {
        let mut out = format!("@inproceedings{{{},\n", self.key);
        let mut field = |name: &str, value: &str| {
            let _ = writeln!(out, "  {name:<9} = {{{value}}},");
        };
        field("title", &format!("{{{}}}", self.title));
        field("author", &self.authors.join(" and "));
        field("booktitle", self.booktitle);
        field("year", &self.year.to_string());
        if let Some(pages) = self.pages {
            field("pages", pages);
        }
        field("url", self.url);
        out.push('}');
        out
    }
}

/// Every entry, one after another, as a `.bib` file holds them.
pub fn bibliography(citations: &[Citation]) -> String {
    let mut out = String::new();
    for c in citations {
        out.push_str(&c.bibtex());
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Braces balance in the value and never close below zero.
    fn balanced(text: &str) -> bool {
        let mut depth = 0i32;
        for c in text.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        depth == 0
    }

    #[test]
    fn every_entry_is_well_formed_bibtex() {
        let mut keys = std::collections::HashSet::new();
        for c in &CITATIONS {
            assert!(keys.insert(c.key), "{} twice", c.key);
            assert!(
                c.key
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit()),
                "{}",
                c.key
            );
            let text = c.bibtex();
            assert!(balanced(&text), "{text}");
            assert!(text.starts_with(&format!("@inproceedings{{{},\n", c.key)));
            assert!(text.ends_with("\n}"));
            // One field a line, each `name = {value},`.
            let fields: Vec<&str> = text.lines().skip(1).filter(|l| *l != "}").collect();
            for line in &fields {
                let (name, value) = line.split_once(" = ").expect("name = value");
                assert!(
                    name.trim().chars().all(|ch| ch.is_ascii_lowercase()),
                    "{line}"
                );
                assert!(value.starts_with('{') && value.ends_with("},"), "{line}");
                assert!(balanced(value), "{line}");
            }
            for required in ["title", "author", "booktitle", "year"] {
                assert!(
                    fields.iter().any(|l| l.trim_start().starts_with(required)),
                    "{} lacks {required}",
                    c.key
                );
            }
            // Authors as "Last, First", joined by "and"; no stray separators.
            for author in c.authors {
                let (last, first) = author.split_once(", ").expect("Last, First");
                assert!(!last.is_empty() && !first.is_empty() && !first.contains(','));
            }
            assert!((2015..=2026).contains(&c.year));
            assert!(c.url.starts_with("https://"));
            if let Some(pages) = c.pages {
                let (a, b) = pages.split_once("--").expect("a page range");
                assert!(a.parse::<u32>().unwrap() < b.parse::<u32>().unwrap());
            }
        }
    }

    #[test]
    fn the_papers_own_listing() {
        // The official repository's BibTeX (richardaecn/class-balanced-loss).
        let cb = Citation::find("cui2019classbalancedloss").unwrap();
        assert_eq!(
            cb.authors.join(" and "),
            "Cui, Yin and Jia, Menglin and Lin, Tsung-Yi and Song, Yang and Belongie, Serge"
        );
        assert_eq!(cb.year, 2019);
        assert!(cb.booktitle.contains("(CVPR)"));
        assert_eq!(
            cb.bibtex(),
            "@inproceedings{cui2019classbalancedloss,\n\
             \x20 title     = {{Class-Balanced Loss Based on Effective Number of Samples}},\n\
             \x20 author    = {Cui, Yin and Jia, Menglin and Lin, Tsung-Yi and Song, Yang and Belongie, Serge},\n\
             \x20 booktitle = {Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)},\n\
             \x20 year      = {2019},\n\
             \x20 url       = {https://arxiv.org/abs/1901.05555},\n\
             }"
        );
        // The CVF page's BibTeX for ASL gives the ICCV order (Ridnik first) and pages.
        let asl = Citation::find("ridnik2021asymmetric").unwrap();
        assert_eq!(asl.authors[0], "Ridnik, Tal");
        assert_eq!(asl.pages, Some("82--91"));
        // LVIS: the key, title, authors and year of the lvis-api README's BibTeX.
        let lvis = Citation::find("gupta2019lvis").unwrap();
        assert_eq!(
            lvis.title,
            "LVIS: A Dataset for Large Vocabulary Instance Segmentation"
        );
        assert_eq!(lvis.authors.len(), 3);
        assert_eq!((lvis.authors[0], lvis.year), ("Gupta, Agrim", 2019));
        let bib = bibliography(&CITATIONS);
        assert_eq!(bib.matches("@inproceedings{").count(), CITATIONS.len());
    }
}
