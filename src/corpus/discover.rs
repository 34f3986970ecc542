//! Walks a corpus folder (or takes a single file) and lists the source files in it.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};

/// How a source file is read. More formats will come, so a `match` outside integra needs a
/// wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Plain text, `.txt`.
    Text,
    /// Markdown, `.md`: read as text, a leading `#` heading gives the title.
    Markdown,
    /// JSON Lines, `.jsonl`: one document a line.
    JsonLines,
    /// Gzipped JSON Lines, `.jsonl.gz`.
    JsonLinesGz,
    /// An HTML page, `.html` or `.htm`: its main text and its `<meta>` tags.
    Html,
    /// A PDF file, `.pdf`: the text of each page under its page label, and its document info.
    Pdf,
    /// A Word document, `.docx`: its paragraphs, notes and document properties.
    Docx,
    /// An OpenDocument text, `.odt`: its paragraphs and `meta.xml`.
    Odt,
    /// An e-book, `.epub`: its chapters in reading order and its Dublin Core metadata.
    Epub,
}

/// The endings of the files integra reads, as the message on an unsupported file lists them.
/// (No ending is the end of another, so their order does not decide a file's format.)
const ENDINGS: &[(&str, Format)] = &[
    (".txt", Format::Text),
    (".md", Format::Markdown),
    (".markdown", Format::Markdown),
    (".html", Format::Html),
    (".htm", Format::Html),
    (".pdf", Format::Pdf),
    (".docx", Format::Docx),
    (".odt", Format::Odt),
    (".epub", Format::Epub),
    (".jsonl", Format::JsonLines),
    (".jsonl.gz", Format::JsonLinesGz),
];

impl Format {
    /// The format of a file, by its name; `None` for files integra does not read.
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_lowercase();
        ENDINGS
            .iter()
            .find(|(ending, _)| name.ends_with(ending))
            .map(|&(_, format)| format)
    }

    /// Whether a file of this format has its metadata in a sidecar; a JSON line carries its
    /// own.
    pub fn has_sidecar(self) -> bool {
        !matches!(self, Format::JsonLines | Format::JsonLinesGz)
    }
}

/// A file of the corpus that holds one or more documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path to open.
    pub path: PathBuf,
    /// The path shown to users and stored in the index: the corpus root's absolute path (links
    /// resolved) joined with the file's place under it, with `/` separators.
    pub display: String,
    /// How to read it.
    pub format: Format,
    /// The metadata sidecar beside it, if there is one.
    pub sidecar: Option<PathBuf>,
}

/// What a corpus walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The source files, sorted by path.
    pub files: Vec<SourceFile>,
    /// Files and folders passed over, with the reason.
    pub skipped: Vec<Error>,
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

fn is_readme(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower == "readme" || lower.starts_with("readme.")
}

/// Lists the source files under `root`, a folder (walked recursively) or a single file.
///
/// # Errors
/// [`Error::Io`] when `root` does not exist; entries that cannot be read are listed in
/// the list of skipped entries it returns.
pub fn discover(root: &Path) -> Result<Discovery> {
    let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    let mut found = Discovery::default();
    let shown_root = shown_root(root);
    if meta.is_file() {
        match Format::of(root) {
            Some(format) => found.files.push(source_file(root, &shown_root, format)),
            None => found.skipped.push(unsupported(root)),
        }
        return Ok(found);
    }
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let source = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("filesystem loop"));
                found.skipped.push(Error::io(path, source));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        let is_sidecar = path.extension().is_some_and(|e| e == "toml");
        if is_sidecar || is_readme(&name) {
            continue;
        }
        match Format::of(path) {
            Some(format) => {
                let shown = match path.strip_prefix(root) {
                    Ok(rel) => shown_root.join(rel),
                    Err(_) => path.to_path_buf(),
                };
                found.files.push(source_file(path, &shown, format));
            }
            None => found.skipped.push(unsupported(path)),
        }
    }
    Ok(found)
}

fn unsupported(path: &Path) -> Error {
    let endings: Vec<&str> = ENDINGS.iter().map(|&(ending, _)| ending).collect();
    super::document_error(
        path,
        None,
        format!("not a supported format ({})", endings.join(", ")),
    )
}

/// How a corpus root is shown and keyed in the index: its absolute path with links resolved,
/// so that `corpus`, `./corpus` and `/home/x/corpus` name the same files (an incremental run
/// does not take a respelled path for a new corpus), and a hit's path opens the file from
/// whatever folder a search runs in.
pub fn shown_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// The key of a corpus root as the index records it among its sources: [`shown_root`] as text.
pub fn source_key(root: &Path) -> String {
    shown_root(root).to_string_lossy().replace('\\', "/")
}

/// Whether the file or key `path` lies under (or is) the source `root`, both as the index keys
/// them.
pub fn is_under(path: &str, root: &str) -> bool {
    path.strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || root.ends_with('/'))
}

fn source_file(path: &Path, shown: &Path, format: Format) -> SourceFile {
    let display = shown.to_string_lossy().replace('\\', "/");
    let sidecar = if format.has_sidecar() {
        let candidate = path.with_extension("toml");
        candidate.is_file().then_some(candidate)
    } else {
        None
    };
    SourceFile {
        path: path.to_path_buf(),
        display,
        format,
        sidecar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_formats_by_name() {
        assert_eq!(Format::of(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::of(Path::new("x.md")), Some(Format::Markdown));
        assert_eq!(Format::of(Path::new("r.jsonl")), Some(Format::JsonLines));
        assert_eq!(
            Format::of(Path::new("r.jsonl.gz")),
            Some(Format::JsonLinesGz)
        );
        assert_eq!(Format::of(Path::new("seite.HTML")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("seite.htm")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("Bericht.DOCX")), Some(Format::Docx));
        assert_eq!(Format::of(Path::new("b.odt")), Some(Format::Odt));
        assert_eq!(Format::of(Path::new("buch.epub")), Some(Format::Epub));
        assert_eq!(Format::of(Path::new("alt.doc")), None);
        assert_eq!(Format::of(Path::new("Studie.PDF")), Some(Format::Pdf));
        assert_eq!(Format::of(Path::new("r.gz")), None);
    }

    #[test]
    fn skips_hidden_sidecars_and_readmes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "Text").unwrap();
        std::fs::write(root.join("a.toml"), "title = \"A\"").unwrap();
        std::fs::write(root.join(".hidden.txt"), "Text").unwrap();
        std::fs::write(root.join("README.md"), "about").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/b.md"), "# B").unwrap();
        std::fs::write(root.join("sub/c.ps"), "%!PS").unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/d.txt"), "x").unwrap();
        let found = discover(root).unwrap();
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.txt", "sub/b.md"]);
        assert_eq!(found.files[0].sidecar, Some(root.join("a.toml")));
        assert_eq!(found.skipped.len(), 1);
        assert!(found.skipped[0].to_string().contains("c.ps"));
    }
}
