//! German function words, left out of any-word queries.
//!
//! In any-word mode every query word adds to a document's score. Function words ("der", "wie",
//! "in") match nearly every text, so they add little there, but in short fields they count a
//! lot: an author called "Olaf in der Beek" outranked the relevant paragraph for "Wie viele
//! Punkte gab die Verteidigung der Panthers ab?" (XQuAD with the Bundestag speeches mixed in,
//! see benches/README.md). The list is the Snowball German stop list, plus the question words
//! and passive auxiliaries that questions are made of. Words are compared as typed, before
//! stemming, so a content word whose stem equals a function word's ("Seite", "seit") stays.

/// Sorted, lowercase, with umlauts and ß as typed and as transliterated.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
    "andere", "anderem", "anderen", "anderer", "anderes", "anderm", "andern", "anders", "auch",
    "auf", "aus", "bei", "bin", "bis", "bist", "da", "damit", "dann", "das", "dass", "dasselbe",
    "dazu", "daß", "dein", "deine", "deinem", "deinen", "deiner", "deines", "dem", "demselben",
    "den", "denn", "denselben", "der", "derer", "derselbe", "derselben", "des", "desselben",
    "dessen", "dich", "die", "dies", "diese", "dieselbe", "dieselben", "diesem", "diesen",
    "dieser", "dieses", "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen",
    "einer", "eines", "einig", "einige", "einigem", "einigen", "einiger", "einiges", "einmal",
    "er", "es", "etwas", "euch", "euer", "eure", "eurem", "euren", "eurer", "eures", "fuer",
    "für", "gegen", "gewesen", "hab", "habe", "haben", "hat", "hatte", "hatten", "hier", "hin",
    "hinter", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres",
    "im", "in", "indem", "ins", "ist", "jede", "jedem", "jeden", "jeder", "jedes", "jene",
    "jenem", "jenen", "jener", "jenes", "jetzt", "kann", "kein", "keine", "keinem", "keinen",
    "keiner", "keines", "koennen", "koennte", "können", "könnte", "machen", "man", "manche",
    "manchem", "manchen", "mancher", "manches", "mein", "meine", "meinem", "meinen", "meiner",
    "meines", "mich", "mir", "mit", "muss", "musste", "nach", "nicht", "nichts", "noch", "nun",
    "nur", "ob", "oder", "ohne", "sehr", "sein", "seine", "seinem", "seinen", "seiner",
    "seines", "selbst", "sich", "sie", "sind", "so", "solche", "solchem", "solchen", "solcher",
    "solches", "soll", "sollte", "sondern", "sonst", "ueber", "um", "und", "uns", "unser",
    "unsere", "unserem", "unseren", "unseres", "unter", "viel", "viele", "vielen", "vom", "von",
    "vor", "waehrend", "wann", "war", "waren", "warst", "warum", "was", "weg", "wegen", "weil",
    "weiter", "welche", "welchem", "welchen", "welcher", "welches", "wem", "wen", "wenn", "wer",
    "werde", "werden", "weshalb", "wessen", "wie", "wieder", "wieso", "will", "wir", "wird",
    "wirst", "wo", "wodurch", "woher", "wohin", "wollen", "wollte", "womit", "worden", "wuerde",
    "wuerden", "wurde", "wurden", "während", "würde", "würden", "zu", "zum", "zur", "zwar",
    "zwischen", "über",
];

/// Whether `word`, as typed, is a German function word.
pub(crate) fn is_function_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    FUNCTION_WORDS.binary_search(&lower.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_lowercase() {
        for pair in FUNCTION_WORDS.windows(2) {
            assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
        }
        for word in FUNCTION_WORDS {
            assert_eq!(word.to_lowercase(), *word);
        }
    }

    #[test]
    fn knows_function_words_in_any_case() {
        for (word, function) in [
            ("Wie", true),
            ("der", true),
            ("Über", true),
            ("ueber", true),
            ("Seite", false),
            ("Integration", false),
            ("Kommunen", false),
        ] {
            assert_eq!(is_function_word(word), function, "{word}");
        }
    }
}
