//! The training panel's figures: the mean training loss per epoch of each
//! compared run, and the colours of the toy task's classes.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::Axis;
use super::frame::{self, Corner, Frame, Key};
use super::series::{draw_lines, split_gaps};
use super::{DrawResult, Theme};
use crate::i18n::Message;

/// Paul Tol's "muted" scheme: ten class colours that stay apart for
/// colour-blind readers; beyond ten classes, evenly spaced hues.
const TOL_MUTED: [RGBColor; 10] = [
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x88, 0xcc, 0xee),
    RGBColor(0x44, 0xaa, 0x99),
    RGBColor(0x11, 0x77, 0x33),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0xdd, 0xcc, 0x77),
    RGBColor(0xcc, 0x66, 0x77),
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0xaa, 0x44, 0x99),
    RGBColor(0xdd, 0xdd, 0xdd),
];

/// The colour of class `c` of `classes`.
pub fn class_colour(c: usize, classes: usize) -> RGBColor {
    if classes <= TOL_MUTED.len() {
        return TOL_MUTED[c];
    }
    let hsl = HSLColor(c as f64 / classes as f64, 0.6, 0.5);
    let rgb = hsl.to_backend_color().rgb;
    RGBColor(rgb.0, rgb.1, rgb.2)
}

/// Loss curves of several runs.
#[derive(Clone, Debug, PartialEq)]
pub struct LossCurvesChart {
    /// (label, mean training loss of each finished epoch) per run.
    pub runs: Vec<(Message, Vec<f32>)>,
    /// Epochs the runs will take, for the x axis.
    pub epochs: usize,
}

/// The chart's title (a translation key, as are the other titles).
pub const TITLE: &str = "chart.loss.title";

/// What an empty training chart says instead of data (before any training).
pub const TRAIN_TO_FILL: &str = "chart.train_to_fill";

/// Draws the loss of every run against the epoch (log y: losses of different
/// weightings differ in scale).
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &LossCurvesChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let values = data
        .runs
        .iter()
        .flat_map(|(_, v)| v.iter().map(|&l| l as f64))
        .filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = if lo.is_finite() {
        (lo * 0.8, hi * 1.25)
    } else {
        (0.01, 10.0)
    };
    let x = Axis::linear(1.0, data.epochs.max(2) as f64);
    let y = Axis::log(lo, hi);
    let frame = Frame {
        title: theme.text(TITLE),
        x,
        y,
        x_desc: &[theme.text("chart.loss.x")],
        y_desc: &[theme.text("chart.loss.y"), theme.text("chart.loss.y_short")],
    };
    let keys = data
        .runs
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let (colour, width) = theme.curve(i, false);
            Key::line(theme.message(label), &colour, width)
        })
        .collect();
    let mut framed = frame::build(area, theme, &frame, keys, Corner::UpperRight)?;
    if data.runs.iter().all(|(_, losses)| losses.is_empty()) {
        framed.note(theme, theme.text(TRAIN_TO_FILL))?;
    }
    let chart = &mut framed.chart;
    for (i, (_, losses)) in data.runs.iter().enumerate() {
        let (colour, width) = theme.curve(i, false);
        let points = losses
            .iter()
            .enumerate()
            .map(|(e, &l)| (x.to_plot_or_nan(e as f64 + 1.0), y.to_plot_or_nan(l as f64)));
        draw_lines(
            chart,
            theme,
            split_gaps(points),
            colour.stroke_width(theme.stroke(width)),
            width,
        )?;
    }
    framed.finish(theme)
}

/// The tau slider's curve: balanced test accuracy of the softmax run
/// re-scored with post-hoc logit adjustment, against tau.
#[derive(Clone, Debug, PartialEq)]
pub struct PosthocChart {
    /// (tau, balanced accuracy) from tau 0 (plain argmax) up.
    pub points: Vec<(f64, f64)>,
    /// The slider's tau, marked on the curve.
    pub current: f64,
}

