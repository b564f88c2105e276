//! Methods by name: a loss, its weighting, a sampler and a schedule in one
//! short word such as `cb-ldam+drw` or `softmax@sqrt`. The CLI's `--compare`,
//! the page's runs and its links all read and write this one syntax.

use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::train::batches::Sampler;
use crate::train::config::TrainConfig;

/// Where deferred re-weighting starts when a name asks for it (`+drw`): 80 %
/// of the epochs, LDAM-DRW's 160 of 200.
pub const DRW_FROM: f64 = 0.8;
/// The post-hoc tau a name asks for with `+posthoc`.
pub const POSTHOC_TAU: f64 = 1.0;

/// What a name says; the numbers (beta, gamma, tau, margins, network) come
/// from a base configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Method {
    /// The loss.
    pub loss: LossKind,
    /// How classes are weighted.
    pub scheme: SchemeKind,
    /// How batches are drawn.
    pub sampler: Sampler,
    /// Deferred re-weighting: the weights apply from [`DRW_FROM`] of the epochs.
    pub drw: bool,
    /// Post-hoc logit adjustment of the predictions.
    pub posthoc: bool,
}

impl Method {
    /// Unweighted `loss`, instance sampling, no schedule.
    pub const fn plain(loss: LossKind) -> Self {
        Self {
            loss,
            scheme: SchemeKind::None,
            sampler: Sampler::Instance,
            drw: false,
            posthoc: false,
        }
    }

    /// `loss` weighted by `scheme`.
    pub const fn weighted(scheme: SchemeKind, loss: LossKind) -> Self {
        Self {
            scheme,
            ..Self::plain(loss)
        }
    }

    /// Switches to `loss` with the weighting it trains with by default
    /// ([`LossKind::default_scheme`]): the page's menus follow the CLI's defaults.
    pub fn pick_loss(&mut self, loss: LossKind) {
        self.loss = loss;
        self.scheme = loss.default_scheme(self.drw);
    }

    /// Turns deferred re-weighting on or off; turned on over no weighting, it
    /// weights class-balanced, as `--drw-from` with no `--scheme` does.
    pub fn pick_drw(&mut self, drw: bool) {
        self.drw = drw;
        if drw && self.scheme == SchemeKind::None {
            self.scheme = self.loss.default_scheme(true);
        }
    }

    /// What `config` is, by name.
    pub fn of(config: &TrainConfig) -> Self {
        Self {
            loss: config.loss,
            scheme: config.scheme,
            sampler: config.sampler,
            drw: config.drw_from.is_some(),
            posthoc: config.posthoc_tau.is_some(),
        }
    }

    /// `base` with this method's loss and weighting, and its sampler,
    /// schedule and post-hoc adjustment where it names them (where it does
    /// not, `base`'s stay: the CLI's `--sampler`, `--drw-from` and
    /// `--posthoc-tau` apply to every entry of `--compare` that names none).
    pub fn config(&self, base: &TrainConfig) -> TrainConfig {
        TrainConfig {
            loss: self.loss,
            scheme: self.scheme,
            sampler: match self.sampler {
                Sampler::Instance => base.sampler,
                named => named,
            },
            drw_from: match self.drw {
                true => Some(base.drw_from.unwrap_or(DRW_FROM)),
                false => base.drw_from,
            },
            posthoc_tau: match self.posthoc {
                true => Some(base.posthoc_tau.unwrap_or(POSTHOC_TAU)),
                false => base.posthoc_tau,
            },
            ..*base
        }
    }

    /// `[scheme-]loss[@sampler][+drw][+posthoc]`: the scheme when there is
    /// one, the sampler when it is not instance sampling. `scheme:loss` also
    /// reads, and is written where `scheme-loss` would be a loss's name.
    pub fn name(&self) -> String {
        let mut name = match self.scheme {
            SchemeKind::None => self.loss.name().to_owned(),
            scheme => {
                let dashed = format!("{}-{}", scheme.name(), self.loss.name());
                // `balanced-softmax` is a loss: the weighting `balanced` on softmax
                // is written `balanced:softmax`.
                match LossKind::from_name(&dashed) {
                    Some(_) => format!("{}:{}", scheme.name(), self.loss.name()),
                    None => dashed,
                }
            }
        };
        if self.sampler != Sampler::Instance {
            name += &format!("@{}", self.sampler.name());
        }
        if self.drw {
            name += "+drw";
        }
        if self.posthoc {
            name += "+posthoc";
        }
        name
    }

