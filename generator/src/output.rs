//! Writing generated files without ever leaving a half-written one, and comparing them with
//! what is on disk for `--check`.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` through a temporary file in the same directory and a rename,
/// so a reader (or a failed run) sees the old file or the new one, never a mix. An unchanged
/// file is not touched, so Cargo does not rebuild what depends on it.
pub fn write_atomic(path: &Path, contents: &str) -> io::Result<()> {
    if fs::read(path).is_ok_and(|current| current == contents.as_bytes()) {
        return Ok(());
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let file_name = path.file_name().map_or_else(
        || "output".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let temp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A unified diff of `path`'s current contents against `expected`, at most `max_lines` long;
/// `None` when they are equal.
pub fn stale_diff(path: &Path, expected: &str, max_lines: usize) -> Option<String> {
    let current = fs::read_to_string(path).unwrap_or_default();
    if current == expected {
        return None;
    }
    let diff = similar::TextDiff::from_lines(current.as_str(), expected)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{} (on disk)", path.display()),
            &format!("{} (expected)", path.display()),
        )
        .to_string();
    let mut lines: Vec<&str> = diff.lines().collect();
    let total = lines.len();
    lines.truncate(max_lines);
    let mut shown = lines.join("\n");
    if total > max_lines {
        shown.push_str(&format!("\n... {} more diff lines", total - max_lines));
    }
    Some(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_detects_staleness() -> io::Result<()> {
        let dir = std::env::temp_dir().join(format!("generator-output-{}", std::process::id()));
        let path = dir.join("out.rs");
        write_atomic(&path, "one\n")?;
        assert_eq!(fs::read_to_string(&path)?, "one\n");
        assert!(stale_diff(&path, "one\n", 10).is_none());
        let diff = stale_diff(&path, "two\n", 10).unwrap_or_default();
        assert!(diff.contains("-one") && diff.contains("+two"), "{diff}");
        let leftovers = fs::read_dir(&dir)?.count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        fs::remove_dir_all(&dir)
    }
}