/// The tau curve's title.
pub const POSTHOC_TITLE: &str = "chart.posthoc.title";

/// Draws balanced accuracy against tau, the slider's tau marked by a
/// vertical line and a dot.
pub fn draw_posthoc<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &PosthocChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let tau_max = data.points.last().map_or(2.0, |p| p.0.max(0.1));
    let x = Axis::linear(0.0, tau_max);
    let y = Axis::linear(0.0, 1.0);
    let frame = Frame {
        title: theme.text(POSTHOC_TITLE),
        x,
        y,
        x_desc: &[theme.text("chart.posthoc.x")],
        y_desc: &[
            theme.text("chart.posthoc.y"),
            theme.text("chart.posthoc.y_short"),
        ],
    };
    let mut framed = frame::build(area, theme, &frame, Vec::new(), Corner::LowerRight)?;
    if data.points.is_empty() {
        framed.note(theme, theme.text(TRAIN_TO_FILL))?;
        return framed.finish(theme);
    }
    let chart = &mut framed.chart;
    let plot = |(t, a): (f64, f64)| (x.to_plot_or_nan(t), y.to_plot_or_nan(a));
    let (colour, width) = theme.curve(0, true);
    draw_lines(
        chart,
        theme,
        split_gaps(data.points.iter().map(|&p| plot(p))),
        colour.stroke_width(theme.stroke(width)),
        width,
    )?;
    let nearest = data.points.iter().min_by(|a, b| {
        (a.0 - data.current)
            .abs()
            .total_cmp(&(b.0 - data.current).abs())
    });
    if let Some(&(tau, accuracy)) = nearest {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![plot((tau, 0.0)), plot((tau, 1.0))],
            theme.muted.stroke_width(theme.stroke(1.0)),
        )))?;
        chart.draw_series(std::iter::once(Circle::new(
            plot((tau, accuracy)),
            theme.stroke(4.0),
            colour.filled(),
        )))?;
    }
    framed.finish(theme)
}

/// Per-class test accuracy of several runs, classes in index order (head to
/// tail for the profiles), one bar per run in each class's slot.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassAccuracyChart {
    /// The classes on the x axis before there are runs.
    pub classes: usize,
    /// (label, accuracy of each class) per run.
    pub runs: Vec<(Message, Vec<f64>)>,
}

/// The per-class chart's title.
pub const CLASS_ACCURACY_TITLE: &str = "chart.class_accuracy.title";

/// The confusion matrix's title, for lists of figures (the chart shows the run's label).
pub const CONFUSION_TITLE: &str = "chart.confusion.title";

/// Draws grouped bars: for each class, one bar per run.
pub fn draw_class_accuracy<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ClassAccuracyChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    // The runs' classes once there are runs (the page's counts may have changed since).
    let classes = match data.runs.iter().map(|(_, a)| a.len()).max() {
        Some(n) => n.max(1),
        None => data.classes.max(1),
    };
    let frame = Frame {
        title: theme.text(CLASS_ACCURACY_TITLE),
        x: Axis::classes(classes),
        y: Axis::linear(0.0, 1.0),
        x_desc: &[theme.text("chart.class")],
        y_desc: &[
            theme.text("chart.class_accuracy.y"),
            theme.text("chart.class_accuracy.y_short"),
        ],
    };
    let keys = data
        .runs
        .iter()
        .enumerate()
        .map(|(i, (label, _))| Key {
            label: theme.message(label),
            style: theme.curve(i, false).0.filled(),
            thickness: 10.0,
        })
        .collect();
    // Bars can reach the top anywhere: the legend goes under the title.
    let mut framed = frame::build(area, theme, &frame, keys, Corner::Outside)?;
    if data.runs.is_empty() {
        framed.note(theme, theme.text(TRAIN_TO_FILL))?;
    }
    let chart = &mut framed.chart;
    let runs = data.runs.len().max(1) as f64;
    // Each class's slot is 0.8 wide, shared by the runs.
    let width = 0.8 / runs;
    for (r, (_, accuracy)) in data.runs.iter().enumerate() {
        let colour = theme.curve(r, false).0.filled();
        chart.draw_series(accuracy.iter().enumerate().map(|(c, &a)| {
            let left = c as f64 - 0.4 + r as f64 * width;
            Rectangle::new([(left, 0.0), (left + width, a.clamp(0.0, 1.0))], colour)
        }))?;
    }
    framed.finish(theme)
}

