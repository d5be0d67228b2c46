//! Near-miss names for "did you mean" hints.

/// Up to `max` of `known` that look like a mistyped `name`, closest first.
pub fn near_misses<'k>(name: &str, known: &[&'k str], max: usize) -> Vec<&'k str> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &'k str)> = known
        .iter()
        .filter_map(|&candidate| {
            let lower = candidate.to_lowercase();
            let distance = if lower == wanted {
                0
            } else if lower.starts_with(&wanted) || wanted.starts_with(&lower) {
                1
            } else {
                edit_distance(&wanted, &lower)
            };
            (distance <= limit).then_some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, n)| n).collect()
}

/// Optimal-string-alignment distance: a swapped pair of letters counts as one typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_case_and_prefixes_are_suggested_closest_first() {
        let known = ["prod", "production", "dev", "staging", "Prod-eu"];
        assert_eq!(near_misses("prdo", &known, 5), ["prod"]);
        assert_eq!(near_misses("PROD", &known, 2), ["prod", "Prod-eu"]);
        assert_eq!(near_misses("stagign", &known, 5), ["staging"]);
        assert!(near_misses("zzzzzz", &known, 5).is_empty());
    }
}
