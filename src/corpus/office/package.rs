//! The zip archive an office document or an e-book is packed in, opened with limits.
//!
//! A zip file is untrusted input twice over: it may be corrupt or truncated, and it may be a
//! zip bomb, a few kilobytes that unpack to gigabytes. A package is refused when it has more
//! entries than [`Limits::entries`], or when the parts read from it declare more unpacked
//! bytes than [`Limits::bytes`]; as declared sizes can lie, the bytes actually unpacked are
//! counted too, and reading stops at the limit whatever the headers said. Only the parts that
//! hold text are unpacked: the images of a long illustrated report count for nothing.

use std::fs::File;
use std::io::{BufReader, Read};

use zip::ZipArchive;
use zip::result::ZipError;

/// What a package may hold.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Unpacked bytes over the parts read, declared and counted.
    pub bytes: u64,
    /// Entries in the archive.
    pub entries: usize,
}

/// The limits every package is read with: far above any real report or book (a 500-page
/// DOCX unpacks to a few megabytes of XML, images aside), far below what would exhaust memory.
pub(super) const LIMITS: Limits = Limits {
    bytes: 200 * 1024 * 1024,
    entries: 10_000,
};

/// An open zip archive and the unpacked bytes it may still yield.
pub(super) struct Package<R> {
    archive: ZipArchive<R>,
    budget: u64,
    limits: Limits,
}

impl Package<BufReader<File>> {
    /// Opens the package at `path`; the error is the reason, without the path.
    pub(super) fn open(path: &std::path::Path, limits: Limits) -> Result<Self, String> {
        let file = File::open(path).map_err(|e| e.to_string())?;
        Package::new(BufReader::new(file), limits)
    }
}

impl<R: Read + std::io::Seek> Package<R> {
    /// Reads the archive's directory and checks it against the limits.
    pub(super) fn new(reader: R, limits: Limits) -> Result<Self, String> {
        let archive = ZipArchive::new(reader).map_err(|e| match e {
            ZipError::InvalidArchive(_) => {
                format!("not a zip archive, or a corrupt or truncated one ({e})")
            }
            e => reason(e),
        })?;
        if archive.len() > limits.entries {
            return Err(format!(
                "zip bomb? the archive has {} entries, more than the limit of {}",
                archive.len(),
                limits.entries
            ));
        }
        Ok(Package {
            archive,
            budget: limits.bytes,
            limits,
        })
    }

    /// A part as text (XML parts are UTF-8 or declare UTF-16 with a byte order mark), `None`
    /// if the package has no such part.
    pub(super) fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(bytes) = self.bytes(name)? else {
            return Ok(None);
        };
        let (text, _, bad) = encoding_rs::UTF_8.decode(&bytes);
        if bad {
            return Err(format!("{name} is not valid UTF-8"));
        }
        Ok(Some(text.into_owned()))
    }

    /// A part that must be there.
    pub(super) fn required(&mut self, name: &str) -> Result<String, String> {
        self.text(name)?
            .ok_or_else(|| format!("{name} is missing from the package"))
    }

    /// A part's bytes, `None` if the package has no such part.
    pub(super) fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("{name}: {}", reason(e))),
        };
        if file.encrypted() {
            return Err(format!("{name} is encrypted"));
        }
        if file.size() > self.budget {
            return Err(too_big(self.limits, name, "declares"));
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        // One byte more than the budget tells a part that unpacks beyond it from one that
        // ends at it.
        let read = file
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: corrupt or truncated ({e})"))?;
        if read as u64 > self.budget {
            return Err(too_big(self.limits, name, "unpacks to"));
        }
        self.budget -= read as u64;
        Ok(Some(bytes))
    }
}

fn too_big(limits: Limits, part: &str, what: &str) -> String {
    format!(
        "zip bomb? {part} {what} more than the limit of {} unpacked",
        human(limits.bytes)
    )
}

fn human(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

fn reason(e: ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) | ZipError::InvalidPassword => {
            "encrypted: it cannot be read without its password".to_string()
        }
        ZipError::UnsupportedArchive(what) => format!("unsupported zip archive ({what})"),
        ZipError::CompressionMethodNotSupported(method) => {
            format!("unsupported compression method {method}")
        }
        ZipError::Io(e) => format!("corrupt or truncated zip archive ({e})"),
        e => format!("corrupt zip archive ({e})"),
    }
}
