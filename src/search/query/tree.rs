//! Operators into a tree of clauses: `OR`, `AND`, `NOT` and parentheses, as library catalogues
//! write them.
//!
//! Words next to each other combine by the match mode, as they do without operators; `OR`
//! binds them tighter, so `Flüchtlinge Kommunen OR Gemeinden` is about refugees in
//! municipalities of either name, as in web search; `AND` binds tighter than `OR`, as in
//! catalogues: `a AND b OR c` is `(a AND b) OR c`. `NOT word` is `-word`. A query without
//! operators is a sequence of its clauses and nothing else, so that it is built into exactly
//! the query it was built into before operators existed, and ranks the same.

use super::lex::Token;
use super::parse::{Clause, Polarity};

/// A query as a tree: clauses joined by operators. `C` is the clause: while parsing, with the
/// flags that mark its function words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<C = Clause> {
    /// A word or phrase, with its polarity.
    Clause(C),
    /// Words and groups next to each other: combined by the match mode.
    Seq(Vec<Node<C>>),
    /// `a AND b`: all must match.
    And(Vec<Node<C>>),
    /// `a OR b`: any may match.
    Or(Vec<Node<C>>),
    /// `NOT (…)` or `-(…)`: must not match.
    Not(Box<Node<C>>),
    /// `+(…)`: must match, also with `--any`.
    Required(Box<Node<C>>),
}

impl<C> Node<C> {
    fn children(&self) -> Vec<&Node<C>> {
        match self {
            Node::Clause(_) => Vec::new(),
            Node::Seq(nodes) | Node::And(nodes) | Node::Or(nodes) => nodes.iter().collect(),
            Node::Not(node) | Node::Required(node) => vec![node],
        }
    }
}

impl Node {
    /// Calls `f` on every clause, in the order typed.
    #[cfg(test)]
    pub fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Clause)) {
        self.visit_negated(false, &mut |clause, _| f(clause));
    }

    /// Calls `f` on every clause with whether a `NOT` group holds it (an odd number of them).
    pub fn visit_negated<'a>(&'a self, negated: bool, f: &mut dyn FnMut(&'a Clause, bool)) {
        match self {
            Node::Clause(clause) => f(clause, negated),
            Node::Not(node) => node.visit_negated(!negated, f),
            _ => {
                for child in self.children() {
                    child.visit_negated(negated, f);
                }
            }
        }
    }

    /// Calls `f` on every clause, to change it.
    pub fn visit_mut(&mut self, f: &mut dyn FnMut(&mut Clause)) {
        match self {
            Node::Clause(clause) => f(clause),
            Node::Seq(nodes) | Node::And(nodes) | Node::Or(nodes) => {
                for node in nodes {
                    node.visit_mut(f);
                }
            }
            Node::Not(node) | Node::Required(node) => node.visit_mut(f),
        }
    }
}

/// A clause while parsing: with, for each of its terms, whether it is a function word.
type Marked = (Clause, Vec<bool>);

/// Parses the tokens of a query into its tree, a [`Node::Seq`], and drops the function words
/// of each sequence where other words carry its meaning.
///
/// # Errors
/// The reason, for an operator without a word on each side or unbalanced parentheses.
pub(crate) fn parse(tokens: Vec<Token>) -> Result<Node, String> {
    let mut parser = Parser {
        tokens: tokens.into_iter().peekable(),
    };
    let root = parser.seq()?;
    match parser.tokens.next() {
        Some(Token::Close) => Err("a ')' has no '(' before it".into()),
        Some(_) => unreachable!("a sequence ends at a ')' or at the end"),
        None => Ok(finish(root)),
    }
}

struct Parser {
    tokens: std::iter::Peekable<std::vec::IntoIter<Token>>,
}

