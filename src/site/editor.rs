//! The distribution editor: a bar chart of class counts to paint with a
//! mouse, pen or finger, or to step through with the keyboard; presets, the
//! profile generator, sorting, and pasting or dropping counts.

use super::canvas::Backend;
use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use plotters::prelude::*;
use wasm_bindgen::JsCast;

use super::deferred::{Deferred, Part};
use super::dom;
use super::i18n::{t, use_page};
use super::state::use_explorer;
use super::text_file::{file_input, read_text};
use crate::charts::Theme;
use crate::charts::editor::{self, EditorChart, EditorGeometry, nice_y_max};
use crate::data::counts_input::{InputFormat, ParsedCounts, parse_counts};
use crate::data::decimal::parse_f64;
use crate::data::profiles::{PRESETS, Profile};
use crate::explorer::edit::{Nudge, nudge, paint};
use crate::explorer::state::{DEFAULT_PRESET, Distribution, Source};
use crate::i18n::{Message, tr_with};

/// The editor with its tools.
#[component]
pub fn DistributionEditor() -> impl IntoView {
    view! {
        <section class="panel editor" aria-labelledby="editor-title">
            <h2 id="editor-title">{t("editor.title")}</h2>
            <p class="hint">{t("editor.hint")}</p>
            <SourceTools />
            <EditorCanvas />
            <PasteCounts />
            <Deferred part=Part::DataSet />
        </section>
    }
}

/// Preset, generator, scale, sort and reset.
#[component]
fn SourceTools() -> impl IntoView {
    let ex = use_explorer();
    let preset_value = Memo::new(move |_| {
        ex.source.with(|s| match s {
            Source::Preset(name) => (*name).to_owned(),
            Source::Profile(_) => "generated".to_owned(),
            Source::Custom => "custom".to_owned(),
        })
    });
    let (kind, set_kind) = signal("exp".to_owned());
    let (classes, set_classes) = signal("10".to_owned());
    let (max, set_max) = signal("5000".to_owned());
    let (imbalance, set_imbalance) = signal("100".to_owned());
    let (generator_error, set_generator_error) = signal(None::<Message>);
    let lang = use_page().lang;

    let generate = move |_| {
        let parse = |text: String, what: &'static str| -> Result<f64, Message> {
            parse_f64(text.trim()).ok_or_else(|| {
                Message::new("editor.not_a_number")
                    .with_message("what", Message::new(what))
                    .with("text", text.trim())
            })
        };
        let profile = (|| -> Result<Profile, Message> {
            let c = parse(classes.get(), "editor.classes")?;
            let m = parse(max.get(), "editor.largest")?;
            let r = parse(imbalance.get(), "editor.imbalance")?;
            if c.fract() != 0.0 || c < 0.0 || m.fract() != 0.0 || m < 0.0 {
                return Err(Message::new("editor.whole_numbers"));
            }
            let (classes, max) = (c as usize, m as u64);
            Ok(match kind.get().as_str() {
                "step" => Profile::Step {
                    classes,
                    max,
                    imbalance: r,
                },
                "uniform" => Profile::Uniform {
                    classes,
                    count: max,
                },
                _ => Profile::Exponential {
                    classes,
                    max,
                    imbalance: r,
                },
            })
        })();
        match profile.and_then(Distribution::profile) {
            Ok(d) => {
                set_generator_error.set(None);
                ex.state.update(|s| s.distribution = d);
            }
            Err(e) => set_generator_error.set(Some(e)),
        }
    };

    view! {
        <div class="tools">
            <label>
                {t("editor.preset")}
                <select
                    aria-label=t("editor.preset_label")
                    id="preset"
                    prop:value=preset_value
                    on:change=move |ev| {
                        if let Some(d) = Distribution::preset(&event_target_value(&ev)) {
                            ex.state.update(|s| s.distribution = d);
                        }
                    }
                >
                    {PRESETS
                        .iter()
                        .map(|p| view! { <option value=p.name>{move || p.label(lang.get())}</option> })
                        .collect_view()}
                    <option value="generated" disabled=true>{t("editor.generated")}</option>
                    <option value="custom" disabled=true>{t("editor.custom")}</option>
                </select>
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    id="log-scale"
                    prop:checked=ex.log_scale
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        ex.state.update(|s| s.log_scale = on);
                    }
                />
                {t("editor.log_scale")}
            </label>
            <button
                type="button"
                on:click=move |_| ex.state.update(|s| s.distribution = s.distribution.sorted_descending())
            >
                {t("editor.sort")}
            </button>
            <button
                type="button"
                on:click=move |_| {
                    ex.state.update(|s| s.distribution = Distribution::preset(DEFAULT_PRESET).expect("the default preset exists"))
                }
            >
                {t("editor.reset")}
            </button>
        </div>
        <details class="generator">
            <summary>{t("editor.generate_title")}</summary>
            <div class="tools">
                <label>
                    {t("editor.shape")}
                    <select aria-label=t("editor.shape_label") on:change=move |ev| set_kind.set(event_target_value(&ev))>
                        <option value="exp">{t("editor.shape_exp")}</option>
                        <option value="step">{t("editor.shape_step")}</option>
                        <option value="uniform">{t("editor.shape_uniform")}</option>
                    </select>
                </label>
                <label>
                    {t("editor.classes")}
                    <input type="number" min="2" max="10000" prop:value=classes
                        on:input=move |ev| set_classes.set(event_target_value(&ev)) />
                </label>
                <label>
                    {t("editor.largest")}
                    <input type="number" min="1" prop:value=max
                        on:input=move |ev| set_max.set(event_target_value(&ev)) />
                </label>
                <label>
                    {t("editor.imbalance")}
                    <input type="number" min="1" prop:value=imbalance
                        on:input=move |ev| set_imbalance.set(event_target_value(&ev)) />
                </label>
                <button type="button" on:click=generate>{t("editor.generate")}</button>
            </div>
            {move || generator_error.get().map(|e| view! { <p class="error" role="alert">{move || e.in_lang(lang.get())}</p> })}
        </details>
    }
}

