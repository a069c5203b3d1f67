//! Aligned plain-text tables for terminals.

/// Renders `rows` under `headers` as columns separated by two spaces, with a
/// dashed rule under the header. Columns listed in `right` are right-aligned
/// (amounts). Widths count characters; trailing spaces are trimmed.
pub fn render(headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let columns = headers
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; columns];
    let all = std::iter::once(headers.iter().map(|h| h.to_string()).collect::<Vec<_>>())
        .chain(rows.iter().cloned());
    let all: Vec<Vec<String>> = all.collect();
    for row in &all {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |row: &[String]| {
        let cells: Vec<String> = (0..columns)
            .map(|i| {
                let cell = row.get(i).map_or("", String::as_str);
                let pad = " ".repeat(widths[i] - cell.chars().count());
                if right.contains(&i) {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        cells.join("  ").trim_end().to_string()
    };
    let mut out = String::new();
    out.push_str(&line(&all[0]));
    out.push('\n');
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("  "));
    out.push('\n');
    for row in &all[1..] {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn aligns_columns() {
        let t = super::render(
            &["option", "price"],
            &[
                vec!["sole".into(), "10.00".into()],
                vec!["lace colour".into(), "5.00".into()],
            ],
            &[1],
        );
        assert_eq!(
            t,
            "option       price\n-----------  -----\nsole         10.00\nlace colour   5.00\n"
        );
    }
}