/// The message for an operator that lacks a word on one side.
fn needs_words(operator: &str) -> String {
    match operator {
        "NOT" => "'NOT' needs a word or a group after it, as in Integration NOT Asyl".into(),
        _ => format!(
            "'{operator}' needs a word or a group on each side, as in Integration {operator} Inklusion"
        ),
    }
}

impl Parser {
    /// `seq := or+`, up to a `)` or the end; always a [`Node::Seq`].
    fn seq(&mut self) -> Result<Node<Marked>, String> {
        let mut nodes = Vec::new();
        while let Some(token) = self.tokens.peek() {
            match token {
                Token::Close => break,
                Token::Or => return Err(needs_words("OR")),
                Token::And => return Err(needs_words("AND")),
                _ => nodes.push(self.or()?),
            }
        }
        Ok(Node::Seq(nodes))
    }

    /// `or := and ("OR" and)*`.
    fn or(&mut self) -> Result<Node<Marked>, String> {
        let mut nodes = vec![self.and()?];
        while self.tokens.next_if_eq(&Token::Or).is_some() {
            nodes.push(self.operand("OR", Self::and)?);
        }
        Ok(if nodes.len() == 1 {
            nodes.pop().expect("one node")
        } else {
            Node::Or(nodes)
        })
    }

    /// `and := unary ("AND" unary)*`.
    fn and(&mut self) -> Result<Node<Marked>, String> {
        let mut nodes = vec![self.unary()?];
        while self.tokens.next_if_eq(&Token::And).is_some() {
            nodes.push(self.operand("AND", Self::unary)?);
        }
        Ok(if nodes.len() == 1 {
            nodes.pop().expect("one node")
        } else {
            Node::And(nodes)
        })
    }

    /// The operand after `operator`, read by `read`: an error if there is none.
    fn operand(
        &mut self,
        operator: &str,
        read: fn(&mut Self) -> Result<Node<Marked>, String>,
    ) -> Result<Node<Marked>, String> {
        match self.tokens.peek() {
            None | Some(Token::Close | Token::Or | Token::And) => Err(needs_words(operator)),
            Some(_) => read(self),
        }
    }

    /// `unary := "NOT" unary | "(" seq ")" | clause`.
    fn unary(&mut self) -> Result<Node<Marked>, String> {
        match self.tokens.next() {
            Some(Token::Not) => {
                let node = self.operand("NOT", Self::unary)?;
                Ok(negate(node))
            }
            Some(Token::Open(polarity)) => {
                let Node::Seq(mut nodes) = self.seq()? else {
                    unreachable!("seq makes a sequence")
                };
                if self.tokens.next() != Some(Token::Close) {
                    return Err("a '(' is not closed: add a ')'".into());
                }
                let node = match nodes.len() {
                    0 => return Err("'()' holds no word to search".into()),
                    1 => nodes.pop().expect("one node"),
                    _ => Node::Seq(nodes),
                };
                Ok(match polarity {
                    Polarity::Default => node,
                    Polarity::Excluded => negate(node),
                    Polarity::Required => Node::Required(Box::new(node)),
                })
            }
            Some(Token::Clause(clause, stop)) => Ok(Node::Clause((clause, stop))),
            Some(Token::Or) => Err(needs_words("OR")),
            Some(Token::And) => Err(needs_words("AND")),
            Some(Token::Close) | None => unreachable!("callers look before they read"),
        }
    }
}

/// `NOT node`: for a word or phrase the same as `-word`, so that an excluded compound excludes
/// the compound and not its parts; a group or an excluded word inside a [`Node::Not`].
fn negate(node: Node<Marked>) -> Node<Marked> {
    match node {
        Node::Clause((mut clause, stop)) if clause.polarity != Polarity::Excluded => {
            clause.polarity = Polarity::Excluded;
            // An excluded word is never dropped as a function word.
            let stop = vec![false; stop.len()];
            Node::Clause((clause, stop))
        }
        node => Node::Not(Box::new(node)),
    }
}

