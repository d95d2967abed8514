//! Where a generated crate lands on disk, for the command line: paths the user typed made
//! relative to the crate, as its `Cargo.toml` needs them, and the Cargo workspace around it,
//! which decides whether the crate must be a workspace of its own to build there.

use std::path::{Component, Path, PathBuf};

/// The Cargo workspace that encloses a crate's directory, as Cargo looks for it: the first
/// parent folder whose `Cargo.toml` has a `[workspace]` table.
#[derive(Debug, PartialEq, Eq)]
pub enum Workspace {
    /// No such folder: the crate builds alone as it is.
    None,
    /// The workspace lists the crate among its `members`.
    Member { manifest: PathBuf },
    /// The workspace does not list it, so Cargo would refuse to build it ("current package
    /// believes it's in a workspace when it's not") unless it is a workspace of its own.
    Outside {
        manifest: PathBuf,
        /// The crate's directory relative to the workspace's, for its `members`.
        member: String,
    },
}

/// Appended to the manifest of a crate that lands inside a workspace that does not list it.
pub const OWN_WORKSPACE: &str = "\n# A workspace of its own: the workspace around it does not list it as a member.\n[workspace]\n";

/// `path` made absolute with `.` and `..` taken out: symbolic links resolved in the part that
/// exists, the rest (a crate not written yet) taken as written.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(found) = existing.canonicalize() {
            break found;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break existing.to_owned(),
        }
    };
    let mut resolved = base;
    for component in rest
        .iter()
        .rev()
        .flat_map(|name| Path::new(name).components())
    {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    resolved
}

/// `target` as a path relative to the folder `from`, with `/` between its parts (as Cargo
/// manifests write them on every platform).
pub fn relative(target: &Path, from: &Path) -> String {
    let (target, from) = (resolve(target), resolve(from));
    let relative = pathdiff::diff_paths(&target, &from).unwrap_or(target);
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The workspace around the crate directory `dir`, if any.
pub fn enclosing_workspace(dir: &Path) -> Workspace {
    let dir = resolve(dir);
    for folder in dir.ancestors().skip(1) {
        let manifest = folder.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        // A manifest that is not TOML is Cargo's to report, when it reads it.
        let Ok(table) = toml::from_str::<toml::Table>(&text) else {
            continue;
        };
        let Some(workspace) = table.get("workspace").and_then(toml::Value::as_table) else {
            continue;
        };
        let listed = |key: &str| {
            workspace
                .get(key)
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(toml::Value::as_str)
                .any(|pattern| matches(&folder.join(pattern), &dir))
        };
        return if listed("members") && !listed("exclude") {
            Workspace::Member { manifest }
        } else {
            Workspace::Outside {
                member: relative(&dir, folder),
                manifest,
            }
        };
    }
    Workspace::None
}

/// Whether `pattern`, a path that may hold globs as Cargo's `members` do, names `dir`.
fn matches(pattern: &Path, dir: &Path) -> bool {
    let pattern = resolve(pattern);
    if pattern == dir {
        return true;
    }
    glob::Pattern::new(&pattern.to_string_lossy())
        .is_ok_and(|glob| glob.matches_path_with(dir, glob::MatchOptions::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "specwright-placement-{}-{name}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("scratch");
            Self(resolve(&dir))
        }

        fn file(&self, path: &str, text: &str) {
            let path = self.0.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(path, text).expect("written");
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn paths_are_relative_to_the_crate_whatever_was_typed() {
        let scratch = Scratch::new("relative");
        scratch.file("runtime/Cargo.toml", "");
        let root = &scratch.0;
        assert_eq!(
            relative(&root.join("runtime"), &root.join("out/client")),
            "../../runtime"
        );
        assert_eq!(
            relative(&root.join("out/../runtime"), &root.join("./out")),
            "../runtime"
        );
        assert_eq!(relative(root, root), ".");
    }

    #[test]
    fn a_crate_outside_any_workspace_needs_nothing() {
        let scratch = Scratch::new("none");
        scratch.file("app/Cargo.toml", "[package]\nname = \"app\"\n");
        assert_eq!(
            enclosing_workspace(&scratch.0.join("app/client")),
            Workspace::None
        );
    }

    #[test]
    fn members_are_found_by_path_and_by_glob_and_others_are_outside() {
        let scratch = Scratch::new("members");
        scratch.file(
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"clients/*\"]\nexclude = [\"clients/old\"]\n",
        );
        let manifest = scratch.0.join("Cargo.toml");
        for member in ["app", "clients/bookshelf"] {
            assert_eq!(
                enclosing_workspace(&scratch.0.join(member)),
                Workspace::Member {
                    manifest: manifest.clone()
                },
                "{member}"
            );
        }
        for outside in ["tools/bookshelf", "clients/old"] {
            assert_eq!(
                enclosing_workspace(&scratch.0.join(outside)),
                Workspace::Outside {
                    manifest: manifest.clone(),
                    member: outside.to_owned()
                },
                "{outside}"
            );
        }
    }
}
