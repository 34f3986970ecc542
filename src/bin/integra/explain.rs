//! `integra search --explain`: under each hit, which forms of each query word it has and what
//! each scored.

use std::io::Write;

use integra::Explanation;

use crate::output::{Style, clean};

/// Prints a hit's explanation, one line a query word: what the word added to the score, then
/// its forms in the hit, best first (the best one is what counted), or that it has none.
///
/// ```text
///    why: Zuwanderung 2.31 = derived "zuwanderer" 2.31 · inflected "zuwanderungen" 1.90
///         Kita — not in this text
///         feedback 1.12 = "Libyen" 0.80 · "Booten" 0.32
/// ```
pub fn print_explanation(
    out: &mut dyn Write,
    explanation: &Explanation,
    style: &Style,
) -> std::io::Result<()> {
    for (i, word) in explanation.words.iter().enumerate() {
        let lead = if i == 0 { "why:" } else { "    " };
        let forms = if word.forms.is_empty() {
            "— not in this text".to_string()
        } else {
            let forms: Vec<String> = word
                .forms
                .iter()
                .map(|f| format!("{} \"{}\" {:.2}", f.kind.name(), clean(&f.form), f.score))
                .collect();
            format!("{:.2} = {}", word.score, forms.join(" · "))
        };
        let line = format!("{lead} {} {forms}", clean(&word.word));
        writeln!(out, "   {}", style.dim(&line))?;
    }
    if !explanation.feedback.is_empty() {
        // The added words count together, each by its own score.
        let total: f32 = explanation.feedback.iter().map(|f| f.score).sum();
        let forms: Vec<String> = explanation
            .feedback
            .iter()
            .map(|f| format!("\"{}\" {:.2}", clean(&f.form), f.score))
            .collect();
        let line = format!("     feedback {total:.2} = {}", forms.join(" · "));
        writeln!(out, "   {}", style.dim(&line))?;
    }
    Ok(())
}