/// The canvas people paint on.
#[component]
fn EditorCanvas() -> impl IntoView {
    let ex = use_explorer();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let geometry = StoredValue::new_local(None::<EditorGeometry>);
    let fit = StoredValue::new_local(CanvasFit::default());
    // The point of the last pointer event while a drag is on; the y axis holds still meanwhile.
    let drag = StoredValue::new_local(None::<(usize, u64)>);
    let (y_max, set_y_max) = signal(1u64);
    let (selected, set_selected) = signal(None::<usize>);

    Effect::new(move |_| {
        if drag.with_value(Option::is_none) {
            let log = ex.log_scale.get();
            let top = ex.counts.with(|c| c.iter().copied().max().unwrap_or(1));
            set_y_max.set(nice_y_max(top, log));
        }
    });

    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        let chart = EditorChart {
            counts: ex.counts.get(),
            log_y: ex.log_scale.get(),
            y_max: y_max.get(),
            selected: selected.get(),
        };
        let mut sizing = fit.get_value();
        let width = sizing.fit(&canvas, ex.width.get(), (0.45, 0.9), 260.0, 420.0);
        fit.set_value(sizing);
        let theme = theme_for_width(ex.theme.get(), width);
        let Some(backend) = Backend::canvas(&canvas) else {
            return;
        };
        let area = backend.into_drawing_area();
        if let Ok(g) = editor::draw(&area, &chart, &theme) {
            geometry.set_value(Some(g));
        }
        let _ = area.present();
    });

    let point = move |ev: &web_sys::PointerEvent| -> Option<(usize, u64)> {
        let scale = dom::pixel_ratio();
        let (x, y) = (ev.offset_x() as f64 * scale, ev.offset_y() as f64 * scale);
        geometry.with_value(|g| g.as_ref().map(|g| (g.class_at(x), g.count_at(y))))
    };
    let apply = move |from: (usize, u64), to: (usize, u64)| {
        ex.state.update(|s| {
            let mut counts = s.distribution.counts.clone();
            paint(&mut counts, from, to, s.log_scale);
            s.distribution = s.distribution.edited(counts);
        });
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let Some(p) = point(&ev) else { return };
        ev.prevent_default();
        if let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
        drag.set_value(Some(p));
        set_selected.set(Some(p.0));
        apply(p, p);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some(last) = drag.get_value() else { return };
        let Some(p) = point(&ev) else { return };
        drag.set_value(Some(p));
        set_selected.set(Some(p.0));
        apply(last, p);
    };
    let on_up = move |_: web_sys::PointerEvent| {
        drag.set_value(None);
        let log = ex.log_scale.get_untracked();
        let top = ex
            .counts
            .with_untracked(|c| c.iter().copied().max().unwrap_or(1));
        set_y_max.set(nice_y_max(top, log));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let classes = ex.counts.with_untracked(Vec::len);
        let current = selected.get_untracked().unwrap_or(0).min(classes - 1);
        let step = (classes / 20).max(1);
        let target = match ev.key().as_str() {
            "ArrowLeft" => Some(current.saturating_sub(1)),
            "ArrowRight" => Some((current + 1).min(classes - 1)),
            "Home" => Some(0),
            "End" => Some(classes - 1),
            "<" => Some(current.saturating_sub(step)),
            ">" => Some((current + step).min(classes - 1)),
            _ => None,
        };
        let change = match ev.key().as_str() {
            "ArrowUp" => Some(Nudge::Up),
            "ArrowDown" => Some(Nudge::Down),
            "PageUp" => Some(Nudge::PageUp),
            "PageDown" => Some(Nudge::PageDown),
            _ => None,
        };
        if let Some(t) = target {
            ev.prevent_default();
            set_selected.set(Some(t));
        } else if let Some(n) = change {
            ev.prevent_default();
            set_selected.set(Some(current));
            ex.state.update(|s| {
                let mut counts = s.distribution.counts.clone();
                counts[current] = nudge(counts[current], n);
                s.distribution = s.distribution.edited(counts);
            });
        }
    };
    let lang = use_page().lang;
    let announcement = move || {
        selected.get().map(|i| {
            let n = ex.counts.with(|c| c.get(i).copied().unwrap_or(0));
            let name = ex
                .state
                .with(|s| s.distribution.name(i.min(s.distribution.counts.len() - 1)));
            tr_with(
                lang.get(),
                "editor.announce",
                &[("name", &name), ("n", &n.to_string())],
            )
        })
    };

    view! {
        <div class="canvas-wrap">
            <canvas
                node_ref=canvas
                id="editor"
                class="editor-canvas"
                tabindex="0"
                role="img"
                aria-label=t("editor.canvas_label")
                aria-describedby="weights-table"
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:keydown=on_key
            ></canvas>
        </div>
        <p class="live" aria-live="polite">{announcement}</p>
    }
}