    /// Reads a name written by [`Method::name`] (a scheme of `none` and a
    /// sampler of `instance` may also be written out).
    pub fn parse(name: &str) -> Result<Self, String> {
        let mut parts = name.trim().split('+');
        let head = parts.next().unwrap_or_default();
        let (mut drw, mut posthoc) = (false, false);
        for flag in parts {
            match flag {
                "drw" if !drw => drw = true,
                "posthoc" if !posthoc => posthoc = true,
                _ => {
                    return Err(format!(
                        "\"+{flag}\" in \"{name}\" is not a schedule (+drw) nor post-hoc adjustment (+posthoc), or comes twice"
                    ));
                }
            }
        }
        let (pair, sampler) = match head.split_once('@') {
            Some((pair, s)) => {
                let sampler = Sampler::from_name(s).ok_or_else(|| {
                    let names: Vec<String> = Sampler::ALL.iter().map(|k| k.name()).collect();
                    format!(
                        "\"{s}\" in \"{name}\" is not a sampler (samplers: {}, repeat-factor:t with t in (0, 1])",
                        names.join(", ")
                    )
                })?;
                (pair, sampler)
            }
            None => (head, Sampler::Instance),
        };
        if let Some((scheme, loss)) = pair.split_once(':') {
            return Ok(Self {
                loss: LossKind::from_name(loss)
                    .ok_or_else(|| format!("\"{loss}\" in \"{name}\" is not a loss"))?,
                scheme: SchemeKind::from_name(scheme)
                    .ok_or_else(|| format!("\"{scheme}\" in \"{name}\" is not a scheme"))?,
                sampler,
                drw,
                posthoc,
            });
        }
        // The longest loss name that ends the pair; what comes before it is the scheme.
        let loss = LossKind::ALL
            .into_iter()
            .filter(|k| pair == k.name() || pair.ends_with(&format!("-{}", k.name())))
            .max_by_key(|k| k.name().len())
            .ok_or_else(|| {
                let names: Vec<&str> = LossKind::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "\"{pair}\" is not a loss, nor a scheme-loss pair (losses: {})",
                    names.join(", ")
                )
            })?;
        let scheme = match pair
            .strip_suffix(loss.name())
            .and_then(|p| p.strip_suffix('-'))
        {
            Some(scheme) => SchemeKind::from_name(scheme)
                .ok_or_else(|| format!("\"{scheme}\" in \"{name}\" is not a scheme"))?,
            None => SchemeKind::None,
        };
        Ok(Self {
            loss,
            scheme,
            sampler,
            drw,
            posthoc,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_round_trips_by_name() {
        for loss in LossKind::ALL {
            for scheme in SchemeKind::ALL {
                for sampler in Sampler::ALL {
                    for (drw, posthoc) in
                        [(false, false), (true, false), (false, true), (true, true)]
                    {
                        let m = Method {
                            loss,
                            scheme,
                            sampler,
                            drw,
                            posthoc,
                        };
                        assert_eq!(Method::parse(&m.name()), Ok(m), "{}", m.name());
                        assert_eq!(Method::of(&m.config(&TrainConfig::default())), m);
                    }
                }
            }
        }
    }

    #[test]
    fn what_a_name_leaves_out_comes_from_the_base() {
        let base = TrainConfig {
            sampler: Sampler::Sqrt,
            drw_from: Some(0.5),
            posthoc_tau: Some(0.7),
            ..TrainConfig::default()
        };
        let c = Method::parse("softmax").unwrap().config(&base);
        assert_eq!(
            (c.sampler, c.drw_from, c.posthoc_tau),
            (Sampler::Sqrt, Some(0.5), Some(0.7))
        );
        let c = Method::parse("cb-ldam@class-balanced+drw")
            .unwrap()
            .config(&base);
        assert_eq!((c.sampler, c.drw_from), (Sampler::ClassBalanced, Some(0.5)));
    }

    #[test]
    fn names_read_as_people_write_them() {
        let m = Method::parse("cb-ldam+drw").unwrap();
        assert_eq!(
            (m.loss, m.scheme, m.drw),
            (LossKind::Ldam, SchemeKind::Cb, true)
        );
        let c = m.config(&TrainConfig::default());
        assert_eq!(c.drw_from, Some(DRW_FROM));
        assert_eq!(
            Method::parse("none-softmax@instance"),
            Ok(Method::plain(LossKind::Softmax))
        );
        assert_eq!(
            Method::parse("balanced-softmax").unwrap().loss,
            LossKind::BalancedSoftmax
        );
        assert_eq!(
            Method::parse("balanced:softmax"),
            Ok(Method::weighted(SchemeKind::Balanced, LossKind::Softmax))
        );
        assert_eq!(
            Method::parse("softmax@sqrt").unwrap().sampler,
            Sampler::Sqrt
        );
        for (bad, names) in [
            ("cb-hinge", "hinge"),
            ("xx-softmax", "xx"),
            ("softmax@lottery", "lottery"),
            ("softmax+drw+drw", "twice"),
            ("softmax+later", "later"),
            ("", "not a loss"),
            ("cb:hinge", "hinge"),
            ("xx:softmax", "xx"),
        ] {
            let e = Method::parse(bad).unwrap_err();
            assert!(e.contains(names), "{bad}: {e}");
        }
    }
}
