//! Page labels: what a PDF calls its pages ("iv", "47", "A-3"), from the ranges of the
//! catalog's `/PageLabels` number tree (ISO 32000-1, 12.4.2).

/// The most characters a letter label (`a`…`z`, `aa`…) is given: the letter repeats once for
/// each 26 pages, so a range starting at a huge `/St` would otherwise make huge labels.
const MAX_LETTERS: usize = 16;

/// One range of the number tree: the pages from `first_page` (counted from 0) to the next
/// range's first page share a style, prefix and first number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LabelRange {
    /// The index of the range's first page.
    pub first_page: usize,
    /// The numbering style: `D` decimal, `r`/`R` roman, `a`/`A` letters; `None` for a prefix
    /// alone.
    pub style: Option<char>,
    /// The prefix, e.g. `A-`.
    pub prefix: String,
    /// The number of the range's first page (`/St`, 1 if absent).
    pub start: u32,
}

/// The labels of a document's `count` pages; empty if there are no ranges. Pages before the
/// first range (a tree that does not begin at page 0) get their number counted from 1.
pub(super) fn labels(ranges: &[LabelRange], count: usize) -> Vec<String> {
    if ranges.is_empty() {
        return Vec::new();
    }
    let mut ranges = ranges.to_vec();
    ranges.sort_by_key(|range| range.first_page);
    (0..count)
        .map(|page| {
            let at = ranges.partition_point(|range| range.first_page <= page);
            match at.checked_sub(1).map(|i| &ranges[i]) {
                Some(range) => {
                    let offset = u32::try_from(page - range.first_page).unwrap_or(u32::MAX);
                    label(range, range.start.saturating_add(offset))
                }
                None => (page + 1).to_string(),
            }
        })
        .collect()
}

/// The label of the page numbered `number` in `range`.
fn label(range: &LabelRange, number: u32) -> String {
    let numeral = match range.style {
        Some('D') => number.to_string(),
        Some('r') => roman(number).to_lowercase(),
        Some('R') => roman(number),
        Some('a') => letters(number).to_lowercase(),
        Some('A') => letters(number),
        _ => String::new(),
    };
    format!("{}{numeral}", range.prefix)
}

/// A number in upper-case Roman numerals; numbers from 4000 on in decimal, as no reader
/// agrees on how to write them.
fn roman(mut number: u32) -> String {
    if number == 0 || number >= 4000 {
        return number.to_string();
    }
    const NUMERALS: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for &(value, numeral) in NUMERALS {
        while number >= value {
            out.push_str(numeral);
            number -= value;
        }
    }
    out
}

/// A number as the PDF letter style writes it: A…Z, then AA…ZZ, then AAA…
fn letters(number: u32) -> String {
    let Some(index) = number.checked_sub(1) else {
        return number.to_string();
    };
    let letter = char::from(b'A' + (index % 26) as u8);
    let times = (index / 26) as usize + 1;
    if times > MAX_LETTERS {
        return number.to_string();
    }
    std::iter::repeat_n(letter, times).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(first_page: usize, style: Option<char>, prefix: &str, start: u32) -> LabelRange {
        LabelRange {
            first_page,
            style,
            prefix: prefix.to_string(),
            start,
        }
    }

    #[test]
    fn roman_front_matter_then_arabic() {
        let ranges = [range(0, Some('r'), "", 1), range(2, Some('D'), "", 1)];
        assert_eq!(labels(&ranges, 5), ["i", "ii", "1", "2", "3"]);
    }

    #[test]
    fn styles_prefixes_and_starts() {
        let cases: &[(LabelRange, u32, &str)] = &[
            (range(0, Some('D'), "", 47), 0, "47"),
            (range(0, Some('R'), "", 1), 3, "IV"),
            (range(0, Some('r'), "", 1), 1993, "mcmxciv"),
            (range(0, Some('A'), "", 1), 0, "A"),
            (range(0, Some('a'), "", 1), 27, "bb"),
            (range(0, Some('D'), "A-", 1), 2, "A-3"),
            (range(0, None, "Umschlag", 1), 0, "Umschlag"),
            (range(0, Some('R'), "", 1), 4000, "4001"),
        ];
        for (range, offset, expected) in cases {
            let all = labels(std::slice::from_ref(range), *offset as usize + 1);
            assert_eq!(all.last().map(String::as_str), Some(*expected), "{range:?}");
        }
    }

    #[test]
    fn no_ranges_give_no_labels() {
        assert!(labels(&[], 3).is_empty());
    }

    #[test]
    fn pages_before_the_first_range_are_counted_from_one() {
        let ranges = [range(2, Some('D'), "", 10)];
        assert_eq!(labels(&ranges, 4), ["1", "2", "10", "11"]);
    }

    #[test]
    fn a_huge_start_does_not_make_huge_labels() {
        let ranges = [range(0, Some('a'), "", u32::MAX)];
        assert_eq!(labels(&ranges, 2), ["4294967295", "4294967295"]);
    }
}
