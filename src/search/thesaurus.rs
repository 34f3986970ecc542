//! The domain thesaurus: groups of words of the field that a reader searching one of them also
//! means by the others (`data/thesaurus.toml`, and a user's own `thesaurus.toml` in the index
//! folder). Applied to query words only, each other word of a group at the group's weight,
//! which is below the word typed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::analysis::{QueryTerm, analyze_query};
use crate::error::{Error, Result};

/// The thesaurus integra ships, written for it (its header states the licence).
const SHIPPED: &str = include_str!("../../data/thesaurus.toml");

/// The name of a user's own thesaurus in the index folder.
pub(crate) const USER_FILE: &str = "thesaurus.toml";

/// Whether the words of a group name (nearly) the same thing or are only related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum GroupKind {
    /// Near-synonyms.
    Synonym,
    /// Related: overlapping, broader or narrower.
    Related,
}

/// One group as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    kind: GroupKind,
    weight: toml::Spanned<f64>,
    words: toml::Spanned<Vec<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    group: Vec<RawGroup>,
}

/// A word of a group, as typed and analyzed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    /// The word as the file writes it, for `--explain`.
    pub word: String,
    /// Its analyzed words: one for a single word, more for "freiwilliges Engagement".
    pub terms: Vec<QueryTerm>,
}

/// A group of the thesaurus.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// Near-synonyms or related words.
    pub kind: GroupKind,
    /// How much another word of the group counts relative to the word typed.
    pub weight: f32,
    /// The words.
    pub members: Vec<Member>,
}

/// The groups, looked up by the analyzed term of a single-word member.
#[derive(Debug, Clone, Default)]
pub(crate) struct Thesaurus {
    groups: Vec<Group>,
    by_term: HashMap<String, Vec<usize>>,
}

/// Another word a query word stands for, by the thesaurus.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alternative<'a> {
    /// The group's kind.
    pub kind: GroupKind,
    /// The group's weight.
    pub weight: f32,
    /// The other word.
    pub member: &'a Member,
}

impl Thesaurus {
    /// The thesaurus integra ships.
    pub(crate) fn shipped() -> Thesaurus {
        let mut thesaurus = Thesaurus::default();
        thesaurus
            .add(Path::new("data/thesaurus.toml"), SHIPPED)
            .expect("the shipped thesaurus is valid: a test reads it");
        thesaurus
    }

    /// The shipped thesaurus with the groups of `index/thesaurus.toml` added, if that file
    /// exists.
    ///
    /// # Errors
    /// [`Error::Io`] if the file exists but cannot be read, [`Error::Thesaurus`] naming the
    /// file and line if it is not a valid thesaurus.
    pub(crate) fn for_index(index: &Path) -> Result<Thesaurus> {
        let mut thesaurus = Thesaurus::shipped();
        let path = index.join(USER_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => thesaurus.add(&path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
        Ok(thesaurus)
    }

    /// Adds the groups of a file's text.
    ///
    /// # Errors
    /// [`Error::Thesaurus`] naming `path` and the line of what is wrong.
    pub(crate) fn add(&mut self, path: &Path, text: &str) -> Result<()> {
        let error = |offset: Option<usize>, reason: String| Error::Thesaurus {
            path: PathBuf::from(path),
            line: offset.map(|o| line_of(text, o)),
            reason,
        };
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| error(e.span().map(|s| s.start), e.message().to_string()))?;
        for group in raw.group {
            let weight = *group.weight.get_ref();
            if !(weight > 0.0 && weight < 1.0) {
                return Err(error(
                    Some(group.weight.span().start),
                    format!(
                        "weight {weight} must be above 0 and below 1: a word of the thesaurus \
                         counts less than the word typed"
                    ),
                ));
            }
            let start = group.words.span().start;
            let mut members = Vec::new();
            for word in group.words.into_inner() {
                let terms = analyze_query(&word);
                if terms.is_empty() {
                    return Err(error(
                        Some(start),
                        format!("'{word}' has no word that can be searched"),
                    ));
                }
                members.push(Member { word, terms });
            }
            if members.len() < 2 {
                return Err(error(
                    Some(start),
                    "a group needs at least two words".into(),
                ));
            }
            let index = self.groups.len();
            for member in &members {
                if let [term] = member.terms.as_slice() {
                    let groups = self.by_term.entry(term.term.clone()).or_default();
                    if !groups.contains(&index) {
                        groups.push(index);
                    }
                }
            }
            self.groups.push(Group {
                kind: group.kind,
                weight: weight as f32,
                members,
            });
        }
        Ok(())
    }

    /// The other words of every group the analyzed term `term` is a word of, each once, at the
    /// highest weight a group gives it.
    pub(crate) fn alternatives(&self, term: &str) -> Vec<Alternative<'_>> {
        let mut found: Vec<Alternative<'_>> = Vec::new();
        for &index in self.by_term.get(term).into_iter().flatten() {
            let group = &self.groups[index];
            for member in &group.members {
                let same = matches!(member.terms.as_slice(), [t] if t.term == term);
                if same {
                    continue;
                }
                match found.iter_mut().find(|a| a.member.terms == member.terms) {
                    Some(known) if known.weight >= group.weight => {}
                    Some(known) => {
                        known.weight = group.weight;
                        known.kind = group.kind;
                    }
                    None => found.push(Alternative {
                        kind: group.kind,
                        weight: group.weight,
                        member,
                    }),
                }
            }
        }
        found
    }

