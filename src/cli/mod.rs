//! The `cblab` command-line tool: JSON on stdout (BibTeX for `cite`), errors
//! on stderr with a non-zero exit status. Every number comes from the library's core.

mod annotations;
mod cite;
mod counts;
mod evaluate;
mod loss;
mod multi_label_loss;
mod scheme;
mod train;
mod train_multi_label;
mod weights;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Class-balanced loss (Cui et al., CVPR 2019): counts, weights and losses.
#[derive(Debug, Parser)]
#[command(name = "cblab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print class counts from a profile or a named preset.
    Counts(counts::CountsArgs),
    /// List the named presets.
    Presets,
    /// Print per-class weights (class-balanced or another scheme) for some counts.
    Weights(weights::WeightsArgs),
    /// Evaluate a class-balanced loss and its gradient for a batch in a JSON file.
    Loss(loss::LossArgs),
    /// Score predictions the long-tail way: per-class AP and mAP by many, medium
    /// and few classes (several labels a sample), or balanced accuracy (one).
    Evaluate(evaluate::EvaluateArgs),
    /// Train a small MLP on the long-tailed toy task and print test metrics.
    Train(Box<train::TrainArgs>),
    /// Print BibTeX for the paper and the methods the lesson names.
    Cite(cite::CiteArgs),
}

/// Runs the tool with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Counts(args) => counts::run(&args),
        Command::Presets => Ok(counts::presets()),
        Command::Weights(args) => weights::run(&args),
        Command::Loss(args) => loss::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Cite(args) => cite::run(&args),
    };
    match result {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
