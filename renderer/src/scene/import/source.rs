//! Raw inputs of an import: the GLB container, `data:` URIs, external files
//! and the buffers they make up.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use gltf::json;

use super::ImportError;

/// The JSON document and the GLB `BIN` chunk (if any) of a file.
pub(super) struct Parsed<'a> {
    pub root: json::Root,
    pub blob: Option<&'a [u8]>,
}

const GLB_MAGIC: &[u8; 4] = b"glTF";
const CHUNK_JSON: u32 = 0x4E4F_534A;
const CHUNK_BIN: u32 = 0x004E_4942;

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn parse_error(msg: impl Into<String>) -> ImportError {
    ImportError::Parse(msg.into())
}

/// Split a GLB container into its JSON and BIN chunks, checking every length.
fn split_glb(bytes: &[u8]) -> Result<(&[u8], Option<&[u8]>), ImportError> {
    let version = read_u32(bytes, 4).ok_or_else(|| parse_error("GLB header truncated"))?;
    if version != 2 {
        return Err(parse_error(format!(
            "GLB version {version} is not supported (only 2)"
        )));
    }
    let length = read_u32(bytes, 8).ok_or_else(|| parse_error("GLB header truncated"))? as usize;
    if length > bytes.len() {
        return Err(parse_error(format!(
            "GLB truncated: header says {length} bytes, file has {}",
            bytes.len()
        )));
    }
    if length < 12 {
        return Err(parse_error(format!(
            "GLB header length {length} is too small"
        )));
    }
    let bytes = &bytes[..length];
    let mut at = 12usize;
    let mut json_chunk = None;
    let mut bin_chunk = None;
    let mut chunk_no = 0usize;
    while at < bytes.len() {
        let (Some(len), Some(ty)) = (read_u32(bytes, at), read_u32(bytes, at + 4)) else {
            return Err(parse_error(format!(
                "GLB truncated: chunk {chunk_no} header at byte {at} is incomplete"
            )));
        };
        let start = at + 8;
        let end = start
            .checked_add(len as usize)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| {
                parse_error(format!(
                    "GLB truncated: chunk {chunk_no} claims {len} bytes at byte {start}, \
                     only {} remain",
                    bytes.len().saturating_sub(start)
                ))
            })?;
        let data = &bytes[start..end];
        match (chunk_no, ty) {
            (0, CHUNK_JSON) => json_chunk = Some(data),
            (0, _) => return Err(parse_error("GLB: the first chunk is not a JSON chunk")),
            (1, CHUNK_BIN) => bin_chunk = Some(data),
            // Unknown chunk types must be ignored (glTF 2.0 §4.4.3.1).
            _ => {}
        }
        chunk_no += 1;
        // Chunks are padded to 4 bytes; a missing final padding is tolerated.
        at = end.saturating_add((4 - (len as usize) % 4) % 4);
    }
    let json = json_chunk.ok_or_else(|| parse_error("GLB has no JSON chunk"))?;
    Ok((json, bin_chunk))
}

/// The JSON bytes and the GLB BIN chunk of a file (plain JSON for `.gltf`).
pub(crate) fn json_and_blob(bytes: &[u8]) -> Result<(&[u8], Option<&[u8]>), ImportError> {
    let (json_bytes, blob) = if bytes.starts_with(GLB_MAGIC) {
        split_glb(bytes)?
    } else {
        (bytes, None)
    };
    Ok((
        json_bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(json_bytes),
        blob,
    ))
}

/// Parse GLB or glTF JSON bytes into the JSON document and the BIN chunk.
pub(super) fn parse(bytes: &[u8]) -> Result<Parsed<'_>, ImportError> {
    let (json_bytes, blob) = if bytes.starts_with(GLB_MAGIC) {
        split_glb(bytes)?
    } else {
        (bytes, None)
    };
    let json_bytes = json_bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(json_bytes);
    let root: json::Root =
        json::deserialize::from_slice(json_bytes).map_err(|e| parse_error(e.to_string()))?;
    Ok(Parsed { root, blob })
}

/// Where a URI points.
pub(crate) enum UriTarget<'u> {
    /// Bytes decoded from a `data:` URI, and its media type.
    Data(Vec<u8>, Option<&'u str>),
    /// A file on disk.
    File(PathBuf),
}