    /// How many groups it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.groups.len()
    }
}

/// The thesaurus of an index, read at its first use and kept, or what was wrong with the
/// user's file, reported at every use.
#[derive(Debug, Default)]
pub(crate) struct ThesaurusOnce(OnceLock<std::result::Result<Thesaurus, LoadError>>);

/// What was wrong with a user's thesaurus: its path, line and the reason.
type LoadError = (PathBuf, Option<usize>, String);

impl ThesaurusOnce {
    /// The thesaurus of the index at `index`, read once.
    ///
    /// # Errors
    /// [`Error::Thesaurus`] if the index folder's `thesaurus.toml` cannot be read or is not a
    /// valid thesaurus.
    pub(crate) fn get(&self, index: &Path) -> Result<&Thesaurus> {
        let loaded = self.0.get_or_init(|| {
            Thesaurus::for_index(index).map_err(|e| match e {
                Error::Thesaurus { path, line, reason } => (path, line, reason),
                other => (index.join(USER_FILE), None, other.to_string()),
            })
        });
        loaded
            .as_ref()
            .map_err(|(path, line, reason)| Error::Thesaurus {
                path: path.clone(),
                line: *line,
                reason: reason.clone(),
            })
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(thesaurus: &Thesaurus, word: &str) -> Vec<(String, GroupKind, f32)> {
        let term = analyze_query(word).remove(0).term;
        thesaurus
            .alternatives(&term)
            .into_iter()
            .map(|a| (a.member.word.clone(), a.kind, a.weight))
            .collect()
    }

    #[test]
    fn the_shipped_thesaurus_is_valid_and_keeps_legal_distinctions() {
        let thesaurus = Thesaurus::shipped();
        assert!(thesaurus.len() > 20);
        let cases: &[(&str, &str, Option<GroupKind>)] = &[
            ("Kita", "Kindertagesstätte", Some(GroupKind::Synonym)),
            ("Kitas", "Kindertagesstätte", Some(GroupKind::Synonym)),
            ("Kita", "Kindergarten", Some(GroupKind::Related)),
            ("Geflüchtete", "Flüchtlinge", Some(GroupKind::Synonym)),
            ("Flüchtlinge", "Asylsuchende", Some(GroupKind::Related)),
            ("Asylbewerber", "Asylsuchende", Some(GroupKind::Synonym)),
            // An asylum seeker is not a recognised refugee, and a deportation no return.
            ("Asylbewerber", "Asylberechtigte", None),
            ("Asylbewerber", "Flüchtlinge", None),
            ("Abschiebung", "Rückkehr", Some(GroupKind::Related)),
            ("Sprachkurs", "Integrationskurs", Some(GroupKind::Related)),
            ("Kommune", "Gemeinde", Some(GroupKind::Synonym)),
            (
                "Ehrenamt",
                "freiwilliges Engagement",
                Some(GroupKind::Synonym),
            ),
        ];
        for &(word, other, kind) in cases {
            let found = words(&thesaurus, word);
            let got = found
                .iter()
                .find(|(w, _, _)| w == other)
                .map(|(_, k, _)| *k);
            assert_eq!(got, kind, "{word} -> {other}: {found:?}");
            for (_, _, weight) in &found {
                assert!(*weight > 0.0 && *weight < 1.0, "{word}: {found:?}");
            }
        }
    }

    #[test]
    fn a_user_file_adds_groups() {
        let mut thesaurus = Thesaurus::shipped();
        let text =
            "[[group]]\nkind = \"synonym\"\nweight = 0.7\nwords = [\"Quartier\", \"Stadtteil\"]\n";
        thesaurus.add(Path::new("thesaurus.toml"), text).unwrap();
        assert_eq!(
            words(&thesaurus, "Quartier"),
            [("Stadtteil".to_string(), GroupKind::Synonym, 0.7)]
        );
    }

    #[test]
    fn a_bad_user_file_names_its_line() {
        let cases: &[(&str, usize, &str)] = &[
            (
                "[[group]]\nkind = \"synonym\"\nweight = 1.5\nwords = [\"a\", \"b\"]\n",
                3,
                "weight 1.5 must be above 0 and below 1",
            ),
            (
                "[[group]]\nkind = \"same\"\nweight = 0.5\nwords = [\"Kita\", \"Hort\"]\n",
                2,
                "unknown variant",
            ),
            (
                "[[group]]\nkind = \"related\"\nweight = 0.5\n\nwords = [\"Kita\"]\n",
                5,
                "at least two words",
            ),
            (
                "[[group]]\nkind = \"related\"\nwieght = 0.5\nwords = [\"Kita\", \"Hort\"]\n",
                3,
                "unknown field",
            ),
            ("[[group]\n", 1, ""),
        ];
        for &(text, line, reason) in cases {
            let err = Thesaurus::default()
                .add(Path::new("idx/thesaurus.toml"), text)
                .unwrap_err();
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("thesaurus idx/thesaurus.toml line {line}: ")),
                "{message}"
            );
            assert!(message.contains(reason), "{message}");
        }
    }

    #[test]
    fn a_missing_user_file_is_no_error_and_an_unreadable_one_is() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Thesaurus::for_index(dir.path()).is_ok());
        std::fs::create_dir(dir.path().join(USER_FILE)).unwrap();
        assert!(Thesaurus::for_index(dir.path()).is_err());
    }
}
