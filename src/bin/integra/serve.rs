//! `integra serve`: the search page and the JSON API over HTTP.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use integra::serve::{Limits, ServeOptions, Server, check_bind};

use crate::common::{Limits as FileLimits, build_if_missing, open_for_indexing};
use crate::{CorpusDir, IndexDir, Outcome};

/// Serve the search page and the JSON API over HTTP.
///
/// Opens the index (building it from --corpus if there is none), listens on --bind and
/// --port and prints the URL to open. The page searches, filters by author, institution and
/// year, opens the documents of the corpus and takes new ones (stored in --corpus and indexed
/// at once); a corpus changed by other means is reindexed as `integra watch` does. The JSON
/// API (`/api/search` with the options of `integra search --json`, `/api/stats`,
/// `/api/documents`) is described at `/api/openapi.json`. Stop with Ctrl-C.
///
/// On an address other than 127.0.0.1, --token is needed: uploads then need it too.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra serve                                  # http://127.0.0.1:7700/\n  \
    integra serve --port 0                         # any free port, printed\n  \
    integra serve --bind 0.0.0.0 --token \"$(openssl rand -hex 16)\"\n  \
    curl 'http://127.0.0.1:7700/api/search?q=Kita&year=2015..2018&limit=3'")]
pub struct ServeArgs {
    #[command(flatten)]
    index: IndexDir,
    #[command(flatten)]
    corpus: CorpusDir,
    /// The address to listen on; other than loopback only with --token.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0: any free port, printed on start).
    #[arg(long, default_value_t = 7700)]
    port: u16,
    /// The token that uploads need (as `Authorization: Bearer TOKEN` or the form's field).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "INTEGRA_TOKEN",
        hide_env_values = true
    )]
    token: Option<String>,
    /// The largest upload, in megabytes.
    #[arg(long, value_name = "MB", default_value_t = 100)]
    max_upload: usize,
    /// Searches that run at once (more wait for their turn).
    #[arg(long, value_name = "N", default_value_t = 8)]
    max_searches: usize,
    #[command(flatten)]
    limits: FileLimits,
}

pub fn run(args: ServeArgs) -> Result<Outcome> {
    let address = SocketAddr::new(args.bind, args.port);
    let token = args.token.filter(|t| !t.is_empty());
    check_bind(&address, token.as_deref()).map_err(anyhow::Error::msg)?;
    build_if_missing(&args.corpus.path, &args.index.path)?;
    let mut index_options = args.limits.options();
    let library = open_for_indexing(&args.index.path, &mut index_options)?;
    std::fs::create_dir_all(&args.corpus.path)
        .with_context(|| format!("cannot create {}", args.corpus.path.display()))?;
    let options = ServeOptions {
        corpus: args.corpus.path.clone(),
        token,
        limits: Limits {
            upload_bytes: args.max_upload.saturating_mul(1024 * 1024),
            concurrent_searches: args.max_searches.max(1),
            ..Limits::default()
        },
        index_options,
    };
    let server = Arc::new(Server::new(library, options)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's threads")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let local = listener.local_addr()?;
        let host = match local.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        println!("integra serve: http://{host}:{}/", local.port());
        eprintln!(
            "integra: serving {} (Ctrl-C to stop)",
            args.index.path.display()
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("integra: stopping");
        };
        integra::serve::run(server, listener, shutdown).await?;
        anyhow::Ok(())
    })?;
    Ok(Outcome::Found)
}