/// The tree without its function words: each sequence, and each word alone between operators,
/// drops them as a query without operators does.
fn finish(node: Node<Marked>) -> Node {
    match node {
        Node::Seq(nodes) => Node::Seq(drop_stopwords(nodes)),
        Node::Clause(_) => {
            let mut kept = drop_stopwords(vec![node]);
            kept.pop().expect("a word alone keeps its words")
        }
        Node::And(nodes) => Node::And(nodes.into_iter().map(finish).collect()),
        Node::Or(nodes) => Node::Or(nodes.into_iter().map(finish).collect()),
        Node::Not(node) => Node::Not(Box::new(finish(*node))),
        Node::Required(node) => Node::Required(Box::new(finish(*node))),
    }
}

/// Drops German function words ("in", "der", "und") from the plain word clauses when the
/// sequence has other words to search for: "Integration in Kommunen" then needs only the two
/// words that carry its meaning, and ranking is not spent on words every text has. A sequence
/// of function words only is kept whole. A group, a `prefix*` and an operator carry meaning.
fn drop_stopwords(nodes: Vec<Node<Marked>>) -> Vec<Node> {
    let has_content = nodes.iter().any(|node| match node {
        Node::Clause((c, stop)) => {
            c.polarity != Polarity::Excluded
                && (stop.iter().any(|&is_stop| !is_stop) || c.prefix.is_some())
        }
        Node::Not(_) => false,
        _ => true,
    });
    nodes
        .into_iter()
        .filter_map(|node| match node {
            Node::Clause((mut clause, stop)) => {
                if has_content && stop.iter().any(|&s| s) {
                    let mut stop_terms = stop.iter();
                    clause
                        .terms
                        .retain(|_| !stop_terms.next().copied().unwrap_or(false));
                    let mut stop_typed = stop.iter();
                    clause
                        .typed
                        .retain(|_| !stop_typed.next().copied().unwrap_or(false));
                }
                (!clause.terms.is_empty() || clause.prefix.is_some())
                    .then_some(Node::Clause(clause))
            }
            node => Some(finish(node)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::search::query::parse::ParsedQuery;

    use super::*;

    /// The tree of a query in brief: `(…)` a sequence, `[a OR b]`, `[a AND b]`, `NOT x`,
    /// `+x`, and each clause as its sign and terms, a phrase in quotes, a prefix with its `*`.
    fn show(node: &Node) -> String {
        let list = |nodes: &[Node], sep: &str| nodes.iter().map(show).collect::<Vec<_>>().join(sep);
        match node {
            Node::Clause(clause) => {
                let sign = match clause.polarity {
                    Polarity::Default => "",
                    Polarity::Required => "+",
                    Polarity::Excluded => "-",
                };
                let words = match &clause.prefix {
                    Some(prefix) => format!("{}*", prefix.text),
                    None => {
                        let terms: Vec<&str> =
                            clause.terms.iter().map(|t| t.term.as_str()).collect();
                        terms.join(" ")
                    }
                };
                if clause.phrase {
                    format!("{sign}\"{words}\"")
                } else {
                    format!("{sign}{words}")
                }
            }
            Node::Seq(nodes) => format!("({})", list(nodes, " ")),
            Node::And(nodes) => format!("[{}]", list(nodes, " AND ")),
            Node::Or(nodes) => format!("[{}]", list(nodes, " OR ")),
            Node::Not(node) => format!("NOT {}", show(node)),
            Node::Required(node) => format!("+{}", show(node)),
        }
    }

    #[test]
    fn operators_bind_as_in_catalogues_and_words_by_the_match_mode() {
        let cases = [
            ("Asyl Kita", "(asyl kita)"),
            ("Asyl OR Kita", "([asyl OR kita])"),
            ("Asyl Kita OR Bund", "(asyl [kita OR bund])"),
            ("Asyl AND Kita OR Bund", "([[asyl AND kita] OR bund])"),
            ("Asyl OR Kita AND Bund", "([asyl OR [kita AND bund]])"),
            ("Asyl OR Kita OR Bund", "([asyl OR kita OR bund])"),
            ("(Asyl OR Kita) Bund", "([asyl OR kita] bund)"),
            ("((Asyl))", "(asyl)"),
            ("(Asyl Kita) OR Bund", "([(asyl kita) OR bund])"),
            ("Asyl NOT Kita", "(asyl -kita)"),
            ("Asyl AND NOT Kita", "([asyl AND -kita])"),
            ("NOT Asyl", "(-asyl)"),
            ("NOT (Asyl OR Kita) Bund", "(NOT [asyl OR kita] bund)"),
            ("-(Asyl Kita) Bund", "(NOT (asyl kita) bund)"),
            ("+(Asyl OR Kita) Bund", "(+[asyl OR kita] bund)"),
            ("Asyl NOT -Kita", "(asyl NOT -kita)"),
            ("\"Asyl in Bund\" OR Kita", "([\"asyl in bund\" OR kita])"),
            ("(\"Asyl in Bund\")", "(\"asyl in bund\")"),
            ("title:Asyl OR -Kita", "([asyl OR -kita])"),
            ("Integr* OR Asyl", "([integr* OR asyl])"),
            ("(Integr*)", "(integr*)"),
        ];
        for (query, expected) in cases {
            let parsed = ParsedQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(show(&parsed.root), expected, "{query}");
        }
    }

    #[test]
    fn lower_case_operators_and_parentheses_inside_words_are_text() {
        let cases = [
            // "und" and "oder" are function words, dropped; "nicht" is kept.
            ("Asyl und Kita oder Bund", "(asyl kita bund)"),
            ("Asyl nicht Kita", "(asyl nicht kita)"),
            ("Asyl Or Kita", "(asyl or kita)"),
            ("Kita (NRW)", "(kita nrw)"),
            ("Migrant(inn)en", "(migrant inn en)"),
            ("Migrant*innen Asyl", "(migrant asyl)"),
        ];
        for (query, expected) in cases {
            let parsed = ParsedQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(show(&parsed.root), expected, "{query}");
        }
    }

    #[test]
    fn function_words_are_dropped_in_each_sequence() {
        let cases = [
            ("Asyl in der Stadt OR Kita", "(asyl [stadt OR kita])"),
            // Alone beside an operator, a function word is what was asked for.
            ("der OR Kita", "([der OR kita])"),
            ("(in der) Asyl", "((in der) asyl)"),
            ("Asyl NOT der", "(asyl -der)"),
        ];
        for (query, expected) in cases {
            let parsed = ParsedQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(show(&parsed.root), expected, "{query}");
        }
    }

    #[test]
    fn misplaced_operators_and_unbalanced_parentheses_are_errors() {
        let cases = [
            ("Asyl OR", "'OR' needs a word or a group on each side"),
            ("OR Asyl", "'OR' needs a word or a group on each side"),
            (
                "Asyl OR OR Kita",
                "'OR' needs a word or a group on each side",
            ),
            ("Asyl AND", "'AND' needs a word or a group on each side"),
            (
                "Asyl AND OR Kita",
                "'AND' needs a word or a group on each side",
            ),
            ("(OR Asyl)", "'OR' needs a word or a group on each side"),
            ("Asyl NOT", "'NOT' needs a word or a group after it"),
            ("(Asyl OR Kita", "a '(' is not closed: add a ')'"),
            ("Asyl OR Kita)", "a ')' has no '(' before it"),
            ("Asyl ( ) Kita", "'()' holds no word to search"),
            ("title:(Asyl OR Kita)", "'title:' applies to one word"),
        ];
        for (query, says) in cases {
            let err = ParsedQuery::parse(query).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("invalid query '{query}': ")),
                "{err}"
            );
            assert!(err.contains(says), "{query}: {err}");
        }
    }
}
