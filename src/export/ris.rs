//! RIS: the tagged format every reference manager imports (Zotero, EndNote, Citavi): one
//! `TAG  - value` line per field, each record from `TY` to `ER`, lines ended by CR LF.

use std::io::{self, Write};

use super::bibtex::is_url;
use super::entry::{Entry, Kind};

/// Writes the entries as RIS.
pub(crate) fn write(out: &mut dyn Write, entries: &[Entry]) -> io::Result<()> {
    for entry in entries {
        write_entry(out, entry)?;
    }
    Ok(())
}

fn write_entry(out: &mut dyn Write, entry: &Entry) -> io::Result<()> {
    let hit = &entry.hit;
    let kind = match entry.kind {
        Kind::Report => "RPRT",
        Kind::Article => "JOUR",
        Kind::Book => "BOOK",
        Kind::Other => "GEN",
    };
    line(out, "TY", kind)?;
    line(out, "ID", &entry.key)?;
    // One AU a name: a person inverted, a body whole (it has no comma that could split it).
    for name in &entry.authors {
        line(out, "AU", &name.inverted())?;
    }
    if let Some(title) = &hit.title {
        line(out, "TI", title)?;
    }
    if let Some(year) = hit.year {
        line(out, "PY", &year.to_string())?;
    }
    for institution in &hit.institutions {
        line(out, "PB", institution)?;
    }
    if let Some(doc_type) = &hit.doc_type {
        line(out, "M3", doc_type)?;
    }
    if is_url(&hit.path) {
        line(out, "UR", &hit.path)?;
    } else if !hit.path.is_empty() {
        line(out, "L1", &hit.path)?;
    }
    if let Some(note) = entry.page_note() {
        line(out, "N1", &note)?;
    }
    line(out, "ER", "")
}

/// One tagged line. A value is one line: RIS has no escaping, so line breaks become spaces.
fn line(out: &mut dyn Write, tag: &str, value: &str) -> io::Result<()> {
    let value = Entry::one_line(value);
    if value.is_empty() {
        write!(out, "{tag}  - \r\n")
    } else {
        write!(out, "{tag}  - {value}\r\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::entry::entries;
    use crate::export::test_hit as hit;

    fn ris(hits: &[crate::Hit]) -> String {
        let mut out = Vec::new();
        write(&mut out, &entries(hits)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_one_au_per_author() {
        let mut report = hit(
            Some("So gelingt Integration\nvor Ort!"),
            &["Frank Gesemann", "Roland Roth", "Bertelsmann Stiftung"],
            &["Friedrich-Ebert-Stiftung", "DESI"],
            Some(2017),
        );
        report.doc_type = Some("Gutachten".into());
        report.snippet.page = Some("12".into());
        assert_eq!(
            ris(&[report]),
            "TY  - RPRT\r\nID  - gesemann2017integration\r\nAU  - Gesemann, Frank\r\n\
             AU  - Roth, Roland\r\nAU  - Bertelsmann Stiftung\r\n\
             TI  - So gelingt Integration vor Ort!\r\nPY  - 2017\r\n\
             PB  - Friedrich-Ebert-Stiftung\r\nPB  - DESI\r\nM3  - Gutachten\r\n\
             L1  - corpus/doc.txt\r\nN1  - best passage on page 12\r\nER  - \r\n"
        );
    }

    #[test]
    fn leaves_out_missing_fields() {
        let mut bare = hit(None, &[], &[], None);
        bare.path = String::new();
        assert_eq!(ris(&[bare]), "TY  - GEN\r\nID  - doc1\r\nER  - \r\n");
    }

    #[test]
    fn maps_types() {
        for (doc_type, ty) in [
            ("Studie", "RPRT"),
            ("Artikel", "JOUR"),
            ("Buch", "BOOK"),
            ("Pressemitteilung", "GEN"),
        ] {
            let mut one = hit(Some("x"), &[], &[], None);
            one.doc_type = Some(doc_type.into());
            assert!(
                ris(&[one]).starts_with(&format!("TY  - {ty}\r\n")),
                "{doc_type}"
            );
        }
    }
}
