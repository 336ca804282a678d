use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = jieyue::cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RUST_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(jieyue::secret::log_writer)
        // Colour codes only for a person at a terminal, never into a log file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let err = anyhow::Error::new(e).context("cannot start the async runtime");
            eprintln!("jieyue: {err:#}");
            return ExitCode::from(3);
        }
    };
    let code = runtime.block_on(jieyue::cli::main(cli));
    ExitCode::from(code.clamp(0, 255) as u8)
}
