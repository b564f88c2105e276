//! The lesson's formulas as MathML markup, built from a few hand-written
//! helpers: browsers render MathML Core natively, so no script is needed, and
//! screen readers read it as math. The site sets this markup as a
//! container's HTML; it is built only from the constants below and from the
//! site's own translation strings, each escaped, never from user input.
//! (Markup strings rather than a Leptos view tree keep the site's WebAssembly
//! small: a typed view of 400 elements costs far more code than a string.)

/// `text` with `&`, `<`, `>` and `"` escaped, for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// An element with children given as markup.
fn el(tag: &str, children: &[&str]) -> String {
    format!("<{tag}>{}</{tag}>", children.concat())
}

/// An identifier, `<mi>`.
pub fn mi(x: &str) -> String {
    format!("<mi>{}</mi>", escape(x))
}

/// A number, `<mn>`.
pub fn mn(x: &str) -> String {
    format!("<mn>{}</mn>", escape(x))
}

/// An operator, `<mo>`.
pub fn mo(x: &str) -> String {
    format!("<mo>{}</mo>", escape(x))
}

/// Text, `<mtext>`.
pub fn mtext(x: &str) -> String {
    format!("<mtext>{}</mtext>", escape(x))
}

/// A row of pieces.
pub fn mrow(children: &[&str]) -> String {
    el("mrow", children)
}

/// `base_sub`.
pub fn msub(base: &str, sub: &str) -> String {
    el("msub", &[base, sub])
}

/// `base^sup`.
pub fn msup(base: &str, sup: &str) -> String {
    el("msup", &[base, sup])
}

/// `base_sub^sup`.
pub fn msubsup(base: &str, sub: &str, sup: &str) -> String {
    el("msubsup", &[base, sub, sup])
}

/// `num / den` as a built-up fraction.
pub fn mfrac(num: &str, den: &str) -> String {
    el("mfrac", &[num, den])
}

/// An operator with limits under and over it (a sum).
pub fn munderover(op: &str, under: &str, over: &str) -> String {
    el("munderover", &[op, under, over])
}

/// `op` with `under` beneath it.
pub fn munder(op: &str, under: &str) -> String {
    el("munder", &[op, under])
}

/// Horizontal space of `em` ems.
pub fn space(em: f64) -> String {
    format!("<mspace width=\"{em}em\"></mspace>")
}

/// Lines of a formula, one per table row.
pub fn lines(rows: &[&str]) -> String {
    let rows: Vec<String> = rows
        .iter()
        .map(|r| el("mtr", &[&el("mtd", &[r])]))
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    el("mtable", &rows)
}

/// A displayed formula: `<math display="block">` with the lesson's class and a
/// `data-formula` name for tests and styles.
pub fn block(name: &str, body: &str) -> String {
    format!(
        "<math display=\"block\" class=\"formula\" data-formula=\"{}\">{body}</math>",
        escape(name)
    )
}

/// `1 − x`.
fn one_minus(x: &str) -> String {
    mrow(&[&mn("1"), &mo("−"), x])
}

/// `E_{n−1}`.
fn e_prev() -> String {
    msub(&mi("E"), &mrow(&[&mi("n"), &mo("−"), &mn("1")]))
}

/// `∑_{index=1}^{top}`.
fn sum(index: &str, top: &str) -> String {
    munderover(&mo("∑"), &mrow(&[&mi(index), &mo("="), &mn("1")]), &mi(top))
}

/// `(inner)`.
fn parens(inner: &str) -> String {
    mrow(&[&mo("("), inner, &mo(")")])
}

/// `E_n = (1 − β^n)/(1 − β) = ∑_{j=1}^n β^{j−1}`.
pub fn effective_number() -> String {
    block(
        "effective-number",
        &mrow(&[
            &msub(&mi("E"), &mi("n")),
            &mo("="),
            &mfrac(&one_minus(&msup(&mi("β"), &mi("n"))), &one_minus(&mi("β"))),
            &mo("="),
            &sum("j", "n"),
            &msup(&mi("β"), &mrow(&[&mi("j"), &mo("−"), &mn("1")])),
        ]),
    )
}