/// A run's confusion matrix, rows normalised (each row is a true class).
#[derive(Clone, Debug, PartialEq)]
pub struct ConfusionChart {
    /// The run's label.
    pub label: Message,
    /// The classes on both axes before there are counts.
    pub classes: usize,
    /// The classes' names on both axes (empty: their numbers).
    pub names: Vec<Message>,
    /// `counts[true][predicted]`; empty before the run exists.
    pub counts: Vec<Vec<u32>>,
}

/// Draws the matrix as a heatmap: the cell in row r and column c is the
/// share of class r's test points predicted as c. Class 0's row is at the
/// top, as in a table (and scikit-learn's ConfusionMatrixDisplay), so a good
/// classifier's diagonal runs down from the top left.
pub fn draw_confusion<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ConfusionChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let classes = if data.counts.is_empty() {
        data.classes.max(1)
    } else {
        data.counts.len()
    };
    let title = theme.message(&data.label);
    let frame = Frame {
        title: &title,
        x: Axis::classes(classes),
        y: Axis::classes(classes).top_down(),
        x_desc: &[
            theme.text("chart.confusion.x"),
            theme.text("chart.confusion.x_short"),
        ],
        y_desc: &[
            theme.text("chart.confusion.y"),
            theme.text("chart.confusion.y_short"),
        ],
    };
    let names: Vec<String> = data.names.iter().map(|n| theme.message(n)).collect();
    let mut framed = frame::build_named(area, theme, &frame, Vec::new(), Corner::Outside, &names)?;
    if data.counts.is_empty() {
        framed.note(theme, theme.text(TRAIN_TO_FILL))?;
    }
    let chart = &mut framed.chart;
    let ink = theme.palette[4];
    let cells = data.counts.iter().enumerate().flat_map(|(r, row)| {
        let total = row.iter().sum::<u32>().max(1) as f64;
        row.iter()
            .enumerate()
            .map(move |(c, &n)| (r, c, n as f64 / total))
    });
    chart.draw_series(cells.map(|(r, c, share)| {
        let mix = |a: u8, b: u8| (a as f64 + share * (b as f64 - a as f64)).round() as u8;
        let bg = theme.background;
        let colour = RGBColor(mix(bg.0, ink.0), mix(bg.1, ink.1), mix(bg.2, ink.2));
        // True class r at row r of the top-down class axis.
        let y = r as f64;
        Rectangle::new(
            [(c as f64 - 0.5, y - 0.5), (c as f64 + 0.5, y + 0.5)],
            colour.filled(),
        )
    }))?;
    framed.finish(theme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_curve_per_run() {
        let data = LossCurvesChart {
            runs: vec![
                (crate::charts::svg::label("softmax"), vec![1.0, 0.5, 0.3]),
                (
                    crate::charts::svg::label("CB softmax"),
                    vec![0.8, 0.4, 0.35],
                ),
            ],
            epochs: 10,
        };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
            draw(&area, &data, &Theme::light(1.0)).unwrap();
            area.present().unwrap();
        }
        assert!(
            svg.contains("Training loss per epoch")
                && svg.contains("CB softmax")
                && svg.contains("epoch")
        );
        assert_eq!(
            crate::charts::svg::series(&svg).len(),
            2,
            "one line per run"
        );
    }

    #[test]
    fn empty_runs_still_draw() {
        let data = LossCurvesChart {
            runs: vec![(crate::charts::svg::label("softmax"), vec![])],
            epochs: 5,
        };
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (320, 200)).into_drawing_area();
        assert!(draw(&area, &data, &Theme::dark(2.0)).is_ok());
    }

    #[test]
    fn one_bar_per_run_and_class() {
        let data = ClassAccuracyChart {
            classes: 3,
            runs: vec![
                (crate::charts::svg::label("softmax"), vec![1.0, 0.5, 0.0]),
                (crate::charts::svg::label("CB"), vec![0.9, 0.7, 0.6]),
            ],
        };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
            draw_class_accuracy(&area, &data, &Theme::light(1.0)).unwrap();
            area.present().unwrap();
        }
        assert!(svg.contains("Test accuracy per class, head to tail"));
        let colours = [
            Theme::light(1.0).curve(0, false).0,
            Theme::light(1.0).curve(1, false).0,
        ];
        for colour in colours {
            let fill = crate::charts::svg::hex(colour);
            let bars = crate::charts::svg::filled_rects(&svg)
                .iter()
                .filter(|r| r.fill.eq_ignore_ascii_case(&fill))
                .count();
            // Three bars, plus the legend's swatch.
            assert!(bars >= 3, "{fill}: {bars}");
        }
    }

    #[test]
    fn confusion_axes_name_the_classes_when_given() {
        let data = ConfusionChart {
            label: crate::charts::svg::label("CB softmax"),
            names: ["T-shirt/top", "Trouser", "Ankle boot"]
                .map(crate::charts::svg::label)
                .to_vec(),
            classes: 3,
            counts: vec![vec![8, 2, 0], vec![0, 10, 0], vec![1, 0, 9]],
        };
        let s = crate::charts::svg::render((640, 480), |area| {
            draw_confusion(area, &data, &Theme::light(1.0)).unwrap();
        });
        // On both axes (three names fit side by side): each name twice.
        for name in ["T-shirt/top", "Trouser", "Ankle boot"] {
            assert_eq!(s.matches(&format!("\n{name}\n")).count(), 2, "{name}: {s}");
        }
        // Ten on a narrow chart: every row named, the columns numbered.
        let ten = ConfusionChart {
            names: (0..10)
                .map(|c| crate::charts::svg::label(&format!("Class number {c}")))
                .collect(),
            classes: 10,
            counts: vec![vec![1; 10]; 10],
            ..data
        };
        let s = crate::charts::svg::render((480, 400), |area| {
            draw_confusion(area, &ten, &Theme::light(1.0)).unwrap();
        });
        for c in 0..10 {
            assert_eq!(
                s.matches(&format!("\nClass number {c}\n")).count(),
                1,
                "{c}"
            );
        }
        // A phone's width: the columns still show more than one number.
        let s = crate::charts::svg::render((340, 420), |area| {
            draw_confusion(area, &ten, &Theme::light(1.0)).unwrap();
        });
        assert!(s.contains("\n0\n") && s.contains("\n5\n"), "{s}");
    }

    #[test]
    fn confusion_has_a_cell_per_pair() {
        let data = ConfusionChart {
            label: crate::charts::svg::label("CB softmax"),
            names: Vec::new(),
            classes: 2,
            counts: vec![vec![8, 2], vec![0, 10]],
        };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (400, 400)).into_drawing_area();
            draw_confusion(&area, &data, &Theme::light(1.0)).unwrap();
            area.present().unwrap();
        }
        assert!(svg.contains("CB softmax") && svg.contains("predicted class"));
        // The all-correct row's diagonal cell has the full colour.
        let full = crate::charts::svg::hex(Theme::light(1.0).palette[4]);
        assert!(
            crate::charts::svg::filled_rects(&svg)
                .iter()
                .any(|r| r.fill.eq_ignore_ascii_case(&full))
        );
    }

    /// Class 0's row at the top, the diagonal running down to the right.
    #[test]
    fn confusion_rows_run_top_down() {
        let data = ConfusionChart {
            label: crate::charts::svg::label("softmax"),
            names: Vec::new(),
            classes: 3,
            counts: vec![vec![10, 0, 0], vec![0, 10, 0], vec![0, 0, 10]],
        };
        let svg = crate::charts::svg::render((420, 400), |area| {
            draw_confusion(area, &data, &Theme::light(1.0)).unwrap();
        });
        let full = crate::charts::svg::hex(Theme::light(1.0).palette[4]);
        let mut diagonal: Vec<(f64, f64)> = crate::charts::svg::filled_rects(&svg)
            .into_iter()
            .filter(|r| r.fill.eq_ignore_ascii_case(&full))
            .map(|r| (r.x, r.y))
            .collect();
        assert_eq!(diagonal.len(), 3, "{diagonal:?}");
        diagonal.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Left to right (classes 0, 1, 2 predicted), each lower on the page.
        assert!(
            diagonal.windows(2).all(|w| w[1].1 > w[0].1),
            "the diagonal runs down: {diagonal:?}"
        );
        // The row labels read 0, 1, 2 from the top.
        let mut labels: Vec<(String, f64)> = crate::charts::svg::text_positions(&svg)
            .into_iter()
            .filter(|(t, x, _)| ["0", "1", "2"].contains(&t.as_str()) && *x < 60.0)
            .map(|(t, _, y)| (t, y))
            .collect();
        labels.sort_by(|a, b| a.1.total_cmp(&b.1));
        let order: Vec<&str> = labels.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(order, ["0", "1", "2"], "{labels:?}");
    }

    /// Before any training: the real class axes and a note, in the page's
    /// language, instead of a matrix from -0.4 to 0.4.
    #[test]
    fn empty_charts_say_train_to_fill() {
        use crate::i18n::Lang;
        for lang in [Lang::En, Lang::ZhCn] {
            let theme = Theme {
                lang,
                ..Theme::light(1.0)
            };
            let note = theme.text(TRAIN_TO_FILL);
            let confusion = crate::charts::svg::render((420, 400), |area| {
                let data = ConfusionChart {
                    label: Message::new(CONFUSION_TITLE),
                    names: Vec::new(),
                    classes: 4,
                    counts: Vec::new(),
                };
                draw_confusion(area, &data, &theme).unwrap();
            });
            let accuracy = crate::charts::svg::render((640, 400), |area| {
                let data = ClassAccuracyChart {
                    classes: 4,
                    runs: Vec::new(),
                };
                draw_class_accuracy(area, &data, &theme).unwrap();
            });
            let loss = crate::charts::svg::render((640, 400), |area| {
                let data = LossCurvesChart {
                    runs: Vec::new(),
                    epochs: 60,
                };
                draw(area, &data, &theme).unwrap();
            });
            for svg in [&confusion, &accuracy, &loss] {
                assert!(
                    crate::charts::svg::texts(svg).iter().any(|t| t == note),
                    "{lang:?}"
                );
            }
            for svg in [&confusion, &accuracy] {
                let texts = crate::charts::svg::texts(svg);
                for class in ["0", "1", "2", "3"] {
                    assert!(texts.iter().any(|t| t == class), "class {class}: {texts:?}");
                }
            }
            let texts = crate::charts::svg::texts(&confusion);
            assert!(!texts.iter().any(|t| t.contains("0.4")), "{texts:?}");
        }
        // With data, no note.
        let trained = crate::charts::svg::render((420, 400), |area| {
            let data = ConfusionChart {
                label: Message::new(CONFUSION_TITLE),
                names: Vec::new(),
                classes: 2,
                counts: vec![vec![3, 1], vec![0, 4]],
            };
            draw_confusion(area, &data, &Theme::light(1.0)).unwrap();
        });
        assert!(!trained.contains("Train to fill"));
    }

    #[test]
    fn class_colours_are_distinct() {
        let ten: std::collections::HashSet<_> = (0..10).map(|c| class_colour(c, 10)).collect();
        assert_eq!(ten.len(), 10);
        let fifty: std::collections::HashSet<_> = (0..50).map(|c| class_colour(c, 50)).collect();
        assert_eq!(fifty.len(), 50);
    }
}
