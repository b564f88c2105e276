//! `cargo xtask`: CB Lab's developer tasks (install tools, build, serve, test, bench, fuzz, data): std, and wasmparser and wasm-encoder for the page's imports.

mod bench;
mod check;
mod data;
mod files;
mod fuzz;
mod imports;
mod install;
mod page;
mod proc;
mod serve;
mod site;

use std::process::ExitCode;

use proc::Result;

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  install [--build-only]  install what building and testing CB Lab needs, when missing
                          (--build-only: skip the browser-test tools: Chromium, lavapipe, npm packages)
  build                   install the build tools, then build the release site into dist/ with trunk
  serve [--port N] [--no-build]
                          build, then serve dist/ on http://127.0.0.1:N/ (default 8080) until killed
  test                    install everything, then fmt, clippy (native and wasm32), cargo test,
                          the release site build, the browser tests and every benchmark briefly,
                          stopping at the first failure
  bench [--brief] [--no-build]
                          build, then run every benchmark, printing its figures (--brief: a
                          fraction of a second a case, as `test` runs them so that none rots)
  fuzz [--seconds N]      run each fuzz target (count parser, asset reader) for N seconds (default 60)
  data                    derive assets/data/fashion-mnist-lt.bin from Debian's dataset-fashion-mnist
                          (installed with apt when missing, as root)
  help                    print this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some((task, options)) = args.split_first() else {
        println!("{USAGE}");
        return Err("no task given".into());
    };
    let mut options = Options::new(options);
    match task.as_str() {
        "install" => {
            let build_only = options.flag("--build-only");
            options.finish()?;
            install::install(if build_only {
                install::Scope::Build
            } else {
                install::Scope::Test
            })
        }
        "build" => {
            options.finish()?;
            site::build()
        }
        "serve" => {
            let port = options.number("--port")?.unwrap_or(8080);
            let no_build = options.flag("--no-build");
            options.finish()?;
            let port = u16::try_from(port).map_err(|_| format!("--port {port}: not a port"))?;
            if !no_build {
                site::build()?;
            }
            serve::serve(&proc::root().join("dist"), port)
        }
        "test" => {
            options.finish()?;
            check::test()
        }
        "bench" => {
            let brief = options.flag("--brief");
            let no_build = options.flag("--no-build");
            options.finish()?;
            if !no_build {
                install::install(install::Scope::Test)?;
                site::trunk_build()?;
            }
            bench::bench(brief)
        }
        "data" => {
            options.finish()?;
            data::data()
        }
        "fuzz" => {
            let seconds = options.number("--seconds")?.unwrap_or(60);
            options.finish()?;
            fuzz::fuzz(seconds)
        }
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            println!("{USAGE}");
            Err(format!("unknown task `{other}`"))
        }
    }
}

/// A task's options, taken out one by one; whatever is left over is an error.
struct Options {
    rest: Vec<String>,
}

impl Options {
    fn new(args: &[String]) -> Self {
        Self {
            rest: args.to_vec(),
        }
    }

    /// Takes out `name` if present.
    fn flag(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|arg| arg != name);
        self.rest.len() != before
    }

    /// Takes out `name N` or `name=N`.
    fn number(&mut self, name: &str) -> Result<Option<u64>> {
        let prefix = format!("{name}=");
        let Some(at) = self
            .rest
            .iter()
            .position(|arg| arg == name || arg.starts_with(&prefix))
        else {
            return Ok(None);
        };
        let arg = self.rest.remove(at);
        let value = match arg.strip_prefix(&prefix) {
            Some(value) => value.to_owned(),
            None if at < self.rest.len() => self.rest.remove(at),
            None => return Err(format!("{name} needs a value")),
        };
        value
            .parse()
            .map(Some)
            .map_err(|_| format!("{name} {value}: not a whole number"))
    }

    fn finish(self) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "unexpected argument(s): {} (see `cargo xtask help`)",
                self.rest.join(" ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Options;

    fn options(args: &[&str]) -> Options {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        Options::new(&args)
    }

    #[test]
    fn numbers_take_both_spellings() {
        assert_eq!(
            options(&["--port", "9000"]).number("--port"),
            Ok(Some(9000))
        );
        assert_eq!(options(&["--port=9001"]).number("--port"), Ok(Some(9001)));
        assert_eq!(options(&[]).number("--port"), Ok(None));
        assert!(options(&["--port"]).number("--port").is_err());
        assert!(options(&["--port", "x"]).number("--port").is_err());
    }

    #[test]
    fn leftovers_are_errors() {
        let mut opts = options(&["--no-build", "--bogus"]);
        assert!(opts.flag("--no-build"));
        assert!(opts.finish().is_err());
    }
}
