//! CSV for spreadsheets: a header row, then one row per hit, quoted as RFC 4180 says, lines
//! ended by CR LF.

use std::io::{self, Write};

use super::entry::Entry;

/// The columns, in order.
const HEADER: [&str; 11] = [
    "key",
    "id",
    "title",
    "authors",
    "institutions",
    "year",
    "type",
    "path",
    "page",
    "page_number",
    "score",
];

/// Writes the header and one row per entry. Several authors or institutions are joined by
/// "; " in one cell.
pub(crate) fn write(out: &mut dyn Write, entries: &[Entry]) -> io::Result<()> {
    row(out, HEADER.iter().map(|name| name.to_string()))?;
    for entry in entries {
        let hit = &entry.hit;
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        row(
            out,
            [
                entry.key.clone(),
                hit.id.clone(),
                hit.title.clone().unwrap_or_default(),
                hit.authors.join("; "),
                hit.institutions.join("; "),
                hit.year.map(|y| y.to_string()).unwrap_or_default(),
                hit.doc_type.clone().unwrap_or_default(),
                hit.path.clone(),
                entry.page().unwrap_or_default().to_string(),
                number(hit.snippet.page_number),
                format!("{:.4}", hit.score),
            ],
        )?;
    }
    Ok(())
}

fn row(out: &mut dyn Write, cells: impl IntoIterator<Item = String>) -> io::Result<()> {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(field(&cell).as_bytes())?;
    }
    out.write_all(b"\r\n")
}

/// One cell: quoted when it holds a comma, a quote or a line break (quotes doubled), as RFC
/// 4180 says. A cell that a spreadsheet would run as a formula (beginning with `=`, `+`, `-`,
/// `@`, a tab or CR) gets a `'` in front: the titles and names come from the documents, and
/// opening an export must not run what a document's author wrote.
pub(crate) fn field(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::entry::entries;
    use crate::export::test_hit as hit;

    fn csv(hits: &[crate::Hit]) -> String {
        let mut out = Vec::new();
        write(&mut out, &entries(hits)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quotes_as_rfc_4180() {
        let cases = [
            ("plain", "plain"),
            ("Kommunen, Länder", "\"Kommunen, Länder\""),
            (
                "„Kommunen können“ \"Integration\"",
                "\"„Kommunen können“ \"\"Integration\"\"\"",
            ),
            ("zwei\nZeilen", "\"zwei\nZeilen\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("-1", "'-1"),
            ("", ""),
        ];
        for (cell, quoted) in cases {
            assert_eq!(field(cell), quoted, "{cell}");
        }
    }

    #[test]
    fn writes_a_header_and_a_row_per_hit() {
        let mut one = hit(
            Some("Integration, vor Ort"),
            &["Frank Gesemann", "Roland Roth"],
            &["Friedrich-Ebert-Stiftung"],
            Some(2017),
        );
        one.snippet.page = Some("iv".into());
        one.snippet.page_number = Some(4);
        let two = hit(None, &[], &[], None);
        assert_eq!(
            csv(&[one, two]),
            "key,id,title,authors,institutions,year,type,path,page,page_number,score\r\n\
             gesemann2017integration,doc-1,\"Integration, vor Ort\",Frank Gesemann; Roland Roth,\
             Friedrich-Ebert-Stiftung,2017,,corpus/doc.txt,iv,4,1.0000\r\n\
             doc1,doc-1,,,,,,corpus/doc.txt,,,1.0000\r\n"
        );
    }

    #[test]
    fn no_hits_leave_the_header() {
        assert_eq!(csv(&[]).lines().count(), 1);
    }
}