/// Keeps a canvas's pixel size at its CSS size times the device pixel ratio,
/// with height = width * aspect (taller on a phone) within [min_height,
/// max_height] CSS pixels. It reads the page layout only when the window's
/// width changed: reading it after other effects touched the DOM would force a
/// layout on every redraw.
#[derive(Clone, Copy, Debug, Default)]
pub struct CanvasFit {
    window_width: f64,
    css_width: f64,
}

impl CanvasFit {
    /// Fits `canvas` for a window `window_width` CSS pixels wide, its height
    /// `aspect` times its width, or `narrow_aspect` times it when narrower
    /// than 560 px (a phone); returns the canvas's CSS width.
    pub fn fit(
        &mut self,
        canvas: &web_sys::HtmlCanvasElement,
        window_width: f64,
        (aspect, narrow_aspect): (f64, f64),
        min_height: f64,
        max_height: f64,
    ) -> f64 {
        if self.window_width == window_width && self.css_width > 0.0 {
            return self.css_width;
        }
        let scale = dom::pixel_ratio();
        let parent_width = canvas
            .parent_element()
            .map_or(640.0, |p| p.client_width() as f64);
        let width = parent_width.max(200.0);
        let aspect = if width < 560.0 { narrow_aspect } else { aspect };
        let height = (width * aspect).clamp(min_height, max_height);
        let style = web_sys::HtmlElement::style(canvas);
        let _ = style.set_property("width", &format!("{width}px"));
        let _ = style.set_property("height", &format!("{height}px"));
        canvas.set_width((width * scale).round() as u32);
        canvas.set_height((height * scale).round() as u32);
        *self = Self {
            // A hidden canvas (a slide not shown) has no width yet: measure again next time.
            window_width: if parent_width > 0.0 {
                window_width
            } else {
                f64::NAN
            },
            css_width: width,
        };
        width
    }
}