/// `N = 1/(1 − β)`, `β = (N − 1)/N`.
pub fn prototypes() -> String {
    block(
        "prototypes",
        &mrow(&[
            &mi("N"),
            &mo("="),
            &mfrac(&mn("1"), &one_minus(&mi("β"))),
            &space(2.0),
            &mi("β"),
            &mo("="),
            &mfrac(&mrow(&[&mi("N"), &mo("−"), &mn("1")]), &mi("N")),
        ]),
    )
}

/// `p = E_{n−1}/N`.
pub fn overlap() -> String {
    block(
        "overlap",
        &mrow(&[&mi("p"), &mo("="), &mfrac(&e_prev(), &mi("N"))]),
    )
}

/// `E_1 = 1`; `E_n = p E_{n−1} + (1 − p)(E_{n−1} + 1) = E_{n−1} + (1 − E_{n−1}/N) = 1 + β E_{n−1}`.
pub fn recursion() -> String {
    let e = e_prev();
    block(
        "recursion",
        &lines(&[
            &mrow(&[&msub(&mi("E"), &mn("1")), &mo("="), &mn("1")]),
            &mrow(&[
                &msub(&mi("E"), &mi("n")),
                &mo("="),
                &mi("p"),
                &e,
                &mo("+"),
                &parens(&one_minus(&mi("p"))),
                &parens(&mrow(&[&e, &mo("+"), &mn("1")])),
                &mo("="),
                &e,
                &mo("+"),
                &parens(&one_minus(&mfrac(&e, &mi("N")))),
                &mo("="),
                &mn("1"),
                &mo("+"),
                &mi("β"),
                &e,
            ]),
        ]),
    )
}

/// `(1 − β)/(1 − β^{n_y})`.
fn cb_term() -> String {
    mfrac(
        &one_minus(&mi("β")),
        &one_minus(&msup(&mi("β"), &msub(&mi("n"), &mi("y")))),
    )
}

/// `ℒ(p, y)`.
fn loss() -> String {
    mrow(&[&mi("ℒ"), &parens(&mrow(&[&mi("p"), &mo(","), &mi("y")]))])
}

/// `CB(p, y) = ℒ(p, y)/E_{n_y} = (1 − β)/(1 − β^{n_y}) ℒ(p, y)`.
pub fn cb_term_formula() -> String {
    block(
        "cb-term",
        &mrow(&[
            &mi("CB"),
            &parens(&mrow(&[&mi("p"), &mo(","), &mi("y")])),
            &mo("="),
            &mfrac(&mn("1"), &msub(&mi("E"), &msub(&mi("n"), &mi("y")))),
            &loss(),
            &mo("="),
            &cb_term(),
            &loss(),
        ]),
    )
}

/// `exp(x)`.
fn exp(x: &str) -> String {
    mrow(&[&mi("exp"), &parens(x)])
}

/// CB softmax: `−(1 − β)/(1 − β^{n_y}) log(exp(z_y) / ∑_j exp(z_j))`.
pub fn cb_softmax() -> String {
    let z = |i: &str| msub(&mi("z"), &mi(i));
    block(
        "cb-softmax",
        &mrow(&[
            &msub(&mi("CB"), &mi("softmax")),
            &mo("="),
            &mo("−"),
            &cb_term(),
            &mi("log"),
            &parens(&mfrac(
                &exp(&z("y")),
                &mrow(&[&sum("j", "C"), &exp(&z("j"))]),
            )),
        ]),
    )
}

/// `z_j^t = z_j if j = y, −z_j otherwise`, with the two words given.
fn z_t_definition(if_word: &str, otherwise_word: &str) -> String {
    let z_j = msub(&mi("z"), &mi("j"));
    mrow(&[
        &msubsup(&mi("z"), &mi("j"), &mi("t")),
        &mo("="),
        &z_j,
        &mtext(if_word),
        &mi("j"),
        &mo("="),
        &mi("y"),
        &mo(","),
        &space(1.0),
        &mo("−"),
        &z_j,
        &mtext(otherwise_word),
    ])
}

