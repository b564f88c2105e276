//! The lesson's formulas in MathML, written by hand: browsers render MathML
//! Core natively, so no script is needed, and screen readers read it as math.
//! Each formula is a component; none takes text from the user (the two words
//! in the sigmoid's side condition come from the translation files).

use leptos::prelude::*;

use crate::site::i18n::t;

/// `E_n = (1 - β^n) / (1 - β)`.
#[component]
pub fn EffectiveNumberFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="effective-number">
            <mrow>
                <msub><mi>"E"</mi><mi>"n"</mi></msub>
                <mo>"="</mo>
                <mfrac>
                    <mrow><mn>"1"</mn><mo>"−"</mo><msup><mi>"β"</mi><mi>"n"</mi></msup></mrow>
                    <mrow><mn>"1"</mn><mo>"−"</mo><mi>"β"</mi></mrow>
                </mfrac>
                <mo>"="</mo>
                <munderover>
                    <mo>"∑"</mo>
                    <mrow><mi>"j"</mi><mo>"="</mo><mn>"1"</mn></mrow>
                    <mi>"n"</mi>
                </munderover>
                <msup><mi>"β"</mi><mrow><mi>"j"</mi><mo>"−"</mo><mn>"1"</mn></mrow></msup>
            </mrow>
        </math>
    }
}

/// `N = 1 / (1 - β)`, `β = (N - 1) / N`.
#[component]
pub fn PrototypesFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="prototypes">
            <mrow>
                <mi>"N"</mi>
                <mo>"="</mo>
                <mfrac><mn>"1"</mn><mrow><mn>"1"</mn><mo>"−"</mo><mi>"β"</mi></mrow></mfrac>
                <mspace width="2em"></mspace>
                <mi>"β"</mi>
                <mo>"="</mo>
                <mfrac><mrow><mi>"N"</mi><mo>"−"</mo><mn>"1"</mn></mrow><mi>"N"</mi></mfrac>
            </mrow>
        </math>
    }
}

/// The overlap probability `p = E_{n-1} / N`.
#[component]
pub fn OverlapFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="overlap">
            <mrow>
                <mi>"p"</mi>
                <mo>"="</mo>
                <mfrac><msub><mi>"E"</mi><mrow><mi>"n"</mi><mo>"−"</mo><mn>"1"</mn></mrow></msub><mi>"N"</mi></mfrac>
            </mrow>
        </math>
    }
}

/// `E_{n-1}`.
fn e_prev() -> impl IntoView {
    view! { <msub><mi>"E"</mi><mrow><mi>"n"</mi><mo>"−"</mo><mn>"1"</mn></mrow></msub> }
}

/// The induction step: `E_1 = 1`,
/// `E_n = p E_{n-1} + (1 - p)(E_{n-1} + 1) = E_{n-1} + (1 - E_{n-1}/N) = 1 + β E_{n-1}`.
#[component]
pub fn RecursionFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="recursion">
            <mtable>
                <mtr><mtd>
                    <mrow><msub><mi>"E"</mi><mn>"1"</mn></msub><mo>"="</mo><mn>"1"</mn></mrow>
                </mtd></mtr>
                <mtr><mtd>
                    <mrow>
                        <msub><mi>"E"</mi><mi>"n"</mi></msub>
                        <mo>"="</mo>
                        <mi>"p"</mi>{e_prev()}
                        <mo>"+"</mo>
                        <mo>"("</mo><mn>"1"</mn><mo>"−"</mo><mi>"p"</mi><mo>")"</mo>
                        <mo>"("</mo>{e_prev()}<mo>"+"</mo><mn>"1"</mn><mo>")"</mo>
                        <mo>"="</mo>
                        {e_prev()}
                        <mo>"+"</mo>
                        <mo>"("</mo><mn>"1"</mn><mo>"−"</mo>
                        <mfrac>{e_prev()}<mi>"N"</mi></mfrac>
                        <mo>")"</mo>
                        <mo>"="</mo>
                        <mn>"1"</mn><mo>"+"</mo><mi>"β"</mi>{e_prev()}
                    </mrow>
                </mtd></mtr>
            </mtable>
        </math>
    }
}

/// The class-balanced term `(1 - β) / (1 - β^{n_y})`.
fn cb_term() -> impl IntoView {
    view! {
        <mfrac>
            <mrow><mn>"1"</mn><mo>"−"</mo><mi>"β"</mi></mrow>
            <mrow><mn>"1"</mn><mo>"−"</mo><msup><mi>"β"</mi><msub><mi>"n"</mi><mi>"y"</mi></msub></msup></mrow>
        </mfrac>
    }
}

/// `CB(p, y) = (1 - β) / (1 - β^{n_y}) L(p, y) = L(p, y) / E_{n_y}`.
#[component]
pub fn CbTermFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="cb-term">
            <mrow>
                <mi>"CB"</mi><mo>"("</mo><mi>"p"</mi><mo>","</mo><mi>"y"</mi><mo>")"</mo>
                <mo>"="</mo>
                <mfrac><mn>"1"</mn><msub><mi>"E"</mi><msub><mi>"n"</mi><mi>"y"</mi></msub></msub></mfrac>
                <mi>"ℒ"</mi><mo>"("</mo><mi>"p"</mi><mo>","</mo><mi>"y"</mi><mo>")"</mo>
                <mo>"="</mo>
                {cb_term()}
                <mi>"ℒ"</mi><mo>"("</mo><mi>"p"</mi><mo>","</mo><mi>"y"</mi><mo>")"</mo>
            </mrow>
        </math>
    }
}

