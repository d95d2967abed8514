//! Diagnostics as a person reads them: the message, the file, line and column, and the source
//! line with the spot marked, as rustc shows them (rendered by `annotate-snippets`).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};

/// Colour for a terminal, plain text otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Colored,
    Plain,
}

/// One diagnostic with its source excerpt, when the source and a location are known.
pub fn render(diagnostic: &Diagnostic, source: Option<&str>, style: Style) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = if diagnostic.pointer.is_empty() {
        diagnostic.message.clone()
    } else {
        format!("{} (at #{})", diagnostic.message, diagnostic.pointer)
    };
    let path = diagnostic
        .file
        .as_ref()
        .map(|file| file.display().to_string());
    let renderer = match style {
        Style::Colored => Renderer::styled(),
        Style::Plain => Renderer::plain(),
    };
    let excerpt = source.zip(diagnostic.location).and_then(|(source, at)| {
        // Only the lines around the spot: a 20 MB spec is not handed to the renderer whole.
        let line_start = source.get(..at.offset)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = source
            .get(at.offset..)?
            .find('\n')
            .map_or(source.len(), |i| at.offset + i);
        let line = source.get(line_start..line_end)?;
        let start = at.offset - line_start;
        let end = line
            .get(start..)
            .and_then(|rest| rest.find([':', ',', '}']).map(|i| start + i.max(1)))
            .unwrap_or(line.len())
            .max(start + 1)
            .min(line.len().max(start + 1));
        Some((line, at.line, start..end))
    });
    match excerpt {
        Some((line, number, span)) => {
            let mut snippet = Snippet::source(line)
                .line_start(number)
                .annotation(AnnotationKind::Primary.span(span));
            if let Some(path) = &path {
                snippet = snippet.path(path.as_str());
            }
            renderer
                .render(&[level.primary_title(title).element(snippet)])
                .to_string()
        }
        None => {
            let mut text = title;
            if let Some(path) = path {
                text = match diagnostic.location {
                    Some(at) => format!("{path}:{}:{}: {text}", at.line, at.column),
                    None => format!("{path}: {text}"),
                };
            }
            renderer
                .render(&[Group::with_title(level.primary_title(text))])
                .to_string()
        }
    }
}