/// `1/(1 + exp(−z_j^t))`.
fn sigmoid_of_z_t() -> String {
    mfrac(
        &mn("1"),
        &mrow(&[
            &mn("1"),
            &mo("+"),
            &exp(&mrow(&[&mo("−"), &msubsup(&mi("z"), &mi("j"), &mi("t"))])),
        ]),
    )
}

/// CB sigmoid: `−(1 − β)/(1 − β^{n_y}) ∑_j log(1/(1 + exp(−z_j^t)))`, with the
/// side condition's two words (`if`, `otherwise`) in the reader's language.
pub fn cb_sigmoid(if_word: &str, otherwise_word: &str) -> String {
    block(
        "cb-sigmoid",
        &lines(&[
            &mrow(&[
                &msub(&mi("CB"), &mi("sigmoid")),
                &mo("="),
                &mo("−"),
                &cb_term(),
                &sum("j", "C"),
                &mi("log"),
                &parens(&sigmoid_of_z_t()),
            ]),
            &z_t_definition(if_word, otherwise_word),
        ]),
    )
}

/// CB focal: `−(1 − β)/(1 − β^{n_y}) ∑_j (1 − p_j^t)^γ log(p_j^t)`,
/// `p_j^t = 1/(1 + exp(−z_j^t))`.
pub fn cb_focal() -> String {
    let p_t = msubsup(&mi("p"), &mi("j"), &mi("t"));
    block(
        "cb-focal",
        &lines(&[
            &mrow(&[
                &msub(&mi("CB"), &mi("focal")),
                &mo("="),
                &mo("−"),
                &cb_term(),
                &sum("j", "C"),
                &msup(&parens(&one_minus(&p_t)), &mi("γ")),
                &mi("log"),
                &parens(&p_t),
            ]),
            &mrow(&[&p_t, &mo("="), &sigmoid_of_z_t()]),
        ]),
    )
}

/// `log(exp(a) / ∑_j exp(b_j))`: the log-softmax of a logit `a` among `b_j`.
fn log_softmax(a: &str, b_j: &str) -> String {
    mrow(&[
        &mi("log"),
        &parens(&mfrac(&exp(a), &mrow(&[&sum("j", "C"), &exp(b_j)]))),
    ])
}

/// `x_j`.
fn sub_j(x: &str) -> String {
    msub(&mi(x), &mi("j"))
}

/// `x_y`.
fn sub_y(x: &str) -> String {
    msub(&mi(x), &mi("y"))
}

/// The logit-adjusted loss: `−log(exp(z_y + τ log π_y) / ∑_j exp(z_j + τ log π_j))`,
/// `π_j = n_j / ∑_i n_i`.
pub fn logit_adjusted() -> String {
    let adjusted = |z: &str, pi: &str| mrow(&[z, &mo("+"), &mi("τ"), &mi("log"), pi]);
    block(
        "logit-adjusted",
        &lines(&[
            &mrow(&[
                &msub(&mi("L"), &mi("LA")),
                &mo("="),
                &mo("−"),
                &log_softmax(
                    &adjusted(&sub_y("z"), &sub_y("π")),
                    &adjusted(&sub_j("z"), &sub_j("π")),
                ),
            ]),
            &mrow(&[
                &sub_j("π"),
                &mo("="),
                &mfrac(
                    &sub_j("n"),
                    &mrow(&[&sum("i", "C"), &msub(&mi("n"), &mi("i"))]),
                ),
            ]),
        ]),
    )
}

/// Balanced softmax: `−log(n_y exp(z_y) / ∑_j n_j exp(z_j))`.
pub fn balanced_softmax() -> String {
    block(
        "balanced-softmax",
        &mrow(&[
            &msub(&mi("L"), &mi("BS")),
            &mo("="),
            &mo("−"),
            &mi("log"),
            &parens(&mfrac(
                &mrow(&[&sub_y("n"), &exp(&sub_y("z"))]),
                &mrow(&[&sum("j", "C"), &sub_j("n"), &exp(&sub_j("z"))]),
            )),
        ]),
    )
}

/// Post-hoc adjustment: `ŷ = argmax_j (z_j − τ log π_j)`.
pub fn posthoc() -> String {
    block(
        "posthoc",
        &mrow(&[
            &mi("ŷ"),
            &mo("="),
            &msub(&mi("argmax"), &mi("j")),
            &parens(&mrow(&[
                &sub_j("z"),
                &mo("−"),
                &mi("τ"),
                &mi("log"),
                &sub_j("π"),
            ])),
        ]),
    )
}

