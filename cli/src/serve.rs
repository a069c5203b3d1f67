//! `showroom serve` and `showroom sign-url`.

use clap::Args;
use showroom_server::ServeConfig;
use std::path::PathBuf;

/// Arguments of `showroom serve`. Flags override the config file.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Folder of product packages [default: assets/products].
    #[arg(long)]
    pub products: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    pub addr: Option<String>,
    /// A serve.toml (keys in docs/api.md).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Disk render cache folder ("" = none).
    #[arg(long)]
    pub cache_dir: Option<String>,
    /// Render jobs that may wait for the GPU before requests get 429.
    #[arg(long)]
    pub queue_depth: Option<usize>,
    /// Milliseconds before an unanswered request gets 503.
    #[arg(long)]
    pub deadline_ms: Option<u64>,
}

impl ServeArgs {
    /// The service configuration: the file (or defaults), then the flags.
    pub fn config(&self) -> anyhow::Result<ServeConfig> {
        let mut c = match &self.config {
            Some(p) => ServeConfig::load(p)?,
            None => ServeConfig::from_env(),
        };
        if let Some(p) = &self.products {
            c.products = p.clone();
        }
        if let Some(a) = &self.addr {
            c.addr = a.clone();
        }
        if let Some(d) = &self.cache_dir {
            c.cache_dir = d.clone();
        }
        if let Some(q) = self.queue_depth {
            c.queue_depth = q;
        }
        if let Some(d) = self.deadline_ms {
            c.deadline_ms = d;
        }
        c.check()?;
        Ok(c)
    }
}

/// Run the service until SIGTERM or Ctrl-C.
pub fn run(a: ServeArgs) -> anyhow::Result<()> {
    let config = a.config()?;
    eprintln!(
        "serving {} on http://{}/ (Ctrl-C to stop)",
        config.products_dir().display(),
        config.addr
    );
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(showroom_server::serve(config))?;
    Ok(())
}

/// Arguments of `showroom sign-url`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The path and query to sign, e.g. "/v1/products/sneaker/image?width=512&sel.colorway=beach".
    pub path_and_query: String,
    /// The signing key (as in serve.toml's signing_key); default: $SHOWROOM_SIGNING_KEY.
    #[arg(long, env = "SHOWROOM_SIGNING_KEY")]
    pub key: String,
}

/// Print the URL with its `sig` parameter.
pub fn sign(a: SignArgs) -> anyhow::Result<()> {
    println!("{}", showroom_server::sign_url(&a.key, &a.path_and_query));
    Ok(())
}