/// The theme for a chart `width` CSS pixels wide: type grows on wide charts
/// (a projector) up to 1.5 times.
pub fn theme_for_width(theme: Theme, width: f64) -> Theme {
    Theme {
        scale: theme.scale * (width / 640.0).clamp(1.0, 1.5),
        ..theme
    }
}

/// The theme of a chart on a presentation slide: type and lines 1.35 times
/// larger again, to be read from the back of a room.
pub fn theme_for_slide(theme: Theme) -> Theme {
    Theme {
        scale: theme.scale * 1.35,
        ..theme
    }
}

/// Reads pasted or uploaded counts. The readers (CSV, labels) are in a wasm
/// chunk of their own, fetched on the first paste: few readers paste, and
/// with the csv crate they were 2% of the first load. A link's counts are a
/// plain list, read without them ([`crate::data::counts_input::parse_count_list`]).
#[wasm_split(counts_reader, wasm_split_path = ::leptos::wasm_split, fallible)]
fn read_counts(
    input: String,
    format: InputFormat,
) -> Result<Result<ParsedCounts, Message>, SplitLoaderError> {
    Ok(parse_counts(&input, format).map_err(|e| e.message()))
}

/// Pasting, uploading or dropping counts.
#[component]
fn PasteCounts() -> impl IntoView {
    let ex = use_explorer();
    let (text, set_text) = signal(String::new());
    let (labels, set_labels) = signal(false);
    let (error, set_error) = signal(None::<String>);
    let (done, set_done) = signal(None::<String>);
    let lang = use_page().lang;

    let apply = move |input: String| {
        let format = if labels.get_untracked() {
            InputFormat::Labels
        } else {
            InputFormat::Auto
        };
        leptos::task::spawn_local(async move {
            let lang = lang.get_untracked();
            match read_counts(input, format)
                .await
                .unwrap_or_else(|_| Err(Message::new("editor.reader_failed")))
                .and_then(|p| Distribution::custom(p.counts, p.names))
            {
                Ok(d) => {
                    set_error.set(None);
                    set_done.set(Some(tr_with(
                        lang,
                        "editor.using",
                        &[("classes", &d.counts.len().to_string())],
                    )));
                    ex.state.update(|s| s.distribution = d);
                }
                Err(e) => {
                    set_done.set(None);
                    set_error.set(Some(tr_with(
                        lang,
                        "editor.unchanged",
                        &[("error", &e.in_lang(lang))],
                    )));
                }
            }
        });
    };
    let read_file = move |file: web_sys::File| {
        read_text(
            file,
            move |content| {
                set_text.set(content.clone());
                apply(content);
            },
            move |e| set_error.set(Some(e.in_lang(lang.get_untracked()))),
        );
    };

    view! {
        <details class="paste">
            <summary>{t("editor.paste_title")}</summary>
            <p class="hint">
                {t("editor.paste_hint_1")}
                <code>"class,count"</code>
                {t("editor.paste_hint_2")}
            </p>
            <textarea
                id="paste-counts"
                aria-label=t("editor.paste_label")
                rows="4"
                placeholder="5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50"
                prop:value=text
                on:input=move |ev| set_text.set(event_target_value(&ev))
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                        read_file(file);
                    }
                }
            ></textarea>
            <div class="tools">
                <button type="button" id="apply-counts" on:click=move |_| apply(text.get_untracked())>
                    {t("editor.use_counts")}
                </button>
                <label class="check">
                    <input type="checkbox" on:change=move |ev| set_labels.set(event_target_checked(&ev)) />
                    {t("editor.labels")}
                </label>
                {file_input("counts-file", read_file)}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" id="paste-error">{e}</p> })}
            {move || done.get().map(|d| view! { <p class="ok" role="status">{d}</p> })}
        </details>
    }
}
