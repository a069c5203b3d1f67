//! From a checked request to image bytes: validation and the cache key
//! ([`prepare`]), then the cache, single-flight, the render worker and
//! encoding on the blocking pool ([`produce`]).

use crate::AppState;
use crate::cache::Encoded;
use crate::catalog::Product;
use crate::error::{AppError, FieldError};
use crate::params::{RawParams, RenderParams};
use crate::uploads;
use crate::worker::{JobError, RenderJob, SubmitError};
use axum::body::Bytes;
use serde_json::Value;
use showroom::product::{ConfigError, Configuration, ImageValue, ResolvedConfiguration};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, watch};

/// Where an answer came from (`X-Cache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    /// From the memory or disk cache.
    Hit,
    /// Rendered for this request.
    Miss,
    /// Rendered for an identical request in flight at the same time.
    Shared,
}

impl CacheStatus {
    /// The `X-Cache` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Shared => "shared",
        }
    }
}

/// The shared result of one render in flight.
pub(crate) type Flight = watch::Receiver<Option<Result<Arc<Encoded>, AppError>>>;

/// A validated render request.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The product.
    pub product: Arc<Product>,
    /// The canonical configuration.
    pub resolved: ResolvedConfiguration,
    /// The render parameters.
    pub params: RenderParams,
    /// The cache key and ETag.
    pub key: String,
}

/// Configuration errors as problem field errors.
pub fn config_errors(errors: &[ConfigError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            let field = match (e, e.option()) {
                (_, Some(o)) => format!("selections.{o}"),
                (ConfigError::WrongProduct { .. }, None) => "product".to_string(),
                _ => "selections".to_string(),
            };
            FieldError::new(field, e.to_string())
        })
        .collect()
}