/// LDAM: `−log(exp(s(z_y − Δ_y)) / (exp(s(z_y − Δ_y)) + ∑_{j≠y} exp(s z_j)))`,
/// `Δ_j = K / n_j^{1/4}` (K sets the largest margin).
pub fn ldam() -> String {
    let margin = exp(&mrow(&[
        &mi("s"),
        &parens(&mrow(&[&sub_y("z"), &mo("−"), &sub_y("Δ")])),
    ]));
    let others = mrow(&[
        &munder(&mo("∑"), &mrow(&[&mi("j"), &mo("≠"), &mi("y")])),
        &exp(&mrow(&[&mi("s"), &sub_j("z")])),
    ]);
    block(
        "ldam",
        &lines(&[
            &mrow(&[
                &msub(&mi("L"), &mi("LDAM")),
                &mo("="),
                &mo("−"),
                &mi("log"),
                &parens(&mfrac(&margin, &mrow(&[&margin, &mo("+"), &others]))),
            ]),
            &mrow(&[
                &sub_j("Δ"),
                &mo("="),
                &mfrac(&mi("K"), &msup(&sub_j("n"), &mfrac(&mn("1"), &mn("4")))),
            ]),
        ]),
    )
}

/// Re-sampling: `P(class j) = n_j^q / ∑_i n_i^q`.
pub fn resampling() -> String {
    let power = |n: &str| msup(n, &mi("q"));
    block(
        "resampling",
        &mrow(&[
            &mi("P"),
            &parens(&mi("j")),
            &mo("="),
            &mfrac(
                &power(&sub_j("n")),
                &mrow(&[&sum("i", "C"), &power(&msub(&mi("n"), &mi("i")))]),
            ),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that every tag is closed in order and returns the element names.
    fn elements(markup: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut names = Vec::new();
        let mut rest = markup;
        while let Some(open) = rest.find('<') {
            let close = rest[open..].find('>').expect("a tag ends") + open;
            let tag = &rest[open + 1..close];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "in {markup}");
            } else {
                let name = tag.split_whitespace().next().unwrap().to_string();
                names.push(name.clone());
                stack.push(name);
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        names
    }

    #[test]
    fn every_formula_is_well_formed_mathml() {
        let all = [
            effective_number(),
            prototypes(),
            overlap(),
            recursion(),
            cb_term_formula(),
            cb_softmax(),
            cb_sigmoid(" if ", " otherwise"),
            cb_focal(),
            logit_adjusted(),
            balanced_softmax(),
            posthoc(),
            ldam(),
            resampling(),
        ];
        for f in &all {
            let names = elements(f);
            assert_eq!(names[0], "math");
            assert!(f.starts_with("<math display=\"block\" class=\"formula\" data-formula="));
            const MATHML: [&str; 16] = [
                "math",
                "mrow",
                "mi",
                "mn",
                "mo",
                "mtext",
                "msub",
                "msup",
                "msubsup",
                "mfrac",
                "munderover",
                "munder",
                "mspace",
                "mtable",
                "mtr",
                "mtd",
            ];
            assert!(
                names.iter().all(|n| MATHML.contains(&n.as_str())),
                "{names:?}"
            );
        }
        // The effective number: one fraction, beta to the n.
        assert_eq!(
            elements(&all[0]).iter().filter(|n| *n == "mfrac").count(),
            1
        );
        assert!(all[0].contains("<msup><mi>β</mi><mi>n</mi></msup>"));
        // The recursion has two lines: the base case and the step.
        assert_eq!(all[3].matches("<mtr>").count(), 2);
    }

    #[test]
    fn words_are_escaped() {
        let f = cb_sigmoid("<b>if</b>", "a & \"b\"");
        assert!(f.contains("<mtext>&lt;b&gt;if&lt;/b&gt;</mtext>"));
        assert!(f.contains("<mtext>a &amp; &quot;b&quot;</mtext>"));
        elements(&f);
    }
}