/// `∑_{j=1}^{C}`.
fn sum_over_classes(index: &'static str) -> impl IntoView {
    view! {
        <munderover>
            <mo>"∑"</mo>
            <mrow><mi>{index}</mi><mo>"="</mo><mn>"1"</mn></mrow>
            <mi>"C"</mi>
        </munderover>
    }
}

/// CB softmax: `-(1-β)/(1-β^{n_y}) log(exp(z_y) / ∑_j exp(z_j))`.
#[component]
pub fn CbSoftmaxFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="cb-softmax">
            <mrow>
                <msub><mi>"CB"</mi><mi>"softmax"</mi></msub>
                <mo>"="</mo>
                <mo>"−"</mo>
                {cb_term()}
                <mi>"log"</mi>
                <mo>"("</mo>
                <mfrac>
                    <mrow><mi>"exp"</mi><mo>"("</mo><msub><mi>"z"</mi><mi>"y"</mi></msub><mo>")"</mo></mrow>
                    <mrow>{sum_over_classes("j")}<mi>"exp"</mi><mo>"("</mo><msub><mi>"z"</mi><mi>"j"</mi></msub><mo>")"</mo></mrow>
                </mfrac>
                <mo>")"</mo>
            </mrow>
        </math>
    }
}

/// `z_j^t`.
fn z_t() -> impl IntoView {
    view! { <msubsup><mi>"z"</mi><mi>"j"</mi><mi>"t"</mi></msubsup> }
}

/// `p_j^t`.
fn p_t() -> impl IntoView {
    view! { <msubsup><mi>"p"</mi><mi>"j"</mi><mi>"t"</mi></msubsup> }
}

/// CB sigmoid: `-(1-β)/(1-β^{n_y}) ∑_j log(sigmoid(z_j^t))`, `z_j^t = z_j` for
/// `j = y`, else `-z_j`.
#[component]
pub fn CbSigmoidFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="cb-sigmoid">
            <mtable>
                <mtr><mtd>
                    <mrow>
                        <msub><mi>"CB"</mi><mi>"sigmoid"</mi></msub>
                        <mo>"="</mo>
                        <mo>"−"</mo>
                        {cb_term()}
                        {sum_over_classes("j")}
                        <mi>"log"</mi>
                        <mo>"("</mo>
                        <mfrac>
                            <mn>"1"</mn>
                            <mrow><mn>"1"</mn><mo>"+"</mo><mi>"exp"</mi><mo>"("</mo><mo>"−"</mo>{z_t()}<mo>")"</mo></mrow>
                        </mfrac>
                        <mo>")"</mo>
                    </mrow>
                </mtd></mtr>
                <mtr><mtd>
                    <mrow>
                        {z_t()}<mo>"="</mo><msub><mi>"z"</mi><mi>"j"</mi></msub>
                        <mtext>{t("math.if")}</mtext><mi>"j"</mi><mo>"="</mo><mi>"y"</mi><mo>","</mo>
                        <mspace width="1em"></mspace>
                        <mo>"−"</mo><msub><mi>"z"</mi><mi>"j"</mi></msub>
                        <mtext>{t("math.otherwise")}</mtext>
                    </mrow>
                </mtd></mtr>
            </mtable>
        </math>
    }
}

/// CB focal: `-(1-β)/(1-β^{n_y}) ∑_j (1 - p_j^t)^γ log(p_j^t)`, `p_j^t = sigmoid(z_j^t)`.
#[component]
pub fn CbFocalFormula() -> impl IntoView {
    view! {
        <math display="block" class="formula" data-formula="cb-focal">
            <mtable>
                <mtr><mtd>
                    <mrow>
                        <msub><mi>"CB"</mi><mi>"focal"</mi></msub>
                        <mo>"="</mo>
                        <mo>"−"</mo>
                        {cb_term()}
                        {sum_over_classes("j")}
                        <msup>
                            <mrow><mo>"("</mo><mn>"1"</mn><mo>"−"</mo>{p_t()}<mo>")"</mo></mrow>
                            <mi>"γ"</mi>
                        </msup>
                        <mi>"log"</mi>
                        <mo>"("</mo>{p_t()}<mo>")"</mo>
                    </mrow>
                </mtd></mtr>
                <mtr><mtd>
                    <mrow>
                        {p_t()}<mo>"="</mo>
                        <mfrac>
                            <mn>"1"</mn>
                            <mrow><mn>"1"</mn><mo>"+"</mo><mi>"exp"</mi><mo>"("</mo><mo>"−"</mo>{z_t()}<mo>")"</mo></mrow>
                        </mfrac>
                    </mrow>
                </mtd></mtr>
            </mtable>
        </math>
    }
}