/// Validates a configuration of a product (every error at once); image
/// options must hold `""` or an image reference (alone or as the `image`
/// of an object with adjustments).
///
/// # Errors
///
/// `422 invalid-configuration` with every error.
pub fn validate(
    product: &Product,
    selections: BTreeMap<String, Value>,
    given_product: Option<String>,
) -> Result<ResolvedConfiguration, AppError> {
    let cfg = Configuration {
        product: given_product.unwrap_or_else(|| product.id().to_string()),
        selections,
    };
    let resolved = product
        .package
        .validate(&cfg)
        .map_err(|e| AppError::invalid_configuration(config_errors(&e)))?;
    let mut errors = Vec::new();
    for (option, value) in image_values(product, &resolved) {
        if !value.is_empty() && !uploads::is_reference(&value) {
            errors.push(FieldError::new(
                format!("selections.{option}"),
                format!("{value:?} is not an image reference; send the image in \"images\" (or a multipart part) and it becomes sha256:<hex>"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(AppError::invalid_configuration(errors))
    }
}

/// The image references of the image options of a configuration (a plain
/// value, or the `image` of an object value with adjustments).
fn image_values(product: &Product, resolved: &ResolvedConfiguration) -> Vec<(String, String)> {
    product
        .package
        .definition
        .options
        .iter()
        .filter(|o| o.kind.name() == "image")
        .filter_map(|o| {
            let v = ImageValue::from_json(resolved.get(&o.id)?).ok()?;
            Some((o.id.clone(), v.image))
        })
        .collect()
}

/// Checks the render parameters and the configuration; computes the key.
///
/// # Errors
///
/// As [`RawParams::check`] and [`validate`].
pub fn prepare(
    state: &AppState,
    product: Arc<Product>,
    selections: BTreeMap<String, Value>,
    given_product: Option<String>,
    raw: &RawParams,
) -> Result<Prepared, AppError> {
    check_request(product, selections, given_product, raw, state.size_limits())
}

/// The state-free part of [`prepare`] (public for the fuzz target): the
/// render parameters checked against `limits`, the configuration validated,
/// the cache key computed.
///
/// # Errors
///
/// As [`RawParams::check`] and [`validate`].
pub fn check_request(
    product: Arc<Product>,
    selections: BTreeMap<String, Value>,
    given_product: Option<String>,
    raw: &RawParams,
    limits: crate::params::SizeLimits,
) -> Result<Prepared, AppError> {
    let params = raw.check(&product, limits)?;
    let resolved = validate(&product, selections, given_product)?;
    let key = resolved.hash(&params.key_json());
    Ok(Prepared {
        product,
        resolved,
        params,
        key,
    })
}

/// Removes the in-flight entry when the leader ends, however it ends.
struct FlightGuard {
    state: AppState,
    key: String,
}

impl Drop for FlightGuard {
    fn drop(&mut self) {
        self.state.inflight().remove(&self.key);
    }
}

/// The image of a prepared request: from the cache, from an identical
/// render in flight, or rendered now. Waits until `deadline` at most.
///
/// # Errors
///
/// `429` when the queue is full, `503` past the deadline or while the GPU
/// recovers, `422` when a referenced image is no longer stored, `500` when
/// the render fails.
pub async fn produce(
    state: &AppState,
    prep: Prepared,
    deadline: Instant,
) -> Result<(Arc<Encoded>, CacheStatus), AppError> {
    let m = state.metrics();
    if let Some(e) = state.cache().get(&prep.key).await {
        m.cache.with_label_values(&["hit"]).inc();
        return Ok((e, CacheStatus::Hit));
    }
    let (mut rx, status) = {
        let mut inflight = state.inflight();
        if let Some(rx) = inflight.get(&prep.key) {
            (rx.clone(), CacheStatus::Shared)
        } else if let Some(e) = state.cache().get_memory(&prep.key) {
            // A leader finished between the lookup and the lock.
            drop(inflight);
            m.cache.with_label_values(&["hit"]).inc();
            return Ok((e, CacheStatus::Hit));
        } else {
            missing_images(state, &prep)?;
            let (tx, rx) = watch::channel(None);
            inflight.insert(prep.key.clone(), rx.clone());
            let guard = FlightGuard {
                state: state.clone(),
                key: prep.key.clone(),
            };
            let st = state.clone();
            tokio::spawn(async move {
                let result = lead(&st, prep, deadline).await;
                let _ = tx.send(Some(result));
                drop(guard);
            });
            (rx, CacheStatus::Miss)
        }
    };
    m.cache.with_label_values(&[status.as_str()]).inc();
    let waited = tokio::time::timeout_at(deadline.into(), rx.wait_for(Option::is_some)).await;
    match waited {
        Err(_) => Err(AppError::deadline_exceeded()),
        Ok(Err(_)) => Err(AppError::internal(
            "the render task ended without an answer",
        )),
        Ok(Ok(v)) => match v.as_ref() {
            Some(Ok(e)) => Ok((Arc::clone(e), status)),
            Some(Err(e)) => Err(e.clone()),
            None => Err(AppError::internal("empty render result")),
        },
    }
}

fn missing_images(state: &AppState, prep: &Prepared) -> Result<(), AppError> {
    let errors: Vec<FieldError> = image_values(&prep.product, &prep.resolved)
        .into_iter()
        .filter(|(_, v)| !v.is_empty() && state.uploads().get(v).is_none())
        .map(|(o, v)| {
            FieldError::new(
                format!("selections.{o}"),
                format!(
                    "image {v} is not stored (uploads are kept for a while only); send it again"
                ),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_configuration(errors))
    }
}

/// The leader of a flight: render, encode, cache.
async fn lead(
    state: &AppState,
    prep: Prepared,
    deadline: Instant,
) -> Result<Arc<Encoded>, AppError> {
    let (reply, answer) = oneshot::channel();
    let images = image_values(&prep.product, &prep.resolved)
        .into_iter()
        .filter_map(|(_, r)| {
            let (bytes, _) = state.uploads().get(&r)?;
            Some((r, bytes))
        })
        .collect();
    let job = RenderJob {
        product: Arc::clone(&prep.product),
        configuration: prep.resolved.to_configuration(),
        settings: prep.params.settings(),
        images,
        deadline,
        reply,
    };
    match state.worker().try_submit(job) {
        Ok(()) => {}
        Err(SubmitError::Full { retry_after_s }) => {
            return Err(AppError::queue_full(retry_after_s));
        }
        Err(SubmitError::Closed) => {
            return Err(AppError::not_ready("the renderer is shutting down"));
        }
    }
    // The leader outlives a requester that gave up, so a render that ends
    // after one deadline still fills the cache for the next request.
    let frame = match tokio::time::timeout_at((deadline + Duration::from_secs(60)).into(), answer)
        .await
    {
        Err(_) => return Err(AppError::deadline_exceeded()),
        Ok(Err(_)) => return Err(AppError::not_ready("the renderer stopped")),
        Ok(Ok(Err(e))) => {
            return Err(match e {
                JobError::Deadline => AppError::deadline_exceeded(),
                JobError::NotReady(why) => AppError::not_ready(why),
                JobError::Configuration(errors) => {
                    AppError::invalid_configuration(config_errors(&errors))
                }
                JobError::Personalization { option, message } => AppError::invalid_configuration(
                    vec![FieldError::new(format!("selections.{option}"), message)],
                ),
                JobError::Failed(why) => {
                    AppError::internal(format!("render of {}: {why}", prep.product.id()))
                }
            });
        }
        Ok(Ok(Ok(frame))) => frame,
    };
    let (format, quality) = (prep.params.format, prep.params.quality);
    let encode_seconds = state.metrics().encode_seconds.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        let t0 = Instant::now();
        let r = showroom::output::encode(&frame, format, quality);
        encode_seconds.observe(t0.elapsed().as_secs_f64());
        r
    })
    .await
    .map_err(|e| AppError::internal(format!("encoding task: {e}")))?
    .map_err(|e| AppError::internal(format!("encoding: {e}")))?;
    let encoded = Arc::new(Encoded {
        bytes: Bytes::from(bytes),
        content_type: format.mime_type().to_string(),
    });
    state.cache().put(&prep.key, Arc::clone(&encoded)).await;
    Ok(encoded)
}