/// Decode the `%XX` escapes of a URI path.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Resolve a URI to bytes (`data:`) or a file path. `Err` holds a reason.
pub(crate) fn resolve_uri<'u>(
    uri: &'u str,
    base_dir: Option<&Path>,
) -> Result<UriTarget<'u>, String> {
    if let Some(rest) = uri.strip_prefix("data:") {
        let (header, payload) = rest
            .split_once(',')
            .ok_or_else(|| "malformed data URI (no ',')".to_string())?;
        let mut parts = header.split(';');
        let media = parts.next().filter(|m| !m.is_empty());
        let is_base64 = parts.any(|p| p.eq_ignore_ascii_case("base64"));
        let bytes = if is_base64 {
            let cleaned: Cow<'_, str> = if payload.bytes().any(|c| c.is_ascii_whitespace()) {
                Cow::Owned(payload.chars().filter(|c| !c.is_whitespace()).collect())
            } else {
                Cow::Borrowed(payload)
            };
            BASE64
                .decode(cleaned.as_bytes())
                .map_err(|e| format!("invalid base64 in data URI: {e}"))?
        } else {
            percent_decode(payload).into_bytes()
        };
        return Ok(UriTarget::Data(bytes, media));
    }
    if let Some((scheme, _)) = uri.split_once(':')
        && scheme.len() > 1
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        if !scheme.eq_ignore_ascii_case("file") {
            return Err(format!("URI scheme '{scheme}:' is not supported"));
        }
        let path = uri["file:".len()..].trim_start_matches("//");
        return Ok(UriTarget::File(PathBuf::from(percent_decode(path))));
    }
    let base = base_dir.ok_or_else(|| {
        "relative URI but no base directory was given (import_slice with base_dir = None)"
            .to_string()
    })?;
    // Strip a query or fragment, which never names a file.
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    Ok(UriTarget::File(base.join(percent_decode(path))))
}

/// A tolerant standard base64 engine (padding optional).
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Load every buffer of the document, checking lengths.
pub(crate) fn load_buffers<'a>(
    root: &json::Root,
    blob: Option<&'a [u8]>,
    base_dir: Option<&Path>,
) -> Result<Vec<Cow<'a, [u8]>>, ImportError> {
    let mut out = Vec::with_capacity(root.buffers.len());
    for (index, buffer) in root.buffers.iter().enumerate() {
        let data: Cow<'a, [u8]> =
            match buffer.uri.as_deref() {
                None => match (index, blob) {
                    (0, Some(blob)) => Cow::Borrowed(blob),
                    _ => {
                        return Err(ImportError::MissingBuffer {
                            index,
                            uri: "(GLB BIN chunk)".into(),
                            reason: if blob.is_none() {
                                "the buffer has no uri and the file has no GLB BIN chunk".into()
                            } else {
                                "only buffer 0 may refer to the GLB BIN chunk".into()
                            },
                        });
                    }
                },
                Some(uri) => match resolve_uri(uri, base_dir) {
                    Ok(UriTarget::Data(bytes, _)) => Cow::Owned(bytes),
                    Ok(UriTarget::File(path)) => Cow::Owned(std::fs::read(&path).map_err(|e| {
                        ImportError::MissingBuffer {
                            index,
                            uri: uri_for_message(uri),
                            reason: format!("cannot read {}: {e}", path.display()),
                        }
                    })?),
                    Err(reason) => {
                        return Err(ImportError::MissingBuffer {
                            index,
                            uri: uri_for_message(uri),
                            reason,
                        });
                    }
                },
            };
        let expected = buffer.byte_length.0;
        if (data.len() as u64) < expected {
            return Err(ImportError::BufferTooShort {
                index,
                expected,
                actual: data.len() as u64,
            });
        }
        out.push(data);
    }
    Ok(out)
}

/// A URI shortened for error messages (data URIs can be megabytes long).
pub(super) fn uri_for_message(uri: &str) -> String {
    if uri.starts_with("data:") {
        let head: String = uri.chars().take(40).collect();
        format!("{head}…")
    } else {
        uri.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn data_uris() {
        let UriTarget::Data(b, m) = resolve_uri("data:application/octet-stream;base64,AQID", None)
            .ok()
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(b, [1, 2, 3]);
        assert_eq!(m, Some("application/octet-stream"));
        // Unpadded base64 is accepted.
        let UriTarget::Data(b, _) = resolve_uri("data:;base64,AQI", None).ok().unwrap() else {
            panic!()
        };
        assert_eq!(b, [1, 2]);
        assert!(resolve_uri("data:;base64,@@@", None).is_err());
        assert!(resolve_uri("data:nocomma", None).is_err());
    }

    #[test]
    fn relative_uris_need_a_base() {
        assert!(resolve_uri("mesh.bin", None).is_err());
        let UriTarget::File(p) = resolve_uri("sub/my%20mesh.bin", Some(Path::new("/x")))
            .ok()
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(p, Path::new("/x/sub/my mesh.bin"));
        assert!(resolve_uri("https://example.com/a.bin", None).is_err());
    }

    #[test]
    fn glb_edge_cases_are_errors() {
        assert!(parse(b"glTF").is_err());
        assert!(parse(b"glTF\x02\0\0\0\x04\0\0\0").is_err());
        assert!(parse(b"glTF\x02\0\0\0\xff\xff\xff\xff").is_err());
        assert!(parse(b"glTF\x01\0\0\0\x0c\0\0\0").is_err());
        // Header only: no JSON chunk.
        assert!(parse(b"glTF\x02\0\0\0\x0c\0\0\0").is_err());
        // Chunk length larger than the file.
        let mut glb = b"glTF\x02\0\0\0\x1c\0\0\0".to_vec();
        glb.extend_from_slice(&1000u32.to_le_bytes());
        glb.extend_from_slice(b"JSON{}  ");
        assert!(parse(&glb).is_err());
    }
}
